"""A member's life after admission: status decisions, party cards and party badges.

StatusDecision records each decision that changes a member's party status — exemption from
work and activities, temporary exemption, suspension, the end of each, and the four exits
(strike-off, expulsion, withdrawal, death) — with its number, dates, deciding body and reason
(brief §5.4, §5.5, §14.2 B). The member's status changes only through
lifecycle/services.py, which writes the decision and the member in one transaction.

CardEvent is the card register (sổ phát thẻ, brief §5.7): issue, loss report, reissue.
BadgeAward records the party badges awarded (brief §5.6); PartyAgeInterruption holds the
periods that do not count towards party age.
"""

import datetime as dt
import uuid

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.validators import validate_card_no
from members.models import Member, MemberStatus
from organizations.models import Organization


class DecisionKind(models.TextChoices):
    EXEMPTION = "exemption", _("Exemption from party work and activities")
    TEMPORARY_EXEMPTION = "temporary_exemption", _("Temporary exemption from party activities")
    EXEMPTION_END = "exemption_end", _("End of exemption (activities resumed)")
    SUSPENSION = "suspension", _("Suspension of party activities")
    SUSPENSION_END = "suspension_end", _("End of suspension (activities restored)")
    STRIKE_OFF = "strike_off", _("Strike-off from the member list")
    EXPULSION = "expulsion", _("Expulsion from the Party")
    WITHDRAWAL = "withdrawal", _("Withdrawal from the Party")
    DEATH = "death", _("Death")


EXEMPTION_KINDS = (DecisionKind.EXEMPTION, DecisionKind.TEMPORARY_EXEMPTION)
EXIT_KINDS = (
    DecisionKind.STRIKE_OFF,
    DecisionKind.EXPULSION,
    DecisionKind.WITHDRAWAL,
    DecisionKind.DEATH,
)
# Decisions that open a period, and must say when it ends.
WITH_END_DATE = (DecisionKind.TEMPORARY_EXEMPTION, DecisionKind.SUSPENSION)
# Decisions that close the open period of another kind.
ENDS = {
    DecisionKind.EXEMPTION_END: EXEMPTION_KINDS,
    DecisionKind.SUSPENSION_END: (DecisionKind.SUSPENSION,),
}
# The member's status a decision leads to (the end of a period restores the status before it).
NEW_STATUS = {
    DecisionKind.EXEMPTION: MemberStatus.EXEMPT,
    DecisionKind.TEMPORARY_EXEMPTION: MemberStatus.EXEMPT,
    DecisionKind.SUSPENSION: MemberStatus.SUSPENDED,
    **dict.fromkeys(EXIT_KINDS, MemberStatus.LEFT),
}
# The statuses a decision may be taken from (brief §14.2 B): exemption only for official
# members (QĐ 24 §7.1; an exempt member keeps their official date); suspension of any
# member still in the Party; exits from any active status.
ALLOWED_FROM = {
    DecisionKind.EXEMPTION: (MemberStatus.OFFICIAL,),
    DecisionKind.TEMPORARY_EXEMPTION: (MemberStatus.OFFICIAL,),
    DecisionKind.EXEMPTION_END: (MemberStatus.EXEMPT,),
    DecisionKind.SUSPENSION: (
        MemberStatus.PROBATIONARY,
        MemberStatus.OFFICIAL,
        MemberStatus.EXEMPT,
    ),
    DecisionKind.SUSPENSION_END: (MemberStatus.SUSPENDED,),
    **dict.fromkeys(
        EXIT_KINDS,
        (
            MemberStatus.PROBATIONARY,
            MemberStatus.OFFICIAL,
            MemberStatus.EXEMPT,
            MemberStatus.SUSPENDED,
        ),
    ),
}


class Ground(models.TextChoices):
    """Why: the grounds the rules name for exemption (QĐ 24 §7.1, HD 01 §10.3) and strike-off
    (QĐ 29/24 §8.1, brief §5.5)."""

    OLD_AGE = "old_age", _("Old age")
    HEALTH = "health", _("Weak health")
    WORK_AWAY = "work_away", _("Working far away, or where there is no party organization")
    MISSED_ACTIVITIES = (
        "missed_activities",
        _("Missed party activities 3 months in a year without a valid reason"),
    )
    DUES_UNPAID = "dues_unpaid", _("Did not pay dues 3 months in a year without a valid reason")
    CARD_RETURNED = "card_returned", _("Returned or destroyed the party card")
    DUTIES = "duties", _("Declining will; does not fulfil a member's duties")
    NO_PROGRESS = "no_progress", _("No progress 12 months after being educated")
    STANDARDS = "standards", _("Violated the member standards 2 years in a row")
    POLITICAL = "political", _("No longer meets the political standards")
    OTHER = "other", _("Other (see the reason)")


GROUNDS = {
    DecisionKind.EXEMPTION: (Ground.OLD_AGE, Ground.HEALTH),
    DecisionKind.TEMPORARY_EXEMPTION: (Ground.WORK_AWAY, Ground.HEALTH, Ground.OTHER),
    DecisionKind.STRIKE_OFF: (
        Ground.MISSED_ACTIVITIES,
        Ground.DUES_UNPAID,
        Ground.CARD_RETURNED,
        Ground.DUTIES,
        Ground.NO_PROGRESS,
        Ground.STANDARDS,
        Ground.POLITICAL,
    ),
}


