"""Default agendas by meeting kind and cell type (HD 12-HD/BTCTW 2018, HD 42-HD/BTCTW 2025).

These are the content of the printed minutes, so they are Vietnamese data, not UI
strings. A province overrides them with AgendaTemplate rows, edited on the agenda
templates page (meetings/agenda_views.py) through the service functions at the end.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.models import AgendaItem, AgendaTemplate, MeetingKind, Step
from organizations.models import CellType, Organization

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
    """[{step, title}]: the national default agenda of a meeting kind for a cell type."""
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
    """[{step, title}] for a meeting: the province's template in force on that day, else the
    national default. A template for the cell's own type comes before one for every type."""
    template = (
        AgendaTemplate.objects.filter(province_id=province_id, kind=kind, valid_from__lte=on)
        .filter(cell_type__in=[cell_type, ""])
        .order_by("-cell_type", "-valid_from")
        .first()
    )
    return list(template.items) if template else default_items(kind, cell_type)


# ---- the province's templates: listing and editing ------------------------------------

# Items are copied into AgendaItem rows when a meeting is prepared: same length limit.
TITLE_MAX_LENGTH = AgendaItem._meta.get_field("title").max_length
MAX_ITEMS = 40
STEP_ORDER = {step: n for n, step in enumerate(Step.values)}


@dataclass
class Shown:
    """One agenda on the templates page: a row of the province, or the national default."""

    kind: str
    cell_type: str  # "": every cell type
    items: list[dict]
    template: AgendaTemplate | None = None  # None: the national default
    state: str = "national"  # national, in_force, scheduled, superseded

    @property
    def steps(self) -> list[tuple[str, str, list[str]]]:
        return [
            (value, label, [i["title"] for i in self.items if i["step"] == value])
            for value, label in Step.choices
        ]

    @property
    def cell_type_label(self) -> str:
        return CellType(self.cell_type).label if self.cell_type else _("Every cell type")


def overview(province: Organization, on: dt.date) -> list[tuple[str, str, list[Shown]]]:
    """Per meeting kind: the province's templates, and the national defaults still in force.

    One query. The national default for a cell type is shown while the province has no
    template in force for that type or for every type (the same choice as template_items).
    """
    rows = list(AgendaTemplate.objects.filter(province=province).order_by("-valid_from", "pk"))
    type_order = {v: n for n, v in enumerate(["", *CellType.values])}
    result = []
    for kind, label in MeetingKind.choices:
        shown = []
        in_force = set()
        seen = set()
        for t in (r for r in rows if r.kind == kind):
            key = t.cell_type
            if t.valid_from > on:
                state = "scheduled"
            elif key in seen:
                state = "superseded"
            else:
                state = "in_force"
                in_force.add(key)
            if t.valid_from <= on:
                seen.add(key)
            shown.append(Shown(kind, t.cell_type, list(t.items), t, state))
        general = default_items(kind, "")
        if "" not in in_force:
            shown.append(Shown(kind, "", general))
            # Cell types whose national agenda differs (villages and residential groups).
            for cell_type in CellType.values:
                items = default_items(kind, cell_type)
                if items != general and cell_type not in in_force:
                    shown.append(Shown(kind, cell_type, items))
        state_order = {"in_force": 0, "national": 0, "scheduled": 1, "superseded": 2}
        shown.sort(key=lambda s: (type_order[s.cell_type], state_order[s.state]))
        result.append((kind, label, shown))
    return result


def validate_items(items: list[dict]) -> list[dict]:
    """Clean a list of {step, title}: titles trimmed, grouped by step in the order given.

    Raises ValidationError keyed "items.<n>" for one item, "items" for the whole list.
    """
    errors: dict[str, list[str]] = {}
    cleaned = []
    for n, item in enumerate(items):
        step = item.get("step") or ""
        title = " ".join(str(item.get("title") or "").split())
        if step not in STEP_ORDER:
            errors.setdefault(f"items.{n}", []).append(
                _("Choose the step: opening, proceedings or closing.")
            )
        if not title:
            errors.setdefault(f"items.{n}", []).append(_("Give the item a title."))
        elif len(title) > TITLE_MAX_LENGTH:
            errors.setdefault(f"items.{n}", []).append(
                _("A title has at most %(max)s characters; this one has %(n)s.")
                % {"max": TITLE_MAX_LENGTH, "n": len(title)}
            )
        cleaned.append({"step": step, "title": title})
    if not items:
        errors["items"] = [_("An agenda needs at least one item.")]
    elif len(items) > MAX_ITEMS:
        errors["items"] = [_("An agenda has at most %(n)s items.") % {"n": MAX_ITEMS}]
    else:
        missing = [
            label for value, label in Step.choices if all(i["step"] != value for i in cleaned)
        ]
        if missing and not any(k.startswith("items.") for k in errors):
            errors["items"] = [
                _(
                    "Opening, proceedings and closing each need at least one item; missing: %(steps)s."
                )
                % {"steps": ", ".join(str(m) for m in missing)}
            ]
    if errors:
        raise ValidationError(errors)
    return sorted(cleaned, key=lambda i: STEP_ORDER[i["step"]])


def _check_unique(template: AgendaTemplate) -> None:
    clash = (
        AgendaTemplate.objects.filter(
            province_id=template.province_id,
            kind=template.kind,
            cell_type=template.cell_type,
            valid_from=template.valid_from,
        )
        .exclude(pk=template.pk)
        .exists()
    )
    if clash:
        raise ValidationError(
            {
                "valid_from": _(
                    "The province already has a template for this meeting kind and cell type "
                    "from %(date)s. Edit that one, or choose another date."
                )
                % {"date": date_format(template.valid_from, "d/m/Y")}
            }
        )


@transaction.atomic
def customize(province: Organization, kind: str, cell_type: str, on: dt.date) -> AgendaTemplate:
    """The province's own template for a kind and cell type, from `on`, prefilled with what
    applies today (the national default, or the province's template for every cell type).

    Pressing the button twice gives the same row.
    """
    if kind not in MeetingKind.values or (cell_type and cell_type not in CellType.values):
        raise ValidationError(_("Choose a meeting kind and a cell type from the lists."))
    existing = AgendaTemplate.objects.filter(
        province=province, kind=kind, cell_type=cell_type, valid_from=on
    ).first()
    if existing:
        return existing
    return AgendaTemplate.objects.create(
        province=province,
        kind=kind,
        cell_type=cell_type,
        valid_from=on,
        items=template_items(province.pk, kind, cell_type, on),
    )


@transaction.atomic
def save_template(
    template: AgendaTemplate, *, items: list[dict], cell_type: str, valid_from: dt.date
) -> AgendaTemplate:
    """Validate everything, then save (history is recorded); nothing is written on error."""
    if cell_type and cell_type not in CellType.values:
        raise ValidationError({"cell_type": _("Choose a cell type from the list.")})
    cleaned = validate_items(items)
    template.cell_type, template.valid_from = cell_type, valid_from
    _check_unique(template)
    template.items = cleaned
    template.save()
    return template


@transaction.atomic
def delete_template(template: AgendaTemplate) -> None:
    """Remove a province's template: meetings fall back to the national default (or to the
    province's other templates). The deletion stays in the history."""
    template.delete()
