"""What the minutes and the resolution say, as a small tree of blocks.

The DOCX writer and the HTML/PDF templates both render these blocks, so the two
formats can never say different things. The text is a printed party document
(HD 36-HD/VPTW, brief §7): Vietnamese data, not UI strings, so it is not translated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation

from accounts.models import Role, RoleAssignment
from meetings import services
from meetings.models import (
    LOCKED_STATUSES,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingKind,
    Resolution,
    ResolutionKind,
    Speech,
    Step,
    Task,
    TaskStatus,
    Term,
)
from organizations.models import Organization

BLANK = "…"
STEP_HEADINGS = {
    Step.OPENING: "I. PHẦN MỞ ĐẦU",
    Step.PROCEEDINGS: "II. PHẦN TIẾN HÀNH",
    Step.CLOSING: "III. PHẦN KẾT THÚC",
}
TASK_STATUS_VI = {
    TaskStatus.ASSIGNED: "Chưa thực hiện",
    TaskStatus.IN_PROGRESS: "Đang thực hiện",
    TaskStatus.DONE: "Hoàn thành",
    TaskStatus.NOT_DONE: "Không hoàn thành",
}
# Words that begin a village or residential-group name: "Chi bộ thôn Đông" is in "Thôn Đông".
PLACE_WORDS = ("thôn", "bản", "ấp", "làng", "buôn", "xóm", "tổ dân phố", "khu phố", "khối", "khu")
COMMUNE_WORDS = ("xã", "phường", "thị trấn", "đặc khu")


# ---- the block tree -----------------------------------------------------------------


@dataclass
class Run:
    text: str
    b: bool = False
    i: bool = False


@dataclass
class Para:
    runs: list[Run]
    kind: str = "p"
    # "body": justified with a first-line indent; "item": a list line (hanging "- ");
    # "center": centred (e.g. "CHI BỘ QUYẾT NGHỊ").
    style: str = "body"


@dataclass
class Heading:
    text: str
    kind: str = "h"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[int]  # percent of the text width
    kind: str = "table"
    size: int = 13  # points, header and rows
    # One letter per column, "L", "C" or "R"; empty: the first and fourth columns and long
    # texts to the left, the rest centred (the minutes' and resolutions' tables).
    align: str = ""


@dataclass
class SignColumn:
    titles: list[str] = field(default_factory=list)  # "T/M CHI BỘ", "BÍ THƯ"
    name: str = ""
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận" lines, left column only


@dataclass
class Doc:
    kind: str  # "minutes" | "resolution"
    anchor: str
    upper_body: str
    issuer: str
    number: str
    place_date: str
    doc_type: str
    summary: str
    draft: bool
    body: list
    left: SignColumn
    right: SignColumn
    date: dt.date | None = None
    # The fixed lines of the format, replaceable for a document written in another language.
    party: str = "ĐẢNG CỘNG SẢN VIỆT NAM"
    recipients_label: str = "Nơi nhận:"

    @property
    def columns(self) -> list[SignColumn]:
        return [self.left, self.right]

    @property
    def symbol(self) -> str:
        return self.number.removeprefix("Số").strip()


def p(*runs, style="body") -> Para:
    return Para([r if isinstance(r, Run) else Run(r) for r in runs], style=style)


def paragraphs(text: str, style="body") -> list[Para]:
    """Free text as typed: one paragraph per non-empty line."""
    return [p(line.strip(), style=style) for line in (text or "").splitlines() if line.strip()]


# ---- Vietnamese formatting ----------------------------------------------------------


def day_month(d: dt.date) -> tuple[str, str]:
    """Days under 10 and months under 3 get a leading zero (HD 36: no one can add a digit)."""
    return f"{d.day:02d}", f"{d.month:02d}" if d.month < 3 else str(d.month)


def long_date(d: dt.date | None) -> str:
    if d is None:
        return f"ngày {BLANK} tháng {BLANK} năm {BLANK}"
    day, month = day_month(d)
    return f"ngày {day} tháng {month} năm {d.year}"


def short_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else BLANK


def clock(t: dt.datetime | None) -> str:
    if t is None:
        return f"{BLANK} giờ {BLANK} phút"
    t = timezone.localtime(t)
    return f"{t.hour:02d} giờ {t.minute:02d} phút"


def percent(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def vote_line(vote) -> str:
    return (
        f"Biểu quyết: {vote.yes}/{vote.eligible} đảng viên tán thành ({percent(vote.percent)}); "
        f"không tán thành: {vote.no}; không biểu quyết: {vote.abstain}."
    )


def upper(text: str) -> str:
    return (text or "").upper()


def _strip_prefix(name: str, prefixes) -> str | None:
    low = name.lower()
    for prefix in prefixes:
        if low.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return None


def cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def locality(cell: Organization, parent: Organization | None, meeting: Meeting) -> str:
    """The place in the date line: the village the cell is named after, else the commune,
    else where the meeting was held."""
    rest = _strip_prefix(cell.name, ("chi bộ",))
    if rest and any(rest.lower().startswith(w + " ") for w in PLACE_WORDS):
        return cap_first(rest)
    if parent is not None:
        commune = _strip_prefix(parent.name, ("đảng bộ", "đảng ủy"))
        if commune and any(commune.lower().startswith(w + " ") for w in COMMUNE_WORDS):
            return cap_first(commune)
    return meeting.place or BLANK


def committee_name(parent: Organization | None) -> str:
    """ "Đảng bộ xã An Bình" → "Đảng ủy xã An Bình": reports go to the committee."""
    if parent is None:
        return "Đảng ủy cấp trên"
    rest = _strip_prefix(parent.name, ("đảng bộ",))
    return f"Đảng ủy {rest}" if rest else parent.name


def meeting_day(meeting: Meeting) -> dt.date:
    return timezone.localtime(meeting.started_at or meeting.scheduled_at).date()


def period_text(meeting: Meeting) -> str:
    return f"tháng {meeting.period_month} năm {meeting.period_year}"


def summary_line(meeting: Meeting) -> str:
    period = period_text(meeting)
    topic = (meeting.topic or "").strip()
    match meeting.kind:
        case MeetingKind.REGULAR:
            return f"Sinh hoạt chi bộ thường kỳ {period}"
        case MeetingKind.THEMATIC:
            return f"Sinh hoạt chuyên đề: {topic}" if topic else f"Sinh hoạt chuyên đề {period}"
        case MeetingKind.COMBINED:
            text = f"Sinh hoạt chi bộ thường kỳ {period} kết hợp sinh hoạt chuyên đề"
            return f"{text}: {topic}" if topic else text
        case MeetingKind.COMMITTEE:
            return f"Họp chi ủy chuẩn bị sinh hoạt chi bộ {period}"
        case MeetingKind.LIAISON:
            return f"Họp chi bộ với đảng viên đang công tác sinh hoạt nơi cư trú năm {meeting.period_year}"
        case MeetingKind.YEAR_END:
            return f"Sinh hoạt chi bộ tổng kết năm {meeting.period_year}"
    return meeting.title or f"Sinh hoạt chi bộ bất thường ngày {short_date(meeting_day(meeting))}"


def review_months(meeting: Meeting) -> tuple[str, str]:
    """(assessed month, tasks month) for the resolution's headings.

    A cell meeting early in the month reviews the month before and sets this
    month's tasks; one late in the month reviews this month and sets the next's.
    """
    y, m = meeting.period_year, meeting.period_month
    prev = (y - 1, 12) if m == 1 else (y, m - 1)
    nxt = (y + 1, 1) if m == 12 else (y, m + 1)
    late = meeting_day(meeting).day > 15
    assessed, tasks = ((y, m), nxt) if late else (prev, (y, m))
    return tuple(f"THÁNG {mm} NĂM {yy}" for yy, mm in (assessed, tasks))


def person_name(member) -> str:
    return member.person.full_name if member is not None else BLANK


# ---- loading ------------------------------------------------------------------------


def meetings_for_documents(qs):
    """Everything the documents print, in a fixed number of queries whatever the count."""
    tasks = Task.objects.select_related("assignee__person").order_by("due_date", "id")
    return qs.select_related(
        # "quality": the meeting's quality score (quality app), printed with the closing step.
        "organization",
        "chair__person",
        "minutes_secretary__person",
        "quality",
    ).prefetch_related(
        Prefetch(
            "attendance",
            queryset=Attendance.objects.select_related("member__person").order_by(
                "member__person__sort_key", "id"
            ),
        ),
        "guests",
        "votes",
        Prefetch(
            "agenda",
            queryset=AgendaItem.objects.select_related("presenter__person", "reviews")
            .prefetch_related(
                Prefetch("speeches", queryset=Speech.objects.select_related("speaker__person")),
                Prefetch("reviews__tasks", queryset=tasks),
            )
            .order_by("order", "id"),
        ),
    )


def resolution_of(meeting: Meeting) -> Resolution | None:
    return (
        Resolution.objects.filter(meeting=meeting)
        .select_related("vote")
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=Task.objects.select_related("assignee__person").order_by("due_date", "id"),
            )
        )
        .first()
    )


# ---- minutes numbers ------------------------------------------------------------------


def _term_start(terms: list[Term], day: dt.date) -> dt.date:
    # Same rule as services.current_term_start, on terms loaded once (no query per meeting).
    covering = [
        t for t in terms if t.start_date <= day and (t.end_date is None or t.end_date >= day)
    ]
    return (
        max(covering, key=lambda t: t.start_date).start_date
        if covering
        else dt.date(day.year, 1, 1)
    )


@transaction.atomic
def minutes_numbers(org: Organization) -> dict[int, int]:
    """{meeting id: BB number} for the cell's approved minutes (numbered at approval)."""
    return dict(
        Meeting.objects.filter(
            organization=org, status__in=LOCKED_STATUSES, minutes_number__isnull=False
        ).values_list("id", "minutes_number")
    )


