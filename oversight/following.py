"""Who follows which cell, and the committees' working groups and cross-attendance pairs.

Three ways of following a cell, each for a period (both ends inclusive, open when empty):

* an individual assignment of a higher-committee member (meetings.SupervisorAssignment, managed
  on the cell's "Cấp ủy viên theo dõi chi bộ" page, meetings/followers.py);
* a working group of a committee (tổ công tác, brief §2.8 Bắc Kạn): people holding a role on
  the committee or above, following a set of cells below it;
* cross-attendance (dự sinh hoạt chéo, seed 001 Hàm Yên): the secretary or deputy of one cell
  attends another cell of the same committee.

Anyone holding a role in a committee above a cell may also visit it ("other upper-level
cadre"). `ways` answers "how does this user follow this cell on that day"; `followed_cells`
lists what a user follows for their schedule. Working groups and pairs are never deleted:
ending one sets its last day; simple-history says who changed what.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CELL_ROLES, RoleAssignment
from lib.text import vn_date
from meetings.followers import committee_paths
from meetings.models import SupervisorAssignment
from organizations.models import CELL_KINDS, Organization, subtree_q
from oversight.models import CrossAttendance, VisitKind, WorkingGroup


def in_force_q(on: dt.date, prefix: str = "") -> Q:
    """Rows whose period (valid_from .. valid_to) covers `on`."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def _overlap_q(valid_from: dt.date, valid_to: dt.date | None) -> Q:
    q = Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    if valid_to is not None:
        q &= Q(valid_from__lte=valid_to)
    return q


@dataclass
class Way:
    """How a user follows a cell on a day."""

    kind: str  # VisitKind
    group: WorkingGroup | None = None


def ways(user, cell: Organization, on: dt.date) -> list[Way]:
    """How `user` follows `cell` on `on`, most specific first (four small queries)."""
    if user is None or not user.is_authenticated:
        return []
    found: list[Way] = []
    if SupervisorAssignment.objects.filter(in_force_q(on), user=user, organization=cell).exists():
        found.append(Way(VisitKind.SUPERVISOR))
    groups = WorkingGroup.objects.filter(in_force_q(on), members=user, cells=cell).order_by("pk")
    found += [Way(VisitKind.WORKING_GROUP, g) for g in groups]
    if CrossAttendance.objects.filter(in_force_q(on), visitor=user, cell=cell).exists():
        found.append(Way(VisitKind.CROSS))
    if (
        RoleAssignment.objects.active(on)
        .filter(user=user, organization__path__in=committee_paths(cell))
        .exists()
    ):
        found.append(Way(VisitKind.OTHER))
    return found


def followed_cells(user, first: dt.date, last: dt.date | None = None) -> dict[int, set[str]]:
    """cell id → the ways (VisitKind) `user` follows it at some time between first and last:
    by assignment, working group or cross-attendance. Three queries."""
    last = last or first
    period = _overlap_q(first, last) & Q(valid_from__lte=last)
    out: dict[int, set[str]] = {}
    for cell_id in SupervisorAssignment.objects.filter(period, user=user).values_list(
        "organization_id", flat=True
    ):
        out.setdefault(cell_id, set()).add(VisitKind.SUPERVISOR)
    for cell_id in WorkingGroup.cells.through.objects.filter(
        Q(workinggroup__valid_to__isnull=True) | Q(workinggroup__valid_to__gte=first),
        workinggroup__valid_from__lte=last,
        workinggroup__members=user,
    ).values_list("organization_id", flat=True):
        out.setdefault(cell_id, set()).add(VisitKind.WORKING_GROUP)
    for cell_id in CrossAttendance.objects.filter(period, visitor=user).values_list(
        "cell_id", flat=True
    ):
        out.setdefault(cell_id, set()).add(VisitKind.CROSS)
    return out


def follows_any(user, on: dt.date | None = None) -> bool:
    """Does the user follow any cell today or later (for the link to their schedule)?"""
    on = on or timezone.localdate()
    active = Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    return (
        SupervisorAssignment.objects.filter(active, user=user).exists()
        or WorkingGroup.objects.filter(active, members=user).exists()
        or CrossAttendance.objects.filter(active, visitor=user).exists()
    )


# ---- working groups ---------------------------------------------------------------------------


def group_member_roles(committee: Organization, on: dt.date | None = None) -> QuerySet:
    """Active roles of active users on the committee or above: who may be in its working groups."""
    step = Organization.steplen
    paths = [committee.path[:end] for end in range(step, len(committee.path) + 1, step)]
    return (
        RoleAssignment.objects.active(on)
        .filter(organization__path__in=paths, user__is_active=True)
        .select_related("user", "organization")
        .order_by("organization__depth", "role", "user__username")
    )


def cells_below(
    committee: Organization, on: dt.date | None = None, include_self: bool = False
) -> QuerySet[Organization]:
    """Cells below the committee active on `on` (today: not dissolved), in name order; with
    `include_self`, a cell given as the committee is its own only cell."""
    qs = Organization.objects.filter(subtree_q(committee.path), kind__in=CELL_KINDS)
    if not include_self:
        qs = qs.exclude(pk=committee.pk)
    if on is None:
        qs = qs.filter(dissolved_on__isnull=True)
    else:
        qs = qs.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))
    return qs.order_by("sort_key", "pk")


