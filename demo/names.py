"""Vocabulary for the demo data: people's names, place names and unit names.

Family-name weights follow published frequency estimates for Vietnam (Nguyễn ≈ 38 %,
Trần 11 %, Lê 9.5 % …); minority peoples of the northern mountains get their own
family names. Given names are listed roughly from most to least common and picked
with Zipf-like weights, so the same full name recurs across cells as it does in real
registers. Place and unit names are fictional combinations in the local style.
"""

import bisect
import itertools


class Weighted:
    """A weighted choice drawn from a `random.Random`, with cumulative weights precomputed."""

    def __init__(self, items):
        items = list(items)
        self.values = [v for v, _ in items]
        self.cum = list(itertools.accumulate(w for _, w in items))
        self.total = self.cum[-1]

    def pick(self, rng):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


def zipf(words: str, exponent: float = 0.5) -> Weighted:
    """Words listed from most to least common, weighted 1/rankᵉ."""
    return Weighted((w, 1 / (i + 1) ** exponent) for i, w in enumerate(words.split(",")))


def table(spec: str) -> Weighted:
    """'Nguyễn 38, Trần 11' → weighted choice."""
    items = []
    for part in spec.split(","):
        name, weight = part.strip().rsplit(" ", 1)
        items.append((name, float(weight)))
    return Weighted(items)


# ---- people --------------------------------------------------------------------

KINH_FAMILY = table(
    "Nguyễn 38, Trần 11, Lê 9.5, Phạm 7, Hoàng 5, Phan 4.5, Vũ 3, Huỳnh 2, Võ 2, Đặng 2, "
    "Bùi 2, Đỗ 1.4, Hồ 1.3, Ngô 1.3, Dương 1, Lý 0.5, Đinh 0.6, Trịnh 0.6, Đào 0.5, Hà 0.5, "
    "Mai 0.4, Lương 0.4, Đoàn 0.4, Chu 0.3, Cao 0.3, Tạ 0.3, Lâm 0.3, Phùng 0.3, Tô 0.2, "
    "Vương 0.2, Triệu 0.2, Lại 0.2, Kiều 0.1, Quách 0.1, Tăng 0.1, Nghiêm 0.1, Thái 0.1, "
    "La 0.1, Tống 0.1, Khổng 0.05"
)

# Keyed by ethnicity code (lib.vn.ETHNICITIES).
FAMILY = {
    "01": KINH_FAMILY,
    "02": table(  # Tày
        "Hoàng 20, Nông 15, Lương 8, Triệu 6, Lục 6, Ma 6, Đàm 5, Hà 6, Nguyễn 6, La 4, Bế 4, "
        "Lý 4, Đinh 3, Hứa 3, Sầm 2, Lộc 2, Phùng 2, Lâm 2, Mông 1, Ngôn 1, Ninh 1"
    ),
    "07": table(  # Nùng
        "Hoàng 18, Nông 14, Lương 8, Lý 6, Triệu 6, Lăng 5, Chu 5, Vi 5, Hứa 5, Lục 5, Mã 4, "
        "Đàm 4, Nguyễn 4, Sầm 3, Mông 3, Lô 2"
    ),
    "09": table("Triệu 30, Bàn 20, Đặng 18, Lý 12, Phùng 8, Chảo 5, Dương 4, Trần 3"),  # Dao
    "08": table(  # HMông
        "Giàng 20, Lý 15, Vàng 15, Sùng 12, Thào 10, Mùa 8, Hầu 6, Lầu 5, Hờ 3, Chá 2, "
        "Tráng 2, Lồ 2"
    ),
    "03": table("Lò 25, Lường 15, Cầm 12, Hà 10, Quàng 10, Tòng 8, Vi 8, Điêu 5, Lù 4, Sa 3"),
    "06": table("Bùi 40, Đinh 25, Quách 10, Hà 10, Xa 5, Cao 5, Nguyễn 5"),  # Mường
}

