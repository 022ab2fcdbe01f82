"""`structure`: the party organization as of a date (brief §15, seed 003 figures 2–5, seed 004
figures 1–2).

- organizations by kind and cells by type;
- independent village cells (covering exactly one village on the date) vs combined cells
  (sinh hoạt ghép) by the number of villages they cover;
- villages without a party member: no active member lives there (Person.residence_village,
  with a home membership on the date) AND no cell covers it on the date — plus each half;
- cells with fewer than 3 official members (they cannot elect a committee);
- members by status, their status on the date (lifecycle.selectors.with_status_on).

Five grouped queries whatever the size of the subtree; counts are rolled up by path prefix in
Python into the organization's total and its direct children.
"""

from collections import Counter

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from lifecycle.selectors import with_status_on
from members.models import ACTIVE_STATUSES, Membership, MembershipKind, MemberStatus
from organizations.models import (
    CELL_KINDS,
    CellType,
    CellVillage,
    Organization,
    OrgKind,
    Village,
    subtree_q,
)
from organizations.selectors import sort_nodes
from reports.periods import Period
from reports.registry import Column, Group, Item, Report, Result, Rollup, active_q, register

SMALL_CELL = 3  # fewer official members than this: the cell cannot elect a committee


@register
class StructureReport(Report):
    name = "structure"
    title = _("Organization and members")
    description = _(
        "Organizations by kind, cells by type, independent and combined village cells, villages "
        "without a party member, cells with fewer than 3 official members and members by "
        "status, as of the end date."
    )
    chart_column = "cells"
    columns = [
        Column("grassroots_committees", _("Grassroots party committees")),
        Column("grassroots_cells", _("Grassroots cells")),
        Column("affiliated_cells", _("Affiliated cells")),
        Column("cells", _("Cells")),
        Column("village_cells", _("Cells covering villages")),
        Column("independent_cells", _("Independent village cells"), of="village_cells"),
        Column("combined_cells", _("Combined cells"), of="village_cells"),
        Column("small_cells", _("Cells with fewer than 3 official members"), of="cells"),
        Column("villages", _("Villages")),
        Column("villages_no_member", _("Villages without a party member"), of="villages"),
        Column("members", _("Members")),
        Column("official", _("Official members"), of="members"),
    ]

    def compute(self, org: Organization, period: Period) -> Result:
        on = period.end
        # 1. Every organization of the subtree active on the date (one index range).
        nodes = list(
            Organization.objects.filter(active_q(on))
            .filter(subtree_q(org.path))
            .values_list("path", "kind", "cell_type")
        )
        # 2. The direct children, as objects for names and links.
        children = sort_nodes(
            Organization.objects.filter(active_q(on)).filter(
                subtree_q(org.path), depth=org.depth + 1
            )
        )
        roll = Rollup(org, children)
        kinds, types = Counter(), Counter()
        cell_paths = set()
        for path, kind, cell_type in nodes:
            kinds[kind] += 1
            if kind in CELL_KINDS:
                cell_paths.add(path)
                types[cell_type or CellType.OTHER] += 1
                roll.add(path, "cells")
                roll.add(
                    path,
                    "grassroots_cells" if kind == OrgKind.GRASSROOTS_CELL else "affiliated_cells",
                )
            elif kind == OrgKind.GRASSROOTS_COMMITTEE:
                roll.add(path, "grassroots_committees")

        # 3. Villages covered by each cell on the date.
        links = (
            CellVillage.objects.active(on)
            .filter(subtree_q(org.path, "organization__"), organization__kind__in=CELL_KINDS)
            .values_list("organization__path")
            .annotate(n=Count("village_id", distinct=True))
        )
        by_n = Counter()
        for path, n in links:
            if path not in cell_paths:
                continue
            by_n[n] += 1
            roll.add(path, "village_cells")
            roll.add(path, "independent_cells" if n == 1 else "combined_cells")

        # 4. Home members on the date, by their status on the date.
        statuses = Counter()
        official_by_cell = Counter()
        memberships = (
            with_status_on(
                Membership.objects.on(on).filter(
                    subtree_q(org.path, "organization__"), kind=MembershipKind.HOME
                ),
                on,
            )
            .values_list("organization__path", "status_on")
            .annotate(n=Count("id"))
            .order_by()
        )
        for path, status, n in memberships:
            if status not in ACTIVE_STATUSES:
                continue
            statuses[status] += n
            roll.add(path, "members", n)
            if status == MemberStatus.OFFICIAL:
                roll.add(path, "official", n)
                official_by_cell[path] += n
        for path in cell_paths:
            if official_by_cell[path] < SMALL_CELL:
                roll.add(path, "small_cells")

        # 5. Villages of the communes in the subtree, with "a member lives there" and "a cell
        # covers it" on the date.
        residents = with_status_on(
            Membership.objects.on(on).filter(
                kind=MembershipKind.HOME, member__person__residence_village=OuterRef("pk")
            ),
            on,
        ).filter(status_on__in=ACTIVE_STATUSES)
        covering = CellVillage.objects.active(on).filter(village=OuterRef("pk"))
        villages = (
            Village.objects.active(on)
            .filter(subtree_q(org.path, "commune__"))
            .annotate(lived=Exists(residents), covered=Exists(covering))
            .values_list("commune__path", "lived", "covered")
        )
        v = Counter()
        for path, lived, covered in villages:
            v["all"] += 1
            roll.add(path, "villages")
            v["no_resident"] += not lived
            v["no_cell"] += not covered
            if not lived and not covered:
                v["none"] += 1
                roll.add(path, "villages_no_member")

        total, rows = roll.rows(children)
        n_cells = total.values.get("cells", 0)
        n_members = total.values.get("members", 0)
        village_cells = total.values.get("village_cells", 0)
        combined = total.values.get("combined_cells", 0)
        groups = [
            Group(
                "kinds",
                _("Organizations by kind"),
                [
                    Item(k.value, k.label, kinds[k.value])
                    for k in OrgKind
                    if k != OrgKind.PROVINCE and (kinds[k.value] or k in CELL_KINDS)
                ],
            ),
            Group(
                "cell_types",
                _("Cells by type"),
                [
                    Item(t.value, t.label, types[t.value], n_cells)
                    for t in CellType
                    if types[t.value]
                ],
            ),
            Group(
                "village_cells",
                _("Village cells by the number of villages they cover"),
                [Item("1", _("Independent (1 village)"), by_n[1], village_cells)]
                + [
                    Item(str(n), _("Combined, %(n)s villages") % {"n": n}, by_n[n], combined)
                    for n in sorted(k for k in by_n if k > 1)
                ],
            ),
            Group(
                "villages",
                _("Villages and residential groups"),
                [
                    Item(
                        "none",
                        _("Without a party member (none lives there, no cell covers it)"),
                        v["none"],
                        v["all"],
                    ),
                    Item(
                        "no_resident", _("No party member lives there"), v["no_resident"], v["all"]
                    ),
                    Item("no_cell", _("No cell covers it"), v["no_cell"], v["all"]),
                ],
            ),
            Group(
                "statuses",
                _("Members by status"),
                [
                    Item(s.value, s.label, statuses[s.value], n_members)
                    for s in MemberStatus
                    if s.value in ACTIVE_STATUSES
                ],
            ),
        ]
        return Result(self, org, period, self.columns, total, rows, groups)
