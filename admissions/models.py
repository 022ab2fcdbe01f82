"""The admission pipeline: from outstanding non-member to official party member.

A Candidate carries one person through the stages of Charter art. 4–5, QĐ 24 §3–4 and
HD 01-HD/TW 2021 (brief §5.1–5.2, state machine §14.2 A):

    listed (quần chúng ưu tú) → sympathizer (cảm tình Đảng, by cell resolution, with a
    helping member) → trained (Party-awareness class certificate) → dossier (application,
    personal history, introducers) → checked (background check) → voted (the cell's vote)
    → decided (upper committee's decision) → probation (ceremony; a probationary Member
    exists from here) → recognition_voted (cell vote ≥ 2/3) → official (upper decision)

with the side exits rejected/withdrawn (before the ceremony), struck_off (xóa tên dự bị,
during probation) and referred (3 recognition votes without 2/3: the upper committee
decides). Each stage keeps its own dates, numbers and who decided; votes are rows
(CellVote), so failed votes stay on record. Stages change only through the service
functions in admissions/services.py.

The person is a members.Person row created when the candidate is listed, not fields copied
at admission: the same row then becomes the member's person, so the citizen-ID uniqueness
in the province catches a candidate who is already a member (or listed in another cell),
edits keep their history from the first day, and nothing has to be copied (and can drift)
at the ceremony. A Person without a Member is invisible to the member lists, which all
start from Member.
"""

import calendar
import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Member, Person
from organizations.models import Organization

PROBATION_MONTHS = 12  # Charter art. 5
CEREMONY_WORKING_DAYS = 30  # QĐ 24 §4.1: ceremony within 30 working days of the decision
RECOGNITION_WORKING_DAYS = 30  # QĐ 24 §4.2: recognition considered within 30 working days
INTRODUCER_MONTHS = 12  # introducers worked or lived with the applicant ≥ 12 months
RECOGNITION_FAILED_VOTES_LIMIT = 3  # QĐ 24 §4.2: after 3 votes without 2/3, report upward


class Stage(models.TextChoices):
    LISTED = "listed", _("Outstanding non-member")
    SYMPATHIZER = "sympathizer", _("Party sympathizer")
    TRAINED = "trained", _("Party-awareness class completed")
    DOSSIER = "dossier", _("Application dossier")
    CHECKED = "checked", _("Background checked")
    VOTED = "voted", _("Proposed by the cell")
    DECIDED = "decided", _("Admission decided")
    PROBATION = "probation", _("Probationary member")
    RECOGNITION_VOTED = "recognition_voted", _("Recognition proposed by the cell")
    REFERRED = "referred", _("Referred to the upper committee")
    OFFICIAL = "official", _("Official member")
    STRUCK_OFF = "struck_off", _("Removed from the probationary list")
    REJECTED = "rejected", _("Taken off the list")
    WITHDRAWN = "withdrawn", _("Withdrew")


# Before the ceremony: the person is not a member yet, and may be taken off the list.
CANDIDATE_STAGES = (
    Stage.LISTED,
    Stage.SYMPATHIZER,
    Stage.TRAINED,
    Stage.DOSSIER,
    Stage.CHECKED,
    Stage.VOTED,
    Stage.DECIDED,
)
PROBATION_STAGES = (Stage.PROBATION, Stage.RECOGNITION_VOTED, Stage.REFERRED)
OPEN_STAGES = CANDIDATE_STAGES + PROBATION_STAGES
CLOSED_STAGES = (Stage.OFFICIAL, Stage.STRUCK_OFF, Stage.REJECTED, Stage.WITHDRAWN)


class UnionIntroduction(models.TextChoices):
    """Charter art. 4.1: a young applicant is introduced by the Youth Union committee and one
    official member; an older one, where there is a trade union, by its committee and one
    member; otherwise two official members introduce."""

    NONE = "", _("None: two official members introduce")
    YOUTH_UNION = "youth_union", _("Youth Union executive committee")
    TRADE_UNION = "trade_union", _("Trade Union executive committee")


