"""Who may see and change what: the one place access rules live.

A user's scope is a list of grants (subtree path, level), computed once per
request from their active role assignments. Every page and API endpoint starts
its querysets from `Scope.organizations()` / `Scope.members()` and loads single
objects through `get_organization()` / `get_member()`, which raise Http404 for
anything outside the scope (an outsider must not learn that it exists) and
PermissionDenied when the object is visible but the action needs a higher level.

Checks on an already-loaded object compare paths in Python: no per-row query.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import reduce, wraps
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Role, RoleAssignment
from audit.log import record_denied
from members.models import Member, Membership, MembershipKind
from organizations.models import Organization, subtree_q


class Level(enum.IntEnum):
    NONE = 0
    READ = 10  # see the subtree: committee members
    CELL = 20  # manage members of a cell: secretaries and deputies
    STAFF = 30  # manage structure, members, roles and imports: organization-board staff
    ADMIN = 40  # everything, everywhere


ROLE_LEVELS = {
    Role.ADMIN: Level.ADMIN,
    Role.ORG_STAFF: Level.STAFF,
    Role.COMMITTEE: Level.READ,
    Role.SECRETARY: Level.CELL,
    Role.DEPUTY: Level.CELL,
}


class Cap(enum.StrEnum):
    """Named capabilities, used by views, the API and templates alike."""

    VIEW = "view"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_STRUCTURE = "manage_structure"
    MANAGE_ROLES = "manage_roles"
    IMPORT = "import"
    EXPORT = "export"


CAP_LEVEL = {
    Cap.VIEW: Level.READ,
    Cap.EXPORT: Level.READ,
    Cap.MANAGE_MEMBERS: Level.CELL,
    Cap.IMPORT: Level.CELL,
    Cap.MANAGE_STRUCTURE: Level.STAFF,
    Cap.MANAGE_ROLES: Level.STAFF,
}


@dataclass
class Grant:
    path: str
    level: Level
    organization_id: int
    role: str = ""  # the Role it comes from, and the organization's name (the audit trail)
    organization_name: str = ""


@dataclass
class Scope:
    user_id: int | None = None
    is_admin: bool = False
    grants: list[Grant] = field(default_factory=list)
    self_member_id: int | None = None

    # ---- construction -------------------------------------------------
    @classmethod
    def for_user(cls, user) -> Scope:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        scope = cls(user_id=user.pk, self_member_id=user.member_id)
        rows = (
            RoleAssignment.objects.active()
            .filter(user=user)
            .values_list("role", "organization_id", "organization__path", "organization__name")
        )
        for role, org_id, path, name in rows:
            if role == Role.ADMIN:
                scope.is_admin = True
            else:
                scope.grants.append(Grant(path, ROLE_LEVELS[role], org_id, role, name))
        scope.grants.sort(key=lambda g: (g.path, -g.level))
        return scope

    # ---- questions about one object (no queries) --------------------------
    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def has_org_access(self) -> bool:
        return self.is_admin or bool(self.grants)

    def level_for_path(self, path: str) -> Level:
        if self.is_admin:
            return Level.ADMIN
        best = Level.NONE
        for g in self.grants:
            if path.startswith(g.path) and g.level > best:
                best = g.level
        return best

    def level_for(self, org: Organization) -> Level:
        return self.level_for_path(org.path)

    def can(self, cap: Cap, org: Organization) -> bool:
        return self.level_for(org) >= CAP_LEVEL[cap]

    def can_anywhere(self, cap: Cap) -> bool:
        return self.is_admin or any(g.level >= CAP_LEVEL[cap] for g in self.grants)

    def member_level(self, member: Member, temporary_paths: list[str] = ()) -> Level:
        """Level over a member: through their home cell, a cell they are attached to, or self."""
        level = self.level_for(member.organization)
        # The cell a member is temporarily attached to sees them, but their record
        # is kept by the home cell.
        for p in temporary_paths:
            level = max(level, min(self.level_for_path(p), Level.READ))
        if level == Level.NONE and member.pk == self.self_member_id:
            return Level.READ
        return level

    # ---- querysets rooted in the scope -------------------------------------
    def _paths_q(self, prefix: str = "", min_level: Level = Level.READ) -> Q | None:
        paths = [g.path for g in self.grants if g.level >= min_level]
        # Drop paths inside another granted path: fewer OR branches.
        roots = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        if not roots:
            return None
        return reduce(or_, (subtree_q(p, prefix) for p in roots))

    def organizations(self, min_level: Level = Level.READ) -> QuerySet[Organization]:
        qs = Organization.objects.all()
        if self.is_admin:
            return qs
        q = self._paths_q(min_level=min_level)
        return qs.filter(q) if q is not None else qs.none()

    def members(self, min_level: Level = Level.READ) -> QuerySet[Member]:
        qs = Member.objects.all()
        if self.is_admin:
            return qs
        conditions = []
        grants = [g for g in self.grants if g.level >= min_level]
        roots = {g.path for g in grants}
        roots = [g for g in grants if not any(g.path != r and g.path.startswith(r) for r in roots)]
        province_ids = [g.organization_id for g in roots if len(g.path) == Organization.steplen]
        deeper = [g.path for g in roots if len(g.path) > Organization.steplen]
        if province_ids:
            # A whole province: the tenant key alone, so the sorted list walks the member's
            # (province, sort_key) index and stops at a page, and the count needs no join.
            conditions.append(Q(province_id__in=province_ids))
            # Members of other provinces temporarily attached here (rare): by id, and
            # only when there are any, so the common case keeps the plan above.
            visiting = list(
                Membership.objects.filter(
                    province_id__in=province_ids,
                    kind=MembershipKind.TEMPORARY,
                    end_date__isnull=True,
                )
                .exclude(member__province_id__in=province_ids)
                .values_list("member_id", flat=True)
            )
            if visiting:
                conditions.append(Q(pk__in=visiting))
        if deeper:
            paths_q = reduce(or_, (subtree_q(p, "organization__") for p in deeper))
            conditions.append(paths_q)
            attached = Membership.objects.filter(
                reduce(or_, (subtree_q(p, "organization__") for p in deeper)),
                kind=MembershipKind.TEMPORARY,
                end_date__isnull=True,
            ).values("member_id")
            conditions.append(Q(pk__in=attached))
        if self.self_member_id and min_level <= Level.READ:
            conditions.append(Q(pk=self.self_member_id))
        if not conditions:
            return qs.none()
        return qs.filter(reduce(or_, conditions))

    def meetings(self, min_level: Level = Level.READ):
        """Meetings of organizations in scope, plus (read only) those of the user's own cell."""
        from meetings.models import Attendance, Meeting

        qs = Meeting.objects.all()
        if self.is_admin:
            return qs
        q = self._paths_q("organization__", min_level)
        conditions = [q] if q is not None else []
        if self.self_member_id and min_level <= Level.READ:
            # EXISTS rather than joins + DISTINCT: the joins multiplied each meeting by
            # members × attendance rows and PostgreSQL sorted them all (~150 ms a page).
            conditions.append(
                Exists(
                    Member.objects.filter(
                        pk=self.self_member_id, organization_id=OuterRef("organization_id")
                    )
                )
            )
            conditions.append(
                Exists(
                    Attendance.objects.filter(
                        meeting_id=OuterRef("pk"), member_id=self.self_member_id
                    )
                )
            )
        if not conditions:
            return qs.none()
        return qs.filter(reduce(or_, conditions))

    def transfers(self, min_level: Level = Level.READ):
        """Transfers whose sending or receiving cell is in scope: each side sees them."""
        from transfers.models import Transfer

        qs = Transfer.objects.all()
        if self.is_admin:
            return qs
        sides = [self._paths_q(p, min_level) for p in ("from_org__", "to_org__")]
        sides = [q for q in sides if q is not None]
        return qs.filter(reduce(or_, sides)) if sides else qs.none()

    def liaisons(self, min_level: Level = Level.READ):
        """Residence liaisons seen from either side: the workplace cell, or the residence
        commune or cell, in scope."""
        from liaison.models import ResidenceLiaison

        qs = ResidenceLiaison.objects.all()
        if self.is_admin:
            return qs
        prefixes = ("workplace_cell__", "residence_commune__", "residence_cell__")
        sides = [q for q in (self._paths_q(p, min_level) for p in prefixes) if q is not None]
        return qs.filter(reduce(or_, sides)) if sides else qs.none()

    def candidates(self, min_level: Level = Level.READ):
        """Admission candidates of cells in scope; once admitted, also through the member's
        current home cell (they may have moved)."""
        from admissions.models import Candidate

        qs = Candidate.objects.all()
        if self.is_admin:
            return qs
        sides = [self._paths_q(p, min_level) for p in ("organization__", "member__organization__")]
        sides = [q for q in sides if q is not None]
        return qs.filter(reduce(or_, sides)) if sides else qs.none()

    def inspections(self, min_level: Level = Level.READ):
        """Inspections and supervisions seen by the readers of the committee carrying them out
        and of the organization inspected. Internal: a member inspected does not see their own
        through their cell (only a role on the committee shows it to them)."""
        from oversight.models import Inspection

        qs = Inspection.objects.all()
        if self.is_admin:
            return qs
        by = self._paths_q("organization__", min_level)
        of = self._paths_q("subject_org__", min_level)
        if of is not None and self.self_member_id:
            of &= ~Q(subject_member_id=self.self_member_id)
        sides = [q for q in (by, of) if q is not None]
        return qs.filter(reduce(or_, sides)) if sides else qs.none()

    def inspection_plans(self, min_level: Level = Level.READ):
        """A committee's yearly inspection and supervision plans: its readers only."""
        from oversight.models import InspectionPlan

        qs = InspectionPlan.objects.all()
        if self.is_admin:
            return qs
        q = self._paths_q("organization__", min_level)
        return qs.filter(q) if q is not None else qs.none()

    def visits(self, min_level: Level = Level.READ):
        """Visits to cells in scope (the cell's secretary, the committees above), plus, to
        read, the user's own visits as the visitor (a cross-attending secretary sees the
        visits they make to a cell outside their scope)."""
        from oversight.models import Visit

        qs = Visit.objects.all()
        if self.is_admin:
            return qs
        q = self._paths_q("cell__", min_level)
        conditions = [q] if q is not None else []
        if self.user_id and min_level <= Level.READ:
            conditions.append(Q(visitor_id=self.user_id))
        return qs.filter(reduce(or_, conditions)) if conditions else qs.none()

    def audit_entries(self, min_level: Level = Level.STAFF):
        """Audit entries written by users acting for an organization in scope (administrators:
        all, failed sign-ins included)."""
        from audit.models import AuditEntry

        qs = AuditEntry.objects.all()
        if self.is_admin:
            return qs
        q = self._paths_q("organization__", min_level)
        return qs.filter(q) if q is not None else qs.none()

    def meeting_level(self, meeting) -> Level:
        """Level over a meeting: through its cell; a plain member reads their own cell's meetings."""
        level = self.level_for(meeting.organization)
        if level == Level.NONE and self.self_member_id:
            return Level.READ
        return level

    def provinces(self) -> QuerySet[Organization]:
        return self.organizations().filter(depth=1)

    def works_in_province(self, org: Organization) -> bool:
        """A role anywhere in the province of `org` (the province itself or any organization in
        it): its province-wide rules (e.g. the meeting-quality rubrics) are then readable, though
        the province itself may be out of scope. No query."""
        province_path = org.path[: Organization.steplen]
        return self.is_admin or any(g.path.startswith(province_path) for g in self.grants)


