"""The transfer data sheet as a Word file: content, access."""

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document

from transfers import services
from transfers.tests.targets import transfer_in

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def url(transfer):
    return reverse("transfers:sheet_docx", args=[transfer.uuid])


def test_the_sheet_holds_the_header_and_the_letter_data(client, world):
    transfer = transfer_in(world, "K1")
    services.issue_letter(
        transfer,
        letter_type="official_10",
        letter_no="123",
        register_no="GT-45",
        issued_on=dt.date(2026, 1, 20),
        issued_by="Đảng ủy xã An Bình",
        dues_paid_until=dt.date(2025, 12, 1),
    )
    client.force_login(world.user("staff_c1"))
    r = client.get(url(transfer))
    assert r.status_code == 200
    disposition = unquote(r["Content-Disposition"])
    assert disposition.startswith("attachment;")
    assert f"Phiếu chuyển sinh hoạt đảng - {transfer.member_name}.docx" in disposition
    text = text_of(r.content)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "PHIẾU THÔNG TIN CHUYỂN SINH HOẠT ĐẢNG" in text
    assert transfer.member_name in text
    assert "Giấy giới thiệu sinh hoạt đảng chính thức (10 ô)" in text
    assert "GT-45" in text and "20/01/2026" in text
    assert "tháng 12/2025" in text  # dues paid up to
    assert "Chi bộ thôn Bắc, xã Tân Phú, tỉnh Khác" in text
    assert "Chuyển công tác" in text
    assert "DỰ THẢO" not in text


def test_a_sheet_before_the_letter_is_marked_draft(client, world):
    transfer = transfer_in(world, "K1")
    client.force_login(world.user("secretary_k1"))
    r = client.get(url(transfer))
    assert r.status_code == 200
    assert "DỰ THẢO" in text_of(r.content)


def test_the_sheet_is_for_those_who_see_the_transfer(client, world):
    transfer = transfer_in(world, "K1")
    r = client.get(url(transfer))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
    client.force_login(world.user("staff_p2"))
    assert client.get(url(transfer)).status_code == 404
    client.force_login(world.user("secretary_k1"))
    assert client.get(url(transfer_in(world, "K2"))).status_code == 404


def test_the_transfer_page_links_to_the_sheet(client, world):
    transfer = transfer_in(world, "K1")
    client.force_login(world.user("staff_c1"))
    body = client.get(reverse("transfers:detail", args=[transfer.uuid])).content.decode()
    assert url(transfer) in body
