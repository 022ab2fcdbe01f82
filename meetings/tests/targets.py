"""Meeting objects in a given cell of the test world, for the authorization matrices."""

import datetime as dt

from meetings import services
from meetings.models import AbsenceRequest, Meeting, Task

# A member of each cell who has no login: tasks and absence requests belong to them,
# so "the task's own assignee" never coincides with a matrix user by accident.
NO_LOGIN_MEMBER = {
    "K1": "Lê Văn Nam",
    "K2": "Hoàng Văn Bình",
    "K3": "Vũ Thị Mai",
    "K4": "Bùi Văn Tâm",
}


def meeting_in(world, cell_code: str, month: int = 9) -> Meeting:
    cell = world.org(cell_code)
    if not cell.schedule_rules.exists():
        services.set_schedule(
            cell,
            day_of_month=5,
            time=dt.time(19, 30),
            place="Nhà văn hóa",
            valid_from=dt.date(2025, 1, 1),
        )
    services.generate_regular_meetings(cell, dt.date(2025, month, 1), dt.date(2025, month, 28))
    return cell.meetings.get(period_year=2025, period_month=month, kind="regular")


def task_in(world, cell_code: str) -> Task:
    meeting = meeting_in(world, cell_code, month=8)
    task = Task.objects.filter(resolution__meeting=meeting).first()
    if task:
        return task
    services.start(meeting, started_at=meeting.scheduled_at)
    services.mark_all_present(meeting)
    vote = services.record_vote(
        meeting, motion="Thông qua nghị quyết", yes=services.eligible_voters(meeting)
    )
    assignee = world.member(NO_LOGIN_MEMBER[cell_code], cell_code)
    res = services.pass_resolution(
        meeting,
        kind="resolution",
        summary="",
        assessment="",
        directions="",
        vote=vote,
        tasks=[{"description": "Vận động nhân dân", "assignee": assignee}],
    )
    return res.tasks.get()


def absence_in(world, cell_code: str) -> AbsenceRequest:
    meeting = meeting_in(world, cell_code, month=10)
    member = world.member(NO_LOGIN_MEMBER[cell_code], cell_code)
    return AbsenceRequest.objects.filter(
        meeting=meeting, member=member
    ).first() or services.request_absence(meeting, member, "Đi công tác")
