"""The annual residence comment form as a Word file: content, access."""

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document

from liaison import services
from liaison.tests.targets import liaison_in

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def url(liaison, year=None):
    base = reverse("liaison:comment_docx", args=[liaison.uuid])
    return f"{base}?year={year}" if year else base


def comment(liaison):
    return services.record_comment(
        liaison,
        year=2025,
        answers={
            "exemplary": "well",
            "policies": "well",
            "contact": "done",
            "activities": "well",
            "people": "not_yet",
            "citizen_duties": "well",
        },
        overall="good",
        commented_on=dt.date(2025, 12, 10),
        front_opinion="Ban công tác Mặt trận nhất trí.",
        front_head="Trần Văn Mặt",
        signed_by="Nguyễn Văn Đức",
    )


def test_the_comment_form_holds_the_header_the_member_and_the_answers(client, world):
    liaison = liaison_in(world, "K1")
    comment(liaison)
    client.force_login(world.user("secretary_k1"))
    r = client.get(url(liaison))  # the latest commented year by default
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = unquote(r["Content-Disposition"])
    assert disposition.startswith("attachment;")
    assert "Phiếu nhận xét nơi cư trú 2025 - Cán Bộ Ở K1.docx" in disposition
    assert 'filename="phieu-nhan-xet-noi-cu-tru-2025-can-bo-o-k1.docx"' in disposition
    text = text_of(r.content)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "PHIẾU NHẬN XÉT" in text and "năm 2025" in text
    assert "Cán Bộ Ở K1" in text
    assert "CHI BỘ THÔN ĐÔNG" in text
    assert "Gương mẫu về phẩm chất chính trị" in text
    assert "☒ Thực hiện tốt nhiệm vụ đảng viên nơi cư trú" in text
    assert "Ban công tác Mặt trận nhất trí." in text
    assert "Trần Văn Mặt" in text and "T/M CHI ỦY" in text
    assert "ngày 10 tháng 12 năm 2025" in text


def test_a_year_without_a_comment_gives_a_blank_form(client, world):
    liaison = liaison_in(world, "K1")
    client.force_login(world.user("staff_c1"))
    r = client.get(url(liaison, 2026))
    assert r.status_code == 200
    text = text_of(r.content)
    assert "năm 2026" in text and "☒" not in text and "☐" in text
    assert client.get(url(liaison, "x")).status_code == 404
    assert client.get(url(liaison, 1500)).status_code == 404


def test_the_form_is_for_those_who_see_the_liaison(client, world):
    liaison = liaison_in(world, "K1")
    r = client.get(url(liaison))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
    client.force_login(world.user("staff_p2"))
    assert client.get(url(liaison)).status_code == 404
    client.force_login(world.user("committee_c1"))
    assert client.get(url(liaison)).status_code == 200


def test_the_liaison_page_links_to_the_form(client, world):
    liaison = liaison_in(world, "K1")
    client.force_login(world.user("staff_c1"))
    body = client.get(reverse("liaison:detail", args=[liaison.uuid])).content.decode()
    assert url(liaison) in body
