"""Who in the committees above a cell follows it (cấp ủy viên theo dõi chi bộ).

A follower is a user holding a role on a strict ancestor of the cell (the commune or
ward committee, the province…). They are e-mailed the cell's meeting notices
(meetings/notices.py `recipients`) while their assignment is in force. Assignments are
never deleted: ending one sets its last day, so the history says who followed the cell
when; simple-history records who changed what.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import RoleAssignment
from lib.text import vn_date
from meetings.models import SupervisorAssignment
from organizations.models import Organization
from reports import summary as summaries

NOT_ELIGIBLE = gettext_lazy(
    "Only someone who holds a role in a committee above the cell can follow it."
)


def committee_paths(cell: Organization) -> list[str]:
    """Paths of the organizations strictly above the cell (paths are prefixes)."""
    step = Organization.steplen
    return [cell.path[:end] for end in range(step, len(cell.path), step)]


def eligible_roles(cell: Organization, on: dt.date | None = None):
    """Active roles held by active users on the committees above the cell, in one query."""
    return (
        RoleAssignment.objects.active(on)
        .filter(organization__path__in=committee_paths(cell), user__is_active=True)
        .select_related("user", "organization")
        .order_by("organization__depth", "role", "user__username")
    )


def in_force(cell: Organization, on: dt.date):
    """The cell's assignments in force on a day (the same rule as the notices' recipients)."""
    return cell.supervisors.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on
    )


@transaction.atomic
def assign_follower(
    cell: Organization,
    user,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    by=None,
) -> SupervisorAssignment:
    """`user` follows `cell` from `valid_from` (to `valid_to`, or until ended).

    Raises ValidationError, writing nothing, when the cell cannot be followed, the
    user holds no active role in a committee above it, the dates are reversed, or
    the user already follows the cell during part of the period.
    """
    if not cell.is_cell:
        raise ValidationError(_("%(name)s is not a cell.") % {"name": cell.name})
    if not cell.is_active:
        raise ValidationError(_("%(name)s has been dissolved.") % {"name": cell.name})
    if valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    if user is None or not eligible_roles(cell).filter(user=user).exists():
        raise ValidationError({"user": str(NOT_ELIGIBLE)})
    # Lock the cell row so two simultaneous assignments of the same person cannot both
    # pass the overlap check (a no-op on SQLite, which serializes writers anyway).
    Organization.objects.select_for_update().filter(pk=cell.pk).exists()
    overlapping = cell.supervisors.filter(user=user).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    clash = overlapping.order_by("valid_from").first()
    if clash is not None:
        params = {"name": user.display_name(), "start": vn_date(clash.valid_from)}
        if clash.valid_to:
            params["end"] = vn_date(clash.valid_to)
            message = _(
                "%(name)s already follows this cell from %(start)s to %(end)s: the periods overlap."
            )
        else:
            message = _(
                "%(name)s already follows this cell since %(start)s: "
                "end that assignment first, or choose other dates."
            )
        raise ValidationError({"user": message % params})
    assignment = SupervisorAssignment(
        province_id=cell.province_id,
        user=user,
        organization=cell,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    if by is not None:
        assignment._history_user = by
    assignment.save()
    summaries.recompute_for_assignment(assignment)  # the summary rows, in this transaction
    return assignment


@transaction.atomic
def end_follower(
    assignment: SupervisorAssignment, on: dt.date | None = None, by=None
) -> SupervisorAssignment:
    """The follower stops following the cell after `on` (today by default): its last day."""
    on = on or timezone.localdate()
    if on < assignment.valid_from:
        raise ValidationError(
            {
                "on": _("The end date cannot be before the start of the assignment (%(start)s).")
                % {"start": vn_date(assignment.valid_from)}
            }
        )
    if assignment.valid_to is not None and assignment.valid_to < on:
        raise ValidationError(
            {
                "on": _("This assignment already ended on %(end)s.")
                % {"end": vn_date(assignment.valid_to)}
            }
        )
    assignment.valid_to = on
    if by is not None:
        assignment._history_user = by
    assignment.save()
    summaries.recompute_for_assignment(assignment)  # the summary rows, in this transaction
    return assignment