# ---- the header shared by both documents ------------------------------------------------


@dataclass
class CellInfo:
    cell: Organization
    parent: Organization | None

    @classmethod
    def of(cls, cell: Organization) -> CellInfo:
        return cls(cell, cell.parent_org())


def _doc(info: CellInfo, meeting: Meeting, **kw) -> Doc:
    day = meeting_day(meeting)
    return Doc(
        anchor=f"m-{meeting.uuid}",
        upper_body=upper(info.parent.name) if info.parent else "",
        issuer=upper(info.cell.name),
        place_date=f"{locality(info.cell, info.parent, meeting)}, {long_date(day)}",
        date=day,
        **kw,
    )


# ---- minutes --------------------------------------------------------------------------


def _attendance_blocks(meeting: Meeting) -> list:
    rows = list(meeting.attendance.all())
    s = services.attendance_summary(rows)
    excused = "; ".join(
        f"{a.member.person.full_name} ({a.reason})" if a.reason else a.member.person.full_name
        for a in s["absent_excused"]
    )
    unexcused = ", ".join(a.member.person.full_name for a in s["absent_unexcused"])
    rate = f" Tỷ lệ dự sinh hoạt: {percent(s['rate'])}." if s["rate"] is not None else ""
    blocks = [
        p(Run("Tình hình đảng viên dự sinh hoạt:", b=True)),
        p(
            f"- Tổng số đảng viên của chi bộ: {s['official'] + s['probationary']} đồng chí "
            f"(chính thức: {s['official']}, dự bị: {s['probationary']}); "
            f"đảng viên sinh hoạt tạm thời tại chi bộ: {s['temporary']} đồng chí.",
            style="item",
        ),
        p(
            f"- Được miễn sinh hoạt: {s['exempt']} đồng chí; đang sinh hoạt tạm thời nơi khác: "
            f"{s['transferred_out']} đồng chí; số đảng viên phải dự: {s['expected']} đồng chí.",
            style="item",
        ),
        p(
            f"- Có mặt: {s['present']} đồng chí (chính thức: {s['present_official']}, "
            f"dự bị: {s['present_probationary']}); đảng viên sinh hoạt tạm thời có mặt: "
            f"{s['temporary_present']} đồng chí.{rate}",
            style="item",
        ),
        p(
            f"- Vắng có lý do: {len(s['absent_excused'])} đồng chí"
            + (f": {excused}." if excused else "."),
            style="item",
        ),
        p(
            f"- Vắng không có lý do: {len(s['absent_unexcused'])} đồng chí"
            + (f": {unexcused}." if unexcused else "."),
            style="item",
        ),
    ]
    if s["unmarked"]:
        names = ", ".join(a.member.person.full_name for a in s["unmarked"])
        blocks.append(p(f"- Chưa điểm danh: {len(s['unmarked'])} đồng chí: {names}.", style="item"))
    return blocks


