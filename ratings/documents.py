"""The review and rating as Word files, in the HD 36 format of meetings/documents/word.py:

- a member's self-review (bản tự kiểm điểm cá nhân) on the form of HD 43-HD/BTCTW (31/10/2025)
  stored on the review (Mẫu 2A, 2B or 2C; brief §4.3), filled from the review, with dotted
  lines wherever nothing is stored so the member can finish it by hand; then the cell's
  opinion and the competent level's rating;
- the report of a cycle (Mẫu 01-style table): members per level with the share of those
  rated, the members not rated and why, and the collectives per level.

Levels are named as the cycle names them (ReviewCycle.level_name), so a 2016 report says
"Trong sạch, vững mạnh". A printed party document: Vietnamese data, not UI strings, so it is
not translated.

The shared writer has no place for a form code above the header nor for blocks after the
signature (the cell's opinion comes below the member's signature on the form), so
self_review_docx() adds them to the file word.write() produces.
"""

import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone, translation
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

from accounts.models import CELL_ROLES, Role, RoleAssignment
from meetings.documents import word
from meetings.documents.content import (
    BLANK,
    COMMUNE_WORDS,
    PLACE_WORDS,
    Doc,
    Heading,
    Para,
    Run,
    SignColumn,
    Table,
    cap_first,
    committee_name,
    long_date,
    p,
    paragraphs,
    percent,
    short_date,
    upper,
)
from organizations.models import Organization, OrgKind, subtree_q
from ratings.models import (
    LEVELS_DESC,
    Exclusion,
    FormType,
    MemberReview,
    OrganizationReview,
    ReviewCycle,
    ReviewStatus,
    RuleSet,
)

