"""Transfers of party activity (chuyển sinh hoạt đảng), official and temporary.

A Transfer follows one member from the sending cell to the receiving cell through the
introduction letter (giấy giới thiệu sinh hoạt đảng). Either side may be outside the
system (another province not using Chibo): the organization is then free text. The
deadlines are QĐ 24 §6.3.1 (brief §5.3): the official transfer procedure is started within
60 working days of the decision or move, and the letter is presented to the receiving
committee within 30 working days of its issue. Status changes only through the service
functions in transfers/services.py, which also close and open the membership periods.
"""

import datetime as dt
import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lib.workdays import add_working_days
from members.models import Member
from organizations.models import Organization, subtree_q

START_WORKING_DAYS = 60  # start the official transfer within 60 working days of the trigger
PRESENT_WORKING_DAYS = 30  # present the letter within 30 working days of its issue

# Temporary transfers: 3 months ≤ duration < 1 year; full-time study 3 months to 2 years.
TEMPORARY_MIN = relativedelta(months=3)
TEMPORARY_MAX = relativedelta(years=1)  # exclusive
STUDY_MAX = relativedelta(years=2)  # inclusive


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    TEMPORARY = "temporary", _("Temporary")


class TransferReason(models.TextChoices):
    JOB = "job", _("Job transfer")
    RETIREMENT = "retirement", _("Retirement")
    LOST_CAPACITY = "lost_capacity", _("Loss of working capacity")
    RESIGNATION = "resignation", _("Leaving the job")
    DEMOBILISATION = "demobilisation", _("Demobilisation")
    RESIDENCE = "residence", _("Change of residence")
    STUDY = "study", _("Full-time study")
    OTHER = "other", _("Other reason")


# Reasons that end the old attachment for good, and the one that is always temporary.
OFFICIAL_ONLY_REASONS = {
    TransferReason.RETIREMENT,
    TransferReason.LOST_CAPACITY,
    TransferReason.RESIGNATION,
    TransferReason.DEMOBILISATION,
}
TEMPORARY_ONLY_REASONS = {TransferReason.STUDY}


class LetterType(models.TextChoices):
    # HD 12-HD/BTCTW 2022 §4.2–4.3: the official letter has 10 boxes, the temporary one 8.
    OFFICIAL_10 = "official_10", _("Official letter (10 boxes)")
    TEMPORARY_8 = "temporary_8", _("Temporary letter (8 boxes)")
    OTHER = "other", _("Other letter")


LETTER_FOR_KIND = {
    TransferKind.OFFICIAL: LetterType.OFFICIAL_10,
    TransferKind.TEMPORARY: LetterType.TEMPORARY_8,
}


class TransferStatus(models.TextChoices):
    STARTED = "started", pgettext_lazy("transfer status", "Started")
    LETTER_ISSUED = "letter_issued", _("Letter issued")
    RECEIVED = "received", _("Received")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (TransferStatus.STARTED, TransferStatus.LETTER_ISSUED, TransferStatus.RECEIVED)


def temporary_window_error(reason: str, start: dt.date, end: dt.date):
    """The message when a temporary transfer's duration is outside its window, else None."""
    if end < start + TEMPORARY_MIN:
        return _("A temporary transfer lasts at least 3 months; a shorter absence needs none.")
    if reason == TransferReason.STUDY:
        if end > start + STUDY_MAX:
            return _(
                "Temporary transfer for study lasts at most 2 years; beyond that it is official."
            )
    elif end >= start + TEMPORARY_MAX:
        return _(
            "A temporary transfer lasts less than 1 year; a longer one is an official transfer."
        )
    return None


class TransferQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def outgoing(self, org: Organization):
        return self.filter(subtree_q(org.path, "from_org__"))

    def incoming(self, org: Organization):
        return self.filter(subtree_q(org.path, "to_org__"))

    def touching(self, org: Organization):
        return self.filter(subtree_q(org.path, "from_org__") | subtree_q(org.path, "to_org__"))

    def overdue(self, today: dt.date):
        """Open transfers started late, or whose letter was (or still is not) presented in time."""
        return self.open().filter(
            Q(kind=TransferKind.OFFICIAL, start_due__lt=F("started_on"))
            | Q(presented_on__gt=F("present_due"))
            | Q(status=TransferStatus.LETTER_ISSUED, present_due__lt=today)
        )