def _review_table(resolution: Resolution) -> list:
    rows = []
    for n, t in enumerate(resolution.tasks.all(), 1):
        who = f"Đ/c {t.assignee.person.full_name}" if t.assignee else t.assignee_group
        result = TASK_STATUS_VI.get(t.status, t.status)
        if t.result:
            result = f"{result}: {t.result}"
        rows.append([str(n), t.description, who, result])
    title = (
        f"Kết quả thực hiện Nghị quyết số {resolution.symbol}:"
        if resolution.symbol
        else "Kết quả thực hiện nghị quyết tháng trước:"
    )
    if not rows:
        return [p(Run(title, i=True)), p("Nghị quyết không có nhiệm vụ phân công cụ thể.")]
    return [
        p(Run(title, i=True)),
        Table(["TT", "Nhiệm vụ", "Người thực hiện", "Kết quả"], rows, [7, 43, 22, 28]),
    ]


def _item_blocks(n: int, item: AgendaItem) -> list:
    blocks: list = [p(Run(f"{n}. {item.title}", b=True), style="item")]
    if item.presenter_id:
        blocks.append(p(Run(f"Trình bày: đồng chí {item.presenter.person.full_name}.", i=True)))
    if item.reviews_id:
        blocks += _review_table(item.reviews)
    blocks += paragraphs(item.notes)
    speeches = list(item.speeches.all())
    if speeches:
        blocks.append(p(Run("Ý kiến phát biểu:", i=True)))
        for s in speeches:
            blocks.append(
                p(
                    Run(f"- Đồng chí {s.speaker.person.full_name}: ", b=True),
                    s.summary,
                    style="item",
                )
            )
    if item.conclusion.strip():
        lines = [line.strip() for line in item.conclusion.splitlines() if line.strip()]
        blocks.append(p(Run("Kết luận: ", b=True), lines[0]))
        blocks += [p(line) for line in lines[1:]]
    return blocks


