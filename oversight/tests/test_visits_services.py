"""The life of a visit: who may plan one and as what, the report's checks, the supervisor guest on
the meeting, cancelling, and the e-mails to the cell and the committee."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from meetings import followers
from meetings import services as meeting_services
from meetings.models import Guest, Meeting
from meetings.tests import targets
from oversight import following, services
from oversight.models import Visit, VisitKind, VisitNotice, VisitStatus
from quality.models import Criterion, CriterionGroup, Rubric

D = dt.date


@pytest.fixture(autouse=True)
def english():
    """Messages matched in English (the site's default language is Vietnamese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def meeting(world):
    """K1's regular meeting of September 2025 (the 5th, 19:30), in the past."""
    return targets.meeting_in(world, "K1")


@pytest.fixture
def committee_c1(world):
    return world.user("committee_c1")


@pytest.fixture
def with_emails(world):
    for name in ("secretary_k1", "staff_c1", "staff_p1", "committee_c1"):
        u = world.user(name)
        u.email = f"{name}@example.vn"
        u.save()


@pytest.fixture
def rubric(world):
    p1 = world.org("P1")
    r = Rubric.objects.create(
        province=p1,
        organization=p1,
        kind="regular",
        name="Phiếu chấm 100 điểm",
        effective_from=D(2025, 1, 1),
        good_from=90,
        fair_from=70,
        average_from=50,
    )
    g = CriterionGroup.objects.create(province=p1, rubric=r, order=1, name="Toàn bộ")
    Criterion.objects.create(province=p1, group=g, order=1, text="Chất lượng", max_points=100)
    return r


def future_meeting(world, code="K1", days=10):
    day = timezone.localdate() + dt.timedelta(days=days)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(19, 30)))
    return meeting_services.plan_meeting(world.org(code), kind="extraordinary", scheduled_at=at)


def plan(meeting, user, **kw):
    return services.plan_visit(meeting.organization, user, meeting=meeting, send=False, **kw)


def report(visit, **kw):
    kw.setdefault("reported_on", D(2025, 9, 6))
    kw.setdefault("strengths", "Chuẩn bị chu đáo")
    return services.report_visit(visit, send=False, **kw)


# ---- planning ---------------------------------------------------------------------------------


def test_a_committee_member_above_plans_a_visit_as_other_cadre(world, meeting, committee_c1):
    v = plan(meeting, committee_c1)
    assert (v.cell, v.kind, v.planned_on, v.status) == (
        world.org("K1"),
        VisitKind.OTHER,
        D(2025, 9, 5),
        VisitStatus.PLANNED,
    )
    assert v.history.first().history_user == committee_c1


def test_an_assigned_follower_visits_as_the_supervisor(world, meeting, committee_c1):
    followers.assign_follower(world.org("K1"), committee_c1, D(2025, 7, 1))
    assert plan(meeting, committee_c1).kind == VisitKind.SUPERVISOR


def test_a_working_group_member_visits_for_the_group(world, meeting, committee_c1):
    g = following.create_group(
        world.org("C1"),
        name="Tổ công tác số 1",
        members=[committee_c1],
        cells=[world.org("K1")],
        valid_from=D(2025, 1, 1),
    )
    v = plan(meeting, committee_c1, kind=VisitKind.WORKING_GROUP)
    assert (v.kind, v.group) == (VisitKind.WORKING_GROUP, g)


def test_a_cross_attending_secretary_visits_another_cell(world):
    k2_meeting = targets.meeting_in(world, "K2")
    secretary = world.user("secretary_k1")
    following.create_cross(
        world.org("C1"),
        visitor=secretary,
        from_cell=world.org("K1"),
        cell=world.org("K2"),
        valid_from=D(2025, 1, 1),
    )
    assert plan(k2_meeting, secretary).kind == VisitKind.CROSS


@pytest.mark.parametrize("username", ["secretary_k1", "member_k1", "staff_p2", "admin", "nobody"])
def test_who_neither_follows_nor_sits_above_may_not_visit(world, meeting, username):
    with pytest.raises(ValidationError):
        plan(meeting, world.user(username))
    assert not Visit.objects.exists()


def test_a_follower_whose_period_ended_may_not_visit_as_such(world, meeting, committee_c1):
    followers.assign_follower(world.org("K1"), committee_c1, D(2025, 1, 1), D(2025, 8, 31))
    assert plan(meeting, committee_c1).kind == VisitKind.OTHER  # still a role above
    with pytest.raises(ValidationError):
        services.plan_visit(
            world.org("K1"),
            committee_c1,
            planned_on=D(2025, 10, 5),
            kind=VisitKind.SUPERVISOR,
            send=False,
        )


