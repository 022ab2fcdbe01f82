"""Recording a campaign's results for a month: the month sheet of one organization.

record_results validates every row first and raises a ValidationError (translated, one
message per bad row) before writing anything; then writes in one transaction.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import RICE_DIGITS, Campaign, CampaignResult, first_of_month
from organizations.models import Organization

NOTE_MAX = 250
MAX_AMOUNT = 10**15  # a billion times a million đồng: anything above is a typing slip
MAX_PEOPLE = 10**7
# Whole numbers, optionally grouped by thousands: 4400000, 4.400.000, 4,400,000, 4 400 000
# (and a sign, so that a negative number gets its own message).
_WHOLE = re.compile(r"^-?(\d+|\d{1,3}([.,\s]\d{3})+)$")
# Kilograms: grouped by dots or spaces with a decimal comma (19.741,5), or a plain decimal
# with a comma or a dot and one or two decimals (12,5 / 12.5).
_KG_GROUPED = re.compile(r"^-?\d{1,3}([.\s]\d{3})+(,\d{1,2})?$")
_KG_PLAIN = re.compile(r"^-?\d+([.,]\d{1,2})?$")


@dataclass
class ResultRow:
    """One organization's line of the month sheet, as posted (text or numbers)."""

    org_id: int
    amount_vnd: object = ""
    rice_kg: object = ""
    beneficiaries: object = ""
    note: str = ""


def parse_whole(value) -> int | None:
    """A whole number, or None when empty; ValueError when it is not one."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ValueError(value)
        return int(value)
    text = str(value).strip().removesuffix("đ").strip()
    if not text:
        return None
    if not _WHOLE.match(text):
        raise ValueError(value)
    return int(re.sub(r"[.,\s]", "", text))


def parse_kg(value) -> Decimal | None:
    """Kilograms with at most two decimals, or None when empty; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, int | float | Decimal):
        kg = Decimal(str(value))
    else:
        text = str(value).strip().removesuffix("kg").strip()
        if not text:
            return None
        if _KG_GROUPED.match(text):
            text = re.sub(r"[.\s]", "", text).replace(",", ".")
        elif _KG_PLAIN.match(text):
            text = text.replace(",", ".")
        else:
            raise ValueError(value)
        try:
            kg = Decimal(text)
        except InvalidOperation as e:
            raise ValueError(value) from e
    if kg != kg.quantize(Decimal("0.01")):
        raise ValueError(value)
    return kg


def _month_label(month: dt.date) -> str:
    return f"{month:%m/%Y}"


def check_month(campaign: Campaign, month: dt.date, today: dt.date) -> str:
    """The problem with recording this month, or ""."""
    if month > first_of_month(today):
        return _("%(month)s is in the future: results are recorded up to the current month.") % {
            "month": _month_label(month)
        }
    if not campaign.covers_month(month):
        return _("%(month)s is outside the campaign's dates.") % {"month": _month_label(month)}
    return ""


@transaction.atomic
def record_results(
    campaign: Campaign, sheet_org: Organization, month: dt.date, rows: list[ResultRow], by=None
) -> int:
    """Record the month's results of the organizations of a sheet (the organization itself
    and the cells below it). A row left empty removes what was recorded. All or nothing;
    returns the number of rows changed.

    Refused: a month in the future or outside the campaign's dates; an organization outside
    the sheet's organization or outside the campaign; a figure that is negative, not a
    number, or one the campaign does not collect; a note too long.
    """
    today = timezone.localdate()
    month = first_of_month(month)
    problem = check_month(campaign, month, today)
    if problem:
        raise ValidationError(problem)
    orgs = {
        o.pk: o
        for o in Organization.objects.filter(pk__in=[r.org_id for r in rows]).only(
            "pk", "path", "name", "province_id"
        )
    }
    existing = {
        r.organization_id: r
        for r in CampaignResult.objects.filter(
            campaign=campaign, month=month, organization_id__in=list(orgs)
        )
    }
    errors, plan, seen = [], [], set()
    for row in rows:
        org = orgs.get(row.org_id)
        if org is None or not org.path.startswith(sheet_org.path):
            errors.append(_("An organization in the list is not part of this sheet."))
            continue
        if not campaign.takes_part(org):
            errors.append(
                _("%(org)s: outside the campaign (launched by %(launcher)s).")
                % {"org": org.name, "launcher": campaign.organization.name}
            )
            continue
        problem, values = _check_row(campaign, row)
        if row.org_id in seen:
            problem = _("listed twice.")
        seen.add(row.org_id)
        if problem:
            errors.append(f"{org.name}: {problem}")
        else:
            plan.append((org, existing.get(org.pk), values))
    if errors:
        raise ValidationError(errors)
    changes = 0
    for org, record, values in plan:
        if values is None:
            if record is not None:
                record.delete()
                changes += 1
        elif record is None:
            CampaignResult.objects.create(
                province_id=org.province_id or org.pk,
                campaign=campaign,
                organization=org,
                month=month,
                recorded_by=by,
                **values,
            )
            changes += 1
        elif any(getattr(record, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(record, name, value)
            record.recorded_by = by
            record.save()
            changes += 1
    return changes


def _check_row(campaign: Campaign, row: ResultRow) -> tuple[str, dict | None]:
    """(the problem with a row, or "") and the values to store (None: no row)."""
    note = (row.note or "").strip()
    if "\x00" in note:
        # A raw POST value: PostgreSQL cannot store NUL in text (chibo/tests/badinput).
        return _("the note contains a null character, which cannot be stored."), None
    if len(note) > NOTE_MAX:
        return _("the note is longer than %(n)s characters.") % {"n": NOTE_MAX}, None
    try:
        amount = parse_whole(row.amount_vnd)
    except (ValueError, ArithmeticError):
        return _("the money is not a whole number of đồng."), None
    try:
        rice = parse_kg(row.rice_kg)
    except (ValueError, ArithmeticError):
        return _("the rice is not a number of kg (at most two decimals)."), None
    try:
        people = parse_whole(row.beneficiaries)
    except (ValueError, ArithmeticError):
        return _("the number of people helped is not a whole number."), None
    if amount is None and rice is None and people is None and not note:
        return "", None  # an empty row: nothing recorded (or what was, removed)
    for value, name, label in (
        (amount, "amount_vnd", _("money")),
        (rice, "rice_kg", _("rice")),
        (people, "beneficiaries", _("people helped")),
    ):
        if value is not None and value < 0:
            return _("the %(figure)s cannot be negative.") % {"figure": label}, None
        if value and name not in campaign.figures:
            return _("this campaign does not collect %(figure)s.") % {"figure": label}, None
    if amount is not None and amount >= MAX_AMOUNT:
        return _("the money is too large."), None
    if rice is not None and rice >= 10 ** (RICE_DIGITS - 2):
        return _("the rice is too large."), None
    if people is not None and people >= MAX_PEOPLE:
        return _("the number of people helped is too large."), None
    return "", {
        "amount_vnd": amount or 0,
        "rice_kg": rice or Decimal(0),
        "beneficiaries": people or 0,
        "note": note,
    }