def _points(value) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return text.removesuffix(",0")


def _quality_blocks(meeting: Meeting) -> list:
    """The quality score written into the minutes (brief §2.7: the self-score and, once given,
    the confirmation by the level above), when the meeting has been scored."""
    score = getattr(meeting, "quality", None)  # reverse one-to-one: None when not scored
    if score is None:
        return []
    with translation.override("vi"):
        own = f"{_points(score.self_total)} điểm, xếp loại {score.get_self_level_display()}"
        blocks = [p(Run("Chi bộ tự đánh giá chất lượng buổi sinh hoạt: ", b=True), f"{own}.")]
        if score.confirmed_total is not None:
            above = (
                f"{_points(score.confirmed_total)} điểm, xếp loại "
                f"{score.get_confirmed_level_display()}"
            )
            blocks.append(p(Run("Cấp trên xác nhận: ", b=True), f"{above}."))
    return blocks


def minutes_doc(meeting: Meeting, info: CellInfo, number: int | None) -> Doc:
    """The minutes (biên bản) of one meeting loaded through meetings_for_documents()."""
    draft = meeting.status not in LOCKED_STATUSES
    start_day = meeting_day(meeting) if meeting.started_at else None
    body: list = [
        p(
            Run("Thời gian: ", b=True),
            f"Bắt đầu lúc {clock(meeting.started_at)}, {long_date(start_day)}.",
        ),
        p(Run("Địa điểm: ", b=True), f"{meeting.place or BLANK}."),
        p(Run("Chủ trì: ", b=True), f"đồng chí {person_name(meeting.chair)}."),
        p(Run("Thư ký: ", b=True), f"đồng chí {person_name(meeting.minutes_secretary)}."),
    ]
    guests = list(meeting.guests.all())
    if guests:
        body.append(p(Run("Đại biểu dự:", b=True)))
        for g in guests:
            text = f"- Đồng chí {g.name}" + (f", {g.title}" if g.title else "")
            text += " (đại biểu cấp trên)." if g.is_supervisor else "."
            body.append(p(text, style="item"))
    body += _attendance_blocks(meeting)
    body.append(Heading("NỘI DUNG SINH HOẠT"))
    items = list(meeting.agenda.all())
    votes = list(meeting.votes.all())
    for step, heading in STEP_HEADINGS.items():
        in_step = [i for i in items if i.step == step]
        if not in_step and not (step == Step.CLOSING and votes):
            continue
        body.append(Heading(heading))
        for n, item in enumerate(in_step, 1):
            body += _item_blocks(n, item)
        if step == Step.CLOSING and votes:
            body.append(p(Run("Kết quả biểu quyết:", b=True)))
            for v in votes:
                body.append(p(Run(f"- {v.motion}. ", b=True), vote_line(v), style="item"))
    body += _quality_blocks(meeting)
    end_day = timezone.localtime(meeting.ended_at).date() if meeting.ended_at else None
    same_day = end_day is not None and end_day == start_day
    body.append(
        p(
            f"Buổi sinh hoạt kết thúc vào lúc {clock(meeting.ended_at)}"
            + (" cùng ngày." if same_day else f", {long_date(end_day)}.")
        )
    )
    if not draft:
        body.append(
            p(
                "Biên bản đã được đọc lại trước chi bộ; các đồng chí dự sinh hoạt nhất trí "
                "thông qua."
            )
        )
    return _doc(
        info,
        meeting,
        kind="minutes",
        number=f"Số {number:02d}-BB/CB" if number else "Số      -BB/CB",
        doc_type="BIÊN BẢN",
        summary=summary_line(meeting),
        draft=draft,
        body=body,
        left=SignColumn(["THƯ KÝ"], person_name(meeting.minutes_secretary)),
        right=SignColumn(["CHỦ TRÌ"], person_name(meeting.chair)),
    )


