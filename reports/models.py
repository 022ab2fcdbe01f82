"""The per-(cell, month) summary table every meeting and supervision roll-up reads.

One row per cell and month: whether a regular meeting was due and held, its attendance and
quality level, the month's thematic meetings, the visits of the level above. It is kept in
step with the data by reports.summary.recompute_cell_month, called at the end of each service
function that changes a figure, inside the same transaction; `manage.py rebuild_summaries`
rebuilds it from scratch. See docs/reports-summary.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

# The figures of a row, in the order of the table (all small non-negative counts).
COUNT_FIELDS = (
    "regular_due",
    "regular_held",
    "minutes_approved",
    "thematic_held",
    "committee_held",
    "expected",
    "present",
    "absent_excused",
    "absent_unexcused",
    "level_good",
    "level_fair",
    "level_average",
    "level_weak",
    "visits_reported",
    "cross_visits",
    "supervisors",
)


class CellMonth(models.Model):
    """What happened in one cell in one month (brief §15), as counts.

    The subtree of an organization is read through the cell's path (`cell__path` range, the
    organization index): a move of the cell needs no re-keying of these rows, and a move across
    provinces re-keys `province` through TENANT_PATH like every other tenant row.
    """

    TENANT_PATH = "cell__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    cell = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    # 1 when the cell existed during the month, so a regular meeting was due.
    regular_due = models.PositiveSmallIntegerField(default=0)
    # 1 when a regular (or combined) meeting of the month was held (in progress, approved,
    # archived); minutes_approved when its minutes are approved (approved, archived).
    regular_held = models.PositiveSmallIntegerField(default=0)
    minutes_approved = models.PositiveSmallIntegerField(default=0)
    # Thematic (or combined) meetings of the month held.
    thematic_held = models.PositiveSmallIntegerField(default=0)
    # 1 when a cell-committee meeting was held before the held regular meeting it prepared.
    committee_held = models.PositiveSmallIntegerField(default=0)
    # Attendance of the held regular meeting(s): home members expected (not exempt, not
    # temporarily elsewhere), present (late and left early included), absent with and
    # without a reason.
    expected = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    absent_excused = models.PositiveIntegerField(default=0)
    absent_unexcused = models.PositiveIntegerField(default=0)
    # Quality level (MeetingScore.final_level) of the held regular meeting(s).
    level_good = models.PositiveSmallIntegerField(default=0)
    level_fair = models.PositiveSmallIntegerField(default=0)
    level_average = models.PositiveSmallIntegerField(default=0)
    level_weak = models.PositiveSmallIntegerField(default=0)
    # Reported visits of the level above dated in the month; of which cross-attendance.
    visits_reported = models.PositiveSmallIntegerField(default=0)
    cross_visits = models.PositiveSmallIntegerField(default=0)
    # Cadres following the cell (SupervisorAssignment in force on the 1st).
    supervisors = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("cell month summary")
        verbose_name_plural = _("cell month summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "year", "month"], name="cellmonth_one_per_cell"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="cellmonth_month_1_12"
            ),
        ]
        indexes = [
            models.Index(fields=["province", "year", "month"], name="cellmonth_province_period"),
        ]

    def __str__(self):
        return f"{self.cell_id} {self.month:02d}/{self.year}"

    def figures(self) -> dict:
        return {f: getattr(self, f) for f in COUNT_FIELDS}


QUARTERS = (1, 2, 3, 4)
# Per quarter of a CellYear: months with a row, the cell due a meeting (0/1), thematic meetings
# held and whether one was (0/1), reported visits and cross-attendance visits. The meetings
# report counts distinct cells per quarter and the supervision report judges each cell-quarter
# against the visit rule: monthly sums over the year cannot give either.
QUARTER_PARTS = ("months", "due", "thematic", "thematic_cell", "visits", "cross")
QUARTER_FIELDS = tuple(f"q{q}_{what}" for q in QUARTERS for what in QUARTER_PARTS)


class CellYear(models.Model):
    """The twelve CellMonth rows of one cell and year, summed: the year and multi-year reports
    read one row per cell instead of twelve (goal P3). It is derived from CellMonth only, by
    reports.summary in the same transaction as the months it sums."""

    TENANT_PATH = "cell__"  # re-keyed when its cell moves to another province

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    cell = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    regular_due = models.PositiveIntegerField(default=0)
    regular_held = models.PositiveIntegerField(default=0)
    minutes_approved = models.PositiveIntegerField(default=0)
    thematic_held = models.PositiveIntegerField(default=0)
    committee_held = models.PositiveIntegerField(default=0)
    expected = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    absent_excused = models.PositiveIntegerField(default=0)
    absent_unexcused = models.PositiveIntegerField(default=0)
    level_good = models.PositiveIntegerField(default=0)
    level_fair = models.PositiveIntegerField(default=0)
    level_average = models.PositiveIntegerField(default=0)
    level_weak = models.PositiveIntegerField(default=0)
    visits_reported = models.PositiveIntegerField(default=0)
    cross_visits = models.PositiveIntegerField(default=0)
    supervisors = models.PositiveIntegerField(default=0)
    q1_months = models.PositiveSmallIntegerField(default=0)
    q1_due = models.PositiveSmallIntegerField(default=0)
    q1_thematic = models.PositiveSmallIntegerField(default=0)
    q1_thematic_cell = models.PositiveSmallIntegerField(default=0)
    q1_visits = models.PositiveSmallIntegerField(default=0)
    q1_cross = models.PositiveSmallIntegerField(default=0)
    q2_months = models.PositiveSmallIntegerField(default=0)
    q2_due = models.PositiveSmallIntegerField(default=0)
    q2_thematic = models.PositiveSmallIntegerField(default=0)
    q2_thematic_cell = models.PositiveSmallIntegerField(default=0)
    q2_visits = models.PositiveSmallIntegerField(default=0)
    q2_cross = models.PositiveSmallIntegerField(default=0)
    q3_months = models.PositiveSmallIntegerField(default=0)
    q3_due = models.PositiveSmallIntegerField(default=0)
    q3_thematic = models.PositiveSmallIntegerField(default=0)
    q3_thematic_cell = models.PositiveSmallIntegerField(default=0)
    q3_visits = models.PositiveSmallIntegerField(default=0)
    q3_cross = models.PositiveSmallIntegerField(default=0)
    q4_months = models.PositiveSmallIntegerField(default=0)
    q4_due = models.PositiveSmallIntegerField(default=0)
    q4_thematic = models.PositiveSmallIntegerField(default=0)
    q4_thematic_cell = models.PositiveSmallIntegerField(default=0)
    q4_visits = models.PositiveSmallIntegerField(default=0)
    q4_cross = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("cell year summary")
        verbose_name_plural = _("cell year summaries")
        constraints = [
            models.UniqueConstraint(fields=["cell", "year"], name="cellyear_one_per_cell"),
        ]
        indexes = [models.Index(fields=["province", "year"], name="cellyear_province_year")]

    def __str__(self):
        return f"{self.cell_id} {self.year}"
