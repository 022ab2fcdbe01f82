"""Vietnamese for the seed_demo summary of the member-life records (demo/member_life.py)."""

T = {
    "%(candidates)s admission candidates (%(admitted)s admitted in 2025); %(transfers)s completed transfers and %(open)s in progress; %(liaisons)s residence liaisons (%(received)s received, %(comments)s comments for 2025); %(decisions)s status decisions, %(cards)s card issues, %(badges)s party badges.": "%(candidates)s hồ sơ phát triển đảng viên (%(admitted)s đã kết nạp trong năm 2025); %(transfers)s lượt chuyển sinh hoạt đảng chính thức đã hoàn tất và %(open)s đang thực hiện; %(liaisons)s đảng viên giới thiệu sinh hoạt nơi cư trú (%(received)s đã được tiếp nhận, %(comments)s bản nhận xét năm 2025); %(decisions)s quyết định về tình trạng đảng viên, %(cards)s lượt phát thẻ đảng viên, %(badges)s huy hiệu Đảng.",
}