# ---- resolution ----------------------------------------------------------------------------


def signer(meeting: Meeting) -> tuple[str, str]:
    """(title, name) of who signs for the cell: its secretary on the day, else a deputy, else the chair."""
    day = meeting_day(meeting)
    roles = (
        RoleAssignment.objects.active(day)
        .filter(organization_id=meeting.organization_id, role__in=(Role.SECRETARY, Role.DEPUTY))
        .select_related("user__member__person")
        .order_by("-role", "-valid_from")  # "secretary" sorts after "deputy"
    )
    for ra in roles:
        name = ra.user.member.person.full_name if ra.user.member_id else ra.user.get_full_name()
        if name:
            return ("BÍ THƯ" if ra.role == Role.SECRETARY else "PHÓ BÍ THƯ"), name
    return "BÍ THƯ", person_name(meeting.chair)


def resolution_doc(meeting: Meeting, resolution: Resolution, info: CellInfo) -> Doc:
    is_resolution = resolution.kind == ResolutionKind.RESOLUTION
    attendance = services.attendance_summary(list(meeting.attendance.all()))
    assessed, tasks_month = review_months(meeting)
    body: list = [
        p(Run("- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;", i=True), style="item"),
        p(
            Run(
                f"- Căn cứ kết quả sinh hoạt chi bộ {long_date(meeting_day(meeting))}, "
                f"với {attendance['present']} đảng viên dự,",
                i=True,
            ),
            style="item",
        ),
        p(
            Run("CHI BỘ QUYẾT NGHỊ:" if is_resolution else "CHI BỘ KẾT LUẬN:", b=True),
            style="center",
        ),
        Heading(f"I. ĐÁNH GIÁ KẾT QUẢ {assessed}"),
        *(paragraphs(resolution.assessment) or [p(BLANK)]),
        Heading(f"II. NHIỆM VỤ {tasks_month}"),
        *paragraphs(resolution.directions),
    ]
    rows = [
        [
            str(n),
            t.description,
            f"Đ/c {t.assignee.person.full_name}" if t.assignee else t.assignee_group,
            short_date(t.due_date) if t.due_date else "",
        ]
        for n, t in enumerate(resolution.tasks.all(), 1)
    ]
    if rows:
        body.append(p(Run("Phân công thực hiện:", i=True)))
        body.append(
            Table(["TT", "Nhiệm vụ", "Người/bộ phận thực hiện", "Thời hạn"], rows, [7, 53, 25, 15])
        )
    body += [
        Heading("III. TỔ CHỨC THỰC HIỆN"),
        p(
            "Chi ủy (bí thư) chi bộ có trách nhiệm lãnh đạo, tổ chức thực hiện "
            + ("nghị quyết" if is_resolution else "kết luận")
            + "; đảng viên được phân công chủ động thực hiện nhiệm vụ và báo cáo kết quả tại "
            "kỳ sinh hoạt chi bộ tiếp theo."
        ),
    ]
    if resolution.vote_id:
        body.append(
            p(
                "Nghị quyết đã được chi bộ biểu quyết thông qua. " if is_resolution else "",
                Run(vote_line(resolution.vote), b=True),
            )
        )
    title, name = signer(meeting)
    if is_resolution:
        number = f"Số {resolution.symbol}" if resolution.symbol else "Số      -NQ/CB"
    else:
        number = f"Số {resolution.symbol}" if resolution.symbol else "Số      -KL/CB"
    return _doc(
        info,
        meeting,
        kind="resolution",
        number=number,
        doc_type="NGHỊ QUYẾT" if is_resolution else "KẾT LUẬN",
        summary=resolution.summary.strip() or f"Sinh hoạt chi bộ {period_text(meeting)}",
        draft=False,
        body=body,
        left=SignColumn(recipients=[f"- {committee_name(info.parent)} (b/c);", "- Lưu chi bộ."]),
        right=SignColumn(["T/M CHI BỘ", title], name),
    )


