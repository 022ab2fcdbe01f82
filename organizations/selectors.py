"""Read-side helpers for organization pages: annotate a batch of nodes in constant queries."""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from organizations.models import CELL_KINDS, CellVillage, Organization, OrgKind, subtree_q

KIND_ORDER = {k.value: i for i, k in enumerate(OrgKind)}
STEP = Organization.steplen


def sort_nodes(nodes):
    return sorted(nodes, key=lambda o: (KIND_ORDER.get(o.kind, 99), o.sort_key))


def ancestors(org: Organization):
    """Ancestors from the province down, in one query (paths are prefixes)."""
    prefixes = [org.path[:end] for end in range(STEP, len(org.path), STEP)]
    return (
        list(Organization.objects.filter(path__in=prefixes).order_by("depth")) if prefixes else []
    )


def _cover_q(paths: list[str], prefix: str = "") -> Q:
    """The fewest subtree ranges that cover all `paths`: one range when they share a parent."""
    if not paths:
        return Q(pk__in=[])
    common = paths[0]
    for p in paths[1:]:
        while not p.startswith(common):
            common = common[:-STEP]
    if common:
        return subtree_q(common, prefix)
    q = Q()
    for p in paths:
        q |= subtree_q(p, prefix)
    return q


def member_counts(orgs, on=None) -> dict[int, dict[str, int]]:
    """Member counts of each organization's whole subtree, in one grouped query.

    Keys: official, probationary, exempt, suspended (home members by status),
    temporary (temporarily attached, counted where attached), total (đảng số:
    home members who have not left; the temporarily attached are not counted).
    """
    from django.db.models import Count

    from members.models import Membership, MembershipKind

    orgs = list(orgs)
    zero = {
        "official": 0,
        "probationary": 0,
        "exempt": 0,
        "suspended": 0,
        "temporary": 0,
        "total": 0,
    }
    out = {o.pk: dict(zero) for o in orgs}
    if not orgs:
        return out
    by_path = {o.path: out[o.pk] for o in orgs}
    ms = Membership.objects.filter(_cover_q([o.path for o in orgs], "organization__"))
    ms = ms.on(on) if on else ms.current()
    rows = ms.values_list("organization__path", "kind", "member__status").annotate(n=Count("id"))
    for path, kind, status, n in rows:
        if kind == MembershipKind.TEMPORARY:
            keys = ("temporary",)
        elif status in zero:
            keys = (status, "total")
        else:
            continue
        for end in range(STEP, len(path) + 1, STEP):
            counts = by_path.get(path[:end])
            if counts is not None:
                for k in keys:
                    counts[k] += n
    return out


def village_names(orgs, on=None) -> dict[int, list]:
    """Villages covered by each cell on a date, in one query."""
    on = on or timezone.localdate()
    cell_ids = [o.pk for o in orgs if o.kind in CELL_KINDS]
    out = defaultdict(list)
    if cell_ids:
        links = (
            CellVillage.objects.active(on)
            .filter(organization_id__in=cell_ids)
            .select_related("village")
            .order_by("village__sort_key")
        )
        for link in links:
            out[link.organization_id].append(link.village)
    return out


def annotate(orgs, on=None):
    """Attach .counts and .village_list to each organization (2 queries in all)."""
    orgs = list(orgs)
    counts = member_counts(orgs, on)
    villages = village_names(orgs, on)
    for o in orgs:
        o.counts = counts[o.pk]
        o.village_list = villages.get(o.pk, [])
    return orgs


def children(org: Organization, include_dissolved=False):
    qs = Organization.objects.filter(subtree_q(org.path), depth=org.depth + 1)
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return sort_nodes(qs)


def scope_roots(scope):
    """The top organizations of a user's scope (every province for an administrator)."""
    if scope.is_admin:
        return list(Organization.objects.filter(depth=1).order_by("path"))
    paths = {g.path for g in scope.grants}
    roots = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return sort_nodes(Organization.objects.filter(path__in=roots))
