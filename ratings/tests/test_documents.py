"""The review and rating as Word files: the self-review on forms 2A/2B/2C (sections, filled and
dotted fields, the cell's opinion and the decision), the report of a cycle (counts per level in
the cycle's names, constant queries), and who may download them."""

import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from liaison.tests.targets import make_member
from ratings import documents, services
from ratings.models import MemberReview, OrganizationReview
from ratings.tests.conftest import review_of, to_proposed

pytestmark = pytest.mark.django_db

DOTS = documents.DOTS


def lines_of(content: bytes) -> list[str]:
    """The text of the file in reading order: each paragraph, each table cell."""
    body = Document(io.BytesIO(content)).element.body
    lines = []
    for el in body.iterchildren():
        if el.tag == qn("w:tbl"):
            for cell in el.iter(qn("w:tc")):
                for par in cell.iter(qn("w:p")):
                    lines.append("".join(t.text or "" for t in par.iter(qn("w:t"))))
        elif el.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in el.iter(qn("w:t"))))
    return lines


def text_of(content: bytes) -> str:
    return "\n".join(lines_of(content))


def tables_of(content: bytes) -> list[list[list[str]]]:
    return [
        [[c.text for c in row.cells] for row in t.rows]
        for t in Document(io.BytesIO(content)).tables
    ]


def after(lines: list[str], start: str) -> str:
    """The line right after the first line that starts with `start`."""
    n = next(i for i, line in enumerate(lines) if line.startswith(start))
    return lines[n + 1]


def write_self_review(review, form_type="2C", **kw):
    fields = {
        "results": "Hoàn thành 100% nhiệm vụ chi bộ giao.",
        "strengths": "Gương mẫu ở khu dân cư.",
        "shortcomings": "",
        "remedies": "Dự đủ các buổi sinh hoạt.",
        "self_level": "good",
        "self_score": "85",
    }
    fields.update(kw)
    return services.record_self_review(review, form_type=form_type, **fields)


# ---- the self-review ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form_type", "use", "last"),
    [
        ("2A", "giữ chức vụ lãnh đạo, quản lý", "VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG"),
        ("2B", "làm việc trong hệ thống chính trị", "VI. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG"),
        ("2C", "không làm việc trong hệ thống chính trị", "VI. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG"),
    ],
)
def test_each_form_prints_its_code_and_its_sections(world, cycle, form_type, use, last):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    write_self_review(hoa, form_type)
    lines = lines_of(documents.self_review_docx(hoa))
    text = "\n".join(lines)
    assert lines[0] == f"Mẫu {form_type}-HD KĐ.ĐG 2025"  # top right, above the header
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CHI BỘ THÔN ĐÔNG" in text
    assert "BẢN TỰ KIỂM ĐIỂM CÁ NHÂN" in lines and "Kiểm điểm năm 2025" in lines
    assert use in text
    for heading in (
        "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC",
        "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN",
        "III. KẾT QUẢ KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT LUẬN",
        "IV. GIẢI TRÌNH NHỮNG VẤN ĐỀ ĐƯỢC GỢI Ý KIỂM ĐIỂM",
        last,
    ):
        assert any(line.startswith(heading) for line in lines), heading
    leader = form_type == "2A"
    assert ("V. LÀM RÕ TRÁCH NHIỆM CỦA CÁ NHÂN" in text) is leader
    assert ("trách nhiệm nêu gương" in text) is leader  # the leadership part of I
    assert ("VI. PHƯƠNG HƯỚNG" in text) is leader
    direction = "VI. PHƯƠNG HƯỚNG" if leader else "V. PHƯƠNG HƯỚNG"
    assert any(line.startswith(direction) for line in lines)
    assert "NGƯỜI TỰ KIỂM ĐIỂM" in lines and "(Ký, ghi rõ họ tên)" in lines


