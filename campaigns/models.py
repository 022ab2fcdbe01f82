"""Emulation campaigns (phong trào thi đua) and their monthly results.

A committee (or a cell) launches a campaign, e.g. "Tiết kiệm làm theo Bác"; every organization
of its subtree takes part. Each month a cell or committee records what it collected: money
(whole đồng), rice (kg) and the number of people helped (brief §15, seed 000 #5). The report
`campaigns` (reports/campaigns.py) sums the results over a subtree and a period.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dues.models import first_of_month, month_end  # noqa: F401 -- the month helpers, shared
from organizations.models import Organization

RICE_DIGITS = 12  # 10 digits of kg before the comma: far beyond any province


class Campaign(models.Model):
    """A campaign launched by a committee; its whole subtree takes part."""

    TENANT_PATH = "organization__"  # re-keyed when the launching organization moves

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("launched by"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    collects_money = models.BooleanField(_("collects money"), default=True)
    collects_rice = models.BooleanField(_("collects rice"), default=True)
    collects_beneficiaries = models.BooleanField(_("counts the people helped"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("emulation campaign")
        verbose_name_plural = _("emulation campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(collects_money=True)
                | Q(collects_rice=True)
                | Q(collects_beneficiaries=True),
                name="campaign_collects_something",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})
        if not (self.collects_money or self.collects_rice or self.collects_beneficiaries):
            raise ValidationError(_("Choose at least one figure the campaign collects."))

    @property
    def figures(self) -> list[str]:
        """The result fields the campaign collects, in the sheet's order."""
        return [
            name
            for name, on in (
                ("amount_vnd", self.collects_money),
                ("rice_kg", self.collects_rice),
                ("beneficiaries", self.collects_beneficiaries),
            )
            if on
        ]

    def covers_month(self, month: dt.date) -> bool:
        """Whether any day of the month lies within the campaign's dates."""
        month = first_of_month(month)
        return month_end(month) >= self.starts_on and (
            self.ends_on is None or month <= self.ends_on
        )

    def takes_part(self, org: Organization) -> bool:
        """The launching organization and its whole subtree take part."""
        return org.path.startswith(self.organization.path)


class CampaignResult(models.Model):
    """What one organization collected for a campaign in one month."""

    TENANT_PATH = "organization__"  # re-keyed when the reporting organization moves

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="results")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="campaign_results",
        verbose_name=_("organization"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    amount_vnd = models.PositiveBigIntegerField(_("money (VND)"), default=0)
    rice_kg = models.DecimalField(
        _("rice (kg)"),
        max_digits=RICE_DIGITS,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    beneficiaries = models.PositiveIntegerField(_("people helped"), default=0)
    note = models.CharField(_("note"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign result")
        verbose_name_plural = _("campaign results")
        ordering = ["month", "id"]
        indexes = [
            # The report reads a campaign's months, then groups them by organization path.
            models.Index(fields=["campaign", "month"], name="campaignresult_campaign_month"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization", "month"], name="campaign_result_once_a_month"
            ),
            models.CheckConstraint(condition=Q(rice_kg__gte=0), name="campaign_rice_not_negative"),
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.organization_id} {self.month:%m/%Y}"

    def save(self, *args, **kwargs):
        if self.month:
            self.month = first_of_month(self.month)
        super().save(*args, **kwargs)