_KINH_MIDDLE_M = table(
    "Văn 35, Đức 6, Minh 6, Quang 5, Hữu 5, Đình 5, Xuân 4, Công 4, Thanh 4, Mạnh 3, Ngọc 3, "
    "Anh 3, Trọng 3, Quốc 3, Thế 3, Tuấn 2, Việt 2, Bá 2, Duy 2, Hoàng 2, Tiến 2, Trung 2, "
    "Hồng 2, Khắc 1, Kim 1, Chí 1, Huy 1"
)
_KINH_MIDDLE_F = table(
    "Thị 55, Thu 5, Ngọc 5, Thanh 5, Hồng 3, Minh 3, Phương 3, Kim 3, Thúy 2, Bích 2, "
    "Thùy 2, Hải 2, Mai 1, Diệu 1, Khánh 1, Lan 1, Hoài 1, Quỳnh 1"
)
_TAY_MIDDLE_M = table(
    "Văn 70, Đức 5, Quang 4, Xuân 4, Minh 4, Hữu 3, Thanh 3, Đình 3, Công 2, Ngọc 2"
)
_TAY_MIDDLE_F = table("Thị 85, Thu 4, Hồng 3, Thanh 3, Ngọc 3, Kim 2")

MIDDLE = {
    ("01", "M"): _KINH_MIDDLE_M,
    ("01", "F"): _KINH_MIDDLE_F,
    ("02", "M"): _TAY_MIDDLE_M,
    ("02", "F"): _TAY_MIDDLE_F,
    ("07", "M"): _TAY_MIDDLE_M,
    ("07", "F"): _TAY_MIDDLE_F,
    ("09", "M"): table("Văn 40, Tài 15, Kim 10, Phúc 8, Quý 6, Hữu 5, Trìu 4, Sinh 4"),
    ("09", "F"): table("Thị 85, Kim 7, Thu 8"),
    ("08", "M"): table("A 45, Seo 20, Văn 15, Mí 10, Chứ 5, Páo 5"),
    ("08", "F"): table("Thị 90, Mí 10"),
    ("03", "M"): table("Văn 75, Đức 5, Minh 5, Thanh 5, Xuân 5, Hữu 5"),
    ("03", "F"): table("Thị 85, Thu 5, Thanh 5, Hồng 5"),
    ("06", "M"): table("Văn 75, Đức 5, Minh 5, Thanh 5, Xuân 5, Hữu 5"),
    ("06", "F"): table("Thị 85, Thu 5, Thanh 5, Hồng 5"),
}

GIVEN_M = zipf(
    "Hùng,Dũng,Tuấn,Minh,Hải,Thắng,Sơn,Long,Nam,Cường,Đức,Trung,Quang,Hưng,Thành,Tùng,Hoàng,"
    "Phương,Thanh,Anh,Bình,Hòa,Hiếu,Huy,Việt,Tiến,Lâm,Lộc,Kiên,Mạnh,Toàn,Khánh,Thịnh,Vinh,"
    "Chiến,Công,Đạt,Hiệp,Tâm,Tài,Tú,Phong,Quân,Nghĩa,Tân,Thuận,Hậu,Hà,Giang,Phúc,Quý,Thọ,"
    "Chung,Đông,Hợp,Huân,Khôi,Lập,Lợi,Luân,Ngọc,Nguyên,Nhân,Phú,Quyết,Thái,Thông,Trường,Vũ,"
    "Xuân,Chính,Định,Điệp,Khải,Tuyên,Bảo,Kỳ,Sỹ,Trọng,Tường,Vượng,Nhất"
)
GIVEN_F = zipf(
    "Hương,Lan,Hà,Mai,Linh,Thảo,Hoa,Hằng,Thủy,Trang,Nga,Huyền,Phương,Hạnh,Thu,Dung,Hiền,Yến,"
    "Ngọc,Loan,Hồng,Nhung,Vân,Liên,Tuyết,Oanh,Quỳnh,Hiên,Thúy,Anh,Bích,Chi,Cúc,Duyên,Giang,"
    "Hòa,Huệ,Hường,Liễu,Luyến,Lý,May,Mến,Minh,Mơ,Ngân,Nguyệt,Nhàn,Quyên,Sen,Tâm,Thắm,Thơm,"
    "Uyên,Xuân,Lụa,Châm,Điệp,Hậu,Nhài,Phượng,Thanh,Vui,Tươi,Ánh,Diệp"
)
GIVEN = {
    ("09", "M"): zipf("Mào,Tòn,Phin,Quẩy,Chòi,Kiêm,Sành,Vượng,Lìu,Chàn,Sinh,Chấn,Dìn,Phẩy,Liềm"),
    ("09", "F"): zipf("Mùi,Dính,Nái,Mây,Chài,Liều,Xiêm,Kiều,Tá,Hoa"),
    ("08", "M"): zipf("Páo,Sử,Dính,Chứ,Pó,Sình,Tủa,Chơ,Lử,Nhè,Dua,Sò,Phừ,Chía,Thề,Vư,Khai"),
    ("08", "F"): zipf("Mỷ,Dế,Sua,Pà,Dở,Chá,Máy,Xúa,Mai,Sy,Dợ,Lan,Ly"),
}
# Share of Dao/HMông people who carry a name from the common list instead.
COMMON_GIVEN_SHARE = {"09": 0.5, "08": 0.3}

