"""People, party members and their membership periods in cells.

Person holds who someone is; Member holds their party record; Membership holds
where they belonged and when, so "members of cell C on date D" is exact for any
past date. Member.organization is a denormalized pointer to the current (or
last) home cell, kept by the service functions in members/services.py, so that
lists and scope checks need no subquery.
"""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.text import given_name, normalize_name, search_text, sort_key
from lib.validators import (
    check_citizen_id_matches,
    mask_citizen_id,
    validate_card_no,
    validate_citizen_id,
    validate_dossier_no,
    validate_phone,
)
from lib.vn import (
    ETHNICITIES,
    RELIGIONS,
    GeneralEducation,
    PoliticalTheory,
    Qualification,
    Sex,
)
from organizations.models import Organization, Village

MIN_BIRTH_DATE = dt.date(1900, 1, 1)
ADMISSION_MIN_AGE = 18


def years_between(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


class Person(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("full name in use"), max_length=120)
    birth_name = models.CharField(
        _("name at birth"),
        max_length=120,
        blank=True,
        help_text=_("Only if different from the name in use."),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITIES, default="01")
    religion = models.CharField(_("religion"), max_length=24, choices=RELIGIONS, blank=True)
    native_place = models.CharField(_("native place"), max_length=200, blank=True)
    residence = models.CharField(_("current residence"), max_length=250, blank=True)
    residence_village = models.ForeignKey(
        Village,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("village / residential group of residence"),
    )
    citizen_id = models.CharField(
        _("citizen ID number"), max_length=12, blank=True, validators=[validate_citizen_id]
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True, validators=[validate_phone])
    general_education = models.CharField(
        _("general education"), max_length=20, choices=GeneralEducation.choices, blank=True
    )
    political_theory = models.CharField(
        _("political theory"), max_length=12, choices=PoliticalTheory.choices, blank=True
    )
    qualification = models.CharField(
        _("professional qualification"), max_length=12, choices=Qualification.choices, blank=True
    )
    qualification_detail = models.CharField(_("field of training"), max_length=150, blank=True)
    youth_union = models.BooleanField(_("Youth Union member"), default=False)
    search_text = models.CharField(max_length=300, editable=False, default="")
    sort_key = models.CharField(max_length=250, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "sort_key", "updated_at"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "citizen_id"],
                condition=~models.Q(citizen_id=""),
                name="person_citizen_id_unique_in_province",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "sort_key"], name="person_province_sort"),
            models.Index(fields=["province", "birth_date"], name="person_province_birth"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)
        if self.sort_key != getattr(self, "_loaded_sort_key", self.sort_key):
            # The member row keeps a copy of the sort key (see Member.sort_key).
            Member.objects.filter(person_id=self.pk).update(sort_key=self.sort_key)
        self._loaded_sort_key = self.sort_key

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        if "sort_key" in field_names:
            obj._loaded_sort_key = obj.sort_key
        return obj

    def refresh_derived(self):
        """Normalize names (NFC) and recompute the search and sort columns."""
        self.full_name = normalize_name(self.full_name)
        self.birth_name = normalize_name(self.birth_name)
        if self.birth_name == self.full_name:
            self.birth_name = ""
        self.search_text = search_text(self.full_name, self.birth_name)
        self.sort_key = sort_key(self.full_name, given_name_first=True)

    @property
    def given_name(self):
        return given_name(self.full_name)

    @property
    def masked_citizen_id(self):
        return mask_citizen_id(self.citizen_id)

    def age_on(self, day: dt.date) -> int:
        return years_between(self.birth_date, day)

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.birth_date:
            if self.birth_date > today:
                errors["birth_date"] = _("The date of birth is in the future.")
            elif self.birth_date < MIN_BIRTH_DATE:
                errors["birth_date"] = _("The date of birth is before 1900.")
        if self.citizen_id and "citizen_id" not in errors:
            try:
                check_citizen_id_matches(self.citizen_id, self.birth_date, self.sex)
            except ValidationError as e:
                errors["citizen_id"] = e.messages[0]
        if errors:
            raise ValidationError(errors)


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary")
    OFFICIAL = "official", _("Official")
    EXEMPT = "exempt", _("Exempt from activities")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left the Party")
    # Still a party member, but their activity moved to an organization outside Chibo: the
    # record stays for history and drops out of the lists and counts like a member who left.
    TRANSFERRED = "transferred", _("Transferred outside the system")


ACTIVE_STATUSES = (
    MemberStatus.PROBATIONARY,
    MemberStatus.OFFICIAL,
    MemberStatus.EXEMPT,
    MemberStatus.SUSPENDED,
)


class LeftReason(models.TextChoices):
    STRIKE_OFF = "strike_off", _("Struck off the list (xóa tên)")
    EXPULSION = "expulsion", _("Expelled (khai trừ)")
    WITHDRAWAL = "withdrawal", _("Withdrew from the Party")
    DEATH = "death", _("Died")
    PROBATION_REMOVED = "probation_removed", _("Removed from the probationary list")


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def with_person(self):
        return self.select_related("person", "organization")


