"""Annual and quarterly review and quality rating of party members and party organizations
(kiểm điểm, đánh giá, xếp loại chất lượng): QĐ 366-QĐ/TW (30/8/2025) with HD 43-HD/BTCTW
(31/10/2025), after QĐ 124 (2023), QĐ 132 (2018) and HD 20/HD 27 (2008–2017). Brief §4, §12,
§14.2 G.

A ReviewCycle is one review run by one organization (a grassroots committee or cell, a committee
under the province, or the province) for a year or a quarter. Opening it creates a MemberReview
for every member of its subtree — excluded ones keep a row with the reason — and an
OrganizationReview for each collective. The level names of the rule set in force are copied
onto the cycle, so a past year keeps the names it was rated with.

State changes go through ratings/services.py, one function per step.
"""

import calendar
import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Member
from organizations.models import Organization


class Level(models.TextChoices):
    """The four levels (QĐ 132, 124 and 366 use the same four; older rules had other names,
    kept per cycle in ReviewCycle.level_names)."""

    EXCELLENT = "excellent", _("Completed tasks excellently")
    GOOD = "good", _("Completed tasks well")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")


# Higher is better: compares levels and orders the counts.
RANK = {Level.NOT_COMPLETED: 0, Level.COMPLETED: 1, Level.GOOD: 2, Level.EXCELLENT: 3}
LEVELS_DESC = (Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED)

# The four bands of the 100-point scale (QĐ 366 art. 11; brief §4.3): the lowest score of
# each level. The score gives the highest level a subject can get; the extra conditions
# (tasks exceeded, shortcomings fixed, no discipline…) may keep it lower.
BANDS = ((Decimal(90), Level.EXCELLENT), (Decimal(70), Level.GOOD), (Decimal(50), Level.COMPLETED))


def level_for_score(score) -> str:
    """The level a score on the 100-point scale falls in: ≥ 90, 70–< 90, 50–< 70, < 50."""
    score = Decimal(str(score))
    for floor, level in BANDS:
        if score >= floor:
            return level
    return Level.NOT_COMPLETED


class RuleSet(models.TextChoices):
    HD20_2008 = "hd20_2008", _("HD 20-HD/BTCTW (2008) and HD 27-HD/BTCTW (2014)")
    QD132_2018 = "qd132_2018", _("QĐ 132-QĐ/TW (2018)")
    QD124_2023 = "qd124_2023", _("QĐ 124-QĐ/TW (2023) and HD 25-HD/BTCTW")
    QD366_2025 = "qd366_2025", _("QĐ 366-QĐ/TW (2025) and HD 43-HD/BTCTW")


# The official names of the levels under each rule set (brief §4.1), copied onto each cycle
# when it is opened. They are the documents' own words, so they are stored in Vietnamese.
# The 2008–2017 names are marked [U] in the brief: check them before relying on them.
_FOUR = {
    Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Level.GOOD: "Hoàn thành tốt nhiệm vụ",
    Level.COMPLETED: "Hoàn thành nhiệm vụ",
    Level.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}
LEVEL_NAMES = {
    RuleSet.HD20_2008: {
        "member": {
            Level.EXCELLENT: "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ",
            Level.GOOD: "Đủ tư cách, hoàn thành tốt nhiệm vụ",
            Level.COMPLETED: "Đủ tư cách, hoàn thành nhiệm vụ nhưng còn hạn chế",
            Level.NOT_COMPLETED: "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ",
        },
        "organization": {
            Level.EXCELLENT: "Trong sạch, vững mạnh",
            Level.GOOD: "Hoàn thành tốt nhiệm vụ",
            Level.COMPLETED: "Hoàn thành nhiệm vụ",
            Level.NOT_COMPLETED: "Yếu kém",
        },
    },
    RuleSet.QD132_2018: {"member": _FOUR, "organization": _FOUR},
    RuleSet.QD124_2023: {"member": _FOUR, "organization": _FOUR},
    RuleSet.QD366_2025: {"member": _FOUR, "organization": _FOUR},
}
# Rule sets whose ratings are scored on 100 points; quarterly ratings came with them too.
SCORED = (RuleSet.QD366_2025,)


