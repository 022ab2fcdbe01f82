"""Workflows on members that span several rows: create, move between cells, exit."""

import datetime as dt
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from audit.log import record_bulk
from audit.models import Action
from lib.bulk import insert_with_history
from members.models import Member, Membership, MembershipKind, Person
from organizations.models import Organization

ONE_DAY = dt.timedelta(days=1)


def _require_cell(org: Organization):
    if not org.is_cell:
        raise ValidationError(
            _("Members belong to a cell; %(name)s is not a cell.") % {"name": org.name}
        )
    if not org.is_active:
        raise ValidationError(_("%(name)s has been dissolved.") % {"name": org.name})


@transaction.atomic
def create_member(
    *,
    person: Person,
    member: Member,
    organization: Organization,
    start_date: dt.date,
    note: str = "",
) -> Member:
    """Save a new person and member and open their home membership in `organization`."""
    _require_cell(organization)
    person.province_id = organization.province_id
    person.full_clean()
    person.save()
    member.person = person
    member.province_id = organization.province_id
    member.organization = organization
    member.full_clean()
    member.save()
    Membership.objects.create(
        province_id=organization.province_id,
        member=member,
        organization=organization,
        kind=MembershipKind.HOME,
        start_date=start_date,
        note=note,
    )
    return member


class NewMember(NamedTuple):
    person: Person
    member: Member
    organization: Organization
    start_date: dt.date
    note: str = ""


@transaction.atomic
def create_members_bulk(rows: list[NewMember], *, user=None) -> list[Member]:
    """create_member for many rows at once (the spreadsheet import), in a few queries.

    The rows must already be validated: full_clean() of each person and member, and
    uniqueness in the province (re-running them here costs several queries per row).
    Everything else create_member and save() do is done here too: the province on
    every row, the derived person columns, one open home membership from the start
    date, and a history record for each row naming `user` (the inserts skip save(),
    so neither refresh_derived() nor the history signals would run by themselves).
    A member recorded as having left the Party has that period closed at once, as
    close_memberships does for an edit.
    """
    for row in rows:
        _require_cell(row.organization)  # in memory: the cells are already loaded
        row.person.province_id = row.organization.province_id
        row.person.refresh_derived()
    insert_with_history([r.person for r in rows], Person, user=user)
    for row in rows:
        row.member.person = row.person  # now saved: sets person_id
        row.member.sort_key = row.person.sort_key
        row.member.province_id = row.organization.province_id
        row.member.organization = row.organization
    members = insert_with_history([r.member for r in rows], Member, user=user)
    insert_with_history(
        [
            Membership(
                province_id=r.organization.province_id,
                member=r.member,
                organization=r.organization,
                kind=MembershipKind.HOME,
                start_date=r.start_date,
                note=r.note,
            )
            for r in rows
        ],
        Membership,
        user=user,
    )
    # One audit entry for the batch (no per-row signals): people, members, memberships.
    record_bulk(Member, Action.CREATE, len(members), user=user)
    close_memberships_of_leavers([r.member for r in rows if not r.member.is_active], user=user)
    return members


def move_memberships(memberships, to_org: Organization, effective_on: dt.date, note: str) -> int:
    """Close each current membership the day before `effective_on` and open the same
    kind in `to_org` from that day. A membership that only starts on or after that
    day is simply re-pointed, so no period ends before it begins."""
    moved = 0
    for ms in memberships:
        if ms.start_date >= effective_on:
            ms.organization = to_org
            ms.province_id = to_org.province_id
            ms.save()
        else:
            ms.end_date = effective_on - ONE_DAY
            ms.note = note
            ms.save()
            Membership.objects.create(
                province_id=to_org.province_id,
                member_id=ms.member_id,
                organization=to_org,
                kind=ms.kind,
                start_date=effective_on,
                note=note,
            )
        if ms.kind == MembershipKind.HOME:
            Member.objects.filter(pk=ms.member_id).update(
                organization=to_org, province_id=to_org.province_id
            )
        moved += 1
    return moved


@transaction.atomic
def move_member(
    member: Member, to_org: Organization, effective_on: dt.date, note: str = ""
) -> None:
    """Move a member's home membership to another cell (within the system)."""
    _require_cell(to_org)
    if to_org.pk == member.organization_id:
        raise ValidationError(_("The member already belongs to this cell."))
    current = list(member.memberships.home().current())
    if not current:
        raise ValidationError(_("The member has no current home cell to move from."))
    if to_org.province_id != member.province_id:
        raise ValidationError(
            _("Moving to another province is a transfer of party activity, not a move.")
        )
    move_memberships(current, to_org, effective_on, note)


@transaction.atomic
def save_member(person: Person, member: Member, *, was_active: bool) -> Member:
    """Save edits to a person and their party record.

    Leaving the Party closes every open membership period on the status date. A
    member who left is not made active again by an edit: readmission is a new
    admission with its own decision, so it is refused here.
    """
    if not was_active and member.is_active:
        raise ValidationError(
            {
                "status": _(
                    "A member who left the Party cannot be made active again by editing; "
                    "readmission is a new admission."
                )
            }
        )
    person.full_clean()
    person.save()
    member.person = person
    member.full_clean(validate_unique=False)
    member.save()
    if was_active and not member.is_active:
        close_memberships(member, member.status_date, member.get_left_reason_display())
    return member


@transaction.atomic
def close_memberships_of_leavers(members: list[Member], *, user=None) -> int:
    """close_memberships for many members who left the Party, on each one's status date.

    Two queries and one history record per period closed, whatever the number of members.
    """
    by_pk = {m.pk: m for m in members}
    if not by_pk:
        return 0
    periods = list(Membership.objects.current().filter(member_id__in=list(by_pk)))
    for ms in periods:
        member = by_pk[ms.member_id]
        ms.end_date = max(member.status_date or timezone.localdate(), ms.start_date)
        ms.note = member.get_left_reason_display()
    if periods:
        bulk_update_with_history(periods, Membership, ["end_date", "note"], default_user=user)
    record_bulk(Membership, Action.UPDATE, len(periods), user=user)
    return len(periods)


@transaction.atomic
def close_memberships(member: Member, end_date: dt.date, note: str) -> None:
    """End every open membership of a member (they left the Party)."""
    for ms in member.memberships.current():
        ms.end_date = max(end_date, ms.start_date)
        ms.note = note
        ms.save()
