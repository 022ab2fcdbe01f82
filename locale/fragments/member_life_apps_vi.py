"""Vietnamese for the app names registered by the lead (each app keeps its own fragment)."""

T = {
    "Admissions": "Kết nạp đảng viên",
    "Transfers of party activity": "Chuyển sinh hoạt đảng",
    "Member status, cards and badges": "Tình trạng đảng viên, thẻ và huy hiệu",
    "Residence liaison (QĐ 213)": "Đảng viên đang công tác giữ mối liên hệ với nơi cư trú (QĐ 213)",
}
