"""One member's line of the member register (sổ danh sách đảng viên, Mẫu 7-HSĐV; brief §5.8)
as a Word file in the HD 36 format of meetings/documents/word.py: the register's 14 columns,
one per row, so the sheet can be checked against the book at the quarterly reconciliation.

Transfers and badges are read through the member's reverse relations (member.transfers,
member.badge_awards), so this module does not import the apps that depend on members.
A printed party document: Vietnamese data, not UI strings, so it is not translated; the
choice labels are read with Vietnamese active.
"""

from django.utils import translation

from meetings.documents import word
from meetings.documents.content import (
    BLANK,
    Doc,
    Heading,
    SignColumn,
    Table,
    long_date,
    short_date,
    upper,
)
from members.models import LeftReason, Member, MemberStatus

LEFT_VI = {
    LeftReason.STRIKE_OFF: "Xóa tên",
    LeftReason.EXPULSION: "Khai trừ",
    LeftReason.WITHDRAWAL: "Xin ra khỏi Đảng",
    LeftReason.DEATH: "Từ trần",
    LeftReason.PROBATION_REMOVED: "Xóa tên trong danh sách đảng viên dự bị",
}


def filename(member: Member) -> str:
    return f"Sổ danh sách đảng viên (Mẫu 7-HSĐV) - {member.person.full_name}"


def _join(*parts) -> str:
    return "; ".join(p for p in parts if p) or BLANK


def _transfers(member: Member):
    """(out, in): the completed official transfers out of and into the system's cells."""
    done = [t for t in member.transfers.all() if t.status == "completed" and t.kind == "official"]
    out = [f"{short_date(t.effective_on)}: đến {t.receiver_name}" for t in done if t.from_org_id]
    came = [f"{short_date(t.effective_on)}: từ {t.sender_name}" for t in done if t.to_org_id]
    return _join(*out), _join(*came)


def register_doc(member: Member, today) -> Doc:
    person = member.person
    cell = member.organization
    parent = cell.parent_org() if cell is not None else None
    badges = [b.badge_no for b in member.badge_awards.all() if b.badge_no]
    moved_out, moved_in = _transfers(member)
    left = member.status == MemberStatus.LEFT
    died = left and member.left_reason == LeftReason.DEATH
    with translation.override("vi"):
        rows = [
            ["1", "Số thứ tự", BLANK],
            [
                "2",
                "Họ và tên đang dùng; họ và tên khai sinh",
                _join(person.full_name, person.birth_name),
            ],
            [
                "3",
                "Giới tính; dân tộc; tôn giáo",
                _join(
                    person.get_sex_display(),
                    person.get_ethnicity_display(),
                    person.get_religion_display() if person.religion else "Không",
                ),
            ],
            ["4", "Quê quán", person.native_place or BLANK],
            [
                "5",
                "Giáo dục phổ thông; lý luận chính trị; chuyên môn, nghiệp vụ; ngoại ngữ",
                _join(
                    person.get_general_education_display() if person.general_education else "",
                    person.get_political_theory_display() if person.political_theory else "",
                    _join(person.get_qualification_display(), person.qualification_detail)
                    if person.qualification
                    else "",
                ),
            ],
            ["6", "Nghề nghiệp trước khi vào Đảng; hiện nay", BLANK],
            [
                "7",
                "Ngày vào Đảng; ngày chính thức",
                _join(short_date(member.ceremony_date), short_date(member.official_date)),
            ],
            [
                "8",
                "Số thẻ đảng viên; số lý lịch; số huy hiệu Đảng",
                _join(member.card_no, member.dossier_no, *badges),
            ],
            ["9", "Quân đội, công an; nghỉ hưu", BLANK],
            ["10", "Ngày chuyển đi, nơi chuyển đến", moved_out],
            ["11", "Ngày chuyển đến, nơi chuyển đi", moved_in],
            ["12", "Ngày từ trần", short_date(member.status_date) if died else BLANK],
            [
                "13",
                "Ngày và hình thức ra khỏi Đảng",
                _join(short_date(member.status_date), LEFT_VI.get(member.left_reason, ""))
                if left and not died
                else BLANK,
            ],
            ["14", "Ghi chú", member.status_note or BLANK],
        ]
    return Doc(
        kind="member_register",
        anchor=f"r-{member.uuid}",
        upper_body=upper(parent.name) if parent is not None else "",
        issuer=upper(cell.name) if cell is not None else "CHI BỘ",
        number="Mẫu 7-HSĐV",
        place_date=f"{BLANK}, {long_date(today)}",
        doc_type="SỔ DANH SÁCH ĐẢNG VIÊN",
        summary=f"Đồng chí {person.full_name}",
        draft=False,
        body=[
            Heading("Các cột của sổ danh sách đảng viên"),
            Table(header=["Cột", "Nội dung", "Thông tin"], rows=rows, widths=[9, 41, 50]),
        ],
        left=SignColumn(recipients=["- Lưu hồ sơ đảng viên."]),
        right=SignColumn(titles=["T/M CHI ỦY", "BÍ THƯ"], name=""),
        date=today,
    )


def register_docx(member: Member, today) -> bytes:
    return word.write([register_doc(member, today)])