QUALIFICATION_FIELDS = {
    "village": "Trồng trọt,Chăn nuôi thú y,Lâm sinh,Kinh tế nông nghiệp,Quản lý nhà nước,"
    "Kế toán,Luật,Sư phạm Tiểu học,Y sĩ đa khoa,Quản lý đất đai",
    "agency": "Quản lý nhà nước,Luật,Kinh tế,Kế toán,Tài chính – Ngân hàng,Xây dựng Đảng và "
    "chính quyền nhà nước,Hành chính học,Công nghệ thông tin,Quản trị kinh doanh,Báo chí",
    "school": "Sư phạm Toán,Sư phạm Ngữ văn,Sư phạm Tiếng Anh,Sư phạm Tiểu học,Sư phạm Mầm non,"
    "Sư phạm Lịch sử,Sư phạm Vật lý,Sư phạm Hóa học,Quản lý giáo dục,Sư phạm Địa lý",
    "public_service": "Y đa khoa,Điều dưỡng,Dược học,Y học cổ truyền,Y tế công cộng,"
    "Kỹ thuật xét nghiệm,Văn hóa học,Thư viện,Nông học,Lâm nghiệp",
    "enterprise": "Kỹ thuật điện,Xây dựng dân dụng,Kế toán,Quản trị kinh doanh,Cơ khí,"
    "Khai thác mỏ,Chế biến lâm sản,Kinh tế,Công nghệ thông tin,Vận tải",
    "army": "Chỉ huy tham mưu,Chính trị,Hậu cần quân sự,Kỹ thuật quân sự,Quân y",
    "police": "Trinh sát an ninh,Điều tra hình sự,Cảnh sát giao thông,Luật,Quản lý hành chính "
    "về trật tự xã hội,Phòng cháy chữa cháy,Kỹ thuật hình sự",
}

# ---- places ----------------------------------------------------------------------

PROVINCE_NAMES = [
    "Lâm Vân",
    "Sơn Vân",
    "Cao Lâm",
    "Vân Sơn",
    "Bắc Lâm",
    "Phù Vân",
    "Ngân Lâm",
    "Hà Vân",
    "Lũng Sơn",
    "Bằng Vân",
    "Thượng Lâm",
    "Hoa Sơn",
]
# Real provinces do not use these, but the fictional province still needs letters for
# dossier numbers (6 digits + 1–3 letters).
SINO_A = (
    "Bằng,Yên,Quảng,Thượng,Cao,Xuân,Phúc,Hòa,Tân,Đồng,Vĩnh,Nghĩa,Thanh,Kim,Bình,Văn,Quang,"
    "Đức,Phong,Minh,Lương,Hà,Vân,Nam,Đông,Bắc,Trung,Lạc,Hiệp,Sơn"
).split(",")
SINO_B = (
    "Thành,Phúc,Lâm,Sơn,Hà,Bình,Lộc,Tiến,Lạc,Thịnh,Vân,Hưng,Tâm,Hòa,An,Phong,Lợi,Thông,"
    "Trạch,Khánh,Dương,Quan,Lãng,Vận,Mỹ,Phú,Tường,Long,Cư,Định"
).split(",")
TAY_A = "Nà,Khuổi,Pác,Bản,Phiêng,Cốc,Khau,Nặm,Lũng,Pù,Kéo,Thẳm,Bó,Đon".split(",")
TAY_B = (
    "Làng,Mạn,Châm,Luông,Phương,Vài,Pài,Cà,Hin,Lẻ,Phặc,Tảng,Quang,Kham,Mu,Nghè,Bưa,Dài,"
    "Cụm,Lạn,Tậu,Chang,Khoang,Pha,Váng,Mò,Lùng,Hon,Cọ,Slan,Nộc,Vẻn,Tàu,Mới,Cháng,Pục"
).split(",")
KINH_VILLAGE = (
    "Đồng Tâm,Tân Lập,Bình Minh,Hợp Thành,Thống Nhất,Quyết Tiến,Tân Tiến,Đoàn Kết,Hòa Bình,"
    "Tiến Thành,Trung Tâm,Đồng Vang,Tân Phong,Thành Công,Xuân Mai,Yên Thượng,Phố Mới,Làng Mới,"
    "Đồng Xuân,An Thịnh,Tân Sơn,Đồng Lạc,Phú Thọ,Thanh Bình,Quyết Thắng,Hợp Nhất,Tân Hòa,"
    "Đồng Cầu,Xuân Hòa,Minh Khai"
).split(",")


