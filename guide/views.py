"""The in-app guide (issue 9): who uses Chibo for what, a cell's month step by step, and what
each page is for. The text lives in templates/guide/; a view only works out which roles the
user holds and which of their organizations the guide can link to, so that every link in the
guide opens a page the user may see (guide/tests/test_guide.py follows them all)."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.access import Level, Scope
from accounts.models import Role
from members.models import Member
from organizations.models import CELL_KINDS, Organization, OrgKind

# Above a commune: the province and the committees directly under it (the dashboard's "boards").
BOARD_KINDS = (OrgKind.PROVINCE, OrgKind.PROVINCE_UNIT)


@dataclass
class Places:
    """The user's roles in the guide's terms and the organizations its links point to."""

    roles: set[str] = field(default_factory=set)
    cell: Organization | None = None  # the cell the user runs, else the member's own cell
    runs_cell: bool = False  # secretary or deputy of `cell`: may plan and run its meetings
    committee: Organization | None = None  # a committee the user oversees (staff or member)
    staff: bool = False  # organization-board staff of `committee`: may restructure it

    @property
    def org(self) -> Organization | None:
        """Where the pages about one organization (admissions, transfers…) are opened: one the
        user reads through a role (a plain member's own cell is not one)."""
        return self.committee or (self.cell if self.runs_cell else None)


def places_for(scope: Scope) -> Places:
    """At most one query for the organizations of the grants, one for a member's own cell."""
    places = Places()
    if scope.is_admin:
        places.roles.add("admin")
    levels: dict[int, Level] = {}
    for g in scope.grants:
        levels[g.organization_id] = max(levels.get(g.organization_id, Level.NONE), g.level)
        if g.role in (Role.SECRETARY, Role.DEPUTY):
            places.roles.add("secretary")
        elif g.role == Role.COMMITTEE:
            places.roles.add("committee")
    if levels:
        orgs = Organization.objects.filter(pk__in=levels, dissolved_on__isnull=True).only(
            "uuid", "name", "kind", "path", "depth"
        )
        for org in sorted(orgs, key=lambda o: o.path):
            level = levels[org.pk]
            if org.kind in CELL_KINDS and level == Level.CELL and places.cell is None:
                places.cell, places.runs_cell = org, True
            elif org.kind not in CELL_KINDS and places.committee is None:
                places.committee, places.staff = org, level >= Level.STAFF
            if level >= Level.STAFF:
                places.roles.add("province_staff" if org.kind in BOARD_KINDS else "commune_staff")
    if scope.self_member_id:
        places.roles.add("member")
        if places.cell is None:
            places.cell = (
                Organization.objects.filter(
                    pk__in=Member.objects.filter(pk=scope.self_member_id).values("organization_id")
                )
                .only("uuid", "name", "kind", "path", "depth")
                .first()
            )
    return places


def _render(request, template: str):
    scope = request.scope
    places = places_for(scope)
    context = {
        "places": places,
        "roles": places.roles,
        "has_org_access": scope.has_org_access,
        # The audit log is for organization-board staff (audit/views.py).
        "reads_log": scope.is_admin or any(g.level >= Level.STAFF for g in scope.grants),
    }
    return render(request, template, context)


@login_required
def index(request):
    """Hướng dẫn sử dụng: who uses Chibo for what, the user's own role first."""
    return _render(request, "guide/index.html")


@login_required
def month(request):
    """A cell's month, step by step, each step linked to where it is done."""
    return _render(request, "guide/month.html")


@login_required
def pages(request):
    """What each main page is for."""
    return _render(request, "guide/pages.html")
