"""The member register sheet (Mẫu 7-HSĐV) as a Word file: content, access."""

import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def url(member):
    return reverse("members:register_docx", args=[member.uuid])


def test_the_register_sheet_holds_the_header_and_the_columns(client, world):
    member = world.member("Lê Văn Nam", "K1")
    member.card_no = "12345678"
    member.save()
    client.force_login(world.user("secretary_k1"))
    r = client.get(url(member))
    assert r.status_code == 200
    disposition = unquote(r["Content-Disposition"])
    assert disposition.startswith("attachment;")
    assert "Sổ danh sách đảng viên (Mẫu 7-HSĐV) - Lê Văn Nam.docx" in disposition
    text = text_of(r.content)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "SỔ DANH SÁCH ĐẢNG VIÊN" in text and "Mẫu 7-HSĐV" in text
    assert "Lê Văn Nam" in text
    assert "CHI BỘ THÔN ĐÔNG" in text and "ĐẢNG BỘ XÃ AN BÌNH" in text
    assert "01/06/2025" in text  # date joined
    assert "12345678" in text and member.dossier_no in text
    assert "Nam; Tày" in text or "Nam;" in text  # sex and ethnicity in Vietnamese


def test_a_member_reads_their_own_sheet_and_outsiders_get_404(client, world):
    own = world.member("Trần Thị Hoa", "K1")
    r = client.get(url(own))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
    client.force_login(world.user("member_k1"))
    assert client.get(url(own)).status_code == 200
    assert client.get(url(world.member("Lê Văn Nam", "K1"))).status_code == 404
    client.force_login(world.user("staff_p2"))
    assert client.get(url(own)).status_code == 404


def test_the_member_page_links_to_the_sheet(client, world):
    member = world.member("Lê Văn Nam", "K1")
    client.force_login(world.user("staff_c1"))
    body = client.get(reverse("members:detail", args=[member.uuid])).content.decode()
    assert url(member) in body