_TAY_PLACES = [f"{a} {b}" for a in TAY_A for b in TAY_B]
_SINO_PLACES = [f"{a} {b}" for a in SINO_A for b in SINO_B if a != b] + KINH_VILLAGE


def place_names(rng, n: int, tay_share: float, exclude=()) -> list[str]:
    """n distinct two-syllable place names, a `tay_share` of them in the Tày style."""
    seen = set(exclude)
    out = []
    while len(out) < n:
        name = rng.choice(_TAY_PLACES if rng.random() < tay_share else _SINO_PLACES)
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def initials(name: str) -> str:
    """'Lâm Vân' → 'LV' (province letters of dossier numbers)."""
    from lib.text import fold

    letters = []
    for word in name.split():
        first = word[0]
        letters.append("Đ" if first in "Đđ" else fold(first).upper())
    return "".join(letters)[:3]


# ---- units ----------------------------------------------------------------------

PROVINCE_UNITS = [
    # (name, founded) — the two civilian ones were set up in February 2025 (Kết luận 127).
    ("Đảng bộ các cơ quan Đảng tỉnh", (2025, 2, 1)),
    ("Đảng bộ Ủy ban nhân dân tỉnh", (2025, 2, 1)),
    ("Đảng bộ Quân sự tỉnh", (1947, 3, 15)),
    ("Đảng bộ Công an tỉnh", (1947, 8, 19)),
]

