# Vietnamese translations of where a member's record was read (audit/models.py WHAT_LABELS,
# templates/audit/_entries.html) and the CSP report endpoint (chibo/security.py).
T = {
    "the member page": "trang hồ sơ đảng viên",
    "the API": "giao diện lập trình (API)",
    "the party member register sheet (Word)": "phiếu đảng viên trong sổ đảng viên (Word)",
    "a transfer": "hồ sơ chuyển sinh hoạt đảng",
    "the transfer data sheet (Word)": "phiếu thông tin chuyển sinh hoạt đảng (Word)",
    "a residence liaison": "hồ sơ giới thiệu sinh hoạt nơi cư trú",
    "the residence liaison comment form (Word)": "phiếu nhận xét đảng viên nơi cư trú (Word)",
    "an annual rating review": "kiểm điểm, đánh giá xếp loại hằng năm",
    "the annual self-review form (Word)": "bản tự kiểm điểm hằng năm (Word)",
    "the membership history page": "trang quá trình sinh hoạt đảng",
    "a party member list export (Excel)": "danh sách đảng viên được xuất ra Excel",
    "through %(what)s": "qua %(what)s",
}
