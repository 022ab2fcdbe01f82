"""Visit objects in a given cell of the test world, for the authorization matrices.

The visitor is a user of their own ("visitor_C1"…) holding a committee role on the cell's
commune, so no matrix user is ever the visitor by accident."""

import datetime as dt

from accounts.models import Role, RoleAssignment, User
from meetings.tests import targets as meeting_targets
from oversight import following, services
from oversight.models import Visit, WorkingGroup


def visitor_for(world, cell_code: str) -> User:
    commune = world.org(cell_code).parent_org()
    user, created = User.objects.get_or_create(
        username=f"visitor_{commune.code}", defaults={"first_name": f"Khách {commune.code}"}
    )
    if created:
        RoleAssignment.objects.create(
            user=user, role=Role.COMMITTEE, organization=commune, valid_from=dt.date(2020, 1, 1)
        )
    return user


def visit_in(world, cell_code: str) -> Visit:
    meeting = meeting_targets.meeting_in(world, cell_code)
    visitor = visitor_for(world, cell_code)
    return Visit.objects.filter(meeting=meeting, visitor=visitor).first() or services.plan_visit(
        meeting.organization, visitor, meeting=meeting, send=False
    )


def group_in(world, cell_code: str) -> WorkingGroup:
    cell = world.org(cell_code)
    commune = cell.parent_org()
    return WorkingGroup.objects.filter(organization=commune).first() or following.create_group(
        commune,
        name=f"Tổ công tác {commune.code}",
        members=[visitor_for(world, cell_code)],
        cells=[cell],
        valid_from=dt.date(2025, 1, 1),
    )
