"""The monthly meeting cycle: schedules, meetings, attendance, minutes, votes, resolutions, tasks.

State changes go through the named service functions in meetings/services.py, one per
transition. Approving the minutes freezes the roster: the Attendance rows are the
snapshot of who was expected and who came, so later transfers never rewrite history.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Member
from organizations.models import CellType, Organization


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly meeting")
    THEMATIC = "thematic", _("Thematic meeting")
    COMBINED = "combined", _("Regular and thematic combined")
    COMMITTEE = "committee", _("Cell-committee meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    LIAISON = "liaison_213", _("Meeting with working members (QĐ 213)")
    YEAR_END = "year_end", _("Year-end review")


# Kinds that count as the month's regular meeting, and as the quarter's thematic one.
REGULAR_KINDS = (MeetingKind.REGULAR, MeetingKind.COMBINED)
THEMATIC_KINDS = (MeetingKind.THEMATIC, MeetingKind.COMBINED)
# Minimum duration in minutes (HD 12-2018, HD 42-2025): 90, or 120 for a combined session.
MIN_MINUTES = {MeetingKind.REGULAR: 90, MeetingKind.THEMATIC: 90, MeetingKind.COMBINED: 120}


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PREPARED = "prepared", _("Prepared")
    NOTICE_SENT = "notice_sent", _("Notice sent")
    IN_PROGRESS = "in_progress", pgettext_lazy("meeting status", "In progress")
    APPROVED = "approved", _("Minutes approved")
    ARCHIVED = "archived", _("Archived")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


LOCKED_STATUSES = (MeetingStatus.APPROVED, MeetingStatus.ARCHIVED)
OPEN_STATUSES = (
    MeetingStatus.PLANNED,
    MeetingStatus.PREPARED,
    MeetingStatus.NOTICE_SENT,
    MeetingStatus.IN_PROGRESS,
)


class ScheduleRule(models.Model):
    """When a cell holds its regular meeting: e.g. the 5th of each month at 19:30, at the cultural house."""

    TENANT_PATH = "organization__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="schedule_rules",
        verbose_name=_("cell"),
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"), help_text=_("1–28, so every month has it.")
    )
    time = models.TimeField(_("time"), default=dt.time(19, 30))
    place = models.CharField(_("place"), max_length=200)
    duration_minutes = models.PositiveSmallIntegerField(_("planned duration (minutes)"), default=90)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting schedule")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day_of_month__gte=1, day_of_month__lte=28),
                name="schedule_day_1_28",
            ),
        ]

    def __str__(self):
        return f"{self.organization_id}: {self.day_of_month} {self.time:%H:%M}"


class MeetingQuerySet(models.QuerySet):
    def in_month(self, year: int, month: int):
        return self.filter(period_year=year, period_month=month)

    def regular(self):
        return self.filter(kind__in=REGULAR_KINDS)

    def held(self):
        return self.filter(status__in=(MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES))


class Meeting(models.Model):
    TENANT_PATH = "organization__"  # re-keyed when its cell moves to another province
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("cell")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    title = models.CharField(_("title"), max_length=250, blank=True)
    topic = models.CharField(
        _("topic"), max_length=250, blank=True, help_text=_("For a thematic meeting: its topic.")
    )
    # The month (and so the quarter) the meeting counts for, even when held a few days off.
    period_year = models.PositiveSmallIntegerField(_("year"))
    period_month = models.PositiveSmallIntegerField(_("month"))
    scheduled_at = models.DateTimeField(_("scheduled at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    prepares = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prepared_by",
        verbose_name=_("prepares the meeting"),
        help_text=_("For a cell-committee meeting: the regular meeting it prepares."),
    )
    # What the committee meeting agreed (preparation step).
    draft_resolution = models.TextField(_("draft resolution"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    chair = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    minutes_secretary = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes secretary"),
    )
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    # "Số NN-BB/CB": given when the minutes are approved, in the cell's term sequence.
    minutes_number = models.PositiveIntegerField(_("minutes number"), null=True, blank=True)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_note = models.CharField(_("reason"), max_length=300, blank=True)
    postponed_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="postponed_from"
    )
    # Checks computed when the minutes are approved (kept as data for reports).
    checks = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "checks"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["scheduled_at"]
        indexes = [
            models.Index(
                fields=["organization", "period_year", "period_month"], name="meeting_org_period"
            ),
            models.Index(
                fields=["province", "period_year", "period_month", "kind"],
                name="meeting_province_period",
            ),
            models.Index(fields=["scheduled_at"], name="meeting_scheduled"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_month__gte=1, period_month__lte=12),
                name="meeting_month_1_12",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(started_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.uuid])

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return _("%(kind)s, %(month)02d/%(year)s") % {
            "kind": self.get_kind_display(),
            "month": self.period_month,
            "year": self.period_year,
        }

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def quarter(self) -> int:
        return (self.period_month - 1) // 3 + 1

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at and self.ended_at:
            return int((self.ended_at - self.started_at).total_seconds() // 60)
        return None

    @property
    def min_minutes(self) -> int | None:
        return MIN_MINUTES.get(self.kind)

    @property
    def local_date(self) -> dt.date:
        return timezone.localtime(self.scheduled_at).date()


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda")
    DRAFT_RESOLUTION = "draft_resolution", _("Draft resolution")
    TOPIC_REPORT = "topic_report", _("Thematic report")
    UPPER_DOCUMENT = "upper_document", _("Document from the level above")
    OTHER = "other", _("Other")


class MeetingDocument(models.Model):
    """A document for members to read before the meeting (HD 42: posted at least one day ahead)."""

    TENANT_PATH = "meeting__organization__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/", blank=True)
    text = models.TextField(_("text"), blank=True)
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting document")
        ordering = ["posted_at"]

    def __str__(self):
        return self.title

    @property
    def posted_late(self) -> bool:
        return self.posted_at > self.meeting.scheduled_at - dt.timedelta(days=1)


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("Notice")
    REMINDER = "reminder", _("Reminder")
    CHANGE = "change", _("Change of time or place")


class Notice(models.Model):
    """An e-mail sent about a meeting (who, when, how many), kept as evidence of notification."""

    TENANT_PATH = "meeting__organization__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipients = models.JSONField(default=list)
    without_email = models.JSONField(default=list)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.kind} {self.sent_at:%d/%m/%Y}"


class AbsenceStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AbsenceRequest(models.Model):
    TENANT_PATH = "meeting__organization__"  # re-keyed when its cell moves to another province
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="absence_requests")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="absence_requests")
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=AbsenceStatus.choices, default=AbsenceStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("absence request")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="absence_one_per_meeting"),
        ]

    def __str__(self):
        return f"{self.member_id} @ {self.meeting_id}: {self.status}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    ABSENT_EXCUSED = "absent_excused", _("Absent with reason")
    ABSENT_UNEXCUSED = "absent_unexcused", _("Absent without reason")
    EXEMPT = "exempt", _("Exempt")
    TRANSFERRED_OUT = "transferred_out", _("Temporarily elsewhere")


PRESENT_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)
ABSENT_STATUSES = (AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED)
# Not in the denominator of the attendance rate (brief §2.6, §5.9).
NOT_EXPECTED_STATUSES = (AttendanceStatus.EXEMPT, AttendanceStatus.TRANSFERRED_OUT)


class RosterKind(models.TextChoices):
    HOME = "home", _("Member of the cell")
    TEMPORARY = "temporary", _("Temporarily attached")


class Attendance(models.Model):
    """One member's presence at a meeting; the set of rows is the roster snapshot."""

    TENANT_PATH = "meeting__organization__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendance")
    roster_kind = models.CharField(
        max_length=10, choices=RosterKind.choices, default=RosterKind.HOME
    )
    # The member's party status on the meeting day: only official members vote.
    member_status = models.CharField(max_length=16)
    status = models.CharField(
        _("attendance"), max_length=20, choices=AttendanceStatus.choices, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_one_per_member"),
        ]
        indexes = [models.Index(fields=["member", "meeting"], name="attendance_member")]

    def __str__(self):
        return f"{self.member_id} @ {self.meeting_id}: {self.status}"

    @property
    def is_present(self):
        return self.status in PRESENT_STATUSES


class SyncOutcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    UNCHANGED = "unchanged", _("Already so")
    STALE = "stale", _("A later mark was kept")


class AttendanceSync(models.Model):
    """One mark sent by the attendance sheet's queue (static/js/attendance-offline.js), by the
    id the phone gave it. A phone that lost its connection sends its queue again, maybe twice
    or after the answer was lost: the id makes a replay change nothing (no second history or
    audit entry), and `marked_at` lets the later mark win when two arrive out of order."""

    TENANT_PATH = "meeting__organization__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="syncs")
    client_id = models.UUIDField()
    # When the mark was made, by the phone's clock corrected by its offset from the server's.
    marked_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=SyncOutcome.choices)
    received_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "client_id"], name="attendance_sync_once"),
        ]

    def __str__(self):
        return f"{self.client_id}: {self.outcome}"


class Guest(models.Model):
    TENANT_PATH = "meeting__organization__"  # re-keyed when its cell moves to another province
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("position"), max_length=200, blank=True)
    is_supervisor = models.BooleanField(
        _("from the level above"),
        default=False,
        help_text=_(
            "The higher-committee member following the cell, or another upper-level cadre."
        ),
    )

    class Meta:
        verbose_name = _("guest")

    def __str__(self):
        return self.name


class Step(models.TextChoices):
    OPENING = "opening", _("Opening")
    PROCEEDINGS = "proceedings", _("Proceedings")
    CLOSING = "closing", _("Closing")


