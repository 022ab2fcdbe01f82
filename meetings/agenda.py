"""Default agendas by meeting kind and cell type (HD 12-HD/BTCTW 2018, HD 42-HD/BTCTW 2025).

These are the content of the printed minutes, so they are Vietnamese data, not UI
strings. A province overrides them with AgendaTemplate rows (editable in the app).
"""

from meetings.models import AgendaTemplate, MeetingKind, Step
from organizations.models import CellType

OPENING = [
    "Ổn định tổ chức, nêu lý do, giới thiệu đại biểu",
    "Cử thư ký ghi biên bản",
    "Thông báo tình hình đảng viên dự sinh hoạt (có mặt, vắng có lý do, vắng không có lý do)",
    "Thông qua nội dung, chương trình sinh hoạt",
]
REVIEW_TITLE = "Đánh giá kết quả thực hiện nghị quyết tháng trước"

DEFAULTS = {
    MeetingKind.REGULAR: {
        Step.OPENING: OPENING,
        Step.PROCEEDINGS: [
            "Thông tin thời sự; quán triệt văn bản của cấp trên",
            "Đánh giá kết quả lãnh đạo thực hiện nhiệm vụ chính trị trong tháng",
            "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            "Đảng viên thảo luận, đóng góp ý kiến",
            "Phương hướng, nhiệm vụ tháng tới; phân công nhiệm vụ cho đảng viên",
        ],
        Step.CLOSING: [
            "Chủ trì kết luận; biểu quyết thông qua nghị quyết",
            "Nhận xét đảng viên trong tháng; tự đánh giá chất lượng sinh hoạt",
            "Thông qua biên bản; bế mạc",
        ],
    },
    MeetingKind.THEMATIC: {
        Step.OPENING: OPENING,
        Step.PROCEEDINGS: [
            "Nêu mục đích, yêu cầu của chuyên đề",
            "Đảng viên được phân công trình bày dự thảo báo cáo chuyên đề",
            "Đảng viên thảo luận, liên hệ vận dụng vào thực tiễn",
            "Tiếp thu, hoàn thiện báo cáo chuyên đề",
        ],
        Step.CLOSING: ["Chủ trì kết luận chuyên đề", "Thông qua biên bản; bế mạc"],
    },
    MeetingKind.COMMITTEE: {
        Step.OPENING: ["Nêu lý do, nội dung cuộc họp"],
        Step.PROCEEDINGS: [
            "Đánh giá kết quả lãnh đạo tháng qua",
            "Thống nhất nội dung, chương trình sinh hoạt chi bộ",
            "Cho ý kiến vào dự thảo nghị quyết",
            "Phân công chuẩn bị và thông báo cho đảng viên",
        ],
        Step.CLOSING: ["Kết luận cuộc họp"],
    },
}
# HD 42-2025: village and residential-group cells lead local socio-economic work.
RESIDENTIAL_EXTRA = (
    "Lãnh đạo phát triển kinh tế - xã hội, bảo đảm quốc phòng - an ninh ở thôn, tổ dân phố; "
    "xây dựng nông thôn mới, tổ dân phố văn minh; thực hiện dân chủ ở cơ sở"
)


def default_items(kind: str, cell_type: str) -> list[dict]:
    """[{step, title}] for a meeting: the province's template if any, else the national default."""
    base = (
        MeetingKind.REGULAR
        if kind
        in (
            MeetingKind.COMBINED,
            MeetingKind.EXTRAORDINARY,
            MeetingKind.YEAR_END,
            MeetingKind.LIAISON,
        )
        else kind
    )
    steps = DEFAULTS.get(base, DEFAULTS[MeetingKind.REGULAR])
    items = [{"step": step, "title": title} for step, titles in steps.items() for title in titles]
    if base == MeetingKind.REGULAR and cell_type in (CellType.VILLAGE, CellType.RESIDENTIAL):
        items.insert(
            len(steps[Step.OPENING]) + 1, {"step": Step.PROCEEDINGS, "title": RESIDENTIAL_EXTRA}
        )
    return items


def template_items(province_id, kind: str, cell_type: str, on) -> list[dict]:
    template = (
        AgendaTemplate.objects.filter(province_id=province_id, kind=kind, valid_from__lte=on)
        .filter(cell_type__in=[cell_type, ""])
        .order_by("-cell_type", "-valid_from")
        .first()
    )
    return list(template.items) if template else default_items(kind, cell_type)
