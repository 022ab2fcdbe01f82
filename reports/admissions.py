"""`admissions`: party admissions over a period (brief §5).

- new members admitted: ceremony date (Member.ceremony_date) in [from, to], counted where they
  were admitted — the cell of their admission record, else their home cell — exactly as
  admissions/targets.py counts a year's results (a test compares the two for a whole year);
- the year's AdmissionTarget of the organization and of each child (year of `to`);
- the shares among the new members of ethnic minorities (every ethnicity but Kinh), women,
  under 30 on the ceremony day (fewer than 30 birthdays passed) and Youth Union members
  (Person.youth_union as recorded now) — admissions/targets.py's definitions;
- new members by the type of the cell that admitted them;
- candidates by stage now (open admission records, before and after the ceremony).

Four queries whatever the size of the subtree: the children, the new members grouped by unit
and cell type, the targets, the open candidates grouped by cell and stage.
"""

from collections import Counter

from django.db.models import Case, Count, F, Q, When
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from admissions.models import OPEN_STAGES, PROBATION_STAGES, AdmissionTarget, Candidate
from admissions.targets import UNDER_AGE
from lib.vn import KINH, Sex
from members.models import Member
from organizations.models import CellType, Organization, subtree_q
from organizations.selectors import sort_nodes
from reports.periods import Period
from reports.registry import Column, Group, Item, Report, Result, Rollup, active_q, register

SHARES = ("minority", "women", "under_30", "youth_union")


def admitted_rows(org: Organization, period: Period):
    """[(unit path, cell type, {admitted, minority, women, under_30, youth_union})] for the
    members whose ceremony falls in the period, one grouped query (admissions/targets.py's
    counting, over a period instead of a year)."""
    from_candidacy = Q(candidacy__organization__isnull=False)
    age_years = ExtractYear("ceremony_date") - ExtractYear("person__birth_date")
    birthday = ExtractMonth("person__birth_date") * 100 + ExtractDay("person__birth_date")
    ceremony_day = ExtractMonth("ceremony_date") * 100 + ExtractDay("ceremony_date")
    rows = (
        Member.objects.alias(
            unit_path=Coalesce(F("candidacy__organization__path"), F("organization__path")),
        )
        .filter(
            subtree_q(org.path, "unit_"),
            ceremony_date__gte=period.start,
            ceremony_date__lte=period.end,
        )
        .alias(age_years=age_years, birthday=birthday, ceremony_day=ceremony_day)
        .annotate(
            unit=F("unit_path"),
            unit_type=Case(
                When(from_candidacy, then=F("candidacy__organization__cell_type")),
                default=F("organization__cell_type"),
            ),
        )
        .values("unit", "unit_type")
        .annotate(
            admitted=Count("pk"),
            minority=Count("pk", filter=~Q(person__ethnicity=KINH)),
            women=Count("pk", filter=Q(person__sex=Sex.FEMALE)),
            under_30=Count(
                "pk",
                filter=Q(age_years__lt=UNDER_AGE)
                | Q(age_years=UNDER_AGE, ceremony_day__lt=F("birthday")),
            ),
            youth_union=Count("pk", filter=Q(person__youth_union=True)),
        )
        .order_by()
    )
    return [(r["unit"], r["unit_type"], {k: r[k] for k in ("admitted", *SHARES)}) for r in rows]


@register
class AdmissionsReport(Report):
    name = "admissions"
    title = _("Party admissions")
    description = _(
        "New members admitted in the period (ceremony date) against the year's target, the "
        "shares of ethnic minorities, women, under 30 and Youth Union members among them, new "
        "members by cell type, and the candidates by stage now."
    )
    as_of = False
    chart_column = "admitted"
    columns = [
        Column("target", _("Target for the year")),
        Column("admitted", _("New members admitted"), of="target"),
        Column("minority", _("Ethnic minorities"), of="admitted"),
        Column("women", _("Women"), of="admitted"),
        Column("under_30", _("Under 30 at admission"), of="admitted"),
        Column("youth_union", _("Youth Union members"), of="admitted"),
        Column("candidates", _("Candidates before the ceremony")),
        Column("on_probation", _("Probationary members in the pipeline")),
    ]

    def compute(self, org: Organization, period: Period) -> Result:
        year = period.end.year
        # 1. The direct children.
        children = sort_nodes(
            Organization.objects.filter(active_q(period.end)).filter(
                subtree_q(org.path), depth=org.depth + 1
            )
        )
        roll = Rollup(org, children)
        # 2. New members by the unit and cell type that admitted them.
        types = Counter()
        for path, cell_type, counts in admitted_rows(org, period):
            for key, n in counts.items():
                roll.add(path, key, n)
            types[cell_type or CellType.OTHER] += counts["admitted"]
        # 3. The year's targets of the organization and its children (their own, not summed).
        targets = dict(
            AdmissionTarget.objects.filter(
                organization_id__in=[org.pk, *(c.pk for c in children)], year=year
            ).values_list("organization_id", "admissions")
        )
        # 4. Open admission records by cell and stage, as they are now.
        stages = Counter()
        candidates = (
            Candidate.objects.filter(subtree_q(org.path, "organization__"), stage__in=OPEN_STAGES)
            .values_list("organization__path", "stage")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for path, stage, n in candidates:
            stages[stage] += n
            roll.add(path, "on_probation" if stage in PROBATION_STAGES else "candidates", n)

        total, rows = roll.rows(children)
        total.values["target"] = targets.get(org.pk, 0)
        for row in rows:
            row.values["target"] = targets.get(row.org.pk, 0)
        t = total.values
        admitted = t.get("admitted", 0)
        n_open = sum(stages.values())
        groups = [
            Group(
                "target",
                _("Admissions against the target for %(year)s") % {"year": year},
                [
                    Item("target", _("Target for the year"), t["target"]),
                    Item("admitted", _("New members admitted"), admitted, t["target"] or None),
                ],
            ),
            Group(
                "shares",
                _("Among the new members"),
                [
                    Item("minority", _("Ethnic minorities"), t.get("minority", 0), admitted),
                    Item("women", _("Women"), t.get("women", 0), admitted),
                    Item("under_30", _("Under 30 at admission"), t.get("under_30", 0), admitted),
                    Item(
                        "youth_union", _("Youth Union members"), t.get("youth_union", 0), admitted
                    ),
                ],
            ),
            Group(
                "cell_types",
                _("New members by cell type"),
                [
                    Item(ct.value, ct.label, types[ct.value], admitted)
                    for ct in CellType
                    if types[ct.value]
                ],
            ),
            Group(
                "stages",
                _("Candidates by stage now"),
                [Item(s.value, s.label, stages[s.value], n_open) for s in OPEN_STAGES],
            ),
        ]
        notes = [
            _(
                "A new member counts where they were admitted (the cell of their admission "
                "record, else their home cell); targets are those of %(year)s; candidates are "
                "counted by their stage today."
            )
            % {"year": year},
        ]
        return Result(self, org, period, self.columns, total, rows, groups, notes)