class AgendaItem(models.Model):
    TENANT_PATH = "meeting__organization__"  # re-keyed when its cell moves to another province
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("item"), max_length=300)
    presenter = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presenter"),
    )
    notes = models.TextField(_("proceedings"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    # An item the system added: the review of last month's resolution and its open tasks.
    reviews = models.ForeignKey(
        "Resolution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_in",
        verbose_name=_("reviews the resolution"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.title


class Speech(models.Model):
    TENANT_PATH = (
        "item__meeting__organization__"  # re-keyed when its cell moves to another province
    )
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speeches")
    speaker = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("speaker")
    )
    summary = models.TextField(_("opinion"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("speech")
        ordering = ["id"]

    def __str__(self):
        return f"{self.speaker_id}: {self.summary[:40]}"


class Vote(models.Model):
    """A show-of-hands vote on a motion. Only official members present may vote (Charter art. 3)."""

    TENANT_PATH = "meeting__organization__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    motion = models.CharField(_("motion"), max_length=300)
    eligible = models.PositiveSmallIntegerField(_("eligible voters"))
    yes = models.PositiveSmallIntegerField(_("for"))
    no = models.PositiveSmallIntegerField(_("against"), default=0)
    abstain = models.PositiveSmallIntegerField(_("abstain"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(yes__lte=models.F("eligible")), name="vote_yes_within_eligible"
            ),
        ]

    def __str__(self):
        return self.motion

    @property
    def adopted(self) -> bool:
        """More than half of the eligible members approve (QĐ 24 §9.3)."""
        return self.yes * 2 > self.eligible

    @property
    def percent(self) -> float:
        return round(self.yes * 100 / self.eligible, 1) if self.eligible else 0.0


class ResolutionKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    CONCLUSION = "conclusion", _("Conclusion")


class Resolution(models.Model):
    TENANT_PATH = "meeting__organization__"  # re-keyed when its cell moves to another province
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="resolution")
    kind = models.CharField(
        _("kind"), max_length=12, choices=ResolutionKind.choices, default=ResolutionKind.RESOLUTION
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    symbol = models.CharField(_("number and symbol"), max_length=40, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    assessment = models.TextField(_("results of the past month"), blank=True)
    directions = models.TextField(_("tasks and directions"), blank=True)
    vote = models.OneToOneField(
        Vote, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resolution")

    def __str__(self):
        return self.symbol or self.summary


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    # Not "Đang họp": a task in progress is being carried out.
    IN_PROGRESS = "in_progress", pgettext_lazy("task status", "In progress")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")


OPEN_TASK_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


class Task(models.Model):
    TENANT_PATH = "organization__"  # re-keyed when its cell moves to another province
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="tasks")
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="tasks")
    description = models.TextField(_("task"))
    assignee = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    assignee_group = models.CharField(
        _("or a group"),
        max_length=150,
        blank=True,
        help_text=_("e.g. the cell committee, a party group"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED
    )
    result = models.TextField(_("result"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("task")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["organization", "status"], name="task_org_status")]

    def __str__(self):
        return self.description[:60]

    @property
    def is_open(self):
        return self.status in OPEN_TASK_STATUSES


class TaskReport(models.Model):
    TENANT_PATH = "task__organization__"  # re-keyed when its cell moves to another province
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    member = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("progress"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class AgendaTemplate(models.Model):
    """The default agenda of a meeting kind, per province and cell type (HD 12-2018 / HD 42-2025)."""

    province = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the national default."),
    )
    kind = models.CharField(_("meeting kind"), max_length=16, choices=MeetingKind.choices)
    cell_type = models.CharField(
        _("cell type"),
        max_length=24,
        choices=CellType.choices,
        blank=True,
        help_text=_("Empty: every cell type."),
    )
    items = models.JSONField(_("items"), default=list, help_text=_("A list of {step, title}."))
    valid_from = models.DateField(_("valid from"), default=dt.date(2018, 7, 6))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda template")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.cell_type or '*'}"


class DocumentSequence(models.Model):
    """Document numbers run from 01 per document type within a committee term (HD 36 §II.1.3)."""

    TENANT_PATH = "organization__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    doc_type = models.CharField(max_length=8)
    term_start = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "doc_type", "term_start"], name="docseq_unique"
            ),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.doc_type} {self.term_start}: {self.last_number}"


class SupervisorAssignment(models.Model):
    """A higher-committee member who follows a cell for a period: notified of its meetings."""

    TENANT_PATH = "organization__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_cells"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="supervisors", verbose_name=_("cell")
    )
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_to = models.DateField(_("to"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cell followed by an upper-level cadre")

    def __str__(self):
        return f"{self.user_id} → {self.organization_id}"


class Amendment(models.Model):
    """A correction to approved (locked) minutes: who, when, why and what changed."""

    TENANT_PATH = "meeting__organization__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="amendments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason for the correction"), max_length=300)
    changes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.meeting_id}: {self.reason}"


class CalendarFeed(models.Model):
    """A secret address for an iCalendar feed: a user's meetings, or one cell's.

    The token is the only credential (calendar apps cannot log in), so it is long,
    random, revocable, and the feed carries no personal data beyond meeting times.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the user's own meetings."),
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"feed {self.user_id} {self.organization_id or 'me'}"


class Term(models.Model):
    """A committee term (nhiệm kỳ): from the day after a congress to the next congress."""

    TENANT_PATH = "organization__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="terms")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee term")
        ordering = ["-start_date"]

    def __str__(self):
        return (
            f"{self.start_date:%Y}–{self.end_date:%Y}"
            if self.end_date
            else f"{self.start_date:%Y}–"
        )