def rule_set_for(year: int) -> str | None:
    """The rule set in force for the review of `year` (brief §4.1), None before 2008.

    QĐ 124 is dated 04/10/2023 and QĐ 366 30/8/2025: each governs the year-end review of the
    year it was issued."""
    if year >= 2025:
        return RuleSet.QD366_2025
    if year >= 2023:
        return RuleSet.QD124_2023
    if year >= 2018:
        return RuleSet.QD132_2018
    if year >= 2008:
        return RuleSet.HD20_2008
    return None


class CapBase(models.TextChoices):
    # QĐ 124 (collectives) and Decree 335/2025: excellent ≤ 20 % of those rated "good".
    GOOD = "good", _("of those rated “completed tasks well”")
    GOOD_OR_ABOVE = "good_or_above", _("of those rated “completed tasks well” or above")


class CycleStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("review cycle", "Open")
    CLOSED = "closed", _("Closed")


class ReviewCycle(models.Model):
    TENANT_PATH = "organization__"  # re-keyed when the organization moves to another province
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="review_cycles",
        verbose_name=_("organization running the review"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Empty for the annual review."),
    )
    rule_set = models.CharField(_("rules"), max_length=12, choices=RuleSet.choices)
    # {"member": {level: name}, "organization": {level: name}}: the names in force then.
    level_names = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=8, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    # The cap on the top level within each group (members of one cell; collectives under one
    # parent). Empty: no cap. Brief §12: ≤ 20 % of "good" (QĐ 124; not verified for QĐ 366).
    excellent_cap_percent = models.PositiveSmallIntegerField(
        _("cap on “completed tasks excellently” (%)"),
        null=True,
        blank=True,
        default=20,
        validators=[MaxValueValidator(100)],
    )
    cap_base = models.CharField(
        _("cap counted"), max_length=16, choices=CapBase.choices, default=CapBase.GOOD
    )
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        ordering = ["-year", "-quarter", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter"], name="cycle_one_per_period"
            ),
            # NULL quarters are distinct in a unique constraint: one annual cycle per year.
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=models.Q(quarter__isnull=True),
                name="cycle_one_annual_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__isnull=True) | models.Q(quarter__gte=1, quarter__lte=4),
                name="cycle_quarter_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.period_label}"

    def get_absolute_url(self, org=None):
        return reverse("ratings:cycle", args=[(org or self.organization).uuid, self.uuid])

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN

    @property
    def is_scored(self) -> bool:
        return self.rule_set in SCORED

    @property
    def period_label(self) -> str:
        if self.quarter:
            return _("Quarter %(q)s/%(year)s") % {"q": self.quarter, "year": self.year}
        return _("Year %(year)s") % {"year": self.year}

    @property
    def period_start(self) -> dt.date:
        return (
            dt.date(self.year, 3 * self.quarter - 2, 1)
            if self.quarter
            else dt.date(self.year, 1, 1)
        )

    @property
    def period_end(self) -> dt.date:
        month = 3 * self.quarter if self.quarter else 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def level_name(self, level: str, subject: str = "member") -> str:
        """The name of a level as it was called in this cycle."""
        if not level:
            return ""
        return self.level_names.get(subject, {}).get(level) or Level(level).label


class FormType(models.TextChoices):
    """The self-review forms of HD 43 (brief §4.3). 2C is verified; 2A/2B follow HD 25's
    split between those holding leadership posts and the others [U]."""

    A = "2A", _("2A: members holding leadership or management posts")
    B = "2B", _("2B: members without leadership posts, working in the political system")
    C = "2C", _("2C: members not working in the political system (retired, private sector…)")


class ReviewStatus(models.TextChoices):
    EXCLUDED = "excluded", _("Not rated")
    PENDING = "pending", _("Waiting for the self-review")
    SELF_REVIEWED = "self_reviewed", _("Self-reviewed")
    PROPOSED = "proposed", pgettext_lazy("review status", "Proposed by the cell")
    DECIDED = "decided", _("Decided")
    # Brief §14.2 G: → KHIEU_NAI → DANH_GIA_LAI. The member disputes the decided level; the
    # superior answers, keeping or changing it, and the review is decided again.
    COMPLAINED = "complained", _("Complaint being answered")