class CandidateQuerySet(models.QuerySet):
    def open(self):
        return self.filter(stage__in=OPEN_STAGES)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the 29th–31st become the month's last day when missing."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Candidate(models.Model):
    TENANT_PATH = "organization__"  # re-keyed when its cell moves to another province
    TENANT_PERSON = "person_id"  # … with the person, not yet a member
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("cell"),
        help_text=_("The cell that develops the candidate."),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("person")
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.LISTED, db_index=True
    )
    stage_on = models.DateField(_("stage since"))
    member = models.OneToOneField(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacy",
        verbose_name=_("party member"),
    )

    # Listed as an outstanding non-member.
    # Empty for a probationary member whose record was opened here only for the
    # recognition (admitted before this pipeline was used): see services.open_probation.
    listed_on = models.DateField(_("listed on"), null=True, blank=True)
    recommended_by = models.CharField(
        _("recommended by"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the village Youth Union branch."),
    )
    # Sympathizer: by cell resolution, with an official member assigned to help.
    sympathizer_resolution_no = models.CharField(
        _("cell resolution number"), max_length=60, blank=True
    )
    sympathizer_on = models.DateField(_("sympathizer since"), null=True, blank=True)
    helper = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="helped_candidates",
        verbose_name=_("helping member"),
    )
    # Party-awareness class.
    certificate_no = models.CharField(_("certificate number"), max_length=60, blank=True)
    certificate_on = models.DateField(_("certificate date"), null=True, blank=True)
    certificate_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    # Dossier: application, personal history, introducers (CandidateIntroducer rows).
    applied_on = models.DateField(_("application date"), null=True, blank=True)
    personal_history_on = models.DateField(_("personal history date"), null=True, blank=True)
    union_introduction = models.CharField(
        _("introduced by a union"),
        max_length=12,
        choices=UnionIntroduction.choices,
        default=UnionIntroduction.NONE,
        blank=True,
    )
    union_introduction_on = models.DateField(_("union introduction date"), null=True, blank=True)
    # Background check.
    checked_on = models.DateField(_("background check completed on"), null=True, blank=True)
    checked_by = models.CharField(_("checked by"), max_length=200, blank=True)
    # Upper committee's admission decision.
    decision_no = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    decision_by = models.CharField(_("decided by"), max_length=200, blank=True)
    decision_received_on = models.DateField(_("decision received on"), null=True, blank=True)
    # Ceremony.
    ceremony_on = models.DateField(_("ceremony date"), null=True, blank=True)
    ceremony_late_reason = models.CharField(
        _("reason for the late ceremony"), max_length=250, blank=True
    )
    # Recognition as official member (the votes are CellVote rows).
    recognition_decision_no = models.CharField(
        _("recognition decision number"), max_length=60, blank=True
    )
    recognition_decision_on = models.DateField(
        _("recognition decision date"), null=True, blank=True
    )
    recognition_decision_by = models.CharField(_("recognized by"), max_length=200, blank=True)
    # Exits: taken off the list / withdrew before admission, or struck off during probation.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_at_stage = models.CharField(
        _("at stage"), max_length=20, choices=Stage.choices, blank=True
    )
    closed_reason = models.CharField(_("reason"), max_length=250, blank=True)
    closed_decision_no = models.CharField(_("decision number"), max_length=60, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("admission candidate")
        verbose_name_plural = _("admission candidates")
        ordering = ["organization_id", "person__sort_key"]
        constraints = [
            # One open candidacy per person: a second would be a duplicate, not a new try.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(stage__in=[s.value for s in OPEN_STAGES]),
                name="candidate_one_open_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "stage"], name="candidate_org_stage"),
            models.Index(fields=["province", "stage"], name="candidate_province_stage"),
        ]

    def __str__(self):
        return self.person.full_name

    def get_absolute_url(self):
        return reverse("admissions:detail", args=[self.uuid])

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def probation_end(self) -> dt.date | None:
        """The end of the 12 months of probation; the member is official as of this day."""
        return add_months(self.ceremony_on, PROBATION_MONTHS) if self.ceremony_on else None

    @property
    def acting_cell(self) -> Organization:
        """The cell that acts on the record: the member's home cell once admitted (it may
        have moved), the developing cell before."""
        if self.member_id and self.member.organization_id:
            return self.member.organization
        return self.organization


class CandidateIntroducer(models.Model):
    """An official member who introduces the applicant (Charter art. 4.1)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="introducers")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("introducer")
    )
    known_since = models.DateField(
        _("worked or lived with the applicant since"),
        help_text=_("At least 12 months before the application."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("introducer")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "member"], name="introducer_once_per_candidate"
            )
        ]

    def __str__(self):
        return f"{self.member_id} → {self.candidate_id}"


class VoteKind(models.TextChoices):
    ADMISSION = "admission", _("Proposal to admit")
    RECOGNITION = "recognition", _("Recognition as official member")


class CellVote(models.Model):
    """A vote of the cell on one candidate: the official members in favour out of all the
    cell's official members (probationary members do not vote, Charter art. 3)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="votes")
    kind = models.CharField(_("kind"), max_length=12, choices=VoteKind.choices)
    held_on = models.DateField(_("date of the vote"))
    votes_for = models.PositiveSmallIntegerField(_("in favour"))
    eligible = models.PositiveSmallIntegerField(_("official members of the cell"))
    resolution_no = models.CharField(_("resolution number"), max_length=60, blank=True)
    passed = models.BooleanField(_("passed"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cell vote")
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(votes_for__lte=models.F("eligible")),
                name="cellvote_for_within_eligible",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.votes_for}/{self.eligible}"


TARGET_MIN_YEAR = 2000  # no data entry for earlier years
TARGET_MAX_YEAR = 2100
SHARE_FIELDS = ("minority_share", "women_share", "under_30_share", "youth_union_share")


def _share_field(label):
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Percent of the new members; empty: no target."),
    )


class AdmissionTarget(models.Model):
    """What an organization sets out to admit in a year (chỉ tiêu kết nạp đảng viên): the number
    of new members and, optionally, the shares of ethnic-minority, women, under-30 and Youth
    Union members among them, compared with the members admitted (ceremony in the year) in the
    organization's subtree (admissions/targets.py)."""

    TENANT_PATH = "organization__"  # re-keyed when the organization moves to another province
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="admission_targets",
        verbose_name=_("organization"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(TARGET_MIN_YEAR), MaxValueValidator(TARGET_MAX_YEAR)],
    )
    admissions = models.PositiveIntegerField(_("new members to admit"))
    minority_share = _share_field(_("ethnic minorities (%)"))
    women_share = _share_field(_("women (%)"))
    under_30_share = _share_field(_("under 30 (%)"))
    youth_union_share = _share_field(_("Youth Union members (%)"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("admission target")
        verbose_name_plural = _("admission targets")
        ordering = ["organization_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="target_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=TARGET_MIN_YEAR, year__lte=TARGET_MAX_YEAR),
                name="target_year_range",
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{f}__isnull": True}) | models.Q(**{f"{f}__lte": 100}),
                    name=f"target_{f}_percent",
                )
                for f in SHARE_FIELDS
            ),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.year}: {self.admissions}"

    def shares(self) -> dict:
        return {f: getattr(self, f) for f in SHARE_FIELDS}
