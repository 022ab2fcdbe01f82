"""Meeting-quality rubrics and scores (brief §2.6–2.7, issue 5 items 1–2).

A province defines a rubric per meeting kind, versioned by the date it takes effect: criterion
groups and criteria with their maximum points, the criteria that must score full marks for the
top level, the level thresholds and the annual rule. A meeting is judged by the rubric in force
on its date (`quality.services.rubric_in_force`). Once a version has scored a meeting it is frozen: a change is a
new version from a later date, so past scores keep the rules they were given under.

A meeting's score has two columns, as on the paper sheet: the cell committee's self-score
(written into the minutes) and the confirmation by the attending supervisor or the committee
above. Criteria the data decides are filled in automatically with the reason shown; the final
level is the confirmed one, else the self-assessed one.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from meetings.models import Meeting
from organizations.models import Organization


class QualityLevel(models.TextChoices):
    """The four levels of a meeting (brief §2.6: tốt / khá / trung bình / kém)."""

    GOOD = "good", pgettext_lazy("meeting quality", "Good")
    FAIR = "fair", pgettext_lazy("meeting quality", "Fair")
    AVERAGE = "average", pgettext_lazy("meeting quality", "Average")
    WEAK = "weak", pgettext_lazy("meeting quality", "Weak")


# Higher is better: compares levels ("none below fair") and orders the counts.
QUALITY_RANK = {
    QualityLevel.WEAK: 0,
    QualityLevel.AVERAGE: 1,
    QualityLevel.FAIR: 2,
    QualityLevel.GOOD: 3,
}
QUALITY_DESC = (QualityLevel.GOOD, QualityLevel.FAIR, QualityLevel.AVERAGE, QualityLevel.WEAK)


class RubricKind(models.TextChoices):
    """Which meetings a rubric judges: regular monthly meetings, or thematic ones (Nghệ An's
    Biểu 1 / Biểu 2). A combined meeting is judged as a regular one."""

    REGULAR = "regular", _("Regular meetings")
    THEMATIC = "thematic", _("Thematic meetings")


class AutoRule(models.TextChoices):
    """Criteria the meeting's data decides (meetings.services.compute_checks). The parameter,
    where one is used, is on the criterion (e.g. 85 for "attendance above 85 %")."""

    ATTENDANCE_RATE = "attendance_rate", _("Attendance above the rate (%)")
    NO_UNEXCUSED = "no_unexcused", _("No unexcused absence")
    NO_CONSECUTIVE = "no_consecutive", _("No member absent more than 3 times in a row this year")
    DURATION = "duration", _("Lasted at least the minimum (90 min; 120 combined)")
    COMMITTEE_MEETING = "committee_meeting", _("Cell committee met beforehand")
    DOCUMENTS_ON_TIME = "documents_on_time", _("Documents posted at least 1 day ahead")
    SPEAKERS_SHARE = "speakers_share", _("Share of those present who spoke (%)")
    MINUTES_COMPLETE = "minutes_complete", _("Minutes complete (chair, secretary, times, items)")
    RESOLUTION = "resolution", _("Resolution or conclusion adopted")


class Rubric(models.Model):
    """One version of a province's score sheet for one kind of meeting."""

    TENANT_PATH = "organization__"
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # The organization that issued it: the province (or, later, a committee below it).
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="quality_rubrics",
        verbose_name=_("issued by"),
    )
    kind = models.CharField(_("meetings judged"), max_length=12, choices=RubricKind.choices)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("basis"),
        max_length=300,
        blank=True,
        help_text=_("The guidance or decision it follows, e.g. HD 12-HD/BTCTW 2018."),
    )
    effective_from = models.DateField(_("in force from"))
    # What the criteria add up to (100 on every sheet seen so far, brief §2.7).
    total_points = models.DecimalField(
        _("total points"), max_digits=5, decimal_places=1, default=Decimal(100)
    )
    # Minimum total for each level (the weakest level has none): default 90 / 70 / 50 of 100.
    good_from = models.DecimalField(_("good from (points)"), max_digits=5, decimal_places=1)
    fair_from = models.DecimalField(_("fair from (points)"), max_digits=5, decimal_places=1)
    average_from = models.DecimalField(_("average from (points)"), max_digits=5, decimal_places=1)
    # The annual rule: a cell's year is "good" with at least `year_good_min` good meetings and
    # none below `year_good_floor`; "fair" with none below `year_fair_floor`; else "average"
    # with none below `year_average_floor`; else weak (Phú Thọ's rule, brief §2.7).
    year_good_min = models.PositiveSmallIntegerField(
        _("good meetings needed for a good year"), default=7
    )
    year_good_floor = models.CharField(
        _("no meeting below, for a good year"),
        max_length=8,
        choices=QualityLevel.choices,
        default=QualityLevel.FAIR,
    )
    year_fair_floor = models.CharField(
        _("no meeting below, for a fair year"),
        max_length=8,
        choices=QualityLevel.choices,
        default=QualityLevel.AVERAGE,
    )
    year_average_floor = models.CharField(
        _("no meeting below, for an average year"),
        max_length=8,
        choices=QualityLevel.choices,
        default=QualityLevel.WEAK,
    )
    preset = models.CharField(max_length=32, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quality rubric")
        verbose_name_plural = _("quality rubrics")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "effective_from"], name="rubric_one_per_date"
            ),
            models.CheckConstraint(
                condition=models.Q(good_from__gt=models.F("fair_from"))
                & models.Q(fair_from__gt=models.F("average_from"))
                & models.Q(average_from__gte=0),
                name="rubric_thresholds_descend",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("quality:rubric", args=[self.uuid])

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.all_criteria()), Decimal(0))

    def all_criteria(self) -> list["Criterion"]:
        """Criteria in sheet order; uses prefetched groups/criteria when present."""
        return [c for g in self.groups.all() for c in g.criteria.all()]

    def level_for(self, total, top_ok: bool = True) -> str:
        """The level of a total; the top level also needs full marks on the criteria marked
        for it, else it drops to fair (Bình Thuận's rule, brief §2.7)."""
        if total is None:
            return ""
        if total >= self.good_from:
            return QualityLevel.GOOD if top_ok else QualityLevel.FAIR
        if total >= self.fair_from:
            return QualityLevel.FAIR
        if total >= self.average_from:
            return QualityLevel.AVERAGE
        return QualityLevel.WEAK