class Exclusion(models.TextChoices):
    # QĐ 124 art. 5.2.1 (brief §4.2): not reviewed individually.
    EXEMPT = "exempt", _("Exempt from party work and activities")
    SUSPENDED = "suspended", _("Suspended from party activities")
    RECENTLY_ADMITTED = "recent", _("Admitted less than 6 months before the end of the period")


class MemberReview(models.Model):
    TENANT_PATH = "cycle__organization__"  # follows the cycle's organization
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="member_reviews")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("party member")
    )
    # The member's home cell when the cycle opened: it reviews and proposes, and it is the
    # group the cap on the top level is counted in.
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("cell")
    )
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices)
    form_type = models.CharField(_("self-review form"), max_length=2, choices=FormType.choices)
    exclusion = models.CharField(
        _("not rated because"), max_length=12, choices=Exclusion.choices, blank=True
    )
    exclusion_note = models.CharField(_("note"), max_length=300, blank=True)
    # Step 1: the member's self-review (bản tự kiểm điểm) and self-classification.
    results = models.TextField(_("results of the tasks"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    shortcomings = models.TextField(_("shortcomings and their causes"), blank=True)
    remedies = models.TextField(_("direction and measures to overcome them"), blank=True)
    self_score = models.DecimalField(
        _("self-assessed score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    self_level = models.CharField(
        _("self-assessed level"), max_length=16, choices=Level.choices, blank=True
    )
    self_reviewed_on = models.DateField(_("self-reviewed on"), null=True, blank=True)
    self_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Step 2: the cell's review meeting and vote on the proposed level.
    score = models.DecimalField(
        _("score (100-point scale)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    cell_level = models.CharField(
        _("level proposed by the cell"), max_length=16, choices=Level.choices, blank=True
    )
    cell_comment = models.TextField(_("the cell's comments"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_eligible = models.PositiveSmallIntegerField(
        _("members entitled to vote"), null=True, blank=True
    )
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Step 3: the competent superior decides.
    decided_level = models.CharField(
        _("level decided"), max_length=16, choices=Level.choices, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(_("decision / note"), max_length=300, blank=True)
    # Step 4 (when disputed): the member's complaint and the superior's answer (re-rating).
    complaint = models.TextField(_("complaint"), blank=True)
    complained_on = models.DateField(_("complaint lodged on"), null=True, blank=True)
    complained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    complaint_answer = models.TextField(_("answer to the complaint"), blank=True)
    complaint_answered_on = models.DateField(_("complaint answered on"), null=True, blank=True)
    complaint_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    level_before_complaint = models.CharField(
        _("level before the complaint"), max_length=16, choices=Level.choices, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member review")
        verbose_name_plural = _("member reviews")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member"], name="review_one_per_member"),
            models.CheckConstraint(
                condition=~models.Q(status="excluded") | ~models.Q(exclusion=""),
                name="review_excluded_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="decided") | ~models.Q(decided_level=""),
                name="review_decided_has_level",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="complained")
                | (~models.Q(complaint="") & ~models.Q(decided_level="")),
                name="review_complaint_has_text",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "cell", "status"], name="review_cycle_cell")]

    def __str__(self):
        return f"{self.member_id} {self.cycle_id}: {self.status}"

    def get_absolute_url(self):
        return reverse("ratings:review", args=[self.uuid])

    @property
    def current_level(self) -> str:
        """The decided level, else the cell's proposal: what the cap counts."""
        return self.decided_level or self.cell_level


class OrganizationReview(models.Model):
    TENANT_PATH = "organization__"  # re-keyed when the organization moves to another province
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="org_reviews")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("organization"),
    )
    score = models.DecimalField(
        _("score (100-point scale)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    proposed_level = models.CharField(
        _("level proposed"), max_length=16, choices=Level.choices, blank=True
    )
    decided_level = models.CharField(
        _("level decided"), max_length=16, choices=Level.choices, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(_("decision / note"), max_length=300, blank=True)
    # What the proposal was computed from (counts per level of members and collectives).
    basis = models.JSONField(default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization review")
        verbose_name_plural = _("organization reviews")
        ordering = ["organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"], name="org_review_one_per_org"
            ),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.cycle_id}: {self.decided_level or '-'}"
