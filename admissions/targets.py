"""Admission targets per organization and year, and the results to compare them with.

A result counts the members admitted in the year — the ceremony date (Member.ceremony_date)
in the year — in an organization's subtree. A member is counted where they were admitted:
the cell of their admission record (Candidate.organization) when there is one, else their
home cell (members entered or imported without the pipeline), so a later transfer does not
move last year's admission to another unit. The shares among them: ethnic minorities (every
ethnicity but Kinh, as the member list's "minorities" filter), women, under 30 on the
ceremony day, Youth Union members (Person.youth_union as recorded now).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Substr
from django.utils.translation import gettext as _

from admissions.models import SHARE_FIELDS, TARGET_MAX_YEAR, TARGET_MIN_YEAR, AdmissionTarget
from lib.vn import KINH, Sex
from members.models import Member
from organizations.models import Organization, subtree_q

UNDER_AGE = 30
STEP = 4  # characters per level of Organization.path


@dataclass
class Result:
    admitted: int = 0
    minority: int = 0
    women: int = 0
    under_30: int = 0
    youth_union: int = 0

    def add(self, other: "Result"):
        for f in ("admitted", "minority", "women", "under_30", "youth_union"):
            setattr(self, f, getattr(self, f) + getattr(other, f))

    def share(self, count: int) -> float | None:
        return 100 * count / self.admitted if self.admitted else None

    @property
    def shares(self) -> dict:
        """{target share field: achieved percent or None when nobody was admitted}."""
        return {
            "minority_share": self.share(self.minority),
            "women_share": self.share(self.women),
            "under_30_share": self.share(self.under_30),
            "youth_union_share": self.share(self.youth_union),
        }


def results(org: Organization, year: int) -> dict[str, Result]:
    """{unit path: Result} for each direct child of `org` (its path) and for members admitted
    directly to `org` itself (`org.path`): one grouped query."""
    unit_len = len(org.path) + STEP
    admitted_in = Coalesce(F("candidacy__organization__path"), F("organization__path"))
    age_years = ExtractYear("ceremony_date") - ExtractYear("person__birth_date")
    birthday = ExtractMonth("person__birth_date") * 100 + ExtractDay("person__birth_date")
    ceremony_day = ExtractMonth("ceremony_date") * 100 + ExtractDay("ceremony_date")
    rows = (
        Member.objects.alias(unit_path=admitted_in)
        .filter(
            subtree_q(org.path, "unit_"),
            ceremony_date__gte=dt.date(year, 1, 1),
            ceremony_date__lte=dt.date(year, 12, 31),
        )
        .alias(
            age_years=age_years,
            birthday=birthday,
            ceremony_day=ceremony_day,
        )
        .annotate(unit=Substr("unit_path", 1, unit_len))
        .values("unit")
        .annotate(
            admitted=Count("pk"),
            minority=Count("pk", filter=~Q(person__ethnicity=KINH)),
            women=Count("pk", filter=Q(person__sex=Sex.FEMALE)),
            # Under 30 on the ceremony day: fewer than 30 birthdays passed (portable SQL).
            under_30=Count(
                "pk",
                filter=Q(age_years__lt=UNDER_AGE)
                | Q(age_years=UNDER_AGE, ceremony_day__lt=F("birthday")),
            ),
            youth_union=Count("pk", filter=Q(person__youth_union=True)),
        )
        .order_by()
    )
    return {r["unit"]: Result(**{k: v for k, v in r.items() if k != "unit"}) for r in rows}


def table(org: Organization, children: list[Organization], year: int) -> dict:
    """The rows of the targets page: each direct child, the organization's own admissions
    when it has any (a cell admits to itself), and the total with the organization's target."""
    by_unit = results(org, year)
    targets = {
        t.organization_id: t
        for t in AdmissionTarget.objects.filter(
            organization_id__in=[org.pk, *(c.pk for c in children)], year=year
        )
    }
    rows = [
        {"org": c, "target": targets.get(c.pk), "result": by_unit.get(c.path, Result())}
        for c in children
    ]
    own = by_unit.get(org.path)
    if own is not None or not children:
        rows.insert(0, {"org": org, "own": True, "result": own or Result(), "target": None})
    total = Result()
    for r in by_unit.values():
        total.add(r)
    # Units below that are not current children (dissolved or moved away since) still count.
    total_row = {"org": org, "total": True, "result": total, "target": targets.get(org.pk)}
    for row in [*rows, total_row]:
        target, achieved = row["target"], row["result"].shares
        row["shares"] = [
            (getattr(target, f) if target else None, achieved[f]) for f in SHARE_FIELDS
        ]
    return {"rows": rows, "total": total_row}


def _valid_year(year: int):
    if not TARGET_MIN_YEAR <= year <= TARGET_MAX_YEAR:
        raise ValidationError(
            _("The year must be between %(min)s and %(max)s.")
            % {"min": TARGET_MIN_YEAR, "max": TARGET_MAX_YEAR}
        )


def set_targets(org: Organization, year: int, values: dict[Organization, dict | None], user=None):
    """Set the targets of `org` and its direct children for `year` in one transaction.

    `values` maps each organization to {"admissions": n, <share field>: percent or None}, or to
    None to remove its target. Everything is validated before anything is written."""
    _valid_year(year)
    allowed = {org.pk} | set(
        Organization.objects.filter(subtree_q(org.path), depth=org.depth + 1).values_list(
            "pk", flat=True
        )
    )
    existing = {
        t.organization_id: t
        for t in AdmissionTarget.objects.filter(organization_id__in=allowed, year=year)
    }
    to_save, to_delete = [], []
    for unit, data in values.items():
        if unit.pk not in allowed:
            raise ValidationError(_("Targets are set for the organization and its direct units."))
        target = existing.get(unit.pk)
        if data is None:
            if target is not None:
                to_delete.append(target)
            continue
        if target is None:
            target = AdmissionTarget(
                organization=unit, province_id=unit.province_id or unit.pk, year=year
            )
        target.admissions = data["admissions"]
        for f in SHARE_FIELDS:
            setattr(target, f, data.get(f))
        target.set_by = user
        try:
            target.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as e:
            raise ValidationError(f"{unit.name}: {'; '.join(e.messages)}") from e
        to_save.append(target)
    with transaction.atomic():
        for target in to_delete:
            target.delete()
        for target in to_save:
            target.save()
    return to_save