# ---- entry points ------------------------------------------------------------------------


def minutes_for(meeting: Meeting) -> Doc:
    meeting = meetings_for_documents(Meeting.objects.filter(pk=meeting.pk)).get()
    numbers = minutes_numbers(meeting.organization) if meeting.is_locked else {}
    return minutes_doc(meeting, CellInfo.of(meeting.organization), numbers.get(meeting.pk))


def resolution_for(meeting: Meeting, resolution: Resolution) -> Doc:
    meeting = (
        Meeting.objects.prefetch_related("attendance")
        .select_related("organization", "chair__person")
        .get(pk=meeting.pk)
    )
    return resolution_doc(meeting, resolution, CellInfo.of(meeting.organization))


def book_meetings(org: Organization, start: dt.date, end: dt.date) -> list[Meeting]:
    """The cell's approved meetings held in [start, end], in date order."""
    low = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    high = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    qs = Meeting.objects.filter(
        organization=org,
        status__in=LOCKED_STATUSES,
        started_at__gte=low,
        started_at__lt=high,
    ).order_by("started_at", "id")
    return list(meetings_for_documents(qs))


def book_docs(info: CellInfo, meetings: list[Meeting]) -> list[Doc]:
    numbers = minutes_numbers(info.cell) if meetings else {}
    return [minutes_doc(m, info, numbers.get(m.pk)) for m in meetings]