class StatusDecision(models.Model):
    """One decision on a member's party status, and what it changed."""

    TENANT_PATH = "member__organization__"  # follows the member when the cell moves

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="status_decisions")
    kind = models.CharField(_("decision"), max_length=24, choices=DecisionKind.choices)
    decision_no = models.CharField(
        _("decision number"),
        max_length=60,
        blank=True,
        help_text=_("E.g. 12-QĐ/ĐU. Required for an exit from the Party."),
    )
    decision_date = models.DateField(_("decision date"))
    effective_date = models.DateField(
        _("effective from"), help_text=_("For a death: the date of death.")
    )
    end_date = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("For a temporary exemption or a suspension: the last day of the period."),
    )
    deciding_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deciding organization"),
    )
    deciding_body = models.CharField(
        _("deciding body"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Ban Thường vụ Đảng ủy xã, or the cell meeting of 05/3/2025."),
    )
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The member's status just before the decision: the end of the period restores it.
    previous_status = models.CharField(max_length=16, choices=MemberStatus.choices)
    ends = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ended_by",
        verbose_name=_("ends the decision"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status decision")
        verbose_name_plural = _("status decisions")
        ordering = ["-effective_date", "-id"]
        indexes = [
            models.Index(fields=["member", "effective_date"], name="statusdecision_member"),
            models.Index(fields=["province", "kind", "effective_date"], name="statusdecision_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gt=models.F("effective_date")),
                name="statusdecision_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.decision_no} ({self.effective_date})"

    @property
    def is_exit(self) -> bool:
        return self.kind in EXIT_KINDS


class CardEventKind(models.TextChoices):
    ISSUE = "issue", _("Card issued")
    LOSS = "loss", _("Loss reported")
    REPLACEMENT = "replacement", _("Card reissued")


class CardSeries(models.TextChoices):
    # The number format of the 2025 exchange was not verified (brief §5.7 [U]): a series
    # attribute keeps both apart whatever it turns out to be.
    S2003 = "2003", _("2003 series (Directive 29-CT/TW)")
    S2025 = "2025", _("2025 exchange (Directive 51-CT/TW)")


class CardEvent(models.Model):
    """A line of the card register: a card issued, reported lost, or reissued."""

    TENANT_PATH = "member__organization__"  # follows the member when the cell moves

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="card_events")
    kind = models.CharField(_("event"), max_length=12, choices=CardEventKind.choices)
    card_no = models.CharField(_("party card number"), max_length=8, validators=[validate_card_no])
    series = models.CharField(_("series"), max_length=4, choices=CardSeries.choices, blank=True)
    date = models.DateField(_("date"))
    decision_no = models.CharField(_("decision number"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party card event")
        verbose_name_plural = _("party card events")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["member", "date"], name="cardevent_member"),
            models.Index(fields=["province", "card_no"], name="cardevent_card_no"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.card_no} ({self.date})"


def _years_label(n: int) -> str:
    return gettext("%(n)s years of party age") % {"n": n}


years_label = lazy(_years_label, str)

# Party badge levels in years of party age (QĐ 24 §27.1.2, brief §5.6).
BADGE_YEARS = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
# Award occasions (month, day): 3/2 (the Party's founding), 19/5, 2/9, 7/11 (HD 01 §18.4).
AWARD_DAYS = ((2, 3), (5, 19), (9, 2), (11, 7))


class BadgeAward(models.Model):
    """A party badge awarded to a member (huy hiệu Đảng N năm tuổi Đảng)."""

    TENANT_PATH = "member__organization__"  # follows the member when the cell moves

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="badge_awards")
    years = models.PositiveSmallIntegerField(
        _("badge"), choices=[(y, years_label(y)) for y in BADGE_YEARS]
    )
    award_date = models.DateField(_("award date"))
    decision_no = models.CharField(_("decision number"), max_length=60)
    badge_no = models.CharField(_("badge number"), max_length=30, blank=True)
    posthumous = models.BooleanField(_("posthumous"), default=False)
    note = models.CharField(_("note"), max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party badge award")
        verbose_name_plural = _("party badge awards")
        ordering = ["-award_date", "-years"]
        constraints = [
            models.UniqueConstraint(fields=["member", "years"], name="badge_once_per_level"),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.years} ({self.award_date})"


class PartyAgeInterruption(models.Model):
    """A period that does not count towards party age (gián đoạn sinh hoạt đảng)."""

    TENANT_PATH = "member__organization__"  # follows the member when the cell moves

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="interruptions")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    # Stored so the badge list subtracts a sum, portably, in the same query.
    days = models.PositiveIntegerField(editable=False)
    note = models.CharField(_("note"), max_length=250)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party age interruption")
        verbose_name_plural = _("party age interruptions")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="interruption_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.start_date}–{self.end_date}"

    def save(self, *args, **kwargs):
        self.days = (self.end_date - self.start_date).days + 1
        super().save(*args, **kwargs)


def add_years(day: dt.date, years: int) -> dt.date:
    """The anniversary `years` after `day`; a 29 February start reaches it on 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)
