"""The compliance board: each column's states at month and quarter edges, totals, filters,
paging, constant queries, and who may see it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingKind, MeetingStatus
from organizations.models import CellType, OrgKind
from organizations.services import create_organization
from oversight import board as board_module
from oversight.board import Period, Problem, build_board
from oversight.models import Visit, VisitKind, VisitPolicy, VisitStatus
from quality.models import MeetingScore, QualityLevel, Rubric, RubricKind

Y = 2025


@pytest.fixture(autouse=True)
def english(client, settings):
    # Assertions read the English msgids, whatever the state of the Vietnamese catalogue.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def at(y, m, d, hh=19, mm=30):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def meeting(
    cell, kind=MeetingKind.REGULAR, status=MeetingStatus.APPROVED, *, month, year=Y, on=None
):
    """A meeting counting for `month`; held on `on` (a date), else the 10th of that month."""
    on = on or dt.date(year, month, 10)
    return Meeting.objects.create(
        province_id=cell.province_id,
        organization=cell,
        kind=kind,
        status=status,
        period_year=year,
        period_month=month,
        scheduled_at=at(on.year, on.month, on.day),
    )


def visit(cell, visitor, on, status=VisitStatus.REPORTED, **kw):
    return Visit.objects.create(
        province_id=cell.province_id,
        cell=cell,
        visitor=visitor,
        kind=VisitKind.SUPERVISOR,
        planned_on=on,
        status=status,
        reported_on=on if status == VisitStatus.REPORTED else None,
        **kw,
    )


def score(m, level, total="60"):
    rubric, _ = Rubric.objects.get_or_create(
        organization_id=m.province_id,
        kind=RubricKind.REGULAR,
        effective_from=dt.date(2020, 1, 1),
        defaults={
            "province_id": m.province_id,
            "name": "Phiếu 100 điểm",
            "good_from": Decimal(90),
            "fair_from": Decimal(70),
            "average_from": Decimal(50),
        },
    )
    return MeetingScore.objects.create(
        province_id=m.province_id,
        meeting=m,
        organization=m.organization,
        period_year=m.period_year,
        period_month=m.period_month,
        rubric=rubric,
        status="self_scored",
        self_total=Decimal(total),
        self_level=level,
        self_on=m.local_date,
        final_level=level,
    )


def rows_by_code(board):
    return {r.cell.code: r for r in board.rows}


def new_cells(parent, n, prefix="X"):
    return [
        create_organization(
            parent=parent,
            kind=OrgKind.CELL,
            name=f"Chi bộ {prefix} {i:03d}",
            code=f"{prefix}{i:03d}",
            cell_type=CellType.VILLAGE,
        )
        for i in range(n)
    ]


@pytest.fixture
def c1(world):
    return world.org("C1")


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def k2(world):
    return world.org("K2")


# ---- the month ------------------------------------------------------------------------------


def test_the_period_defaults_to_the_current_month_and_knows_its_quarter():
    today = dt.date(2025, 5, 20)
    assert Period.parse({}, today) == Period(2025, 5)
    assert Period.parse({"year": "x", "month": "3"}, today) == Period(2025, 5)
    assert Period.parse({"year": "2025", "month": "13"}, today) == Period(2025, 5)
    p = Period.parse({"year": "2025", "month": "3"}, today)
    assert (p.quarter, p.quarter_months) == (1, [1, 2, 3])
    assert (p.first, p.last) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert (p.quarter_first, p.quarter_last) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert Period(2025, 1).previous == Period(2024, 12)
    assert Period(2025, 12).next == Period(2026, 1)
    assert str(Period(2025, 3)) == "03/2025"
    # The quarter's rule is due from the first day of its last month.
    assert not Period(2025, 1).quarter_due(dt.date(2025, 2, 28))
    assert Period(2025, 1).quarter_due(dt.date(2025, 3, 1))


# ---- the regular meeting and its minutes ------------------------------------------------------


def test_the_regular_meeting_column_in_each_state(c1, k1, k2):
    meeting(k1, month=3, status=MeetingStatus.APPROVED)
    meeting(k2, month=3, status=MeetingStatus.IN_PROGRESS)
    rows = rows_by_code(build_board(c1, Period(Y, 3), today=dt.date(2025, 4, 15)))
    assert (rows["K1"].regular.code, rows["K1"].minutes) == ("approved", "approved")
    assert Problem.REGULAR not in rows["K1"].problems
    assert Problem.MINUTES not in rows["K1"].problems
    assert (rows["K2"].regular.code, rows["K2"].minutes) == ("held", "pending")
    assert Problem.MINUTES in rows["K2"].problems
    assert Problem.REGULAR not in rows["K2"].problems
    # No meeting in a month that has begun: missed.
    rows = rows_by_code(build_board(c1, Period(Y, 4), today=dt.date(2025, 4, 1)))
    assert rows["K1"].regular.code == "missing"
    assert Problem.REGULAR in rows["K1"].problems
    # A month still to come is not a problem.
    rows = rows_by_code(build_board(c1, Period(Y, 5), today=dt.date(2025, 4, 30)))
    assert rows["K1"].regular.code == "none"
    assert rows["K1"].problems == []


def test_planned_postponed_and_overdue_meetings(c1, k1, k2):
    meeting(k1, month=6, status=MeetingStatus.NOTICE_SENT, on=dt.date(2025, 6, 20))
    meeting(k2, month=6, status=MeetingStatus.POSTPONED, on=dt.date(2025, 6, 5))
    rows = rows_by_code(build_board(c1, Period(Y, 6), today=dt.date(2025, 6, 10)))
    assert rows["K1"].regular.code == "planned"
    assert Problem.REGULAR not in rows["K1"].problems
    assert rows["K2"].regular.code == "postponed"
    assert Problem.REGULAR in rows["K2"].problems
    # The day after the planned date, nothing recorded: overdue.
    rows = rows_by_code(build_board(c1, Period(Y, 6), today=dt.date(2025, 6, 21)))
    assert rows["K1"].regular.code == "overdue"
    assert Problem.REGULAR in rows["K1"].problems
    # The postponed meeting's replacement in the same month speaks for it.
    meeting(k2, month=6, status=MeetingStatus.APPROVED, on=dt.date(2025, 6, 12))
    rows = rows_by_code(build_board(c1, Period(Y, 6), today=dt.date(2025, 6, 21)))
    assert rows["K2"].regular.code == "approved"


def test_the_period_month_decides_not_the_date(c1, k1):
    # March's meeting held on 2 April counts for March; a meeting held on 31 March for April
    # counts for April (and so for the second quarter).
    meeting(k1, month=3, on=dt.date(2025, 4, 2))
    meeting(k1, MeetingKind.THEMATIC, month=4, on=dt.date(2025, 3, 31))
    today = dt.date(2025, 5, 1)
    march = rows_by_code(build_board(c1, Period(Y, 3), today=today))["K1"]
    assert march.regular.code == "approved"
    assert march.thematic == "missing"  # the thematic of 31/3 belongs to Q2
    april = rows_by_code(build_board(c1, Period(Y, 4), today=today))["K1"]
    assert april.regular.code == "missing"
    assert april.thematic == "held"


def test_a_combined_meeting_is_the_regular_and_the_thematic_one(c1, k1):
    meeting(k1, MeetingKind.COMBINED, month=2)
    row = rows_by_code(build_board(c1, Period(Y, 2), today=dt.date(2025, 3, 5)))["K1"]
    assert row.regular.code == "approved"
    assert row.thematic == "held"


# ---- the thematic meeting of the quarter ------------------------------------------------------


def test_the_thematic_column_at_the_quarter_edges(c1, k1, k2):
    period = Period(Y, 1)
    # First month of the quarter, nothing yet: not a problem, the cell still has time.
    row = rows_by_code(build_board(c1, period, today=dt.date(2025, 1, 20)))["K1"]
    assert row.thematic == "not_yet"
    assert Problem.THEMATIC not in row.problems
    # From 1 March the quarter's last month has begun: flagged.
    row = rows_by_code(build_board(c1, period, today=dt.date(2025, 3, 1)))["K1"]
    assert row.thematic == "missing"
    assert Problem.THEMATIC in row.problems
    # Held in March, it counts on January's board too (the quarter's).
    meeting(k1, MeetingKind.THEMATIC, month=3, on=dt.date(2025, 3, 31))
    meeting(k2, MeetingKind.THEMATIC, month=3, status=MeetingStatus.CANCELLED)
    rows = rows_by_code(build_board(c1, period, today=dt.date(2025, 3, 1)))
    assert rows["K1"].thematic == "held"
    assert rows["K2"].thematic == "missing"  # a cancelled one does not count
    # A quarter still to come.
    row = rows_by_code(build_board(c1, Period(Y, 4), today=dt.date(2025, 3, 1)))["K1"]
    assert row.thematic == "none"


def test_a_planned_thematic_meeting_then_its_date_passing(c1, k1):
    meeting(k1, MeetingKind.THEMATIC, MeetingStatus.PLANNED, month=2, on=dt.date(2025, 2, 14))
    row = rows_by_code(build_board(c1, Period(Y, 2), today=dt.date(2025, 2, 1)))["K1"]
    assert row.thematic == "planned"
    assert Problem.THEMATIC not in row.problems
    row = rows_by_code(build_board(c1, Period(Y, 2), today=dt.date(2025, 2, 15)))["K1"]
    assert row.thematic == "overdue"
    assert Problem.THEMATIC in row.problems


# ---- visits ------------------------------------------------------------------------------------


def test_visits_this_quarter_against_the_rule(c1, k1, k2, world):
    who = world.user("committee_c1")
    visit(k1, who, dt.date(2025, 3, 31))  # the quarter's last day: counts for Q1
    visit(k2, who, dt.date(2025, 4, 1))  # the next quarter's first day: not Q1
    visit(k2, who, dt.date(2025, 2, 10), status=VisitStatus.PLANNED)  # never reported
    rows = rows_by_code(build_board(c1, Period(Y, 2), today=dt.date(2025, 3, 15)))
    assert (rows["K1"].visits_done, rows["K1"].visits_required) == (1, 1)
    assert rows["K1"].visited
    assert Problem.VISIT not in rows["K1"].problems
    assert (rows["K2"].visits_done, rows["K2"].visits_planned) == (0, 1)
    assert Problem.VISIT in rows["K2"].problems
    # Early in the quarter a cell not visited yet is shown, not flagged.
    rows = rows_by_code(build_board(c1, Period(Y, 2), today=dt.date(2025, 2, 15)))
    assert not rows["K2"].visited
    assert Problem.VISIT not in rows["K2"].problems
    # The commune's rule: twice a quarter.
    VisitPolicy.objects.create(
        province_id=c1.province_id, organization=c1, visits_per_quarter=2,
        effective_from=dt.date(2025, 1, 1),
    )  # fmt: skip
    rows = rows_by_code(build_board(c1, Period(Y, 2), today=dt.date(2025, 3, 15)))
    assert (rows["K1"].visits_done, rows["K1"].visits_required) == (1, 2)
    assert Problem.VISIT in rows["K1"].problems


# ---- quality ------------------------------------------------------------------------------------


def test_the_quality_level_below_fair_is_flagged(c1, k1, k2):
    score(meeting(k1, month=3), QualityLevel.AVERAGE)
    score(meeting(k2, month=3), QualityLevel.FAIR, "75")
    rows = rows_by_code(build_board(c1, Period(Y, 3), today=dt.date(2025, 4, 2)))
    assert rows["K1"].level == QualityLevel.AVERAGE
    assert Problem.LEVEL in rows["K1"].problems
    assert rows["K1"].remindable == [p for p in rows["K1"].problems if p != Problem.LEVEL]
    assert rows["K2"].level == QualityLevel.FAIR
    assert Problem.LEVEL not in rows["K2"].problems


# ---- totals and filters --------------------------------------------------------------------------


def test_totals_with_percentages_and_the_problem_filters(c1, k1, k2, world):
    score(meeting(k1, month=3), QualityLevel.GOOD, "95")
    meeting(k1, MeetingKind.THEMATIC, month=1)
    meeting(k2, month=3, status=MeetingStatus.IN_PROGRESS)
    visit(k1, world.user("committee_c1"), dt.date(2025, 2, 3))
    board = build_board(c1, Period(Y, 3), today=dt.date(2025, 4, 2))
    t = board.totals
    assert (t["cells"], t["held"], t["held_pct"]) == (2, 2, 100)
    assert (t["approved"], t["approved_pct"]) == (1, 50)
    assert (t["thematic"], t["thematic_pct"]) == (1, 50)
    assert (t["visited"], t["visited_pct"]) == (1, 50)
    assert (t["scored"], t["below"]) == (1, 0)
    assert {lv["level"]: lv["n"] for lv in t["levels"]}[QualityLevel.GOOD] == 1
    assert (t["problems"], t["problems_pct"]) == (1, 50)
    assert [r.cell.code for r in board.filtered("any")] == ["K2"]
    assert [r.cell.code for r in board.filtered(Problem.VISIT)] == ["K2"]
    assert [r.cell.code for r in board.filtered("")] == ["K1", "K2"]
    assert board.filtered(Problem.LEVEL) == []


# ---- the page -------------------------------------------------------------------------------------


def board_url(org, **params):
    query = "&".join(f"{k}={v}" for k, v in {"year": Y, "month": 3, **params}.items())
    return reverse("oversight:board", args=[org.uuid]) + "?" + query


def cell_states(body: str, col: str) -> dict:
    """{cell uuid: state} of one column of the board."""
    out = {}
    for row in re.findall(r'<tr data-cell="([0-9a-f-]+)"[^>]*>(.*?)</tr>', body, re.S):
        m = re.search(rf'data-col="{col}" data-state="(\w+)"', row[1])
        out[row[0]] = m.group(1)
    return out


def test_staff_see_the_board_with_reminder_buttons(login, c1, k1, k2):
    meeting(k1, month=3)
    r = login("staff_c1").get(board_url(c1))
    assert r.status_code == 200
    body = r.content.decode()
    states = cell_states(body, "regular")
    assert states == {str(k1.uuid): "approved", str(k2.uuid): "missing"}
    assert "Chi bộ thôn Tây" in body and "Chi bộ tổ dân phố 1" not in body
    assert reverse("oversight:board_remind", args=[c1.uuid]) in body
    assert reverse("oversight:board_remind_all", args=[c1.uuid]) in body
    # Drill down: the cell's calendar, the meeting page.
    assert reverse("meetings:cell_calendar", args=[k1.uuid]) + "?year=2025" in body
    assert reverse("meetings:detail", args=[k1.meetings.get().uuid]) in body


def test_committee_members_read_the_board_without_reminders(login, c1):
    r = login("committee_c1").get(board_url(c1))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Chi bộ thôn Đông" in body
    assert reverse("oversight:board_remind", args=[c1.uuid]) not in body
    assert reverse("oversight:board_remind_all", args=[c1.uuid]) not in body


@pytest.mark.parametrize("user", ["secretary_k1", "member_k1", "staff_p2", "nobody"])
def test_the_board_of_a_commune_is_404_outside_its_scope(login, c1, user):
    assert login(user).get(board_url(c1)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, c1):
    r = client.get(board_url(c1))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("accounts:login"))


def test_a_province_board_groups_the_cells_under_their_committee(login, world):
    body = login("staff_p1").get(board_url(world.org("P1"))).content.decode()
    assert body.index("Đảng bộ phường Bắc Sơn") < body.index("Chi bộ tổ dân phố 1")
    assert body.index("Đảng bộ xã An Bình") < body.index("Chi bộ thôn Đông")
    assert "Chi bộ thôn Trung" not in body  # another province


def test_only_problems_filter_on_the_page(login, c1, k1, k2, world):
    meeting(k1, month=3)
    meeting(k1, MeetingKind.THEMATIC, month=2)
    visit(k1, world.user("committee_c1"), dt.date(2025, 3, 3))
    body = login("staff_c1").get(board_url(c1, problem="any")).content.decode()
    assert list(cell_states(body, "regular")) == [str(k2.uuid)]
    body = login("staff_c1").get(board_url(c1, problem="visit")).content.decode()
    assert list(cell_states(body, "visits")) == [str(k2.uuid)]
    # Totals are still those of every cell.
    assert "2 cells" in body


def test_the_board_is_paged(login, c1, monkeypatch):
    monkeypatch.setattr("oversight.views_board.PAGE_SIZE", 2)
    new_cells(c1, 3)
    client = login("staff_c1")
    first = cell_states(client.get(board_url(c1)).content.decode(), "regular")
    second = cell_states(client.get(board_url(c1, page=2)).content.decode(), "regular")
    third = cell_states(client.get(board_url(c1, page=3)).content.decode(), "regular")
    assert (len(first), len(second), len(third)) == (2, 2, 1)
    assert not set(first) & set(second)


def test_the_board_costs_the_same_queries_for_3_or_30_cells(
    login, c1, world, django_assert_num_queries
):
    client = login("staff_c1")
    new_cells(c1, 1)
    cells = [world.org("K1"), world.org("K2")]
    for cell in cells:
        meeting(cell, month=3)
    with django_assert_num_queries(QUERIES):
        r = client.get(board_url(c1))
    assert len(cell_states(r.content.decode(), "regular")) == 3
    committee = world.user("committee_c1")
    for i, cell in enumerate(new_cells(c1, 27, prefix="Y")):
        m = meeting(
            cell, month=3, status=MeetingStatus.IN_PROGRESS if i % 2 else MeetingStatus.APPROVED
        )
        meeting(cell, MeetingKind.THEMATIC, month=1)
        visit(cell, committee, dt.date(2025, 3, 2))
        score(m, QualityLevel.WEAK if i % 3 else QualityLevel.GOOD)
    board_module.send_reminders(
        build_board(c1, Period(Y, 3)), build_board(c1, Period(Y, 3)).rows, by=None
    )
    with django_assert_num_queries(QUERIES):
        r = client.get(board_url(c1))
    assert len(cell_states(r.content.decode(), "regular")) == 30
    with django_assert_num_queries(QUERIES):
        client.get(board_url(c1, problem="any", type="village"))


# session, user, scope, the committee, cells, parents, meetings, visits_due (4: cells, the rules
# above and below, counts), planned visits, scores, reminders, the breadcrumbs' ancestors.
QUERIES = 15
