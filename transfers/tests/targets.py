"""A transfer in a given cell of the test world, for the authorization matrix.

It leaves the cell for an organization outside the system, so who sees it and who may act
on it is decided by that one cell, as for the matrix's other objects.
"""

import datetime as dt

from transfers import services
from transfers.models import OPEN_STATUSES, Transfer

# The member of each cell who has no login (as in meetings/tests/targets.py).
NO_LOGIN_MEMBER = {
    "K1": "Lê Văn Nam",
    "K2": "Hoàng Văn Bình",
    "K3": "Vũ Thị Mai",
    "K4": "Bùi Văn Tâm",
}


def transfer_in(world, cell_code: str) -> Transfer:
    member = world.member(NO_LOGIN_MEMBER[cell_code], cell_code)
    existing = member.transfers.filter(status__in=OPEN_STATUSES).first()
    if existing:
        return existing
    return services.start(
        member,
        kind="official",
        reason="job",
        trigger_date=dt.date(2026, 1, 5),
        started_on=dt.date(2026, 1, 12),
        to_org_name="Chi bộ thôn Bắc, xã Tân Phú, tỉnh Khác",
    )