def test_once_per_visitor_and_meeting_until_cancelled(world, meeting, committee_c1):
    v = plan(meeting, committee_c1)
    with pytest.raises(ValidationError, match="already registered"):
        plan(meeting, committee_c1)
    services.cancel_visit(v, reason="Trùng lịch", send=False)
    assert plan(meeting, committee_c1).status == VisitStatus.PLANNED


def test_not_a_cell_committee_meeting_nor_another_cells(world, meeting, committee_c1):
    with pytest.raises(ValidationError):
        services.plan_visit(world.org("K2"), committee_c1, meeting=meeting, send=False)
    committee = meeting_services.plan_meeting(
        world.org("K1"),
        kind="committee",
        scheduled_at=meeting.scheduled_at - dt.timedelta(days=3),
        prepares=meeting,
    )
    with pytest.raises(ValidationError, match="committee meeting"):
        plan(committee, committee_c1)


def test_not_a_cancelled_meeting(world, committee_c1):
    m = future_meeting(world)
    meeting_services.cancel(m, reason="Bão")
    with pytest.raises(ValidationError, match="cancelled"):
        plan(m, committee_c1)


def test_without_a_meeting_a_visit_needs_a_date(world, committee_c1):
    with pytest.raises(ValidationError):
        services.plan_visit(world.org("K1"), committee_c1, send=False)
    v = services.plan_visit(world.org("K1"), committee_c1, planned_on=D(2025, 8, 20), send=False)
    assert (v.meeting, v.planned_on) == (None, D(2025, 8, 20))


# ---- the report -------------------------------------------------------------------------------


def test_the_report_is_kept_and_the_visitor_is_a_supervisor_guest(world, meeting, committee_c1):
    v = report(
        plan(meeting, committee_c1),
        observed_level="fair",
        shortcomings="Ít đảng viên phát biểu",
        recommendations="Chuẩn bị nội dung kỹ hơn",
    )
    v.refresh_from_db()
    assert (v.status, v.reported_on, v.observed_level) == (
        VisitStatus.REPORTED,
        D(2025, 9, 6),
        "fair",
    )
    guest = Guest.objects.get(meeting=meeting)
    assert guest.is_supervisor and guest.name == committee_c1.display_name()


def test_a_guest_of_the_same_name_is_flagged_not_duplicated(world, meeting, committee_c1):
    Guest.objects.create(
        province=meeting.province, meeting=meeting, name=committee_c1.display_name()
    )
    report(plan(meeting, committee_c1))
    assert Guest.objects.get(meeting=meeting).is_supervisor


def test_approved_minutes_are_not_changed(world, committee_c1):
    meeting = targets.task_in(world, "K1").resolution.meeting  # held in August
    Meeting.objects.filter(pk=meeting.pk).update(status="approved")
    meeting.refresh_from_db()
    report(plan(meeting, committee_c1), reported_on=D(2025, 8, 10))
    assert not meeting.guests.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (D(2025, 9, 4), "before the visit"),
        (timezone.localdate() + dt.timedelta(days=1), "future"),
    ],
)
def test_the_report_date_is_between_the_meeting_and_today(
    world, meeting, committee_c1, day, message
):
    v = plan(meeting, committee_c1)
    with pytest.raises(ValidationError, match=message):
        report(v, reported_on=day)
    v.refresh_from_db()
    assert v.status == VisitStatus.PLANNED and not meeting.guests.exists()


def test_the_report_may_be_dated_the_day_of_the_meeting(world, meeting, committee_c1):
    assert report(plan(meeting, committee_c1), reported_on=D(2025, 9, 5)).status == "reported"


def test_no_report_before_the_meeting_has_taken_place(world, committee_c1):
    v = plan(future_meeting(world), committee_c1)
    with pytest.raises(ValidationError, match="not taken place"):
        report(v, reported_on=timezone.localdate())


def test_an_empty_report_is_refused(world, meeting, committee_c1):
    with pytest.raises(ValidationError, match="Write what you found"):
        report(plan(meeting, committee_c1), strengths="  ")


@pytest.mark.parametrize(
    ("total", "level", "ok"),
    [
        ("92", "good", True),
        ("92", "fair", True),  # good drops to fair when a required criterion missed points
        ("92", "average", False),
        ("75", "good", False),
        ("75", "fair", True),
        ("49.5", "weak", True),
        ("50", "weak", False),
    ],
)
def test_the_level_agrees_with_the_score_under_the_rubric(
    world, meeting, committee_c1, rubric, total, level, ok
):
    v = plan(meeting, committee_c1)
    if ok:
        assert (
            report(v, observed_total=Decimal(total), observed_level=level).observed_level == level
        )
    else:
        with pytest.raises(ValidationError) as e:
            report(v, observed_total=Decimal(total), observed_level=level)
        assert "observed_level" in e.value.error_dict