class Transfer(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The tenant key follows the member's record: the sending province until an official
    # transfer across provinces completes, then the receiving one.
    TENANT_PATH = "member__organization__"  # … and when the member's cell moves provinces
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name=_("party member"),
        help_text=_(
            "Empty for a member coming from outside the system until the record is linked."
        ),
    )
    member_name = models.CharField(_("member's name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=TransferKind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=TransferReason.choices)
    reason_detail = models.CharField(_("details of the reason"), max_length=250, blank=True)
    from_org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        verbose_name=_("sending cell"),
    )
    from_org_name = models.CharField(
        _("sending organization (outside the system)"), max_length=250, blank=True
    )
    to_org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_in",
        verbose_name=_("receiving cell"),
    )
    to_org_name = models.CharField(
        _("receiving organization (outside the system)"), max_length=250, blank=True
    )
    trigger_date = models.DateField(
        _("decision / move date"),
        help_text=_("Date of the job-transfer or retirement decision, or of the move."),
    )
    started_on = models.DateField(_("procedure started on"))
    start_due = models.DateField(_("start due by"), editable=False)
    end_date = models.DateField(_("temporary until"), null=True, blank=True)

    letter_type = models.CharField(
        _("letter type"), max_length=12, choices=LetterType.choices, blank=True
    )
    letter_no = models.CharField(_("letter number"), max_length=40, blank=True)
    register_no = models.CharField(
        _("register number"),
        max_length=40,
        blank=True,
        help_text=_("Number in the committee's transfer register (số GTSHĐ)."),
    )
    letter_issued_on = models.DateField(_("letter issued on"), null=True, blank=True)
    letter_issued_by = models.CharField(_("letter issued by"), max_length=250, blank=True)
    dues_paid_until = models.DateField(
        _("dues paid up to (month)"),
        null=True,
        blank=True,
        help_text=_("The first day of the last month paid."),
    )
    present_due = models.DateField(_("to be presented by"), null=True, blank=True, editable=False)
    presented_on = models.DateField(_("letter presented on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    ended_on = models.DateField(_("attached until"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.STARTED
    )
    note = models.CharField(_("note"), max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer of party activity")
        verbose_name_plural = _("transfers of party activity")
        ordering = ["-started_on", "-pk"]
        indexes = [
            models.Index(fields=["from_org", "status"], name="transfer_from_status"),
            models.Index(fields=["to_org", "status"], name="transfer_to_status"),
            models.Index(fields=["province", "status"], name="transfer_province_status"),
        ]
        constraints = [
            # One open transfer per member at a time.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=["started", "letter_issued", "received"]),
                name="transfer_one_open_per_member",
            ),
            # Each side is a cell here or a named organization outside; never both outside.
            models.CheckConstraint(
                condition=Q(from_org__isnull=False) | ~Q(from_org_name=""),
                name="transfer_has_sender",
            ),
            models.CheckConstraint(
                condition=Q(to_org__isnull=False) | ~Q(to_org_name=""),
                name="transfer_has_receiver",
            ),
            models.CheckConstraint(
                condition=Q(from_org__isnull=False) | Q(to_org__isnull=False),
                name="transfer_one_side_in_system",
            ),
        ]

    def __str__(self):
        return f"{self.member_name}: {self.sender_name} → {self.receiver_name}"

    def get_absolute_url(self):
        return reverse("transfers:detail", args=[self.uuid])

    # ---- the two sides ------------------------------------------------------
    @property
    def sender_name(self) -> str:
        return self.from_org.name if self.from_org_id else self.from_org_name

    @property
    def receiver_name(self) -> str:
        return self.to_org.name if self.to_org_id else self.to_org_name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def crosses_provinces(self) -> bool:
        return bool(
            self.from_org_id
            and self.to_org_id
            and self.from_org.province_id != self.to_org.province_id
        )

    # ---- deadlines ------------------------------------------------------------
    def compute_dues(self):
        """Fill start_due and present_due from the dates recorded (QĐ 24 §6.3.1)."""
        self.start_due = add_working_days(self.trigger_date, START_WORKING_DAYS)
        self.present_due = (
            add_working_days(self.letter_issued_on, PRESENT_WORKING_DAYS)
            if self.letter_issued_on
            else None
        )

    @property
    def started_late(self) -> bool:
        return self.kind == TransferKind.OFFICIAL and self.started_on > self.start_due

    def presented_late(self, today: dt.date | None = None) -> bool:
        if not self.present_due:
            return False
        if self.presented_on:
            return self.presented_on > self.present_due
        today = today or timezone.localdate()
        return self.status == TransferStatus.LETTER_ISSUED and today > self.present_due

    @property
    def is_overdue(self) -> bool:
        return self.started_late or self.presented_late()