def test_filled_fields_print_and_empty_ones_are_dotted(world, cycle):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    lines = lines_of(documents.self_review_docx(hoa))
    assert "DỰ THẢO" in lines  # not self-reviewed yet: a blank form to fill by hand
    assert after(lines, "II. HẠN CHẾ") == DOTS
    assert "Tự chấm điểm: … điểm (thang điểm 100)." in lines

    write_self_review(hoa, self_score="82.5")
    lines = lines_of(documents.self_review_docx(hoa))
    assert "DỰ THẢO" not in lines
    assert "Họ và tên: Trần Thị Hoa" in lines and "Ngày sinh: 09/07/1985" in lines
    assert "Chi bộ: Chi bộ thôn Đông, Đảng bộ xã An Bình" in lines
    assert "Chức vụ đảng: …" in lines  # no post in the cell
    assert after(lines, "1. Về tư tưởng chính trị") == "Gương mẫu ở khu dân cư."
    assert after(lines, "2. Kết quả thực hiện") == "Hoàn thành 100% nhiệm vụ chi bộ giao."
    assert after(lines, "II. HẠN CHẾ") == DOTS  # left empty: dots
    assert after(lines, "III. KẾT QUẢ KHẮC PHỤC") == DOTS  # not stored: dots
    assert after(lines, "V. PHƯƠNG HƯỚNG") == "Dự đủ các buổi sinh hoạt."
    assert "Tự chấm điểm: 82,5 điểm (thang điểm 100)." in lines
    assert "Xếp loại chất lượng đảng viên: Hoàn thành tốt nhiệm vụ" in lines
    # Nothing from the cell nor the superior yet.
    assert after(lines, "Ý KIẾN NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ") == DOTS
    assert "Kết quả biểu quyết: …/… đảng viên tán thành." in lines
    assert after(lines, "XẾP LOẠI CỦA CẤP CÓ THẨM QUYỀN") == "Xếp loại chất lượng đảng viên: …"


def test_the_cell_opinion_and_the_decision_follow_the_signature(world, cycle):
    duc = review_of(cycle, world, "Nguyễn Văn Đức")
    to_proposed(duc, "good", 80)
    duc.cell_comment = "Nhiệt tình, trách nhiệm."
    duc.save()
    services.decide(duc, level="good", note="Quyết định số 05-QĐ/ĐU")
    lines = lines_of(documents.self_review_docx(duc))
    assert "Chức vụ đảng: Bí thư Chi bộ thôn Đông" in lines  # secretary_k1's role
    signed = lines.index("NGƯỜI TỰ KIỂM ĐIỂM")
    opinion = lines.index("Ý KIẾN NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ")
    decision = lines.index("XẾP LOẠI CỦA CẤP CÓ THẨM QUYỀN")
    assert signed < opinion < decision
    assert lines[opinion + 1] == "Nhiệt tình, trách nhiệm."
    tail = lines[opinion:]
    assert "Chi bộ chấm điểm: 80 điểm." in tail
    assert "Chi bộ đề nghị xếp loại: Hoàn thành tốt nhiệm vụ" in tail
    assert "Kết quả biểu quyết: 3/4 đảng viên tán thành (75%)." in tail
    assert "T/M CHI BỘ" in tail and "T/M ĐẢNG ỦY" in tail
    assert lines[decision + 1] == "Xếp loại chất lượng đảng viên: Hoàn thành tốt nhiệm vụ"
    assert "Quyết định, ghi chú: Quyết định số 05-QĐ/ĐU" in tail


def test_a_member_not_rated_gets_the_reason(world, cycle):
    lan = review_of(cycle, world, "Phạm Thị Lan")
    lines = lines_of(documents.self_review_docx(lan))
    assert "Không đánh giá, xếp loại chất lượng: Được miễn công tác và sinh hoạt đảng." in lines
    assert not any(line.startswith("Tự chấm điểm") for line in lines)