def test_a_score_without_a_level_gets_the_level_of_the_score(world, meeting, committee_c1, rubric):
    v = report(plan(meeting, committee_c1), observed_total=Decimal("71"))
    assert v.observed_level == "fair"


def test_a_score_above_the_sheets_maximum_is_refused(world, meeting, committee_c1, rubric):
    with pytest.raises(ValidationError) as e:
        report(plan(meeting, committee_c1), observed_total=Decimal("101"), observed_level="good")
    assert "observed_total" in e.value.error_dict


def test_without_a_rubric_any_level_is_accepted(world, meeting, committee_c1):
    v = report(plan(meeting, committee_c1), observed_total=Decimal("95"), observed_level="average")
    assert v.observed_level == "average"


def test_a_rubric_from_after_the_meeting_does_not_judge_it(world, meeting, committee_c1, rubric):
    rubric.effective_from = D(2025, 10, 1)
    rubric.save()
    v = report(plan(meeting, committee_c1), observed_total=Decimal("95"), observed_level="weak")
    assert v.observed_level == "weak"


def test_a_reported_visit_may_be_corrected_and_keeps_its_history(world, meeting, committee_c1):
    v = report(plan(meeting, committee_c1))
    report(v, strengths="Sửa lại nhận xét")
    v.refresh_from_db()
    assert v.strengths == "Sửa lại nhận xét" and v.history.count() == 3
    assert meeting.guests.count() == 1


# ---- cancelling -------------------------------------------------------------------------------


def test_a_planned_visit_is_cancelled_with_a_reason(world, meeting, committee_c1):
    v = plan(meeting, committee_c1)
    with pytest.raises(ValidationError):
        services.cancel_visit(v, reason=" ", send=False)
    services.cancel_visit(v, reason="Trùng lịch họp", by=world.user("staff_c1"), send=False)
    v.refresh_from_db()
    assert (v.status, v.cancel_reason) == (VisitStatus.CANCELLED, "Trùng lịch họp")
    with pytest.raises(ValidationError):
        report(v)


def test_a_reported_visit_is_not_cancelled(world, meeting, committee_c1):
    v = report(plan(meeting, committee_c1))
    with pytest.raises(ValidationError):
        services.cancel_visit(v, reason="Nhầm", send=False)


# ---- notifications ----------------------------------------------------------------------------


def test_planning_tells_the_cell_secretary(
    world, meeting, committee_c1, with_emails, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        v = services.plan_visit(world.org("K1"), committee_c1, meeting=meeting)
    notice = VisitNotice.objects.get(visit=v)
    assert (notice.kind, notice.recipients) == ("planned", ["secretary_k1@example.vn"])
    assert notice.emailed_at is not None
    assert [m.to for m in mailoutbox] == [["secretary_k1@example.vn"]]
    assert world.org("K1").name in mailoutbox[0].subject


def test_the_report_tells_the_secretary_and_the_nearest_committee_staff(
    world, meeting, committee_c1, with_emails, mailoutbox, django_capture_on_commit_callbacks
):
    v = plan(meeting, committee_c1)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_visit(v, reported_on=D(2025, 9, 6), shortcomings="Thiếu dự thảo nghị quyết")
    notice = VisitNotice.objects.get(visit=v, kind="reported")
    assert notice.recipients == ["secretary_k1@example.vn", "staff_c1@example.vn"]
    assert "Thiếu dự thảo nghị quyết" in mailoutbox[0].body
    # A correction does not e-mail again.
    with django_capture_on_commit_callbacks(execute=True):
        services.report_visit(v, reported_on=D(2025, 9, 6), shortcomings="Sửa")
    assert len(mailoutbox) == 2


def test_the_visitor_is_not_told_about_their_own_visit(
    world, with_emails, mailoutbox, django_capture_on_commit_callbacks
):
    k2_meeting = targets.meeting_in(world, "K2")
    staff = world.user("staff_c1")
    with django_capture_on_commit_callbacks(execute=True):
        v = services.plan_visit(world.org("K2"), staff, meeting=k2_meeting)
        services.report_visit(v, reported_on=D(2025, 9, 6), strengths="Tốt")
    # K2 has no secretary; the report goes to C1's staff, who is the visitor: nobody.
    assert mailoutbox == []
    assert [n.recipients for n in VisitNotice.objects.filter(visit=v)] == [[], []]


def test_people_without_an_address_are_listed(
    world, meeting, committee_c1, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        v = services.plan_visit(world.org("K1"), committee_c1, meeting=meeting)
    notice = VisitNotice.objects.get(visit=v)
    assert notice.without_email == [world.user("secretary_k1").display_name()]
    assert notice.emailed_at is None
