"""Rating objects in a given cell of the test world, for the authorization matrix.

The cycle is the 2025 review of the target cell's grassroots committee (C1 for K1 and K2, C2
for K3, C3 for K4); the member review is that of the cell's member without a login, and the
organization review the cell's own. Who may see and act on them follows the target cell, as
the matrix's LEVEL says: deciding needs the committee's staff, who are the cell's staff too.
"""

from meetings.tests.targets import NO_LOGIN_MEMBER
from ratings import services
from ratings.models import MemberReview, OrganizationReview, ReviewCycle


def cycle_in(world, cell_code: str) -> ReviewCycle:
    committee = world.org(cell_code).parent_org()
    return ReviewCycle.objects.filter(
        organization=committee, year=2025, quarter__isnull=True
    ).first() or services.open_cycle(committee, year=2025)


def review_in(world, cell_code: str) -> MemberReview:
    member = world.member(NO_LOGIN_MEMBER[cell_code], cell_code)
    return cycle_in(world, cell_code).member_reviews.get(member=member)


def org_review_in(world, cell_code: str) -> OrganizationReview:
    return cycle_in(world, cell_code).org_reviews.get(organization=world.org(cell_code))