def test_a_quarter_and_an_old_year_use_their_own_words(world):
    c1 = world.org("C1")
    quarter = services.open_cycle(c1, year=2025, quarter=2)
    hoa = review_of(quarter, world, "Trần Thị Hoa")
    assert "Kiểm điểm quý 2 năm 2025" in lines_of(documents.self_review_docx(hoa))
    assert documents.review_filename(hoa) == "Bản tự kiểm điểm quý 2 năm 2025 - Trần Thị Hoa"

    old = services.open_cycle(c1, year=2016)  # HD 20/HD 27: other names, no 100-point scale
    hoa = review_of(old, world, "Trần Thị Hoa")
    write_self_review(hoa, self_score=None)
    lines = lines_of(documents.self_review_docx(hoa))
    assert lines[0] == "Mẫu 2C"
    assert "Kiểm điểm năm 2016" in lines
    assert "Xếp loại chất lượng đảng viên: Đủ tư cách, hoàn thành tốt nhiệm vụ" in lines
    assert not any("điểm (thang điểm 100)" in line or "chấm điểm" in line for line in lines)


# ---- the report of a cycle ------------------------------------------------------------------


def table_with(content: bytes, column: str):
    """The first table with a column headed `column`."""
    return next(t for t in tables_of(content) if column in t[0])


def _level_rows(table):
    return {row[1]: (row[2], row[3]) for row in table[1:]}


def test_the_report_counts_members_and_collectives_per_level(world, cycle):
    reviews = list(
        cycle.member_reviews.exclude(status="excluded")
        .select_related("cycle", "cell", "member__person")
        .order_by("member__person__sort_key", "pk")
    )
    for r in reviews[:3]:
        to_proposed(r)
        services.decide(r, level="good")
    OrganizationReview.objects.filter(cycle=cycle, organization__code="K2").update(
        decided_level="completed", score=65
    )
    content = documents.collective_docx(cycle)
    lines = lines_of(content)
    assert "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG" in lines
    assert "tổ chức đảng và đảng viên năm 2025" in lines
    assert "ĐẢNG ỦY XÃ AN BÌNH" in lines and "Số      -BC/ĐU" in lines
    assert "DỰ THẢO" in lines  # the cycle is still open
    assert (
        "Tổng số đảng viên: 6 đồng chí; được đánh giá, xếp loại: 5 đồng chí; "
        "không đánh giá, xếp loại: 1 đồng chí." in lines
    )
    rows = _level_rows(table_with(content, "Mức xếp loại"))
    assert rows["Hoàn thành tốt nhiệm vụ"] == ("3", "60%")
    assert rows["Hoàn thành xuất sắc nhiệm vụ"] == ("0", "0%")
    assert rows["Chưa có quyết định xếp loại"] == ("2", "40%")
    assert rows["Cộng"] == ("5", "100%")
    excluded = table_with(content, "Lý do")
    assert excluded[1][1:] == ["Được miễn công tác và sinh hoạt đảng", "1"]
    rows = _level_rows(table_with(content, "Số tập thể"))
    assert rows["Hoàn thành nhiệm vụ"] == ("1", "33,3%")
    assert rows["Chưa có quyết định xếp loại"] == ("2", "66,7%")
    listing = table_with(content, "Tổ chức đảng")
    assert ["3", "Chi bộ thôn Tây", "65", "Hoàn thành nhiệm vụ"] in listing
    assert "- Tỉnh ủy Thử Nghiệm (b/c);" in lines


def test_an_old_report_names_the_levels_as_they_were(world):
    old = services.open_cycle(world.org("C1"), year=2016)
    MemberReview.objects.filter(cycle=old).exclude(status="excluded").update(
        status="decided", decided_level="excellent"
    )
    OrganizationReview.objects.filter(cycle=old).update(decided_level="excellent")
    content = documents.collective_docx(old, world.org("K1"))
    text = text_of(content)
    assert "Hướng dẫn số 20-HD/BTCTW" in text
    assert "CHI BỘ THÔN ĐÔNG" in text and "Số      -BC/CB" in text
    members = _level_rows(table_with(content, "Số đảng viên"))
    assert members["Đủ tư cách, hoàn thành xuất sắc nhiệm vụ"][1] == "100%"
    collectives = _level_rows(table_with(content, "Số tập thể"))
    assert collectives["Trong sạch, vững mạnh"] == ("1", "100%")  # only K1, seen from K1
    assert "Chi bộ thôn Tây" not in text