# A line of dots to write on by hand: about one line of 14 pt Times New Roman on A4.
DOTS = BLANK * 30
FORM_USE = {
    FormType.A: "(Dùng cho đảng viên giữ chức vụ lãnh đạo, quản lý)",
    FormType.B: "(Dùng cho đảng viên không giữ chức vụ lãnh đạo, quản lý, "
    "làm việc trong hệ thống chính trị)",
    FormType.C: "(Dùng cho đảng viên không làm việc trong hệ thống chính trị)",
}
EXCLUSION_VI = {
    Exclusion.EXEMPT: "Được miễn công tác và sinh hoạt đảng",
    Exclusion.SUSPENDED: "Đình chỉ sinh hoạt đảng",
    Exclusion.RECENTLY_ADMITTED: "Kết nạp chưa đủ 6 tháng tính đến cuối kỳ đánh giá",
}
# How the report cites the rules of the cycle (brief §4.1).
RULES_VI = {
    RuleSet.HD20_2008: "Hướng dẫn số 20-HD/BTCTW ngày 10/10/2008 và Hướng dẫn số 27-HD/BTCTW "
    "ngày 25/9/2014 của Ban Tổ chức Trung ương",
    RuleSet.QD132_2018: "Quy định số 132-QĐ/TW năm 2018",
    RuleSet.QD124_2023: "Quy định số 124-QĐ/TW ngày 04/10/2023 và Hướng dẫn số 25-HD/BTCTW "
    "ngày 10/11/2023",
    RuleSet.QD366_2025: "Quy định số 366-QĐ/TW ngày 30/8/2025 và Hướng dẫn số 43-HD/BTCTW "
    "ngày 31/10/2025",
}
ROLE_VI = {Role.SECRETARY: "Bí thư", Role.DEPUTY: "Phó Bí thư"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
SIGN_HINT = "(Ký, ghi rõ họ tên)"


@dataclass
class Signature:
    """A signature place on the right half of the page, inside the body."""

    titles: list[str]
    date_line: str = ""  # italic, above the titles
    name: str = ""
    kind: str = "sign"


@dataclass
class FormDoc(Doc):
    """A Doc with the form's code printed top right and blocks after the signature."""

    form_code: str = ""
    after: list = field(default_factory=list)


# ---- Vietnamese formatting ----------------------------------------------------------------


def period_text(cycle: ReviewCycle) -> str:
    """ "năm 2025" or "quý 2 năm 2025"."""
    if cycle.quarter:
        return f"quý {cycle.quarter} năm {cycle.year}"
    return f"năm {cycle.year}"


def score_text(value) -> str:
    """85.0 → "85", 82.5 → "82,5" (decimal comma)."""
    if value is None:
        return BLANK
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def _strip(name: str, prefixes) -> str:
    low = name.lower()
    for prefix in prefixes:
        if low.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def place(org: Organization, parent: Organization | None) -> str:
    """The place in the date line: the village a cell is named after, else the commune of the
    organization or of its parent ("Chi bộ thôn Đông" → "Thôn Đông", "Đảng bộ xã An Bình" →
    "Xã An Bình"), else dots."""
    for o in (org, parent):
        if o is None:
            continue
        rest = _strip(o.name, ("chi bộ", "đảng bộ", "đảng ủy"))
        if any(rest.lower().startswith(w + " ") for w in PLACE_WORDS + COMMUNE_WORDS):
            return cap_first(rest)
    return BLANK


def committee(org: Organization | None) -> str:
    """The committee that signs for an organization: "Đảng bộ xã An Bình" → "Đảng ủy xã An
    Bình", "Đảng bộ tỉnh Thử Nghiệm" → "Tỉnh ủy Thử Nghiệm"."""
    if org is not None:
        low = org.name.lower()
        for prefix, title in (("đảng bộ tỉnh ", "Tỉnh ủy "), ("đảng bộ thành phố ", "Thành ủy ")):
            if low.startswith(prefix):
                return title + org.name[len(prefix) :]
    return committee_name(org)


def _text(value: str) -> list[Para]:
    """Free text as typed, or two dotted lines to fill by hand."""
    return paragraphs(value) or dotted()


def dotted(lines: int = 2) -> list[Para]:
    return [p(DOTS, style="item") for _ in range(lines)]


def _sub(text: str) -> Para:
    return p(Run(text, b=True), style="item")


def _line(label: str, value: str) -> Para:
    return p(Run(label, b=True), value or BLANK, style="item")


# ---- the self-review ------------------------------------------------------------------------


def form_code(review: MemberReview) -> str:
    """ "Mẫu 2C-HD KĐ.ĐG 2025" under HD 43, else "Mẫu 2C"."""
    code = f"Mẫu {review.form_type}"
    return f"{code}-HD KĐ.ĐG 2025" if review.cycle.rule_set == RuleSet.QD366_2025 else code


def review_filename(review: MemberReview) -> str:
    return f"Bản tự kiểm điểm {period_text(review.cycle)} - {review.member.person.full_name}"


def party_post(review: MemberReview) -> str:
    """The member's cell posts at the end of the period (or today): "Bí thư Chi bộ thôn Đông"."""
    day = min(review.cycle.period_end, timezone.localdate())
    roles = (
        RoleAssignment.objects.active(day)
        .filter(user__member=review.member_id, role__in=CELL_ROLES)
        .select_related("organization")
        .order_by("-role", "organization__path")
    )
    return "; ".join(
        f"{ROLE_VI[ra.role]} {ra.organization.name}" if ra.organization_id else ROLE_VI[ra.role]
        for ra in roles
    )


def _exclusion(review: MemberReview) -> str:
    if review.exclusion in EXCLUSION_VI:
        return EXCLUSION_VI[review.exclusion]
    with translation.override("vi"):
        return review.get_exclusion_display()


def _sections(review: MemberReview) -> list[tuple[str, list]]:
    """(heading, blocks) of the form's sections, unnumbered: 2B and 2C have no V of 2A."""
    leader = review.form_type == FormType.A
    in_system = review.form_type != FormType.C
    cycle = review.cycle
    first = [
        _sub(
            "1. Về tư tưởng chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật; "
            "tác phong, lề lối làm việc"
        ),
        *_text(review.strengths),
        _sub(
            "2. Kết quả thực hiện chức trách, nhiệm vụ được giao"
            if in_system
            else "2. Kết quả thực hiện nhiệm vụ đảng viên và nhiệm vụ được chi bộ phân công"
        ),
        *_text(review.results),
    ]
    n = 3
    if leader:
        first += [
            _sub(
                "3. Kết quả lãnh đạo, quản lý, điều hành lĩnh vực, địa phương, cơ quan, đơn vị "
                "được giao phụ trách; trách nhiệm nêu gương"
            ),
            *dotted(),
        ]
        n = 4
    first += [_sub(f"{n}. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu"), *dotted()]
    rating = []
    if review.status == ReviewStatus.EXCLUDED:
        rating.append(_line("Không đánh giá, xếp loại chất lượng: ", _exclusion(review) + "."))
    else:
        if cycle.is_scored:
            score = score_text(review.self_score)
            rating.append(_line("Tự chấm điểm: ", f"{score} điểm (thang điểm 100)."))
        rating.append(_line("Xếp loại chất lượng đảng viên: ", cycle.level_name(review.self_level)))
    sections = [
        ("ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC", first),
        ("HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN", _text(review.shortcomings)),
        (
            "KẾT QUẢ KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT LUẬN HOẶC ĐƯỢC "
            "CHỈ RA Ở CÁC KỲ KIỂM ĐIỂM TRƯỚC",
            dotted(),
        ),
        ("GIẢI TRÌNH NHỮNG VẤN ĐỀ ĐƯỢC GỢI Ý KIỂM ĐIỂM (NẾU CÓ)", dotted()),
    ]
    if leader:
        sections.append(
            (
                "LÀM RÕ TRÁCH NHIỆM CỦA CÁ NHÂN ĐỐI VỚI NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM CỦA TẬP THỂ "
                "(NẾU CÓ)",
                dotted(),
            )
        )
    sections += [
        ("PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM", _text(review.remedies)),
        ("TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG", rating),
    ]
    return sections


def _opinions(review: MemberReview) -> list:
    """The cell's opinion and the competent level's rating, below the member's signature."""
    cycle = review.cycle
    if review.votes_eligible:
        share = percent(100 * (review.votes_for or 0) / review.votes_eligible)
        votes = f"{review.votes_for or 0}/{review.votes_eligible} đảng viên tán thành ({share})."
    else:
        votes = f"{BLANK}/{BLANK} đảng viên tán thành."
    cell = [
        Heading("Ý KIẾN NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ"),
        *_text(review.cell_comment),
    ]
    if cycle.is_scored:
        cell.append(_line("Chi bộ chấm điểm: ", f"{score_text(review.score)} điểm."))
    cell += [
        _line("Chi bộ đề nghị xếp loại: ", cycle.level_name(review.cell_level)),
        _line("Kết quả biểu quyết: ", votes),
        Signature(
            ["T/M CHI BỘ"], date_line=f"{place(review.cell, None)}, {long_date(review.proposed_on)}"
        ),
        Heading("XẾP LOẠI CỦA CẤP CÓ THẨM QUYỀN"),
        _line("Xếp loại chất lượng đảng viên: ", cycle.level_name(review.decided_level)),
        _line("Quyết định, ghi chú: ", review.decision_note),
        _line("Ngày quyết định: ", short_date(review.decided_on)),
        Signature(["T/M CHI BỘ" if cycle.organization.is_cell else "T/M ĐẢNG ỦY"]),
    ]
    return cell


def self_review_doc(review: MemberReview) -> FormDoc:
    """The member's self-review on their form, filled from `review` (loaded with its cycle,
    member and cell)."""
    cycle, person, cell = review.cycle, review.member.person, review.cell
    parent = cell.parent_org()
    body: list = [
        p(Run(FORM_USE.get(review.form_type, ""), i=True), style="center"),
        _line("Họ và tên: ", person.full_name),
        _line("Ngày sinh: ", short_date(person.birth_date)),
        _line("Chức vụ đảng: ", party_post(review)),
        _line("Chức vụ chính quyền, đoàn thể; công việc hiện nay: ", DOTS),
        _line("Chi bộ: ", cell.name + (f", {parent.name}" if parent else "")),
    ]
    for n, (title, blocks) in enumerate(_sections(review)):
        body.append(Heading(f"{ROMAN[n]}. {title}"))
        body += blocks
    return FormDoc(
        kind="self_review",
        anchor=f"r-{review.uuid}",
        upper_body=upper(parent.name) if parent else "",
        issuer=upper(cell.name),
        number="",
        place_date=f"{place(cell, parent)}, {long_date(review.self_reviewed_on)}",
        doc_type="BẢN TỰ KIỂM ĐIỂM CÁ NHÂN",
        summary=f"Kiểm điểm {period_text(cycle)}",
        draft=review.self_reviewed_on is None,
        body=body,
        left=SignColumn(),
        right=SignColumn(titles=["NGƯỜI TỰ KIỂM ĐIỂM", SIGN_HINT], name=person.full_name),
        date=review.self_reviewed_on,
        form_code=form_code(review),
        after=_opinions(review),
    )


# ---- writing the form -------------------------------------------------------------------------


def _sign(document, block: Signature):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell in table.rows[0].cells:
        cell.width = Mm(word.TEXT_WIDTH_MM / 2)
    right = table.rows[0].cells[1]
    lines = [(block.date_line, False)] if block.date_line else []
    lines += [(t, True) for t in block.titles] + [("", False)] * 3 + [(block.name, True)]
    for n, (text, bold) in enumerate(lines):
        par = right.paragraphs[0] if n == 0 else right.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        par.paragraph_format.space_after = Pt(0)
        word.run(par, text, 14, b=bold, i=not bold)


def _blocks(document, blocks: list):
    for block in blocks:
        if isinstance(block, Heading):
            par = word.para(document, WD_ALIGN_PARAGRAPH.LEFT, before=12, after=3)
            par.paragraph_format.keep_with_next = True
            word.run(par, block.text, 14, b=True)
        elif isinstance(block, Signature):
            _sign(document, block)
        elif isinstance(block, Para):
            par = word.para(document, WD_ALIGN_PARAGRAPH.JUSTIFY, after=3, indent=Cm(0.5))
            par.paragraph_format.line_spacing = 1.15
            for r in block.runs:
                word.run(par, r.text, 14, b=r.b, i=r.i)


def write_form(doc: FormDoc) -> bytes:
    document = Document(io.BytesIO(word.write([doc])))
    if doc.form_code:
        par = word.para(document, WD_ALIGN_PARAGRAPH.RIGHT, after=3)
        word.run(par, doc.form_code, 13, b=True)
        document.element.body.insert(0, par._p)  # above everything, top right
    # "(Ký, ghi rõ họ tên)" is a hint: italic, not bold like the title above it.
    for cell in document.tables[-1].rows[0].cells:
        for par in cell.paragraphs:
            for r in par.runs:
                if r.text == SIGN_HINT:
                    r.font.bold, r.font.italic = None, True
    _blocks(document, doc.after)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def self_review_docx(review: MemberReview) -> bytes:
    return write_form(self_review_doc(review))


# ---- the report of a cycle ------------------------------------------------------------------


def cycle_filename(cycle: ReviewCycle, org: Organization | None = None) -> str:
    org = org or cycle.organization
    return f"Báo cáo đánh giá, xếp loại chất lượng {period_text(cycle)} - {org.name}"


def _share(n: int, total: int) -> str:
    return percent(100 * n / total) if total else BLANK


def _member_blocks(cycle: ReviewCycle, org: Organization) -> list:
    """Members per decided level and the ones not rated, from one grouped query."""
    grouped = (
        MemberReview.objects.filter(subtree_q(org.path, "cell__"), cycle=cycle)
        .values("status", "decided_level", "exclusion")
        .annotate(n=Count("pk"))
        .order_by()
    )
    levels, excluded = Counter(), Counter()
    total = 0
    for g in grouped:
        total += g["n"]
        if g["status"] == ReviewStatus.EXCLUDED:
            excluded[g["exclusion"]] += g["n"]
        else:
            levels[g["decided_level"]] += g["n"]
    rated = total - sum(excluded.values())
    rows = [
        [str(n), cycle.level_name(lv), str(levels[lv]), _share(levels[lv], rated)]
        for n, lv in enumerate(LEVELS_DESC, 1)
    ]
    if levels[""]:
        rows.append(["", "Chưa có quyết định xếp loại", str(levels[""]), _share(levels[""], rated)])
    rows.append(["", "Cộng", str(rated), _share(rated, rated)])
    blocks = [
        p(
            f"Tổng số đảng viên: {total} đồng chí; được đánh giá, xếp loại: {rated} đồng chí; "
            f"không đánh giá, xếp loại: {total - rated} đồng chí."
        ),
        p(Run("Kết quả xếp loại (tỷ lệ trên số đảng viên được đánh giá, xếp loại):", i=True)),
        Table(["TT", "Mức xếp loại", "Số đảng viên", "Tỷ lệ"], rows, [8, 56, 18, 18]),
    ]
    if excluded:
        with translation.override("vi"):
            reasons = [
                EXCLUSION_VI.get(reason) or str(Exclusion(reason).label)
                for reason in sorted(excluded)
            ]
        blocks += [
            p(Run("Đảng viên không đánh giá, xếp loại và lý do:", i=True)),
            Table(
                ["TT", "Lý do", "Số đảng viên"],
                [
                    [str(n), text, str(excluded[reason])]
                    for n, (reason, text) in enumerate(
                        zip(sorted(excluded), reasons, strict=True), 1
                    )
                ],
                [8, 74, 18],
            ),
        ]
    return blocks


def _collective_blocks(cycle: ReviewCycle, org: Organization) -> list:
    collectives = list(
        OrganizationReview.objects.filter(subtree_q(org.path, "organization__"), cycle=cycle)
        .select_related("organization")
        .order_by("organization__path")
    )
    if not collectives:
        return [p("Không có tập thể được đánh giá, xếp loại trong kỳ.")]
    levels = Counter(o.decided_level for o in collectives)
    total = len(collectives)
    rows = [
        [
            str(n),
            cycle.level_name(lv, "organization"),
            str(levels[lv]),
            _share(levels[lv], total),
        ]
        for n, lv in enumerate(LEVELS_DESC, 1)
    ]
    if levels[""]:
        rows.append(["", "Chưa có quyết định xếp loại", str(levels[""]), _share(levels[""], total)])
    rows.append(["", "Cộng", str(total), _share(total, total)])
    listing = [
        [
            str(n),
            o.organization.name,
            score_text(o.score) if o.score is not None else "",
            cycle.level_name(o.decided_level, "organization") or "Chưa có quyết định",
        ]
        for n, o in enumerate(collectives, 1)
    ]
    header = ["TT", "Tổ chức đảng", "Điểm" if cycle.is_scored else "", "Xếp loại"]
    return [
        p(f"Tổng số tập thể được đánh giá, xếp loại: {total}."),
        Table(["TT", "Mức xếp loại", "Số tập thể", "Tỷ lệ"], rows, [8, 56, 18, 18]),
        p(Run("Xếp loại của từng tập thể:", i=True)),
        Table(header, listing, [8, 50, 12, 30]),
    ]


def collective_doc(cycle: ReviewCycle, org: Organization | None = None) -> Doc:
    """The report of a cycle for `org` (the cycle's organization or one inside it): members and
    collectives per level. Three queries however many members (grouped counts, the collectives,
    the parent's name)."""
    org = org or cycle.organization
    parent = org.parent_org()
    issuer = org.name if org.is_cell else committee(org)
    # HD 36 symbols: CB for a cell, TU for the province's committee, ĐU for the others.
    if org.is_cell:
        abbr, signs_for = "CB", "CHI BỘ"
    elif org.kind == OrgKind.PROVINCE:
        abbr, signs_for = "TU", "TỈNH ỦY"
    else:
        abbr, signs_for = "ĐU", "ĐẢNG ỦY"
    body = [
        p(
            f"Thực hiện {RULES_VI.get(cycle.rule_set, BLANK)}, {issuer} báo cáo kết quả đánh giá, "
            f"xếp loại chất lượng tổ chức đảng và đảng viên {period_text(cycle)} như sau:"
        ),
        Heading("I. ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN"),
        *_member_blocks(cycle, org),
        Heading("II. ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TẬP THỂ"),
        *_collective_blocks(cycle, org),
    ]
    return Doc(
        kind="rating_report",
        anchor=f"c-{cycle.uuid}-{org.uuid}",
        upper_body=upper(parent.name) if parent else "",
        issuer=upper(issuer),
        number=f"Số      -BC/{abbr}",
        place_date=f"{place(org, parent)}, {long_date(cycle.closed_on)}",
        doc_type="BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
        summary=f"tổ chức đảng và đảng viên {period_text(cycle)}",
        draft=cycle.is_open,
        body=body,
        left=SignColumn(
            recipients=[
                f"- {committee(parent)} (b/c);" if parent else "- Cấp ủy cấp trên;",
                "- Lưu.",
            ]
        ),
        right=SignColumn(titles=[f"T/M {signs_for}", "BÍ THƯ"]),
        date=cycle.closed_on,
    )


def collective_docx(cycle: ReviewCycle, org: Organization | None = None) -> bytes:
    return word.write([collective_doc(cycle, org)])
