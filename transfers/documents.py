"""The transfer data sheet as a Word file: the data of the introduction letter (giấy giới
thiệu sinh hoạt đảng, HD 12-HD/BTCTW 2022 §4.2–4.3) in the HD 36 format of
meetings/documents/word.py, to check against the printed letter or to copy it into the letter
book. A printed party document: Vietnamese data, not UI strings, so it is not translated.
"""

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
from transfers.models import LetterType, Transfer, TransferKind, TransferReason

KIND_VI = {TransferKind.OFFICIAL: "Chính thức", TransferKind.TEMPORARY: "Tạm thời"}
LETTER_VI = {
    LetterType.OFFICIAL_10: "Giấy giới thiệu sinh hoạt đảng chính thức (10 ô)",
    LetterType.TEMPORARY_8: "Giấy giới thiệu sinh hoạt đảng tạm thời (8 ô)",
    LetterType.OTHER: "Giấy giới thiệu khác",
}
REASON_VI = {
    TransferReason.JOB: "Chuyển công tác",
    TransferReason.RETIREMENT: "Nghỉ hưu",
    TransferReason.LOST_CAPACITY: "Nghỉ mất sức",
    TransferReason.RESIGNATION: "Thôi việc",
    TransferReason.DEMOBILISATION: "Xuất ngũ",
    TransferReason.RESIDENCE: "Thay đổi nơi cư trú",
    TransferReason.STUDY: "Đi học tập trung",
    TransferReason.OTHER: "Lý do khác",
}


def filename(transfer: Transfer) -> str:
    return f"Phiếu chuyển sinh hoạt đảng - {transfer.member_name}"


def _month(d) -> str:
    return f"tháng {d.month:02d}/{d.year}" if d else BLANK


def transfer_doc(transfer: Transfer) -> Doc:
    member = transfer.member
    person = member.person if member is not None else None
    sender = transfer.from_org
    parent = sender.parent_org() if sender is not None else None
    reason = REASON_VI.get(transfer.reason, BLANK)
    if transfer.reason_detail:
        reason += f" ({transfer.reason_detail})"
    rows = [
        ["Họ và tên đảng viên", transfer.member_name],
        ["Ngày sinh", short_date(person.birth_date) if person else BLANK],
        ["Số lý lịch đảng viên", (member.dossier_no if member else "") or BLANK],
        ["Số thẻ đảng viên", (member.card_no if member else "") or BLANK],
        ["Ngày vào Đảng", short_date(member.ceremony_date) if member else BLANK],
        ["Ngày chính thức", short_date(member.official_date) if member else BLANK],
        ["Hình thức chuyển", KIND_VI.get(transfer.kind, BLANK)],
        ["Lý do chuyển", reason],
        ["Nơi đang sinh hoạt", transfer.sender_name or BLANK],
        ["Nơi chuyển đến", transfer.receiver_name or BLANK],
        ["Loại giấy giới thiệu", LETTER_VI.get(transfer.letter_type, BLANK)],
        ["Số giấy giới thiệu", transfer.letter_no or BLANK],
        ["Số đăng ký (sổ giới thiệu sinh hoạt đảng)", transfer.register_no or BLANK],
        ["Ngày cấp", short_date(transfer.letter_issued_on)],
        ["Cấp ủy cấp giấy", transfer.letter_issued_by or BLANK],
        ["Đã đóng đảng phí đến hết", _month(transfer.dues_paid_until)],
        ["Hạn xuất trình giấy giới thiệu", short_date(transfer.present_due)],
    ]
    if transfer.kind == TransferKind.TEMPORARY:
        rows.append(["Sinh hoạt tạm thời đến", short_date(transfer.end_date)])
    if transfer.received_on:
        rows.append(["Ngày nơi đến tiếp nhận", short_date(transfer.received_on)])
    return Doc(
        kind="transfer_sheet",
        anchor=f"t-{transfer.uuid}",
        upper_body=upper(parent.name) if parent is not None else "",
        issuer=upper(transfer.sender_name) or "CẤP ỦY",
        number=f"Số {transfer.letter_no}" if transfer.letter_no else "Số …",
        place_date=f"{BLANK}, {long_date(transfer.letter_issued_on)}",
        doc_type="PHIẾU THÔNG TIN CHUYỂN SINH HOẠT ĐẢNG",
        summary=f"của đồng chí {transfer.member_name}",
        draft=not transfer.letter_issued_on,
        body=[
            Heading("Thông tin giấy giới thiệu sinh hoạt đảng"),
            Table(header=["Nội dung", "Thông tin"], rows=rows, widths=[45, 55]),
        ],
        left=SignColumn(recipients=["- Như trên;", "- Lưu hồ sơ đảng viên."]),
        right=SignColumn(titles=["T/M CẤP ỦY"], name=""),
        date=transfer.letter_issued_on,
    )


def transfer_docx(transfer: Transfer) -> bytes:
    return word.write([transfer_doc(transfer)])