def test_the_report_takes_the_same_queries_for_more_members(world, django_assert_num_queries):
    c2 = world.org("C2")  # one member, Vũ Thị Mai in K3
    small = services.open_cycle(c2, year=2025)
    assert small.member_reviews.count() == 1
    with django_assert_num_queries(QUERIES_REPORT):
        documents.collective_doc(small)
    for i in range(12):
        make_member(world.org("K3"), f"Người Thêm {i}")
    big = services.open_cycle(c2, year=2025, quarter=1)
    for r in big.member_reviews.select_related("cycle", "cell")[:4]:
        to_proposed(r)
        services.decide(r, level="good")
    assert big.member_reviews.count() == 13
    with django_assert_num_queries(QUERIES_REPORT):
        documents.collective_doc(big)


# the grouped member counts, the collectives, the parent's name
QUERIES_REPORT = 3


# ---- downloads ----------------------------------------------------------------------------------


def review_url(review):
    return reverse("ratings:review_docx", args=[review.uuid])


def cycle_url(org, cycle):
    return reverse("ratings:cycle_docx", args=[org.uuid, cycle.uuid])


def test_the_member_downloads_their_own_self_review(world, cycle, login):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    client = login("member_k1")
    assert review_url(hoa) in client.get(hoa.get_absolute_url()).content.decode()
    response = client.get(review_url(hoa))
    assert response.status_code == 200
    disposition = unquote(response["Content-Disposition"])
    assert disposition.startswith("attachment;")
    assert "Bản tự kiểm điểm năm 2025 - Trần Thị Hoa.docx" in disposition
    assert "Họ và tên: Trần Thị Hoa" in lines_of(response.content)
    # Another member's review is out of their scope.
    assert client.get(review_url(review_of(cycle, world, "Lê Văn Nam"))).status_code == 404


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("secretary_k1", 200),
        ("committee_c1", 200),
        ("staff_p1", 200),
        ("staff_p2", 404),
        ("nobody", 404),
    ],
)
def test_the_self_review_is_for_whoever_sees_the_review(world, cycle, client, user, status):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    client.force_login(world.user(user))
    assert client.get(review_url(hoa)).status_code == status


def test_anonymous_users_are_sent_to_log_in(world, cycle, client):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    for url in (review_url(hoa), cycle_url(world.org("C1"), cycle)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_committee_downloads_the_report_from_the_cycle_page(world, cycle, login):
    c1 = world.org("C1")
    client = login("staff_c1")
    assert cycle_url(c1, cycle) in client.get(cycle.get_absolute_url(c1)).content.decode()
    response = client.get(cycle_url(c1, cycle))
    assert response.status_code == 200
    disposition = unquote(response["Content-Disposition"])
    assert "Báo cáo đánh giá, xếp loại chất lượng năm 2025 - Đảng bộ xã An Bình.docx" in disposition
    assert "Tổng số tập thể được đánh giá, xếp loại: 3." in lines_of(response.content)


@pytest.mark.parametrize(
    ("user", "org", "status"),
    [
        ("secretary_k1", "K1", 200),
        ("secretary_k1", "C1", 404),
        ("secretary_k1", "K2", 404),
        ("member_k1", "K1", 404),
        ("committee_c1", "K2", 200),
        ("staff_c1", "C2", 404),  # not inside the cycle's committee
        ("staff_p2", "C1", 404),
    ],
)
def test_the_report_is_for_the_scope_inside_the_cycle(world, cycle, client, user, org, status):
    client.force_login(world.user(user))
    assert client.get(cycle_url(world.org(org), cycle)).status_code == status


def test_a_cell_report_counts_only_the_cell(world, cycle, login):
    k1 = world.org("K1")
    response = login("secretary_k1").get(cycle_url(k1, cycle))
    lines = lines_of(response.content)
    assert (
        "Tổng số đảng viên: 4 đồng chí; được đánh giá, xếp loại: 3 đồng chí; "
        "không đánh giá, xếp loại: 1 đồng chí." in lines
    )
    assert "Chi bộ thôn Tây" not in lines
