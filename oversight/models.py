"""Oversight of cells by the levels above (brief §2.8, §15 seed 001; issue 5 items 3, 4, 6).

* Who follows which cell: meetings.SupervisorAssignment (a higher-committee member, already
  notified of the cell's meetings), plus working groups (tổ công tác) that follow a set of
  cells, and cross-attendance pairs between cell secretaries (dự sinh hoạt chéo).
* The visit rule of a committee: each cell below it visited at least N times a quarter.
* Visits: planned on a supervisor's schedule, then reported (observed score and level,
  strengths, shortcomings, recommendations). A visit to a meeting may confirm its quality score.
* Inspection and supervision plans (kiểm tra, giám sát) per committee and year, the inspections
  of organizations and members, their conclusions and the follow-up of each conclusion.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from meetings.models import Meeting
from members.models import Member
from organizations.models import Organization
from quality.models import QualityLevel


class WorkingGroup(models.Model):
    """A working group of a committee (tổ công tác, brief §2.8 Bắc Kạn) that attends the
    meetings of the cells it is given for a period."""

    TENANT_PATH = "organization__"
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="working_groups",
        verbose_name=_("committee"),
    )
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="working_groups", verbose_name=_("members")
    )
    cells = models.ManyToManyField(
        Organization, related_name="followed_by_groups", verbose_name=_("cells followed")
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[members, cells])

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("oversight:group", args=[self.uuid])


class CrossAttendance(models.Model):
    """A cell secretary assigned to attend another cell's meetings for a period (seed 001:
    secretaries attend other cells monthly)."""

    TENANT_PATH = "organization__"
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # The committee that organised the exchange.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("committee")
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cross_attendances",
        verbose_name=_("secretary attending"),
    )
    from_cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("their cell")
    )
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("cell visited")
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cross-attendance")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_cell=models.F("cell")), name="cross_attendance_other_cell"
            ),
        ]

    def __str__(self):
        return f"{self.visitor_id}: {self.from_cell_id} → {self.cell_id}"


class VisitPolicy(models.Model):
    """How often each cell below a committee must be visited by the level above: at least
    `visits_per_quarter` visits a quarter (seed 001: once a quarter), from a date."""

    TENANT_PATH = "organization__"
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="visit_policies"
    )
    visits_per_quarter = models.PositiveSmallIntegerField(
        _("visits per cell and quarter"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    effective_from = models.DateField(_("in force from"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit rule")
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "effective_from"], name="visit_policy_one_per_date"
            ),
        ]

    def __str__(self):
        return f"{self.organization_id}: {self.visits_per_quarter}/quarter"


class VisitKind(models.TextChoices):
    SUPERVISOR = "supervisor", _("Committee member following the cell")
    WORKING_GROUP = "working_group", _("Working group")
    CROSS = "cross", _("Cross-attendance by a secretary")
    OTHER = "other", _("Other upper-level cadre")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("visit", "Planned")
    REPORTED = "reported", _("Reported")
    CANCELLED = "cancelled", pgettext_lazy("visit", "Cancelled")


class Visit(models.Model):
    """A visit to a cell (dự sinh hoạt chi bộ): planned on a supervisor's schedule, then
    reported. Usually to one of the cell's meetings."""

    TENANT_PATH = "cell__"
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="visits", verbose_name=_("cell")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("meeting attended"),
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("visitor"),
    )
    kind = models.CharField(_("as"), max_length=16, choices=VisitKind.choices)
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    planned_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    # The report.
    observed_total = models.DecimalField(
        _("score observed"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    observed_level = models.CharField(
        _("quality observed"), max_length=8, choices=QualityLevel.choices, blank=True
    )
    strengths = models.TextField(_("strengths"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit to a cell")
        verbose_name_plural = _("visits to cells")
        ordering = ["-planned_on", "-pk"]
        indexes = [
            models.Index(fields=["cell", "planned_on"], name="visit_cell_date"),
            models.Index(fields=["province", "planned_on"], name="visit_province_date"),
            models.Index(fields=["visitor", "planned_on"], name="visit_visitor_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="reported") | models.Q(reported_on__isnull=False),
                name="visit_reported_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.visitor_id} → {self.cell_id} {self.planned_on}"

    def get_absolute_url(self):
        return reverse("oversight:visit", args=[self.uuid])


class VisitNoticeKind(models.TextChoices):
    PLANNED = "planned", _("Visit planned")
    REPORTED = "reported", _("Visit report filed")
    CANCELLED = "cancelled", _("Visit cancelled")


class VisitNotice(models.Model):
    """An e-mail about a visit (planned: to the cell's secretary; reported: to the secretary and
    the committee staff): the evidence that they were told, as meetings.Notice."""

    TENANT_PATH = "visit__cell__"
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=12, choices=VisitNoticeKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list)
    without_email = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.kind} {self.visit_id}"


class InspectionPlan(models.Model):
    """A committee's inspection and supervision programme for a year (chương trình kiểm tra,
    giám sát; seed 002)."""

    TENANT_PATH = "organization__"
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="inspection_plans",
        verbose_name=_("committee"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number"), max_length=60, blank=True)
    approved_on = models.DateField(_("adopted on"), null=True, blank=True)
    summary = models.TextField(_("content"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection and supervision plan")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="inspection_plan_year"),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.year}"

    def get_absolute_url(self):
        return reverse("oversight:plan", args=[self.uuid])


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection (kiểm tra)")
    SUPERVISION = "supervision", _("Supervision (giám sát)")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("inspection", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("inspection", "In progress")
    CONCLUDED = "concluded", _("Concluded")


class Inspection(models.Model):
    """One inspection or supervision of an organization or a member, with its conclusion."""

    TENANT_PATH = "organization__"
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # The committee carrying it out.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("by")
    )
    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("plan"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices)
    # The subject: an organization below, or a member (then their cell is `subject_org`).
    subject_org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="inspected",
        verbose_name=_("organization inspected"),
    )
    subject_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("member inspected"),
    )
    topic = models.CharField(_("content"), max_length=400)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    planned_from = models.DateField(_("planned from"))
    planned_to = models.DateField(_("planned to"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion_no = models.CharField(_("conclusion number"), max_length=60, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    violation_found = models.BooleanField(_("violations found"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection or supervision")
        verbose_name_plural = _("inspections and supervisions")
        ordering = ["-planned_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="concluded") | models.Q(concluded_on__isnull=False),
                name="inspection_concluded_has_date",
            ),
        ]

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("oversight:inspection", args=[self.uuid])

    @property
    def subject_name(self) -> str:
        """The member inspected (with their cell) or the organization; needs subject_org and
        subject_member__person loaded."""
        if self.subject_member_id:
            return f"{self.subject_member.person.full_name} ({self.subject_org.name})"
        return self.subject_org.name


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, on):
        """Not done and past their due date on `on` (the day itself is still in time)."""
        return self.filter(done_on__isnull=True, due_on__lt=on)


class FollowUp(models.Model):
    """What a conclusion asks to be done, by whom and when, and whether it was (theo dõi
    thực hiện kết luận)."""

    TENANT_PATH = "inspection__organization__"
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField(_("to do"), max_length=400)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=400, blank=True)

    history = HistoricalRecords()
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up of a conclusion")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.text

    def is_overdue(self, on) -> bool:
        return self.done_on is None and self.due_on is not None and self.due_on < on


class ReminderTopic(models.TextChoices):
    """What a reminder from the compliance board is about, and so who receives it."""

    REGULAR = "regular", _("The month's regular meeting is not held")
    MINUTES = "minutes", _("The minutes are not approved")
    THEMATIC = "thematic", _("No thematic meeting this quarter")
    VISIT = "visit", _("Not visited this quarter")


class Reminder(models.Model):
    """A reminder sent from a committee's compliance board about one cell and one month: to the
    cell's secretary and deputy for its meetings and minutes, to the cadres following the cell
    for a missing visit. Kept to show who was reminded and when."""

    TENANT_PATH = "cell__"
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # The committee whose board sent it.
    committee = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="board_reminders")
    period_year = models.PositiveSmallIntegerField(_("year"))
    period_month = models.PositiveSmallIntegerField(_("month"))
    topics = models.JSONField(default=list)  # ReminderTopic values
    # [{"name": …, "email": …}] of those e-mailed; names of those without an address.
    recipients = models.JSONField(default=list)
    without_email = models.JSONField(default=list)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder from the compliance board")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(
                fields=["cell", "period_year", "period_month"], name="reminder_cell_month"
            ),
        ]

    def __str__(self):
        return f"{self.cell_id} {self.period_month:02d}/{self.period_year}: {self.topics}"

    @property
    def recipient_names(self) -> list[str]:
        return [r.get("name", "") for r in self.recipients]
