"""Residence liaison: working members keep contact with the party organization and the people
where they live (QĐ 213-QĐ/TW, 02/01/2020, which replaced QĐ 76-QĐ/TW, 15/6/2000; detailed by
HD 33-HD/BTCTW, 30/10/2020). Brief §3, §12, §14.2 D.

A ResidenceLiaison is one introduction of one member, from the committee of the cell where
they work to the commune/ward committee (and, once received, the village or residential cell)
where they live. It is never deleted: ending it keeps the row, so a member who moves has one
row per residence. At most one row per member is open (introduced, received or exempt).

State changes go through liaison/services.py, one function per transition.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.access import Cap
from members.models import Member, MemberStatus
from organizations.models import CellType, Organization, Village

# Cells whose members are "working members" (đảng viên đang công tác, QĐ 213 art. 1): agencies,
# public-service units (schools included), enterprises and the armed forces. Village and
# residential cells are the residence side; "other" cells are not presumed to be workplaces.
WORKPLACE_CELL_TYPES = (
    CellType.AGENCY,
    CellType.PUBLIC_SERVICE,
    CellType.SCHOOL,
    CellType.STATE_ENTERPRISE,
    CellType.PRIVATE_ENTERPRISE,
    CellType.ARMY,
    CellType.POLICE,
)
# Members exempt from activities for old age or health, suspended members and those who left
# are not introduced: the duty is for members doing party activity at their workplace.
ELIGIBLE_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)


class LiaisonStatus(models.TextChoices):
    INTRODUCED = "introduced", _("Introduced, waiting for receipt")
    RECEIVED = "received", _("Received, keeps contact")
    EXEMPT = "exempt", _("Not introduced (exempt)")
    ENDED = "ended", _("Ended")


OPEN_STATUSES = (LiaisonStatus.INTRODUCED, LiaisonStatus.RECEIVED, LiaisonStatus.EXEMPT)
# Introduced to a residence (received or not): the rows that have a residence side.
INTRODUCED_STATUSES = (LiaisonStatus.INTRODUCED, LiaisonStatus.RECEIVED)


class Exemption(models.TextChoices):
    # HD 33 §1.1: introduced, but exempt from activities at the residence; no routine annual
    # comment (only when needed for personnel work, rewards or discipline).
    BARRACKS = (
        "barracks",
        _("Army or police living in barracks or official housing, not returning home regularly"),
    )
    MOBILE = "mobile", _("Works far from home and moves often")
    ROTATED = "rotated", _("Rotated or seconded cadre living in official housing")
    FULL_TIME_STUDY = "full_time_study", _("Studying full time for the whole year")
    STUDENT_AWAY = "student_away", _("Student studying away from home")
    # HD 33 §1.2: not introduced at all.
    SECRET_MISSION = (
        "secret_mission",
        _("Army or police on a special mission that keeps their identity secret"),
    )
    COMBAT_READINESS = "combat_readiness", _("Unit on combat-readiness duty")
    OTHER_NOT_INTRODUCED = "other_not_introduced", _("Other case not introduced (HD 33 §1.2)")


ACTIVITY_EXEMPTIONS = (
    Exemption.BARRACKS,
    Exemption.MOBILE,
    Exemption.ROTATED,
    Exemption.FULL_TIME_STUDY,
    Exemption.STUDENT_AWAY,
)
INTRODUCTION_EXEMPTIONS = (
    Exemption.SECRET_MISSION,
    Exemption.COMBAT_READINESS,
    Exemption.OTHER_NOT_INTRODUCED,
)


class EndReason(models.TextChoices):
    MOVED = "moved", _("Moved house")
    CHANGED_JOB = "changed_job", _("Changed job or workplace")
    LEFT_PARTY = "left_party", _("Left the Party (struck off, expelled, withdrew or died)")
    RETIRED = "retired", _("Retired")
    LONG_STUDY = "long_study", _("Sent on long-term full-time study")
    EXEMPTION_LIFTED = "exemption_lifted", _("Exemption from introduction lifted")
    OTHER = "other", _("Other")


class Side(models.TextChoices):
    WORKPLACE = "workplace", _("Workplace")
    RESIDENCE = "residence", _("Residence")


class ResidenceLiaison(models.Model):
    TENANT_PATH = "member__organization__"  # follows the member when their cell moves
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The member's province (the tenant key); the residence may lie in another province.
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="liaisons", verbose_name=_("party member")
    )
    workplace_cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="liaisons_out",
        verbose_name=_("workplace cell"),
    )
    residence_commune = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaisons_in",
        verbose_name=_("residence commune party committee"),
    )
    residence_cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaisons_cell",
        verbose_name=_("residence cell"),
    )
    residence_village = models.ForeignKey(
        Village,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village / residential group of residence"),
    )
    status = models.CharField(_("status"), max_length=12, choices=LiaisonStatus.choices)
    introduced_on = models.DateField(_("introduced on"), null=True, blank=True)
    letter_no = models.CharField(
        _("introduction letter number"),
        max_length=60,
        blank=True,
        help_text=_("Number of the letter of introduction, e.g. 15-GGT/ĐU."),
    )
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exemption = models.CharField(
        _("exemption (HD 33)"), max_length=24, choices=Exemption.choices, blank=True
    )
    exemption_reason = models.CharField(_("reason for the exemption"), max_length=300, blank=True)
    exempt_on = models.DateField(_("exempt since"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("note"), max_length=300, blank=True)
    ended_by_side = models.CharField(
        _("reported by"), max_length=12, choices=Side.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("residence liaison")
        verbose_name_plural = _("residence liaisons")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=~models.Q(status="ended"),
                name="liaison_one_open_per_member",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["introduced", "received"])
                | models.Q(residence_commune__isnull=False, introduced_on__isnull=False),
                name="liaison_introduced_has_residence",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="received") | models.Q(received_on__isnull=False),
                name="liaison_received_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["workplace_cell", "status"], name="liaison_workplace"),
            models.Index(fields=["residence_commune", "status"], name="liaison_commune"),
            models.Index(fields=["residence_cell", "status"], name="liaison_cell"),
        ]

    def __str__(self):
        return f"{self.member_id} → {self.residence_commune_id} ({self.status})"

    def get_absolute_url(self):
        return reverse("liaison:detail", args=[self.uuid])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def exempt_from_activities(self) -> bool:
        """HD 33 §1.1: introduced, but no routine activities nor annual comment."""
        return self.exemption in ACTIVITY_EXEMPTIONS

    # ---- who may do what (paths compared in Python: no query) -------------------------
    def can_act_for_workplace(self, scope) -> bool:
        return scope.can(Cap.MANAGE_STRUCTURE, self.workplace_cell)

    def can_act_for_residence(self, scope) -> bool:
        return bool(self.residence_commune_id) and scope.can(
            Cap.MANAGE_STRUCTURE, self.residence_commune
        )

    def can_comment(self, scope) -> bool:
        """The residence cell comments (its secretary), or the commune committee for it."""
        if self.can_act_for_residence(scope):
            return True
        return bool(self.residence_cell_id) and scope.can(Cap.MANAGE_MEMBERS, self.residence_cell)


class Level3(models.TextChoices):
    """The three answers of each criterion on the comment form (e.g. nêu gương tốt / nêu gương /
    chưa nêu gương)."""

    WELL = "well", _("Done well")
    DONE = "done", pgettext_lazy("comment criterion", "Done")
    NOT_YET = "not_yet", _("Not yet done")


class Overall(models.TextChoices):
    GOOD = "good", _("Fulfils the duties at the residence well")
    NOT_GOOD = "not_good", _("Does not yet fulfil the duties at the residence well")


# (field, label): the criteria of the annual comment form, after the member's duties at the
# residence (QĐ 213 art. 2; QĐ 76 art. 2). The official wording of HD 33's form was not read
# (brief §3.3 [U]): the labels are kept short and can be reworded without a migration.
CRITERIA = (
    (
        "exemplary",
        _(
            "Sets an example in political quality, ethics and lifestyle before the people "
            "where they live"
        ),
    ),
    (
        "policies",
        _(
            "Follows, and mobilizes family and people to follow, the Party's lines, the State's "
            "laws and local rules"
        ),
    ),
    (
        "contact",
        _("Keeps regular contact with the cell committee and attends the liaison meetings"),
    ),
    ("activities", _("Takes part in the activities and movements of the residential area")),
    ("people", _("Stays close to the people and reports their thoughts and wishes")),
    ("citizen_duties", _("Fulfils citizen duties where they live")),
)


class AnnualComment(models.Model):
    """The residence cell's yearly comment (nhận xét hằng năm), agreed with the village Front
    work committee; the workplace side reads it for the member's annual rating."""

    TENANT_PATH = "liaison__member__organization__"  # follows the member when their cell moves

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    liaison = models.ForeignKey(ResidenceLiaison, on_delete=models.CASCADE, related_name="comments")
    year = models.PositiveSmallIntegerField(_("year"))
    exemplary = models.CharField(CRITERIA[0][1], max_length=8, choices=Level3.choices)
    policies = models.CharField(CRITERIA[1][1], max_length=8, choices=Level3.choices)
    contact = models.CharField(CRITERIA[2][1], max_length=8, choices=Level3.choices)
    activities = models.CharField(CRITERIA[3][1], max_length=8, choices=Level3.choices)
    people = models.CharField(CRITERIA[4][1], max_length=8, choices=Level3.choices)
    citizen_duties = models.CharField(CRITERIA[5][1], max_length=8, choices=Level3.choices)
    overall = models.CharField(_("overall assessment"), max_length=8, choices=Overall.choices)
    other_comments = models.TextField(_("other comments"), blank=True)
    front_opinion = models.TextField(
        _("opinion of the Front work committee"),
        blank=True,
        help_text=_("What the village Front work committee said at the joint meeting."),
    )
    front_head = models.CharField(_("head of the Front work committee"), max_length=120, blank=True)
    signed_by = models.CharField(
        _("signed for the cell by"),
        max_length=120,
        blank=True,
        help_text=_("Usually the cell secretary (T/M chi bộ)."),
    )
    commented_on = models.DateField(_("commented on"))
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual residence comment")
        verbose_name_plural = _("annual residence comments")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["liaison", "year"], name="comment_one_per_year"),
        ]

    def __str__(self):
        return f"{self.liaison_id} {self.year}: {self.overall}"

    @property
    def is_good(self) -> bool:
        return self.overall == Overall.GOOD

    def criteria(self):
        """[(label, answer label)] in form order, for display."""
        return [(label, getattr(self, f"get_{name}_display")()) for name, label in CRITERIA]


class LiaisonNotice(models.Model):
    """A change told to the other side (the member moved, changed job, left the Party…):
    the evidence that the other side was informed (seed 004)."""

    TENANT_PATH = "liaison__member__organization__"  # follows the member when their cell moves

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    liaison = models.ForeignKey(ResidenceLiaison, on_delete=models.CASCADE, related_name="notices")
    from_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    kind = models.CharField(_("change"), max_length=20, choices=EndReason.choices)
    event_on = models.DateField(_("date of the change"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list)
    without_email = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.from_org_id}→{self.to_org_id} {self.event_on}"
