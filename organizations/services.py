"""Structural changes of the party tree: create, rename, move, split, merge, dissolve.

Each one runs in a transaction, validates everything before writing, records an
OrgEvent with the names and places as they were, and moves the members of a
cell with it ("members follow their cell"). Errors are ValidationError with a
message the user can act on; nothing is written when one is raised.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, Membership, Person
from members.services import ONE_DAY, move_memberships
from organizations.models import (
    ALLOWED_CHILDREN,
    CELL_KINDS,
    CellVillage,
    Organization,
    OrgEvent,
    OrgEventKind,
    OrgKind,
    Village,
    subtree_q,
)


def _check_date(effective_on: dt.date, *orgs: Organization):
    if effective_on is None:
        raise ValidationError(_("Give the date the change takes effect."))
    if effective_on > timezone.localdate():
        raise ValidationError(
            _(
                "Structural changes are recorded once they take effect; the date cannot be in the future."
            )
        )
    for org in orgs:
        if org.founded_on and effective_on < org.founded_on:
            raise ValidationError(
                _("%(name)s was founded on %(date)s, after the date of the change.")
                % {"name": org.name, "date": org.founded_on.strftime("%d/%m/%Y")}
            )


def _check_active(*orgs: Organization):
    for org in orgs:
        if not org.is_active:
            raise ValidationError(_("%(name)s has been dissolved.") % {"name": org.name})


def _check_code_free(province_id, code: str, exclude_pk=None):
    qs = Organization.objects.filter(province_id=province_id, code=code.strip())
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError(
            {"code": _("The code %(code)s is already used in this province.") % {"code": code}}
        )


def _check_kind(parent: Organization | None, kind: str):
    parent_kind = parent.kind if parent else None
    if kind not in ALLOWED_CHILDREN[parent_kind]:
        raise ValidationError(
            {
                "kind": _("A %(kind)s cannot be placed directly under %(parent)s.")
                % {
                    "kind": OrgKind(kind).label,
                    "parent": parent.name if parent else _("the top of the tree"),
                }
            }
        )


def _event(org, kind, effective_on, user, decision="", related=(), **data):
    ev = OrgEvent.objects.create(
        province_id=org.province_id,
        organization=org,
        kind=kind,
        effective_on=effective_on,
        user=user,
        decision=decision,
        data=data,
    )
    if related:
        ev.related.set(related)
    return ev


@transaction.atomic
def create_organization(
    *,
    parent: Organization | None,
    kind: str,
    name: str,
    code: str,
    cell_type: str = "",
    founded_on: dt.date | None = None,
    user=None,
    decision: str = "",
) -> Organization:
    if parent is not None:
        _check_active(parent)
    _check_kind(parent, kind)
    if kind in CELL_KINDS and not cell_type:
        raise ValidationError({"cell_type": _("Choose the cell type.")})
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the name.")})
    if parent is not None:
        _check_code_free(parent.province_id, code)
    if founded_on and founded_on > timezone.localdate():
        raise ValidationError({"founded_on": _("The founding date cannot be in the future.")})
    fields = {
        "kind": kind,
        "name": name,
        "code": code,
        "cell_type": cell_type,
        "founded_on": founded_on,
    }
    if parent is None:
        org = Organization.objects.add_root(create_kwargs=fields)
        org.province = org
        org.save(update_fields=["province"])
    else:
        org = Organization.objects.add_child(
            parent, create_kwargs={"province_id": parent.province_id, **fields}
        )
        parent.refresh_from_db()
    _event(
        org,
        OrgEventKind.CREATED,
        founded_on or timezone.localdate(),
        user,
        decision,
        parent=parent.name if parent else "",
    )
    _resummarize(org, founded_on)
    return org


def _resummarize(org: Organization, since: dt.date | None) -> None:
    """A cell founded or dissolved changes which months its meetings were due (reports)."""
    from reports.summary import recompute_for_cell  # reports builds on this app

    recompute_for_cell(org, since)


@transaction.atomic
def rename(org: Organization, new_name: str, effective_on: dt.date, user=None, decision: str = ""):
    new_name = (new_name or "").strip()
    if not new_name:
        raise ValidationError({"name": _("Give the new name.")})
    _check_date(effective_on, org)
    _check_active(org)
    old = org.name
    if old == new_name:
        raise ValidationError({"name": _("The new name is the same as the current one.")})
    org.name = new_name
    org.save()
    _event(org, OrgEventKind.RENAMED, effective_on, user, decision, old_name=old, new_name=org.name)
    return org


# Every table that carries a province key, with the lookup from its row to the
# organization whose subtree decides the province.
TENANT_TABLES = [
    (Organization, ""),
    (Village, "commune__"),
    (CellVillage, "organization__"),
    (Member, "organization__"),
    (Membership, "organization__"),
    (OrgEvent, "organization__"),
]


def _reassign_province(org: Organization, province_id: int):
    """After a move across provinces, re-key every tenant row in the moved subtree."""
    for model, prefix in TENANT_TABLES:
        ids = model.objects.filter(subtree_q(org.path, prefix)).values("pk")
        model.objects.filter(pk__in=ids).update(province_id=province_id)
    person_ids = Member.objects.filter(subtree_q(org.path, "organization__")).values("person_id")
    Person.objects.filter(pk__in=person_ids).update(province_id=province_id)
    from accounts.models import RoleAssignment  # accounts sits above organizations

    ids = RoleAssignment.objects.filter(subtree_q(org.path, "organization__")).values("pk")
    RoleAssignment.objects.filter(pk__in=ids).update(province_id=province_id)
    # Rows of the other apps (meetings, admissions, transfers, …) say through TENANT_PATH which
    # organization places them in the tree; organizations cannot import those apps.
    for model in tenant_models():
        rows = model.objects.filter(subtree_q(org.path, model.TENANT_PATH))
        if getattr(model, "TENANT_PERSON", None):  # people who are not members yet (candidates)
            ids = rows.values(model.TENANT_PERSON)
            Person.objects.filter(pk__in=ids).update(province_id=province_id)
        model.objects.filter(pk__in=rows.values("pk")).update(province_id=province_id)


def tenant_models() -> list:
    """Models outside this app keyed by province, each with TENANT_PATH: the lookup prefix of
    the organization whose subtree holds the row (e.g. "meeting__organization__")."""
    return [m for m in apps.get_models() if getattr(m, "TENANT_PATH", None)]


@transaction.atomic
def move(
    org: Organization,
    new_parent: Organization,
    effective_on: dt.date,
    user=None,
    decision: str = "",
):
    """Place an organization (and its whole subtree, members included) under another parent."""
    _check_date(effective_on, org)
    _check_active(org, new_parent)
    if org.depth == 1:
        raise ValidationError(_("A province is at the top of the tree and cannot be moved."))
    if new_parent.path.startswith(org.path):
        raise ValidationError(_("An organization cannot be moved under itself or its own units."))
    old_parent = org.parent_org()
    if old_parent.pk == new_parent.pk:
        raise ValidationError(
            _("%(name)s is already directly under %(parent)s.")
            % {"name": org.name, "parent": new_parent.name}
        )
    _check_kind(new_parent, org.kind)
    if new_parent.province_id != org.province_id:
        _check_code_free(new_parent.province_id, org.code)
    Organization.objects.move(org, new_parent, pos="last-child")
    org.refresh_from_db()
    if new_parent.province_id != org.province_id:
        _reassign_province(org, new_parent.province_id)
        org.refresh_from_db()
    _event(
        org,
        OrgEventKind.MOVED,
        effective_on,
        user,
        decision,
        related=[old_parent, new_parent],
        old_parent=old_parent.name,
        new_parent=new_parent.name,
    )
    return org


@dataclass
class SplitPart:
    name: str
    code: str
    cell_type: str
    member_ids: list[int] = field(default_factory=list)
    village_ids: list[int] = field(default_factory=list)


def _move_villages(links, to_org: Organization, effective_on: dt.date):
    for link in links:
        if link.valid_from and link.valid_from >= effective_on:
            link.organization = to_org
            link.save()
        else:
            link.valid_to = effective_on - ONE_DAY
            link.save()
            CellVillage.objects.create(
                province_id=to_org.province_id,
                organization=to_org,
                village_id=link.village_id,
                valid_from=effective_on,
            )


@transaction.atomic
def split(
    org: Organization,
    parts: list[SplitPart],
    effective_on: dt.date,
    *,
    keep_original: bool,
    user=None,
    decision: str = "",
) -> list[Organization]:
    """Split a cell: new sibling cells take the members and villages listed for them.

    With keep_original, members and villages not listed stay in the original cell;
    otherwise every one must be assigned and the original cell is dissolved.
    """
    _check_date(effective_on, org)
    _check_active(org)
    if org.kind not in CELL_KINDS:
        raise ValidationError(
            _(
                "Only cells are split here; for a committee, create the new committee and move its cells."
            )
        )
    if org.child_orgs().filter(dissolved_on__isnull=True).exists():
        raise ValidationError(
            _("Dissolve or move the party groups of this cell before splitting it.")
        )
    needed = 1 if keep_original else 2
    if len(parts) < needed:
        raise ValidationError(_("A split needs at least %(n)s new cells.") % {"n": needed})
    current = {ms.member_id: ms for ms in org.memberships.current()}
    home_ids = set(org.memberships.current().home().values_list("member_id", flat=True))
    links = {ln.village_id: ln for ln in org.village_links.active()}
    seen_members: set[int] = set()
    seen_villages: set[int] = set()
    codes = set()
    for part in parts:
        if not part.name.strip():
            raise ValidationError(_("Every new cell needs a name."))
        if not part.cell_type:
            raise ValidationError(_("Choose the cell type of %(name)s.") % {"name": part.name})
        if part.code in codes:
            raise ValidationError(
                _("Two new cells have the same code %(code)s.") % {"code": part.code}
            )
        codes.add(part.code)
        _check_code_free(org.province_id, part.code)
        for mid in part.member_ids:
            if mid not in current:
                raise ValidationError(_("A member chosen is not a current member of this cell."))
            if mid in seen_members:
                raise ValidationError(_("A member is assigned to two new cells."))
            seen_members.add(mid)
        for vid in part.village_ids:
            if vid not in links:
                raise ValidationError(_("A village chosen is not covered by this cell."))
            if vid in seen_villages:
                raise ValidationError(_("A village is assigned to two new cells."))
            seen_villages.add(vid)
    if not keep_original:
        left = home_ids - seen_members
        if left:
            raise ValidationError(
                _(
                    "%(n)s members are not assigned to a new cell; assign every member, "
                    "or keep the original cell."
                )
                % {"n": len(left)}
            )
    parent = org.parent_org()
    created = []
    for part in parts:
        new = create_organization(
            parent=parent,
            kind=org.kind,
            name=part.name,
            code=part.code,
            cell_type=part.cell_type,
            founded_on=effective_on,
            user=user,
            decision=decision,
        )
        note = _("Split from %(name)s") % {"name": org.name}
        move_memberships([current[m] for m in part.member_ids], new, effective_on, note)
        _move_villages([links[v] for v in part.village_ids], new, effective_on)
        created.append(new)
        parent.refresh_from_db()
    _event(
        org,
        OrgEventKind.SPLIT,
        effective_on,
        user,
        decision,
        related=created,
        into=[c.name for c in created],
        kept=keep_original,
    )
    if not keep_original:
        org.refresh_from_db()
        _dissolve(
            org,
            effective_on,
            _("Split into %(names)s") % {"names": ", ".join(c.name for c in created)},
            user,
            decision,
        )
    return created


@transaction.atomic
def merge(
    sources: list[Organization],
    target: Organization,
    effective_on: dt.date,
    user=None,
    decision: str = "",
) -> Organization:
    """Merge cells into `target`: members, villages and party groups move; sources are dissolved."""
    sources = [s for s in sources if s.pk != target.pk]
    if not sources:
        raise ValidationError(
            _("Choose at least one cell to merge into %(name)s.") % {"name": target.name}
        )
    _check_date(effective_on, target, *sources)
    _check_active(target, *sources)
    for s in sources:
        if s.kind not in CELL_KINDS or target.kind not in CELL_KINDS:
            raise ValidationError(
                _("Only cells are merged here; move the cells of a committee instead.")
            )
        if s.province_id != target.province_id:
            raise ValidationError(_("Cells of different provinces cannot be merged."))
    for s in sources:
        note = _("Merged into %(name)s") % {"name": target.name}
        move_memberships(list(s.memberships.current()), target, effective_on, note)
        target_villages = set(target.village_links.active().values_list("village_id", flat=True))
        _move_villages(
            [ln for ln in s.village_links.active() if ln.village_id not in target_villages],
            target,
            effective_on,
        )
        for child in s.child_orgs().filter(dissolved_on__isnull=True):
            Organization.objects.move(child, target, pos="last-child")
        s.refresh_from_db()
        _dissolve(s, effective_on, note, user, decision, successor=target)
    _event(
        target,
        OrgEventKind.MERGED,
        effective_on,
        user,
        decision,
        related=sources,
        merged=[s.name for s in sources],
    )
    return target


def _dissolve(org, effective_on, reason, user, decision, successor=None):
    for link in org.village_links.active():
        link.valid_to = max(effective_on - ONE_DAY, link.valid_from or effective_on - ONE_DAY)
        link.save()
    org.dissolved_on = effective_on
    org.dissolution_reason = reason[:300]
    org.successor = successor
    org.save()
    _event(
        org,
        OrgEventKind.DISSOLVED,
        effective_on,
        user,
        decision,
        related=[successor] if successor else (),
        reason=reason,
    )
    _resummarize(org, effective_on)


@transaction.atomic
def dissolve(org: Organization, effective_on: dt.date, reason: str, user=None, decision: str = ""):
    """Dissolve an organization that no longer has active units or members."""
    _check_date(effective_on, org)
    _check_active(org)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for dissolving.")})
    children = org.child_orgs().filter(dissolved_on__isnull=True).count()
    if children:
        raise ValidationError(
            _("%(name)s still has %(n)s active units: move, merge or dissolve them first.")
            % {"name": org.name, "n": children}
        )
    members = Membership.objects.filter(organization=org, end_date__isnull=True).count()
    if members:
        raise ValidationError(
            _(
                "%(name)s still has %(n)s members: merge the cell into another one, or move its "
                "members first."
            )
            % {"name": org.name, "n": members}
        )
    _dissolve(org, effective_on, reason, user, decision)
    return org


@transaction.atomic
def set_villages(org: Organization, villages: list[Village], effective_on: dt.date, user=None):
    """Make the cell cover exactly `villages` from `effective_on`, keeping past links."""
    _check_date(effective_on, org)
    _check_active(org)
    if org.kind not in CELL_KINDS:
        raise ValidationError(_("Villages are covered by cells."))
    wanted = {v.pk: v for v in villages}
    for v in villages:
        if v.province_id != org.province_id:
            raise ValidationError(_("%(name)s is in another province.") % {"name": v.name})
        if v.valid_to is not None:
            raise ValidationError(_("%(name)s no longer exists.") % {"name": v.name})
    current = {ln.village_id: ln for ln in org.village_links.active()}
    removed = [ln for vid, ln in current.items() if vid not in wanted]
    added = [v for vid, v in wanted.items() if vid not in current]
    if not removed and not added:
        return org
    for ln in removed:
        if ln.valid_from and ln.valid_from >= effective_on:
            ln.delete()
        else:
            ln.valid_to = effective_on - ONE_DAY
            ln.save()
    for v in added:
        CellVillage.objects.create(
            province_id=org.province_id, organization=org, village=v, valid_from=effective_on
        )
    _event(
        org,
        OrgEventKind.VILLAGES,
        effective_on,
        user,
        added=[v.name for v in added],
        removed=[ln.village.name for ln in removed],
    )
    return org


def villages_without_members(province_or_org: Organization, on: dt.date | None = None):
    """Villages in the subtree where no active member lives (thôn trắng đảng viên)."""
    from members.models import ACTIVE_STATUSES

    on = on or timezone.localdate()
    living = Person.objects.filter(
        member__status__in=ACTIVE_STATUSES, residence_village__isnull=False
    ).values("residence_village_id")
    return (
        Village.objects.active(on)
        .filter(subtree_q(province_or_org.path, "commune__"))
        .exclude(pk__in=living)
        .select_related("commune")
    )


def villages_without_cell(org: Organization, on: dt.date | None = None):
    on = on or timezone.localdate()
    covered = CellVillage.objects.active(on).values("village_id")
    return (
        Village.objects.active(on)
        .filter(subtree_q(org.path, "commune__"))
        .exclude(pk__in=covered)
        .select_related("commune")
    )
