"""The annual residence comment as a Word file (phiếu nhận xét đảng viên đang công tác nơi cư
trú, QĐ 213-QĐ/TW and HD 33-HD/BTCTW), in the HD 36 format of meetings/documents/word.py.

Filled from the year's AnnualComment when it exists, else a blank form with the member's data
to fill by hand at the joint meeting with the village Front work committee. A printed party
document: Vietnamese data, not UI strings, so it is not translated.
"""

import datetime as dt

from liaison.models import CRITERIA, AnnualComment, Level3, Overall, ResidenceLiaison
from meetings.documents import word
from meetings.documents.content import (
    BLANK,
    Doc,
    Heading,
    SignColumn,
    Table,
    cap_first,
    long_date,
    p,
    paragraphs,
    short_date,
    upper,
)

# The wording on the printed form (the model's labels are English msgids).
CRITERIA_VI = {
    "exemplary": "Gương mẫu về phẩm chất chính trị, đạo đức, lối sống trước nhân dân nơi cư trú",
    "policies": (
        "Chấp hành và vận động gia đình, nhân dân thực hiện đường lối của Đảng, chính sách, "
        "pháp luật của Nhà nước và quy định của địa phương"
    ),
    "contact": "Giữ mối liên hệ thường xuyên với chi ủy và dự các buổi sinh hoạt liên hệ",
    "activities": "Tham gia các hoạt động, phong trào ở khu dân cư",
    "people": "Gần gũi nhân dân, phản ánh tâm tư, nguyện vọng của nhân dân",
    "citizen_duties": "Thực hiện nghĩa vụ công dân nơi cư trú",
}
LEVEL_VI = {
    Level3.WELL: "Thực hiện tốt",
    Level3.DONE: "Thực hiện",
    Level3.NOT_YET: "Chưa thực hiện",
}
OVERALL_VI = {
    Overall.GOOD: "Thực hiện tốt nhiệm vụ đảng viên nơi cư trú",
    Overall.NOT_GOOD: "Chưa thực hiện tốt nhiệm vụ đảng viên nơi cư trú",
}
BOX, CHECKED = "☐", "☒"


def filename(liaison: ResidenceLiaison, year: int) -> str:
    """The file name without extension, in Vietnamese."""
    return f"Phiếu nhận xét nơi cư trú {year} - {liaison.member.person.full_name}"


def comment_doc(liaison: ResidenceLiaison, year: int, comment: AnnualComment | None) -> Doc:
    member, person = liaison.member, liaison.member.person
    cell = liaison.residence_cell
    place = liaison.residence_village.name if liaison.residence_village_id else BLANK
    day = comment.commented_on if comment else None
    rows = []
    for n, (field, _label) in enumerate(CRITERIA, start=1):
        answer = getattr(comment, field) if comment else None
        rows.append(
            [
                str(n),
                CRITERIA_VI[field],
                *(CHECKED if answer == level else BOX for level in LEVEL_VI),
            ]
        )
    overall = (
        [p(f"{CHECKED if comment.overall == o else BOX} {text}") for o, text in OVERALL_VI.items()]
        if comment
        else [p(f"{BOX} {text}") for text in OVERALL_VI.values()]
    )
    body = [
        p("Họ và tên đảng viên: ", person.full_name),
        p(f"Ngày sinh: {short_date(person.birth_date)}"),
        p(
            "Sinh hoạt tại: ",
            (member.organization.name if member.organization_id else BLANK)
            + (f" ({liaison.workplace_cell.name})" if liaison.workplace_cell_id else ""),
        ),
        p(f"Nơi cư trú: {person.residence or place}"),
        p(
            "Chi bộ nơi cư trú: ",
            cell.name if cell else BLANK,
            f"; {liaison.residence_commune.name}" if liaison.residence_commune_id else "",
        ),
        Heading("I. NHẬN XÉT VIỆC THỰC HIỆN NHIỆM VỤ CỦA ĐẢNG VIÊN NƠI CƯ TRÚ"),
        Table(
            header=["TT", "Nội dung", *LEVEL_VI.values()],
            rows=rows,
            widths=[7, 51, 14, 14, 14],
        ),
        Heading("II. Ý KIẾN KHÁC"),
        *(paragraphs(comment.other_comments) if comment and comment.other_comments else [p(BLANK)]),
        Heading("III. ĐÁNH GIÁ CHUNG"),
        *overall,
        Heading("IV. Ý KIẾN CỦA BAN CÔNG TÁC MẶT TRẬN"),
        *(paragraphs(comment.front_opinion) if comment and comment.front_opinion else [p(BLANK)]),
    ]
    return Doc(
        kind="liaison_comment",
        anchor=f"c-{liaison.uuid}-{year}",
        upper_body=upper(liaison.residence_commune.name) if liaison.residence_commune_id else "",
        issuer=upper(cell.name) if cell else "CHI BỘ NƠI CƯ TRÚ",
        number="Số …",
        place_date=f"{cap_first(place)}, {long_date(day)}",
        doc_type="PHIẾU NHẬN XÉT",
        summary=f"đảng viên đang công tác giữ mối liên hệ với chi ủy, đảng ủy và nhân dân "
        f"nơi cư trú năm {year}",
        draft=False,
        body=body,
        left=SignColumn(
            titles=["T/M BAN CÔNG TÁC MẶT TRẬN", "TRƯỞNG BAN"],
            name=comment.front_head if comment and comment.front_head else "",
        ),
        right=SignColumn(
            titles=["T/M CHI ỦY", "BÍ THƯ"],
            name=comment.signed_by if comment and comment.signed_by else "",
        ),
        date=day,
    )


def comment_docx(liaison: ResidenceLiaison, year: int) -> bytes:
    comment = liaison.comments.filter(year=year).first()
    return word.write([comment_doc(liaison, year, comment)])


def default_year(liaison: ResidenceLiaison, today: dt.date) -> int:
    """The latest commented year, else this year."""
    latest = liaison.comments.order_by("-year").values_list("year", flat=True).first()
    return latest or today.year