# ---- loading single objects: 404 outside the scope, 403 for too low a level ----


def _logs_denials(kind: str):
    """Write an audit entry when the helper refuses (the requested id, 404 or 403): the user
    is told nothing more than the status they get anyway."""

    def wrap(helper):
        @wraps(helper)
        def loader(scope, uuid, *args, **kwargs):
            try:
                return helper(scope, uuid, *args, **kwargs)
            except Http404:
                record_denied(kind, uuid, "not_found")
                raise
            except PermissionDenied:
                record_denied(kind, uuid, "forbidden")
                raise

        return loader

    return wrap


@_logs_denials("organization")
def get_organization(scope: Scope, uuid, cap: Cap = Cap.VIEW) -> Organization:
    try:
        org = scope.organizations().get(uuid=uuid)
    except (Organization.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if not scope.can(cap, org):
        raise PermissionDenied
    return org


@_logs_denials("member")
def get_member(scope: Scope, uuid, cap: Cap = Cap.VIEW) -> Member:
    try:
        member = (
            scope.members()
            .select_related("person", "organization", "person__residence_village")
            .get(uuid=uuid)
        )
    except (Member.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if cap != Cap.VIEW:
        temp_paths = list(
            member.memberships.filter(
                kind=MembershipKind.TEMPORARY, end_date__isnull=True
            ).values_list("organization__path", flat=True)
        )
        if scope.member_level(member, temp_paths) < CAP_LEVEL[cap]:
            raise PermissionDenied
    return member


@_logs_denials("meeting")
def get_meeting(scope: Scope, uuid, cap: Cap = Cap.VIEW):
    """A meeting in scope (404 otherwise); 403 when the action needs a higher level."""
    from meetings.models import Meeting

    try:
        meeting = (
            scope.meetings()
            .select_related("organization", "chair__person", "minutes_secretary__person")
            .get(uuid=uuid)
        )
    except (Meeting.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if scope.meeting_level(meeting) < CAP_LEVEL[cap]:
        raise PermissionDenied
    return meeting


def transfer_can(scope: Scope, transfer, step: str) -> bool:
    """May the user take this step of a transfer? Each side acts on its own organization;
    when one side is outside the system, the side here records both.

    start / cancel: the sending cell's managers (a secretary) — or the receiving committee;
    issue the letter: the committee above the sending cell (organization-board staff);
    receive, complete: the receiving committee; a temporary member's return either side.
    """
    send, recv = transfer.from_org, transfer.to_org
    members_send = send is not None and scope.can(Cap.MANAGE_MEMBERS, send)
    structure_send = send is not None and scope.can(Cap.MANAGE_STRUCTURE, send)
    structure_recv = recv is not None and scope.can(Cap.MANAGE_STRUCTURE, recv)
    if step == "issue":
        return structure_send if send is not None else structure_recv
    if step == "receive":
        return structure_recv if recv is not None else structure_send
    if step == "complete":
        if transfer.kind == "temporary":
            return members_send or structure_recv
        return structure_recv if recv is not None else structure_send
    if step == "cancel":
        return members_send or structure_recv
    raise ValueError(step)


@_logs_denials("transfer")
def get_transfer(scope: Scope, uuid, step: str | None = None):
    """A transfer seen from its sending or receiving side (404 otherwise); 403 when `step`
    is given and the user may not take it (transfer_can)."""
    from transfers.models import Transfer

    try:
        transfer = (
            scope.transfers()
            .select_related("from_org", "to_org", "member__person", "member__organization")
            .get(uuid=uuid)
        )
    except (Transfer.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if step is not None and not transfer_can(scope, transfer, step):
        raise PermissionDenied
    return transfer


@_logs_denials("liaison")
def get_liaison(scope: Scope, uuid):
    """A residence liaison seen from its workplace or residence side (404 otherwise). What
    each side may do: ResidenceLiaison.can_act_for_workplace / can_act_for_residence."""
    from liaison.models import ResidenceLiaison

    try:
        return (
            scope.liaisons()
            .select_related(
                "member__person",
                "member__organization",
                "workplace_cell",
                "residence_commune",
                "residence_cell",
                "residence_village",
            )
            .get(uuid=uuid)
        )
    except (ResidenceLiaison.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e


@_logs_denials("candidate")
def get_candidate(scope: Scope, uuid, cap: Cap = Cap.VIEW):
    """An admission candidate in scope (404 otherwise); 403 when `cap` is needed on the cell
    that acts on the record (the member's home cell once admitted) and the user lacks it."""
    from admissions.models import Candidate

    try:
        candidate = (
            scope.candidates()
            .select_related("organization", "person", "member__organization", "helper__person")
            .get(uuid=uuid)
        )
    except (Candidate.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if cap != Cap.VIEW and not scope.can(cap, candidate.acting_cell):
        raise PermissionDenied
    return candidate


@_logs_denials("inspection")
def get_inspection(scope: Scope, uuid, cap: Cap = Cap.VIEW):
    """An inspection or supervision in scope (404 otherwise, Scope.inspections); 403 when `cap`
    is needed on the committee carrying it out and the user lacks it."""
    from oversight.models import Inspection

    try:
        inspection = (
            scope.inspections()
            .select_related(
                "organization",
                "subject_org",
                "subject_member__person",
                "subject_member__organization",
                "plan",
            )
            .get(uuid=uuid)
        )
    except (Inspection.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if cap != Cap.VIEW and not scope.can(cap, inspection.organization):
        raise PermissionDenied
    return inspection


@_logs_denials("inspection_plan")
def get_inspection_plan(scope: Scope, uuid, cap: Cap = Cap.VIEW):
    """A committee's inspection and supervision plan in scope (404 otherwise); 403 when `cap`
    is needed on the committee and the user lacks it."""
    from oversight.models import InspectionPlan

    try:
        plan = scope.inspection_plans().select_related("organization").get(uuid=uuid)
    except (InspectionPlan.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if cap != Cap.VIEW and not scope.can(cap, plan.organization):
        raise PermissionDenied
    return plan


def visit_can(scope: Scope, visit, step: str) -> bool:
    """May the user take this step of a visit? Only the visitor files (or corrects) the
    report; a planned visit is cancelled by the visitor or the committee staff above the cell."""
    if step == "report":
        return visit.visitor_id == scope.user_id and visit.status != "cancelled"
    if step == "cancel":
        return visit.status == "planned" and (
            visit.visitor_id == scope.user_id or scope.can(Cap.MANAGE_STRUCTURE, visit.cell)
        )
    raise ValueError(step)


@_logs_denials("visit")
def get_visit(scope: Scope, uuid, step: str | None = None):
    """A visit seen by the readers of its cell or by its visitor (404 otherwise); 403 when
    `step` is given and the user may not take it (visit_can)."""
    from oversight.models import Visit

    try:
        visit = (
            scope.visits()
            .select_related("cell", "meeting__organization", "visitor", "group")
            .get(uuid=uuid)
        )
    except (Visit.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if step is not None and not visit_can(scope, visit, step):
        raise PermissionDenied
    return visit


@_logs_denials("working_group")
def get_working_group(scope: Scope, uuid, cap: Cap = Cap.VIEW):
    """A committee's working group, seen by the committee's readers (404 otherwise); 403 when
    `cap` is needed on the committee and the user lacks it."""
    from oversight.models import WorkingGroup

    try:
        group = WorkingGroup.objects.select_related("organization").get(uuid=uuid)
    except (WorkingGroup.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if not scope.can(Cap.VIEW, group.organization):
        raise Http404
    if not scope.can(cap, group.organization):
        raise PermissionDenied
    return group


@_logs_denials("province")
def get_province_rules(scope: Scope, uuid, cap: Cap = Cap.VIEW) -> Organization:
    """A province whose province-wide rules the user reads (any role inside it; 404 otherwise);
    403 when `cap` is needed on the province itself (its organization board changes them)."""
    try:
        province = Organization.objects.get(uuid=uuid, depth=1)
    except (Organization.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if not scope.works_in_province(province):
        raise Http404
    if cap != Cap.VIEW and not scope.can(cap, province):
        raise PermissionDenied
    return province


@_logs_denials("rubric")
def get_rubric(scope: Scope, uuid, cap: Cap = Cap.VIEW):
    """A meeting-quality rubric: read by anyone working in its province (404 otherwise);
    `cap` beyond view is needed on the organization that issued it (403)."""
    from quality.models import Rubric

    try:
        rubric = Rubric.objects.select_related("organization", "province").get(uuid=uuid)
    except (Rubric.DoesNotExist, ValidationError, ValueError, TypeError) as e:
        raise Http404 from e
    if not scope.works_in_province(rubric.province):
        raise Http404
    if cap != Cap.VIEW and not scope.can(cap, rubric.organization):
        raise PermissionDenied
    return rubric
