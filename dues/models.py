"""Party dues (đảng phí): one row per member and month, paid or excused.

A row says the member's dues for a month are settled: paid (an amount, as entered, and the
day it was paid) or excused (not paid, for a valid reason the cell accepted, e.g. hardship).
No row is "not paid". Rates are not computed: the dues regulation (commonly cited as QĐ
01-QĐ/TW, 2018) was not verified (brief §5.10 [U]), so the amount is whatever the cell
collected.

The rows feed two rules: the strike-off trigger (dues unpaid 3 months in a year without a
valid reason, QĐ 29/24 §8.1, brief §5.5; dues.selectors) and the "dues paid up to (month)"
box of a transfer letter (brief §5.3; dues.services.paid_until).
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Member
from organizations.models import Organization

# Enough for any amount in đồng (decimal_places=0): a bound the database enforces too.
MAX_DIGITS = 12


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    """The last day of the month that `month` falls in."""
    nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


class DuesPayment(models.Model):
    """A member's dues for one month: paid (amount, date) or excused (reason)."""

    TENANT_PATH = "member__organization__"  # follows the member when their cell moves

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_payments")
    # The cell the dues were paid in: the home cell, or the cell a member is attached to.
    cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="dues_payments",
        verbose_name=_("cell"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month paid for."))
    amount = models.DecimalField(
        _("amount (VND)"),
        max_digits=MAX_DIGITS,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    excused = models.BooleanField(
        pgettext_lazy("dues", "excused"),
        default=False,
        help_text=_("Not paid, for a valid reason the cell accepted (e.g. hardship)."),
    )
    reason = models.CharField(_("reason for not paying"), max_length=250, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["month", "id"]
        indexes = [
            # "Did this cell record dues for this month?": the strike-off rule asks it per cell.
            models.Index(fields=["cell", "month"], name="duespayment_cell_month"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_once_per_month"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="dues_amount_not_negative",
            ),
            # Paid: an amount and a date. Excused: neither, and a reason.
            models.CheckConstraint(
                condition=Q(
                    excused=False,
                    amount__isnull=False,
                    paid_on__isnull=False,
                    reason="",
                )
                | (Q(excused=True, amount__isnull=True, paid_on__isnull=True) & ~Q(reason="")),
                name="dues_paid_or_excused",
            ),
        ]

    def __str__(self):
        what = "excused" if self.excused else self.amount
        return f"{self.member_id} {self.month:%m/%Y}: {what}"

    def save(self, *args, **kwargs):
        # A month is stored as its first day, whatever day was given.
        if self.month:
            self.month = first_of_month(self.month)
        super().save(*args, **kwargs)


class DuesState(models.TextChoices):
    """What the month sheet says of a member for a month (no row is "not paid")."""

    PAID = "paid", pgettext_lazy("dues", "Paid")
    EXCUSED = "excused", pgettext_lazy("dues", "Excused")
    UNPAID = "unpaid", pgettext_lazy("dues", "Not paid")