PARTY_AGENCIES = [
    ("Văn phòng Tỉnh ủy", "agency"),
    ("Ban Tổ chức Tỉnh ủy", "agency"),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "agency"),
    ("Ủy ban Kiểm tra Tỉnh ủy", "agency"),
    ("Ban Nội chính Tỉnh ủy", "agency"),
    ("Ban Chính sách, chiến lược Tỉnh ủy", "agency"),
    ("Trường Chính trị tỉnh", "public_service"),
    ("Báo và Phát thanh, Truyền hình tỉnh", "public_service"),
    ("Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "agency"),
    ("Tỉnh Đoàn", "agency"),
    ("Hội Liên hiệp Phụ nữ tỉnh", "agency"),
    ("Hội Nông dân tỉnh", "agency"),
    ("Hội Cựu chiến binh tỉnh", "agency"),
    ("Liên đoàn Lao động tỉnh", "agency"),
    ("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "agency"),
    ("Tòa án nhân dân tỉnh", "agency"),
    ("Viện Kiểm sát nhân dân tỉnh", "agency"),
    ("Hội Chữ thập đỏ tỉnh", "agency"),
    ("Liên hiệp các Hội Văn học nghệ thuật tỉnh", "agency"),
    ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", "agency"),
]

# Departments of the provincial People's Committee after the 2025 reorganization;
# the ones with sub-units are grassroots committees with affiliated cells.
DEPARTMENTS = [
    ("Văn phòng Ủy ban nhân dân tỉnh", []),
    ("Sở Nội vụ", []),
    ("Sở Tài chính", ["Văn phòng Sở", "Phòng Quản lý ngân sách", "Phòng Quản lý đầu tư"]),
    ("Sở Tư pháp", []),
    ("Sở Công Thương", ["Văn phòng Sở", "Phòng Quản lý công nghiệp", "Trung tâm Khuyến công"]),
    (
        "Sở Nông nghiệp và Môi trường",
        [
            "Văn phòng Sở",
            "Chi cục Kiểm lâm",
            "Chi cục Thủy lợi",
            "Trung tâm Khuyến nông",
            "Chi cục Chăn nuôi và Thú y",
            "Chi cục Trồng trọt và Bảo vệ thực vật",
            "Trung tâm Quan trắc tài nguyên và môi trường",
            "Văn phòng Đăng ký đất đai",
        ],
    ),
    ("Sở Xây dựng", ["Văn phòng Sở", "Phòng Quản lý giao thông", "Trung tâm Đăng kiểm"]),
    ("Sở Giáo dục và Đào tạo", ["Văn phòng Sở", "Phòng Giáo dục phổ thông", "Phòng Khảo thí"]),
    ("Sở Y tế", ["Văn phòng Sở", "Chi cục Dân số", "Phòng Nghiệp vụ Y – Dược"]),
    (
        "Sở Văn hóa, Thể thao và Du lịch",
        [
            "Văn phòng Sở",
            "Bảo tàng tỉnh",
            "Thư viện tỉnh",
            "Trung tâm Văn hóa – Nghệ thuật",
            "Trung tâm Huấn luyện và Thi đấu thể thao",
        ],
    ),
    ("Sở Khoa học và Công nghệ", []),
    ("Sở Dân tộc và Tôn giáo", []),
    ("Thanh tra tỉnh", []),
    ("Sở Ngoại vụ", []),
]

PUBLIC_SERVICES = [
    (
        "Bệnh viện Đa khoa tỉnh",
        [
            "Khoa Nội",
            "Khoa Ngoại",
            "Khoa Sản",
            "Khoa Nhi",
            "Khoa Hồi sức tích cực – Chống độc",
            "Khoa Xét nghiệm",
            "Khoa Chẩn đoán hình ảnh",
            "Khoa Dược",
            "Phòng Kế hoạch tổng hợp",
            "Phòng Tổ chức – Hành chính",
        ],
    ),
    (
        "Trường Cao đẳng tỉnh",
        [
            "Khoa Sư phạm",
            "Khoa Y – Dược",
            "Khoa Nông – Lâm",
            "Phòng Đào tạo",
            "Phòng Hành chính",
        ],
    ),
    ("Bệnh viện Y dược cổ truyền và Phục hồi chức năng", []),
    ("Bệnh viện Phổi", []),
    ("Trung tâm Kiểm soát bệnh tật tỉnh", []),
    ("Ban Quản lý dự án đầu tư xây dựng tỉnh", []),
    ("Trung tâm Phục vụ hành chính công tỉnh", []),
    ("Quỹ Đầu tư phát triển tỉnh", []),
    ("Trung tâm Công nghệ thông tin và Truyền thông", []),
    ("Ban Quản lý Khu công nghiệp", []),
]

STATE_ENTERPRISES = [
    (
        "Công ty Điện lực",
        [
            "Văn phòng Công ty",
            "Đội Quản lý vận hành lưới điện cao thế",
            "Phòng Kinh doanh",
            "Đội Sửa chữa",
        ],
    ),
    ("Công ty TNHH MTV Xổ số kiến thiết", []),
    ("Công ty Cổ phần Cấp thoát nước", []),
    ("Công ty Cổ phần Môi trường và Dịch vụ đô thị", []),
    ("Công ty TNHH MTV Quản lý khai thác công trình thủy lợi", []),
]

ENTERPRISE_FORMS = ["TNHH", "Cổ phần", "TNHH", "Cổ phần", "TNHH MTV"]
ENTERPRISE_FIELDS = (
    "Xây dựng,Khoáng sản,Chế biến lâm sản,Vận tải,Thương mại và Dịch vụ,Dược phẩm,Nông sản,"
    "Du lịch,Vật liệu xây dựng,Đầu tư và Phát triển,Tư vấn thiết kế,Thủy điện,Chè,Giấy,"
    "May mặc,Xăng dầu,Giao thông,Chăn nuôi,Thực phẩm,Điện nước"
).split(",")
ENTERPRISE_BRANDS = (
    "Hoàng Long,Thành Đạt,Minh Phát,Phú Thịnh,Hưng Thịnh,An Phát,Đức Thành,Tân Tiến,Việt Bắc,"
    "Thái Sơn,Trường Sơn,Phúc Lộc,Hòa Bình,Bảo Minh,Quang Minh,Hải Đăng,Kim Long,Đại Việt,"
    "Ngọc Sơn,Thiên Phú,Nam Phong,Đông Á,Hồng Hà,Sao Mai,Thăng Long"
).split(",")

ARMY_COMMITTEES = [
    (
        "Cơ quan Bộ Chỉ huy Quân sự tỉnh",
        ["Văn phòng", "Phòng Tham mưu", "Phòng Chính trị", "Phòng Hậu cần – Kỹ thuật"],
    ),
    ("Trung đoàn Bộ binh", ["Tiểu đoàn 1", "Tiểu đoàn 2", "Tiểu đoàn 3", "Cơ quan Trung đoàn"]),
]
ARMY_CELLS = [
    "Trường Quân sự tỉnh",
    "Đại đội Trinh sát",
    "Đại đội Công binh",
    "Đại đội Thông tin",
    "Đại đội Phòng không",
    "Kho Vũ khí – Đạn",
    "Đội Quy tập hài cốt liệt sĩ",
    "Đại đội Hóa học",
    "Đại đội Vận tải",
    "Ban Chỉ huy Phòng thủ khu vực {n}",
]
POLICE_COMMITTEES = [
    (
        "Phòng Cảnh sát cơ động",
        [
            "Đội Tham mưu – Hậu cần",
            "Đội Cảnh sát đặc nhiệm",
            "Trung đội Cảnh sát cơ động 1",
            "Trung đội Cảnh sát cơ động 2",
        ],
    ),
    (
        "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        [
            "Đội Tham mưu",
            "Đội Chữa cháy và cứu nạn, cứu hộ khu vực 1",
            "Đội Chữa cháy và cứu nạn, cứu hộ khu vực 2",
        ],
    ),
    ("Phòng Cảnh sát giao thông", ["Đội Tham mưu", "Đội Tuần tra, kiểm soát", "Đội Đăng ký xe"]),
]
POLICE_CELLS = [
    "Phòng Tham mưu",
    "Phòng Tổ chức cán bộ",
    "Phòng Hậu cần",
    "Phòng Xây dựng phong trào bảo vệ An ninh Tổ quốc",
    "Phòng An ninh đối ngoại",
    "Phòng An ninh chính trị nội bộ",
    "Phòng An ninh kinh tế",
    "Phòng An ninh điều tra",
    "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao",
    "Phòng Cảnh sát hình sự",
    "Phòng Cảnh sát kinh tế",
    "Phòng Cảnh sát điều tra tội phạm về ma túy",
    "Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
    "Phòng Cảnh sát môi trường",
    "Phòng Kỹ thuật hình sự",
    "Phòng Quản lý xuất nhập cảnh",
    "Phòng Hồ sơ nghiệp vụ",
    "Phòng Pháp chế",
    "Thanh tra Công an tỉnh",
    "Trại tạm giam",
    "Văn phòng Cơ quan Cảnh sát điều tra",
    "Phòng Cảnh sát bảo vệ",
]

COMMUNE_AGENCY_CELLS = [
    # (name pattern, cell type); {unit} is "xã" or "phường", {name} the commune name.
    ("Chi bộ Cơ quan Đảng – Mặt trận – Đoàn thể {unit}", "agency"),
    ("Chi bộ Cơ quan Hội đồng nhân dân – Ủy ban nhân dân {unit}", "agency"),
    ("Chi bộ Quân sự {unit}", "army"),
    ("Chi bộ Công an {unit}", "police"),
]
COMMUNE_SCHOOLS = ["Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường TH&THCS"]

DISSOLUTION_REASON = "Kết thúc hoạt động cấp huyện"
REFORM_DECISION = "Quyết định số {n}-QĐ/TU ngày 30/6/2025 của Ban Thường vụ Tỉnh ủy"
