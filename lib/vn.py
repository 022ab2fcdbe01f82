"""Vietnamese reference lists that do not change with policy (so they are code, not tables)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    MALE = "M", pgettext_lazy("sex", "Male")
    FEMALE = "F", pgettext_lazy("sex", "Female")


# The 54 ethnic groups in the official list of the General Statistics Office
# (Quyết định 121-TCTK/PPCĐ, 02/3/1979), with its codes. Names are proper nouns.
ETHNICITIES = [
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khơ-me"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "HMông"),
    ("09", "Dao"),
    ("10", "Gia-rai"),
    ("11", "Ngái"),
    ("12", "Ê-đê"),
    ("13", "Ba-na"),
    ("14", "Xơ-đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ-ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra-glai"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ-tu"),
    ("27", "Gié-Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ-mú"),
    ("30", "Co"),
    ("31", "Tà-ôi"),
    ("32", "Chơ-ro"),
    ("33", "Kháng"),
    ("34", "Xinh-mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu-ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cờ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ-măm"),
]
KINH = "01"

# Religions recognised by the state (16 religions) plus "none"; names are proper nouns.
RELIGIONS = [
    ("", _("None")),
    ("phat_giao", "Phật giáo"),
    ("cong_giao", "Công giáo"),
    ("tin_lanh", "Tin Lành"),
    ("cao_dai", "Cao Đài"),
    ("hoa_hao", "Phật giáo Hòa Hảo"),
    ("hoi_giao", "Hồi giáo"),
    ("ba_la_mon", "Bà-la-môn"),
    ("tinh_do_cu_si", "Tịnh độ Cư sĩ Phật hội Việt Nam"),
    ("tu_an_hieu_nghia", "Tứ Ân Hiếu Nghĩa"),
    ("buu_son_ky_huong", "Bửu Sơn Kỳ Hương"),
    ("minh_su_dao", "Minh Sư Đạo"),
    ("minh_ly_dao", "Minh Lý Đạo"),
    ("baha_i", "Baha'i"),
    ("phat_duong_nam_tong", "Phật đường Nam tông Minh Sư Đạo"),
    ("mac_mon", "Mặc Môn"),
    ("co_doc_phuc_lam", "Cơ đốc Phục lâm"),
    ("other", _("Other")),
]


class GeneralEducation(models.TextChoices):
    NONE = "", _("Not recorded")
    PRIMARY = "primary", _("Primary school (5/12)")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary (9/12)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary (12/12)")


class PoliticalTheory(models.TextChoices):
    NONE = "", _("None")
    ELEMENTARY = "so_cap", _("Elementary")
    INTERMEDIATE = "trung_cap", _("Intermediate")
    ADVANCED = "cao_cap", _("Advanced")
    BACHELOR = "cu_nhan", _("Bachelor of political science")


class Qualification(models.TextChoices):
    NONE = "", _("No professional training")
    ELEMENTARY = "so_cap", _("Elementary vocational")
    INTERMEDIATE = "trung_cap", _("Intermediate vocational")
    COLLEGE = "cao_dang", _("College")
    UNIVERSITY = "dai_hoc", _("University")
    MASTER = "thac_si", _("Master")
    DOCTOR = "tien_si", _("Doctorate")


# Province codes that open a 12-digit citizen ID (Thông tư 59/2021/TT-BCA, appendix I).
CITIZEN_ID_PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 "
    "033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 "
    "064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 "
    "094 095 096".split()
)
