"""`ratings`: the year-end quality rating (brief §4) for the year of `to`.

The annual review cycles of that year (ReviewCycle.year = to.year, no quarter) never overlap
(ratings.services.open_cycle refuses a cycle over members another one covers), so each member
and each collective of the subtree has at most one review for the year wherever the cycle was
run (by the organization, a unit above it or units below it).

- members by decided level, not rated (excluded: exempt, suspended, admitted less than six
  months before the end of the year) and not decided yet; a member counts in the cell that
  reviewed them (MemberReview.cell, their home cell when the cycle opened); a review under
  complaint keeps its decided level;
- organizations (collectives) of the subtree, the organization included, by decided level.

The levels carry the names of the cycle (ReviewCycle.level_name): the rule set of that year.
Four queries whatever the size of the subtree: the children, a cycle run above or in the
subtree for the level names,
the member reviews and the organization reviews grouped by path and level.
"""

from collections import Counter

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, subtree_q
from organizations.selectors import STEP, sort_nodes
from ratings.models import LEVELS_DESC, MemberReview, OrganizationReview, ReviewCycle, ReviewStatus
from reports.periods import Period
from reports.registry import Column, Group, Item, Report, Result, Rollup, active_q, register

LEVELS = tuple(lv.value for lv in LEVELS_DESC)


@register
class RatingsReport(Report):
    name = "ratings"
    title = _("Quality rating")
    description = _(
        "Members and party organizations by the level decided in the year-end review of the "
        "year of the end date, with the members not rated and those not decided yet."
    )
    chart_column = "excellent"

    def columns_for(self, cycle: ReviewCycle | None) -> list[Column]:
        def name(level, subject):
            return (
                cycle.level_name(level, subject)
                if cycle
                else LEVELS_DESC[LEVELS.index(level)].label
            )

        return [
            Column("reviewed", _("Members in the review")),
            Column("excluded", _("Not rated"), of="reviewed"),
            Column("rated", _("Members rated")),
            *(Column(lv, name(lv, "member"), of="rated") for lv in LEVELS),
            Column("undecided", _("Not decided yet"), of="rated"),
            Column("orgs", _("Organizations in the review")),
            *(Column(f"org_{lv}", name(lv, "organization"), of="orgs") for lv in LEVELS),
            Column("org_undecided", _("Organizations not decided yet"), of="orgs"),
        ]

    @property
    def columns(self) -> list[Column]:
        return self.columns_for(None)

    def compute(self, org: Organization, period: Period) -> Result:
        year = period.end.year
        # 1. The direct children.
        children = sort_nodes(
            Organization.objects.filter(active_q(period.end)).filter(
                subtree_q(org.path), depth=org.depth + 1
            )
        )
        roll = Rollup(org, children)
        annual = {"cycle__year": year, "cycle__quarter__isnull": True}
        # 2. A cycle of the year run above or in the subtree: the level names (one rule set
        # a year).
        ancestors = [org.path[:end] for end in range(STEP, len(org.path) + 1, STEP)]
        cycle = (
            ReviewCycle.objects.filter(year=year, quarter__isnull=True)
            .filter(Q(organization__path__in=ancestors) | subtree_q(org.path, "organization__"))
            .order_by("pk")
            .first()
        )
        # 3. Member reviews by cell, status and decided level.
        members = Counter()
        reviews = (
            MemberReview.objects.filter(subtree_q(org.path, "cell__"), **annual)
            .values_list("cell__path", "status", "decided_level")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for path, status, level, n in reviews:
            roll.add(path, "reviewed", n)
            if status == ReviewStatus.EXCLUDED:
                key = "excluded"
            else:
                roll.add(path, "rated", n)
                key = level if level in LEVELS else "undecided"
            roll.add(path, key, n)
            members[key] += n
        # 4. Organization reviews by organization and decided level.
        orgs = Counter()
        org_reviews = (
            OrganizationReview.objects.filter(subtree_q(org.path, "organization__"), **annual)
            .values_list("organization__path", "decided_level")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for path, level, n in org_reviews:
            key = level if level in LEVELS else "undecided"
            roll.add(path, "orgs", n)
            roll.add(path, f"org_{key}", n)
            orgs[key] += n

        total, rows = roll.rows(children)
        columns = self.columns_for(cycle)
        t = total.values
        rated, n_orgs = t.get("rated", 0), t.get("orgs", 0)

        def name(level, subject):
            return next(c.label for c in columns if c.key == f"{subject}{level}")

        groups = [
            Group(
                "members",
                _("Members by level decided, %(year)s") % {"year": year},
                [Item(lv, name(lv, ""), members[lv], rated) for lv in LEVELS]
                + [
                    Item("undecided", _("Not decided yet"), members["undecided"], rated),
                    Item("excluded", _("Not rated"), members["excluded"], t.get("reviewed", 0)),
                ],
            ),
            Group(
                "organizations",
                _("Organizations by level decided, %(year)s") % {"year": year},
                [Item(lv, name(lv, "org_"), orgs[lv], n_orgs) for lv in LEVELS]
                + [Item("undecided", _("Not decided yet"), orgs["undecided"], n_orgs)],
            ),
        ]
        notes = [
            _(
                "The annual review of %(year)s. A member counts in the cell that reviewed them; "
                "a review under complaint keeps its decided level."
            )
            % {"year": year}
        ]
        if cycle is None:
            notes.append(
                _("No annual review of %(year)s covers this organization.") % {"year": year}
            )
        return Result(self, org, period, columns, total, rows, groups, notes)
