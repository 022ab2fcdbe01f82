"""Self-score, who may confirm, confirmation, and the year (brief §2.7)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.access import Scope
from meetings.models import SupervisorAssignment
from oversight.models import Visit, VisitKind, VisitStatus
from quality import services
from quality.models import ConfirmerRole, QualityLevel, Rubric, ScoreStatus
from quality.tests.conftest import hold, manual_points

GOOD, FAIR, AVERAGE, WEAK = (
    QualityLevel.GOOD,
    QualityLevel.FAIR,
    QualityLevel.AVERAGE,
    QualityLevel.WEAK,
)
ALL_PASS = {  # checks under which every automatic criterion of the sheet passes
    "present": 3,
    "expected": 3,
    "committee_meeting_held": True,
    "documents": 1,
    "documents_late": [],
    "speakers": 2,
    "has_resolution": True,
}


def sheet(rubric):
    return services.with_sheet(Rubric.objects.filter(pk=rubric.pk)).get()


def approved(meeting, world, **checks):
    hold(meeting, world)
    meeting.checks.update(checks)
    meeting.save(update_fields=["checks"])
    return meeting


def scope(world, username):
    return Scope.for_user(world.user(username))


def test_self_score_takes_manual_points_and_fixed_automatic_results(september, rubric, world):
    approved(september, world)
    score = services.record_self_score(
        september, manual_points(rubric), by=world.user("secretary_k1"), on=dt.date(2025, 9, 6)
    )
    # Automatic: attendance 10 + unexcused 5 + consecutive 5 + duration 10 + minutes 5 = 35;
    # committee meeting, documents, speakers and resolution missed. Manual: 45.
    assert score.self_total == 80 and score.self_level == FAIR == score.final_level
    assert (score.status, score.organization, score.period_year, score.period_month) == (
        ScoreStatus.SELF_SCORED,
        september.organization,
        2025,
        9,
    )
    assert score.self_on == dt.date(2025, 9, 6) and score.self_by == world.user("secretary_k1")
    lines = {line.criterion.auto_rule: line for line in score.lines.select_related("criterion")}
    assert lines["duration"].auto_points == 10 and lines["duration"].self_points == 10
    assert lines["resolution"].auto_points == 0 and lines["resolution"].auto_reason
    assert score.lines.count() == len(sheet(rubric).all_criteria())


def test_good_needs_90_and_full_marks_on_the_must_max_criteria(september, rubric, world):
    approved(september, world, **{**ALL_PASS, "speakers": 0})
    score = services.record_self_score(september, manual_points(rubric), by=None)
    assert score.self_total == 95 and score.self_level == FAIR  # members speaking is a must
    september.checks["speakers"] = 1
    september.save(update_fields=["checks"])
    score = services.record_self_score(september, manual_points(rubric), by=None)
    assert score.self_total == 100 and score.self_level == GOOD


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11", "Give from 0 to 10 points."),
        ("-1", "Give from 0 to 10 points."),
        ("2.25", "Use at most one decimal, e.g. 2.5."),
        ("abc", "Enter a number."),
        ("", "Give the points for this criterion."),
    ],
)
def test_manual_points_must_be_within_the_criterion(september, rubric, world, value, message):
    approved(september, world)
    points = manual_points(rubric)
    ten = next(c for c in sheet(rubric).all_criteria() if c.max_points == 10 and not c.auto_rule)
    points[ten.pk] = value
    with pytest.raises(ValidationError) as e:
        services.record_self_score(september, points, by=None)
    assert e.value.message_dict == {services.field_name(ten.pk): [message]}
    assert not hasattr(september, "quality") or september.quality is None


def test_automatic_criteria_are_not_the_cells_to_set(september, rubric, world):
    approved(september, world)
    auto = next(c for c in sheet(rubric).all_criteria() if c.auto_rule)
    with pytest.raises(ValidationError) as e:
        services.record_self_score(september, {**manual_points(rubric), auto.pk: 0}, by=None)
    assert "only the level above may change them" in e.value.message_dict["points"][0]


def test_a_meeting_is_scored_only_once_its_minutes_are_approved(september, rubric, world):
    hold(september, world, approve=False)
    with pytest.raises(ValidationError) as e:
        services.record_self_score(september, manual_points(rubric), by=None)
    assert "not approved yet" in e.value.messages[0]


def test_no_rubric_in_force_on_the_meetings_date(september, world):
    approved(september, world)
    with pytest.raises(ValidationError) as e:
        services.record_self_score(september, {}, by=None)
    assert "No quality rubric of the province is in force on 05/09/2025" in e.value.messages[0]


# ---- who may confirm -------------------------------------------------------------------------


def test_the_committee_above_may_confirm(september, world):
    for username in ("staff_c1", "staff_p1", "admin"):
        role = services.may_confirm(scope(world, username), world.user(username), september)
        assert role == ConfirmerRole.COMMITTEE, username


def test_the_cells_own_secretary_and_readers_may_not(september, world):
    for username in ("secretary_k1", "member_k1", "committee_c1", "nobody"):
        assert services.may_confirm(scope(world, username), world.user(username), september) is None


def test_another_province_may_not(september, world):
    assert services.may_confirm(scope(world, "staff_p2"), world.user("staff_p2"), september) is None


def test_the_supervisor_following_the_cell_on_the_day_may(september, world, k1):
    user = world.user("committee_c1")
    assignment = SupervisorAssignment.objects.create(
        province_id=k1.province_id, user=user, organization=k1, valid_from=dt.date(2025, 1, 1)
    )
    assert services.may_confirm(scope(world, "committee_c1"), user, september) == (
        ConfirmerRole.SUPERVISOR
    )
    assignment.valid_to = dt.date(2025, 9, 4)  # ended the day before the meeting
    assignment.save()
    assert services.may_confirm(scope(world, "committee_c1"), user, september) is None


def test_an_attending_visitor_may_but_not_a_cross_attending_secretary(september, world, k1):
    user = world.user("committee_c1")
    visit = Visit.objects.create(
        province_id=k1.province_id,
        cell=k1,
        meeting=september,
        visitor=user,
        kind=VisitKind.SUPERVISOR,
        planned_on=dt.date(2025, 9, 5),
    )
    assert services.may_confirm(scope(world, "committee_c1"), user, september) == (
        ConfirmerRole.SUPERVISOR
    )
    visit.status = VisitStatus.CANCELLED
    visit.save()
    assert services.may_confirm(scope(world, "committee_c1"), user, september) is None
    secretary = world.user("secretary_k1")
    Visit.objects.create(
        province_id=k1.province_id,
        cell=k1,
        meeting=september,
        visitor=secretary,
        kind=VisitKind.CROSS,
        planned_on=dt.date(2025, 9, 5),
    )
    assert services.may_confirm(scope(world, "secretary_k1"), secretary, september) is None


# ---- confirmation ----------------------------------------------------------------------------


@pytest.fixture
def self_scored(september, rubric, world):
    approved(september, world)
    return services.record_self_score(
        september, manual_points(rubric), by=world.user("secretary_k1")
    )


def test_confirming_as_it_is(self_scored, world):
    score = services.confirm_score(
        self_scored, None, by=world.user("staff_c1"), role=ConfirmerRole.COMMITTEE
    )
    assert (score.status, score.confirmed_total, score.confirmed_level) == (
        ScoreStatus.CONFIRMED,
        80,
        FAIR,
    )
    assert score.confirmer_role == ConfirmerRole.COMMITTEE
    assert all(line.confirmed_points == line.self_points for line in score.lines.all())


def test_the_confirmed_level_is_final_and_the_self_column_is_kept(self_scored, rubric, world):
    manual = manual_points(rubric, value=Decimal(0))
    score = services.confirm_score(
        self_scored, manual, by=world.user("staff_c1"), role=ConfirmerRole.COMMITTEE
    )
    assert (score.confirmed_total, score.confirmed_level, score.final_level) == (35, WEAK, WEAK)
    assert (score.self_total, score.self_level) == (80, FAIR)
    with pytest.raises(ValidationError) as e:
        services.record_self_score(score.meeting, manual_points(rubric), by=None)
    assert "can no longer change it" in e.value.messages[0]


def test_changing_an_automatic_result_needs_a_remark(self_scored, rubric, world):
    resolution = next(c for c in sheet(rubric).all_criteria() if c.auto_rule == "resolution")
    with pytest.raises(ValidationError) as e:
        services.confirm_score(
            self_scored, {resolution.pk: 5}, by=None, role=ConfirmerRole.SUPERVISOR
        )
    assert list(e.value.message_dict) == ["note"]
    self_scored.refresh_from_db()
    assert self_scored.status == ScoreStatus.SELF_SCORED
    score = services.confirm_score(
        self_scored,
        {resolution.pk: 5},
        by=None,
        role=ConfirmerRole.SUPERVISOR,
        note="Chi bộ có kết luận, biên bản ghi thiếu.",
    )
    assert score.confirmed_total == 85 and score.confirm_note.startswith("Chi bộ")


def test_a_supervisor_may_give_only_a_total(self_scored, world):
    score = services.confirm_score(
        self_scored, None, by=None, role=ConfirmerRole.SUPERVISOR, total="92"
    )
    # 92 points, but the self column missed members speaking (a must for good): fair.
    assert (score.confirmed_total, score.confirmed_level) == (92, FAIR)
    assert all(line.confirmed_points is None for line in score.lines.all())
    with pytest.raises(ValidationError):
        services.confirm_score(self_scored, None, by=None, role="committee", total="101")
    with pytest.raises(ValidationError):
        services.confirm_score(self_scored, {}, by=None, role="committee", total="90")


# ---- the year --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "year"),
    [
        ([GOOD] * 7 + [FAIR] * 5, GOOD),
        ([GOOD] * 6 + [FAIR] * 6, FAIR),  # 6 good meetings are not enough
        ([GOOD] * 11 + [AVERAGE], FAIR),  # one average meeting: not good
        ([GOOD] * 11 + [WEAK], AVERAGE),
        ([FAIR] * 12, FAIR),
        ([], ""),
    ],
)
def test_the_annual_rule(rubric, levels, year):
    assert services.year_level(rubric, levels) == year
