"""Deadlines of the pipeline at their boundaries, holidays (lunar Tết) included."""

import datetime as dt

import pytest

from admissions import deadlines
from admissions.models import Candidate, Stage, add_months
from members.models import Member, MemberStatus

D = dt.date


def test_ceremony_deadline_skips_tet_2025():
    # Decision received Friday 24/01/2025; Tết At Ty closes offices 27/01–31/01 (with the
    # weekends 25/01–02/02). 30 working days end on 14/03/2025, a week later than 07/03
    # which plain weekdays would give.
    assert deadlines.ceremony_deadline(D(2025, 1, 24)) == D(2025, 3, 14)


def test_ceremony_deadline_counts_from_the_next_working_day_and_skips_hung_kings_day():
    # Received Friday 07/03/2025: Monday 10/03 is day 1; 07/04 (Hùng Kings) is not counted.
    assert deadlines.ceremony_deadline(D(2025, 3, 7)) == D(2025, 4, 21)


def test_ceremony_deadline_skips_30_4_and_1_5():
    # From 01/04/2025: 07/04, 30/04, 01/05 and the 02/05 bridge day are holidays.
    assert deadlines.ceremony_deadline(D(2025, 4, 1)) == D(2025, 5, 19)


def candidate(stage, **kw) -> Candidate:
    return Candidate(stage=stage, stage_on=D(2025, 1, 1), **kw)


def test_ceremony_due_is_overdue_only_the_day_after_the_last_day():
    c = candidate(Stage.DECIDED, decision_received_on=D(2025, 1, 24))
    on_time = deadlines.due_for(c, D(2025, 3, 14))
    assert on_time.due_on == D(2025, 3, 14) and not on_time.overdue
    assert deadlines.due_for(c, D(2025, 3, 15)).overdue


def test_ceremony_was_late():
    c = candidate(Stage.PROBATION, decision_received_on=D(2025, 1, 24), ceremony_on=D(2025, 3, 14))
    assert not deadlines.ceremony_was_late(c)
    c.ceremony_on = D(2025, 3, 17)
    assert deadlines.ceremony_was_late(c)


def test_probation_ends_12_months_after_the_ceremony():
    assert deadlines.probation_end(D(2025, 6, 1)) == D(2026, 6, 1)
    assert deadlines.probation_end(D(2024, 2, 29)) == D(2025, 2, 28)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2023, 6, 1), -12) == D(2022, 6, 1)


def test_recognition_window_opens_at_the_end_of_probation_and_lasts_30_working_days():
    # Ceremony 24/01/2024 → probation ends 24/01/2025 (Friday before Tết) → the 30 working
    # days of the recognition window end on 14/03/2025.
    c = candidate(Stage.PROBATION, ceremony_on=D(2024, 1, 24))
    due = deadlines.due_for(c, D(2025, 3, 14))
    assert (due.opens_on, due.due_on, due.overdue) == (D(2025, 1, 24), D(2025, 3, 14), False)
    assert deadlines.due_for(c, D(2025, 3, 15)).overdue


def test_recognition_window_of_a_member_without_a_candidacy():
    m = Member(status=MemberStatus.PROBATIONARY, ceremony_date=D(2025, 6, 1))
    due = deadlines.due_for_member(m, D(2026, 7, 13))
    # 01/06/2026 is a Monday; 30 working days (no holiday in June–July) → 13/07/2026.
    assert (due.opens_on, due.due_on, due.overdue) == (D(2026, 6, 1), D(2026, 7, 13), False)
    assert deadlines.due_for_member(m, D(2026, 7, 14)).overdue
    m.status = MemberStatus.OFFICIAL
    assert deadlines.due_for_member(m, D(2026, 7, 14)) is None


@pytest.mark.parametrize(
    ("stage", "flagged"),
    [(Stage.RECOGNITION_VOTED, False), (Stage.REFERRED, True)],
)
def test_waiting_for_the_upper_committee_has_no_deadline(stage, flagged):
    due = deadlines.due_for(candidate(stage, ceremony_on=D(2024, 1, 1)), D(2030, 1, 1))
    assert due.due_on is None and not due.overdue and due.flagged is flagged


def test_early_stages_have_nothing_dated():
    assert deadlines.due_for(candidate(Stage.LISTED), D(2030, 1, 1)) is None
    assert deadlines.due_for(candidate(Stage.OFFICIAL), D(2030, 1, 1)) is None
