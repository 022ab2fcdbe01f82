# Vietnamese translations of the API for the member's-life apps (admissions, transfers,
# lifecycle, liaison): only the messages the API adds; the steps' own come from the apps.
T = {
    "Choose one of the next award dates: %(dates)s.": "Hãy chọn một trong các đợt trao tặng Huy hiệu Đảng sắp tới: %(dates)s.",
}