class CriterionGroup(models.Model):
    TENANT_PATH = "rubric__organization__"
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("group"), max_length=200)

    class Meta:
        verbose_name = _("criterion group")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    TENANT_PATH = "group__rubric__organization__"
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("criterion"), max_length=400)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))],
    )
    required_for_top = models.BooleanField(
        _("full marks needed for “good”"),
        default=False,
        help_text=_("A meeting missing points here cannot be rated good, whatever its total."),
    )
    auto_rule = models.CharField(
        _("decided by the data"), max_length=24, choices=AutoRule.choices, blank=True
    )
    auto_param = models.DecimalField(
        _("rate (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("For a rate rule: the share to exceed, e.g. 85."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class ScoreStatus(models.TextChoices):
    SELF_SCORED = "self_scored", _("Self-scored by the cell")
    CONFIRMED = "confirmed", _("Confirmed by the level above")


class ConfirmerRole(models.TextChoices):
    SUPERVISOR = "supervisor", _("The attending supervisor")
    COMMITTEE = "committee", _("The committee above")


class MeetingScore(models.Model):
    """The quality score of one meeting under the rubric in force on its date."""

    TENANT_PATH = "meeting__organization__"
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="quality")
    # Denormalised from the meeting for the board and the reports (one indexed scan).
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("cell")
    )
    period_year = models.PositiveSmallIntegerField(_("year"))
    period_month = models.PositiveSmallIntegerField(_("month"))
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="scores")
    status = models.CharField(_("status"), max_length=12, choices=ScoreStatus.choices)
    self_total = models.DecimalField(_("self-score"), max_digits=5, decimal_places=1)
    self_level = models.CharField(
        _("self-assessed level"), max_length=8, choices=QualityLevel.choices
    )
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    self_on = models.DateField(_("self-scored on"))
    confirmed_total = models.DecimalField(
        _("confirmed score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    confirmed_level = models.CharField(
        _("confirmed level"), max_length=8, choices=QualityLevel.choices, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    confirmer_role = models.CharField(
        _("confirmed by"), max_length=12, choices=ConfirmerRole.choices, blank=True
    )
    confirm_note = models.TextField(_("remarks of the level above"), blank=True)
    # The final level: the confirmed one, else the self-assessed one (kept for the reports).
    final_level = models.CharField(_("level"), max_length=8, choices=QualityLevel.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting quality score")
        verbose_name_plural = _("meeting quality scores")
        indexes = [
            models.Index(
                fields=["organization", "period_year", "period_month"], name="score_cell_month"
            ),
            models.Index(
                fields=["province", "period_year", "period_month"], name="score_province_month"
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id}: {self.final_level}"

    def get_absolute_url(self):
        return reverse("quality:score", args=[self.meeting.uuid])


class CriterionScore(models.Model):
    """One line of the sheet: the automatic result (with its reason) and both columns."""

    TENANT_PATH = "score__meeting__organization__"
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    score = models.ForeignKey(MeetingScore, on_delete=models.CASCADE, related_name="lines")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    auto_points = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    auto_reason = models.CharField(max_length=300, blank=True)
    self_points = models.DecimalField(_("self-score"), max_digits=5, decimal_places=1)
    confirmed_points = models.DecimalField(
        _("confirmed score"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("criterion score")
        constraints = [
            models.UniqueConstraint(fields=["score", "criterion"], name="criterion_score_once"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.self_points}"