def _check_committee(committee: Organization):
    if committee.is_cell:
        raise ValidationError(_("Working groups and exchanges are organised by a committee."))
    if not committee.is_active:
        raise ValidationError(_("%(name)s has been dissolved.") % {"name": committee.name})


def _check_period(valid_from: dt.date, valid_to: dt.date | None):
    if valid_from is None:
        raise ValidationError({"valid_from": _("Give the first day.")})
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})


def _check_group(committee, name, members, cells, valid_from, valid_to):
    _check_committee(committee)
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the group a name.")})
    _check_period(valid_from, valid_to)
    if not members:
        raise ValidationError({"members": _("Choose at least one member.")})
    if not cells:
        raise ValidationError({"cells": _("Choose at least one cell to follow.")})
    eligible = set(group_member_roles(committee).values_list("user_id", flat=True))
    outsiders = [u for u in members if u.pk not in eligible]
    if outsiders:
        raise ValidationError(
            {
                "members": _(
                    "%(names)s hold no role in this committee or above: they cannot be in its "
                    "working groups."
                )
                % {"names": ", ".join(u.display_name() for u in outsiders)}
            }
        )
    below = set(cells_below(committee).values_list("pk", flat=True))
    foreign = [c for c in cells if c.pk not in below]
    if foreign:
        raise ValidationError(
            {
                "cells": _("%(names)s are not active cells below %(committee)s.")
                % {"names": ", ".join(c.name for c in foreign), "committee": committee.name}
            }
        )


@transaction.atomic
def create_group(
    committee: Organization,
    *,
    name: str,
    members,
    cells,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    by=None,
) -> WorkingGroup:
    """A working group of the committee following `cells` with `members` for a period."""
    members, cells = list(members), list(cells)
    _check_group(committee, name, members, cells, valid_from, valid_to)
    group = WorkingGroup(
        province_id=committee.province_id or committee.pk,
        organization=committee,
        name=name.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    group._history_user = by
    group.save()
    group.members.set(members)
    group.cells.set(cells)
    return group


@transaction.atomic
def update_group(
    group: WorkingGroup,
    *,
    name: str,
    members,
    cells,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    by=None,
) -> WorkingGroup:
    """Change a group's name, members, cells or period (its history keeps the old ones)."""
    members, cells = list(members), list(cells)
    committee = group.organization
    _check_group(committee, name, members, cells, valid_from, valid_to)
    group.name = name.strip()
    group.valid_from = valid_from
    group.valid_to = valid_to
    group._history_user = by
    group.save()
    group.members.set(members)
    group.cells.set(cells)
    return group


# ---- cross-attendance -------------------------------------------------------------------------


def secretary_roles(committee: Organization, on: dt.date | None = None) -> QuerySet:
    """Active secretaries and deputies of the active cells below the committee."""
    return (
        RoleAssignment.objects.active(on)
        .filter(
            subtree_q(committee.path, "organization__"),
            role__in=CELL_ROLES,
            user__is_active=True,
            organization__dissolved_on__isnull=True,
        )
        .select_related("user", "organization")
        .order_by("organization__sort_key", "role", "user__username")
    )


@transaction.atomic
def create_cross(
    committee: Organization,
    *,
    visitor,
    from_cell: Organization,
    cell: Organization,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    by=None,
) -> CrossAttendance:
    """The secretary (or deputy) of `from_cell` attends `cell`, another cell of the committee."""
    _check_committee(committee)
    _check_period(valid_from, valid_to)
    below = set(cells_below(committee).values_list("pk", flat=True))
    for field, c in (("from_cell", from_cell), ("cell", cell)):
        if c is None or c.pk not in below:
            raise ValidationError(
                {field: _("Choose an active cell below %(name)s.") % {"name": committee.name}}
            )
    if from_cell.pk == cell.pk:
        raise ValidationError({"cell": _("A secretary attends another cell than their own.")})
    if (
        visitor is None
        or not secretary_roles(committee).filter(user=visitor, organization=from_cell).exists()
    ):
        raise ValidationError(
            {"visitor": _("Choose the secretary or deputy secretary of the attending cell.")}
        )
    clash = (
        CrossAttendance.objects.filter(_overlap_q(valid_from, valid_to), visitor=visitor, cell=cell)
        .order_by("valid_from")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "cell": _("%(name)s already attends this cell from %(start)s: the periods overlap.")
                % {"name": visitor.display_name(), "start": vn_date(clash.valid_from)}
            }
        )
    pair = CrossAttendance(
        province_id=committee.province_id or committee.pk,
        organization=committee,
        visitor=visitor,
        from_cell=from_cell,
        cell=cell,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    pair._history_user = by
    pair.save()
    return pair


@transaction.atomic
def end_cross(pair: CrossAttendance, on: dt.date | None = None, by=None) -> CrossAttendance:
    """The exchange stops after `on` (today by default): its last day."""
    on = on or timezone.localdate()
    if on < pair.valid_from:
        raise ValidationError(
            {
                "on": _("The end date cannot be before the start (%(start)s).")
                % {"start": vn_date(pair.valid_from)}
            }
        )
    if pair.valid_to is not None and pair.valid_to < on:
        raise ValidationError(
            {"on": _("This exchange already ended on %(end)s.") % {"end": vn_date(pair.valid_to)}}
        )
    pair.valid_to = on
    pair._history_user = by
    pair.save()
    return pair