class Member(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="member")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="home_members",
        verbose_name=_("home cell"),
    )
    dossier_no = models.CharField(
        _("dossier number"),
        max_length=9,
        validators=[validate_dossier_no],
        help_text=_("Số lý lịch: 6 digits and the province letters, e.g. 012345QN."),
    )
    card_no = models.CharField(
        _("party card number"), max_length=8, blank=True, validators=[validate_card_no]
    )
    admission_decision_date = models.DateField(_("admission decision date"), null=True, blank=True)
    ceremony_date = models.DateField(_("admission ceremony date"), null=True, blank=True)
    official_date = models.DateField(_("official member since"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.PROBATIONARY
    )
    left_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=LeftReason.choices, blank=True
    )
    status_date = models.DateField(_("status since"), null=True, blank=True)
    status_note = models.CharField(
        _("decision / note"),
        max_length=250,
        blank=True,
        help_text=_("Decision number and reason, e.g. QĐ 12-QĐ/ĐU ngày 05/3/2025."),
    )
    # A copy of the person's sort key, kept by Person.save() and the bulk paths: the member list
    # of a whole province then reads its first page from one index on this table (province,
    # sort key) instead of sorting 35,000 joined rows (P6), and counts without the join.
    sort_key = models.CharField(max_length=250, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "sort_key"])
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "dossier_no"], name="member_dossier_unique_in_province"
            ),
            models.UniqueConstraint(
                fields=["province", "card_no"],
                condition=~models.Q(card_no=""),
                name="member_card_unique_in_province",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="member_org_status"),
            models.Index(fields=["province", "status"], name="member_province_status"),
            models.Index(fields=["province", "sort_key", "id"], name="member_province_sort"),
        ]

    def __str__(self):
        return self.person.full_name

    def save(self, *args, **kwargs):
        # The person is at hand on creation and on edits through the forms; otherwise the copy
        # is already right (a rename goes through Person.save, which updates it).
        if self.person_id and (not self.sort_key or Member.person.is_cached(self)):
            self.sort_key = self.person.sort_key
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.uuid])

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def party_age_start(self):
        """Party age counts from the date of the admission decision (Charter art. 5)."""
        return self.admission_decision_date or self.ceremony_date

    def clean(self):
        errors = {}
        today = timezone.localdate()
        for field in ("admission_decision_date", "ceremony_date", "official_date", "status_date"):
            value = getattr(self, field)
            if value and value > today:
                errors[field] = _("This date is in the future.")
        if (
            self.admission_decision_date
            and self.ceremony_date
            and self.ceremony_date < self.admission_decision_date
        ):
            errors["ceremony_date"] = _("The ceremony cannot come before the admission decision.")
        if self.official_date and self.ceremony_date and self.official_date <= self.ceremony_date:
            errors["official_date"] = _(
                "Official membership starts after probation, so after the ceremony date."
            )
        # The person may be unsaved (create form): read it from the relation cache.
        person = self._state.fields_cache.get("person") or (self.person if self.person_id else None)
        birth = person.birth_date if person else None
        admitted = self.admission_decision_date or self.ceremony_date
        if birth and admitted and years_between(birth, admitted) < ADMISSION_MIN_AGE:
            errors[
                "admission_decision_date" if self.admission_decision_date else "ceremony_date"
            ] = _("The person was under 18 on this date; members are admitted from 18.")
        if self.status == MemberStatus.PROBATIONARY:
            if not self.ceremony_date:
                errors["ceremony_date"] = _("A probationary member needs the ceremony date.")
            if self.official_date:
                errors["official_date"] = _(
                    "A probationary member has no official date yet; "
                    "clear it or change the status to official."
                )
        if self.status in (MemberStatus.OFFICIAL, MemberStatus.EXEMPT) and not self.official_date:
            errors["official_date"] = _("An official member needs the date they became official.")
        if self.status == MemberStatus.LEFT:
            if not self.left_reason:
                errors["left_reason"] = _("Say why the member left the Party.")
            if not self.status_date:
                errors["status_date"] = _("Give the date the member left the Party.")
        elif self.left_reason:
            errors["left_reason"] = _("Only members who left the Party have a reason for leaving.")
        if self.status == MemberStatus.TRANSFERRED and not self.status_date:
            errors["status_date"] = _("Give the date the member's activity moved elsewhere.")
        if errors:
            raise ValidationError(errors)

    def membership_on(self, day: dt.date):
        return self.memberships.home().on(day).select_related("organization").first()


class MembershipKind(models.TextChoices):
    HOME = "home", _("Home cell")
    TEMPORARY = "temporary", _("Temporarily attached")


class MembershipQuerySet(models.QuerySet):
    def on(self, day: dt.date):
        return self.filter(
            models.Q(start_date__lte=day),
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day),
        )

    def current(self):
        return self.filter(end_date__isnull=True)

    def home(self):
        return self.filter(kind=MembershipKind.HOME)


class Membership(models.Model):
    """A period in which a member belonged to a cell (end date inclusive, open if current)."""

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("cell"),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=MembershipKind.choices, default=MembershipKind.HOME
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "kind", "start_date", "end_date"],
                name="membership_org_period",
            ),
            models.Index(fields=["member", "start_date"], name="membership_member"),
            # Only the open temporary periods: finds members attached from other provinces
            # without tempting planners away from the organization index elsewhere.
            models.Index(
                fields=["province"],
                condition=models.Q(kind="temporary", end_date__isnull=True),
                name="membership_open_temporary",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.member_id} @ {self.organization_id} {self.start_date}–{self.end_date or ''}"
