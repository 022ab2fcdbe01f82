"""The two score sheets a province can install with one button (quality rubrics page, the demo).

* ``hd12_2018`` — the central framework of HD 12-HD/BTCTW (06/7/2018), brief §2.6: five groups
  (attendance, preparation, conduct, principles, results). The guidance gives criteria but **no
  points**; the 100-point weights below are Chibo's own mapping [I], and the rubric's basis says
  so. A province adjusts them in the editor (a new version).
* ``provincial_100`` — the 100-point sheet of Đảng ủy Khối các cơ quan tỉnh Phú Thọ (brief §2.7):
  preparation 15, attendance 20, conduct 45, closing 20; tốt ≥ 90, khá ≥ 70, trung bình ≥ 50;
  a good year needs at least 7 good meetings and none below fair. The criteria that need full
  marks for "good" are Bình Thuận's (attendance, duration, members speaking, minutes). The
  concrete criteria inside each group are Chibo's reading of the published weights [I].

Each preset has a regular sheet and a thematic one (Nghệ An's Biểu 1 / Biểu 2). The texts are
Vietnamese data — they are printed with the minutes — not interface strings.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from quality.models import AutoRule, QualityLevel, RubricKind


@dataclass(frozen=True)
class C:
    """One criterion: text, maximum points, and optionally the rule that decides it."""

    text: str
    points: int
    rule: str = ""
    param: int | None = None
    top: bool = False  # full marks needed for "good"


@dataclass(frozen=True)
class Sheet:
    name: str
    source: str
    groups: list[tuple[str, list[C]]]
    good_from: int = 90
    fair_from: int = 70
    average_from: int = 50
    year_good_min: int = 7
    year_good_floor: str = QualityLevel.FAIR
    year_fair_floor: str = QualityLevel.AVERAGE
    year_average_floor: str = QualityLevel.WEAK


@dataclass(frozen=True)
class Preset:
    key: str
    label: object  # a lazy translation
    description: object
    sheets: dict = field(default_factory=dict)  # RubricKind → Sheet


A = AutoRule
HD12_SOURCE = (
    "Hướng dẫn 12-HD/BTCTW ngày 06/7/2018 (khung tiêu chí). Hướng dẫn không quy định điểm: "
    "thang 100 điểm là cách quy đổi của Chibo, tỉnh điều chỉnh khi áp dụng."
)
ATTENDANCE_HD12 = (
    "Đảng viên dự sinh hoạt",
    [
        C("Trên 85% đảng viên có mặt", 10, A.ATTENDANCE_RATE, 85, top=True),
        C("Không có đảng viên vắng mặt không có lý do", 10, A.NO_UNEXCUSED, top=True),
        C(
            "Không có đảng viên vắng mặt (kể cả có lý do) quá 3 lần liên tiếp trong năm",
            5,
            A.NO_CONSECUTIVE,
        ),
    ],
)
PRINCIPLES_HD12 = (
    "Thực hiện nguyên tắc tổ chức, sinh hoạt đảng",
    [
        C(
            "Thực hiện đúng nguyên tắc tập trung dân chủ, tự phê bình và phê bình, "
            "đoàn kết thống nhất; không khí dân chủ, cởi mở",
            10,
        )
    ],
)

HD12_REGULAR = Sheet(
    name="Khung tiêu chí đánh giá chất lượng sinh hoạt chi bộ thường kỳ (HD 12-HD/BTCTW)",
    source=HD12_SOURCE,
    groups=[
        ATTENDANCE_HD12,
        (
            "Công tác chuẩn bị",
            [
                C("Bí thư hoặc phó bí thư trực tiếp chuẩn bị nội dung sinh hoạt", 5),
                C(
                    "Chi ủy (bí thư, phó bí thư) họp trước để thống nhất nội dung",
                    5,
                    A.COMMITTEE_MEETING,
                ),
                C(
                    "Nội dung đúng, đủ, trọng tâm theo hướng dẫn của cấp trên; "
                    "có dự thảo nghị quyết",
                    5,
                ),
                C("Tài liệu gửi đảng viên trước ít nhất 1 ngày", 5, A.DOCUMENTS_ON_TIME),
            ],
        ),
        (
            "Tổ chức sinh hoạt",
            [
                C("Đúng thời gian, trình tự 3 bước; đủ nội dung", 5),
                C(
                    "Thời lượng ít nhất 90 phút (120 phút nếu kết hợp chuyên đề)",
                    10,
                    A.DURATION,
                    top=True,
                ),
                C(
                    "Nhiều đảng viên phát biểu ý kiến (ít nhất 30% số có mặt)",
                    5,
                    A.SPEAKERS_SHARE,
                    30,
                ),
                C("Biểu dương, nhắc nhở, phê bình đảng viên (nếu có)", 5),
                C(
                    "Sổ biên bản ghi đầy đủ (chủ trì, thư ký, thời gian, nội dung)",
                    5,
                    A.MINUTES_COMPLETE,
                ),
            ],
        ),
        PRINCIPLES_HD12,
        (
            "Kết quả",
            [
                C("Thông qua nghị quyết hoặc kết luận", 5, A.RESOLUTION),
                C("Kết luận, nghị quyết kỳ trước được thực hiện có kết quả tốt", 10),
            ],
        ),
    ],
)

HD12_THEMATIC = Sheet(
    name="Khung tiêu chí đánh giá chất lượng sinh hoạt chuyên đề (HD 12-HD/BTCTW)",
    source=HD12_SOURCE,
    groups=[
        ATTENDANCE_HD12,
        (
            "Công tác chuẩn bị",
            [
                C("Chuyên đề phù hợp hướng dẫn của cấp trên và tình hình của chi bộ", 5),
                C(
                    "Đảng viên được phân công xây dựng dự thảo báo cáo chuyên đề; "
                    "chi ủy (bí thư) duyệt trước",
                    5,
                ),
                C(
                    "Chi ủy (bí thư, phó bí thư) họp trước để thống nhất nội dung",
                    5,
                    A.COMMITTEE_MEETING,
                ),
                C("Dự thảo chuyên đề gửi đảng viên trước ít nhất 1 ngày", 5, A.DOCUMENTS_ON_TIME),
            ],
        ),
        (
            "Tổ chức sinh hoạt",
            [
                C(
                    "Nêu rõ mục đích, yêu cầu; trình bày dự thảo chuyên đề; đảng viên thảo luận, "
                    "liên hệ vận dụng",
                    10,
                ),
                C(
                    "Thời lượng ít nhất 90 phút (120 phút nếu kết hợp sinh hoạt thường kỳ)",
                    10,
                    A.DURATION,
                    top=True,
                ),
                C(
                    "Nhiều đảng viên phát biểu ý kiến (ít nhất 30% số có mặt)",
                    5,
                    A.SPEAKERS_SHARE,
                    30,
                ),
                C(
                    "Sổ biên bản ghi đầy đủ (chủ trì, thư ký, thời gian, nội dung)",
                    5,
                    A.MINUTES_COMPLETE,
                ),
            ],
        ),
        PRINCIPLES_HD12,
        (
            "Kết quả",
            [
                C("Chủ trì kết luận chuyên đề", 5, A.RESOLUTION),
                C(
                    "Báo cáo chuyên đề được hoàn thiện, gửi đảng viên; vận dụng vào thực tiễn "
                    "của chi bộ",
                    10,
                ),
            ],
        ),
    ],
)

P100_SOURCE = (
    "Theo cách chấm 100 điểm của Đảng ủy Khối các cơ quan tỉnh Phú Thọ (chuẩn bị 15, dự họp 20, "
    "tổ chức sinh hoạt 45, kết thúc 20) và tiêu chí bắt buộc đạt tối đa để xếp loại Tốt của "
    "Đảng ủy Khối tỉnh Bình Thuận. Các tiêu chí cụ thể trong từng nhóm do Chibo đề xuất."
)
P100_ATTENDANCE = (
    "Đảng viên dự sinh hoạt",
    [
        C("Trên 85% đảng viên có mặt", 10, A.ATTENDANCE_RATE, 85, top=True),
        C("Không có đảng viên vắng mặt không có lý do", 5, A.NO_UNEXCUSED, top=True),
        C(
            "Không có đảng viên vắng mặt (kể cả có lý do) quá 3 lần liên tiếp trong năm",
            5,
            A.NO_CONSECUTIVE,
        ),
    ],
)
P100_DURATION = C("Thời lượng ít nhất 90 phút (120 phút nếu kết hợp)", 10, A.DURATION, top=True)
P100_SPEAKERS = C(
    "Đảng viên phát biểu, thảo luận (ít nhất 30% số có mặt)", 5, A.SPEAKERS_SHARE, 30, top=True
)
P100_MINUTES = C("Biên bản ghi đầy đủ, được thông qua", 5, A.MINUTES_COMPLETE, top=True)
P100_OPENING = C(
    "Khai mạc đúng giờ; giới thiệu đại biểu, cử thư ký, thông báo số đảng viên dự họp, "
    "thông qua chương trình",
    5,
)

P100_REGULAR = Sheet(
    name="Bảng điểm đánh giá chất lượng sinh hoạt chi bộ thường kỳ (100 điểm)",
    source=P100_SOURCE,
    groups=[
        (
            "Công tác chuẩn bị",
            [
                C(
                    "Chi ủy họp thống nhất nội dung, đánh giá kết quả tháng qua, đề ra nhiệm vụ tháng tới",
                    5,
                    A.COMMITTEE_MEETING,
                ),
                C("Chuẩn bị nội dung sinh hoạt và dự thảo nghị quyết bằng văn bản", 5),
                C(
                    "Thông báo và gửi tài liệu cho đảng viên trước ít nhất 1 ngày",
                    5,
                    A.DOCUMENTS_ON_TIME,
                ),
            ],
        ),
        P100_ATTENDANCE,
        (
            "Tổ chức sinh hoạt",
            [
                P100_OPENING,
                C(
                    "Đánh giá kết quả lãnh đạo tháng qua và nêu nhiệm vụ tháng tới rõ ràng, "
                    "có vấn đề trọng tâm để thảo luận",
                    10,
                ),
                C(
                    "Thông tin thời sự, quán triệt văn bản mới; nắm tình hình tư tưởng đảng viên, "
                    "nhân dân",
                    5,
                ),
                P100_SPEAKERS,
                C("Tự phê bình và phê bình; biểu dương, nhắc nhở đảng viên", 5),
                C("Không khí dân chủ, đoàn kết; thực hiện đúng nguyên tắc sinh hoạt đảng", 5),
                P100_DURATION,
            ],
        ),
        (
            "Kết thúc sinh hoạt",
            [
                C("Chủ trì kết luận; biểu quyết thông qua nghị quyết", 5, A.RESOLUTION),
                C("Phân công nhiệm vụ cho đảng viên, có thời hạn", 5),
                P100_MINUTES,
                C("Chi bộ tự đánh giá, biểu quyết xếp loại chất lượng buổi sinh hoạt", 5),
            ],
        ),
    ],
)

P100_THEMATIC = Sheet(
    name="Bảng điểm đánh giá chất lượng sinh hoạt chuyên đề (100 điểm)",
    source=P100_SOURCE,
    groups=[
        (
            "Công tác chuẩn bị",
            [
                C("Chi ủy họp thống nhất chuyên đề và cách tổ chức", 5, A.COMMITTEE_MEETING),
                C("Đảng viên được phân công xây dựng dự thảo chuyên đề; chi ủy duyệt trước", 5),
                C(
                    "Gửi dự thảo chuyên đề cho đảng viên trước ít nhất 1 ngày",
                    5,
                    A.DOCUMENTS_ON_TIME,
                ),
            ],
        ),
        P100_ATTENDANCE,
        (
            "Tổ chức sinh hoạt",
            [
                P100_OPENING,
                C("Trình bày dự thảo chuyên đề rõ ràng, đúng mục đích, yêu cầu", 10),
                C("Chuyên đề sát với nhiệm vụ chính trị của chi bộ, địa phương, đơn vị", 5),
                P100_SPEAKERS,
                C("Đảng viên liên hệ bản thân, vận dụng vào công việc", 5),
                C("Không khí dân chủ, đoàn kết; thực hiện đúng nguyên tắc sinh hoạt đảng", 5),
                P100_DURATION,
            ],
        ),
        (
            "Kết thúc sinh hoạt",
            [
                C("Chủ trì kết luận chuyên đề", 5, A.RESOLUTION),
                C("Hoàn thiện chuyên đề, gửi đảng viên; phân công vận dụng", 5),
                P100_MINUTES,
                C("Chi bộ tự đánh giá, biểu quyết xếp loại chất lượng buổi sinh hoạt", 5),
            ],
        ),
    ],
)

PRESETS = {
    "hd12_2018": Preset(
        "hd12_2018",
        _("Central framework HD 12-HD/BTCTW (2018), mapped to 100 points"),
        _(
            "Five groups: attendance, preparation, conduct, principles, results. The guidance "
            "gives no points: the weights are a proposal to adjust."
        ),
        {RubricKind.REGULAR: HD12_REGULAR, RubricKind.THEMATIC: HD12_THEMATIC},
    ),
    "provincial_100": Preset(
        "provincial_100",
        _("Provincial 100-point sheet (Phú Thọ, Bình Thuận)"),
        _(
            "Preparation 15, attendance 20, conduct 45, closing 20; full marks on attendance, "
            "duration, members speaking and minutes needed for “good”; a good year needs 7 good "
            "meetings and none below fair."
        ),
        {RubricKind.REGULAR: P100_REGULAR, RubricKind.THEMATIC: P100_THEMATIC},
    ),
}


def sheet_data(sheet: Sheet) -> dict:
    """A sheet as the data `services.save_version` takes (the editor's and the API's shape)."""
    return {
        "name": sheet.name,
        "source": sheet.source,
        "total_points": Decimal(100),
        "good_from": Decimal(sheet.good_from),
        "fair_from": Decimal(sheet.fair_from),
        "average_from": Decimal(sheet.average_from),
        "year_good_min": sheet.year_good_min,
        "year_good_floor": sheet.year_good_floor,
        "year_fair_floor": sheet.year_fair_floor,
        "year_average_floor": sheet.year_average_floor,
        "groups": [
            {
                "name": name,
                "criteria": [
                    {
                        "text": c.text,
                        "max_points": Decimal(c.points),
                        "required_for_top": c.top,
                        "auto_rule": c.rule,
                        "auto_param": Decimal(c.param) if c.param is not None else None,
                    }
                    for c in criteria
                ],
            }
            for name, criteria in sheet.groups
        ],
    }
