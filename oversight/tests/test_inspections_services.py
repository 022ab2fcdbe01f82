"""Inspection and supervision services: the yearly plan, the subject rules, each transition
and its refusals, follow-up items and what counts as overdue."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from members.models import MemberStatus
from oversight import services_inspections as services
from oversight.models import FollowUp, Inspection, InspectionPlan, InspectionStatus


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def c1(world):
    return world.org("C1")


def plan_inspection(world, committee="C1", subject="K1", member=None, **kw):
    c = world.org(committee)
    args = {
        "kind": "inspection",
        "topic": "Lãnh đạo sinh hoạt chi bộ",
        "planned_from": timezone.localdate() - dt.timedelta(days=30),
    }
    if member:
        args["subject_member"] = world.member(member, subject)
    else:
        args["subject_org"] = world.org(subject)
    args.update(kw)
    return services.create_inspection(c, by=world.user("staff_c1"), **args)


def concluded(world, **kw):
    today = timezone.localdate()
    i = plan_inspection(world, **kw)
    i = services.start_inspection(i, on=today - dt.timedelta(days=20))
    return services.conclude_inspection(
        i, on=today - dt.timedelta(days=5), conclusion="Chi bộ cần khắc phục", number="12-KL/ĐU"
    )


def messages_of(e: ValidationError) -> str:
    return " ".join(e.messages)


# ---- the plan --------------------------------------------------------------------------------


def test_a_committee_adopts_one_plan_a_year(world, c1, today):
    plan = services.adopt_plan(
        c1, year=today.year, number="05-CTr/ĐU", approved_on=today, summary=" Kiểm tra 3 chi bộ "
    )
    assert (plan.organization, plan.year, plan.summary) == (c1, today.year, "Kiểm tra 3 chi bộ")
    assert plan.province == world.org("P1")
    with pytest.raises(ValidationError) as e:
        services.adopt_plan(c1, year=today.year)
    assert "year" in e.value.message_dict
    assert InspectionPlan.objects.filter(organization=c1).count() == 1
    # Another year, or another committee, is fine.
    services.adopt_plan(c1, year=today.year + 1)
    services.adopt_plan(world.org("K1"), year=today.year)


def test_a_plan_is_adopted_the_year_before_or_in_its_year_and_not_in_the_future(c1, today):
    services.adopt_plan(c1, year=today.year, approved_on=dt.date(today.year - 1, 12, 20))
    with pytest.raises(ValidationError) as e:
        services.adopt_plan(c1, year=today.year + 1, approved_on=dt.date(today.year - 1, 12, 1))
    assert "approved_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.adopt_plan(c1, year=today.year + 1, approved_on=today + dt.timedelta(days=1))
    assert "approved_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.adopt_plan(c1, year=1999)
    assert "year" in e.value.message_dict
    with pytest.raises(ValidationError):
        services.adopt_plan(c1, year=today.year + 2)


def test_a_party_group_has_no_plan(world, today):
    with pytest.raises(ValidationError):
        services.adopt_plan(world.org("T1"), year=today.year)


def test_a_plan_year_cannot_move_away_from_its_inspections(world, c1, today):
    plan = services.adopt_plan(c1, year=today.year)
    plan_inspection(world, plan=plan, planned_from=dt.date(today.year, 1, 15))
    services.update_plan(plan, year=today.year, number="7-CTr/ĐU")
    plan.refresh_from_db()
    assert plan.number == "7-CTr/ĐU"
    with pytest.raises(ValidationError) as e:
        services.update_plan(plan, year=today.year - 1)
    assert "year" in e.value.message_dict


# ---- creating an inspection ------------------------------------------------------------------


def test_an_organization_below_is_inspected(world):
    i = plan_inspection(world, subject="K2")
    assert (i.organization.code, i.subject_org.code, i.subject_member) == ("C1", "K2", None)
    assert i.status == InspectionStatus.PLANNED
    assert i.province == world.org("P1")
    assert i.created_by == world.user("staff_c1")


def test_a_member_is_inspected_through_their_cell(world):
    i = plan_inspection(world, member="Trần Thị Hoa", subject="K1")
    assert i.subject_org == world.org("K1")
    assert i.subject_name == "Trần Thị Hoa (Chi bộ thôn Đông)"


def test_a_cell_committee_inspects_its_own_members_but_not_itself(world):
    i = plan_inspection(world, committee="K1", member="Trần Thị Hoa", subject="K1")
    assert i.organization == i.subject_org == world.org("K1")
    with pytest.raises(ValidationError) as e:
        plan_inspection(world, committee="K1", subject="K1")
    assert "subject_org" in e.value.message_dict


@pytest.mark.parametrize(
    ("committee", "subject", "member"),
    [
        ("C1", "C1", None),  # itself
        ("C1", "K3", None),  # another commune's cell
        ("C1", "P1", None),  # above it
        ("C1", "K4", None),  # another province
        ("C1", "K3", "Vũ Thị Mai"),  # a member of another commune's cell
        ("K1", "K2", "Hoàng Văn Bình"),  # a cell committee and a sibling cell's member
    ],
)
def test_the_subject_must_be_below_the_committee(world, committee, subject, member):
    with pytest.raises(ValidationError) as e:
        plan_inspection(world, committee=committee, subject=subject, member=member)
    field = "subject_member" if member else "subject_org"
    assert field in e.value.message_dict
    assert world.org(committee).name in messages_of(e.value)
    assert not Inspection.objects.exists()


def test_one_subject_only(world):
    c1 = world.org("C1")
    common = {"kind": "inspection", "topic": "X", "planned_from": timezone.localdate()}
    with pytest.raises(ValidationError):
        services.create_inspection(c1, **common)
    with pytest.raises(ValidationError):
        services.create_inspection(
            c1,
            subject_org=world.org("K1"),
            subject_member=world.member("Trần Thị Hoa", "K1"),
            **common,
        )


def test_a_member_who_left_is_not_inspected(world):
    member = world.member("Trần Thị Hoa", "K1")
    member.status = MemberStatus.LEFT
    member.save()
    with pytest.raises(ValidationError) as e:
        plan_inspection(world, member="Trần Thị Hoa", subject="K1")
    assert "subject_member" in e.value.message_dict


def test_a_dissolved_organization_is_not_inspected(world, today):
    k2 = world.org("K2")
    k2.dissolved_on = today - dt.timedelta(days=1)
    k2.save()
    with pytest.raises(ValidationError):
        plan_inspection(world, subject="K2")


def test_planned_dates_in_order_and_topic_and_kind_required(world, today):
    with pytest.raises(ValidationError) as e:
        plan_inspection(world, planned_from=today, planned_to=today - dt.timedelta(days=1))
    assert "planned_to" in e.value.message_dict
    plan_inspection(world, planned_from=today, planned_to=today)  # one day is fine
    with pytest.raises(ValidationError) as e:
        plan_inspection(world, topic="  ")
    assert "topic" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        plan_inspection(world, kind="audit")
    assert "kind" in e.value.message_dict


def test_an_inspection_in_a_plan_must_be_of_the_committee_and_of_its_year(world, c1, today):
    plan = services.adopt_plan(c1, year=today.year)
    i = plan_inspection(world, plan=plan, planned_from=dt.date(today.year, 2, 1))
    assert i.plan == plan
    with pytest.raises(ValidationError) as e:
        plan_inspection(world, plan=plan, planned_from=dt.date(today.year - 1, 12, 1))
    assert "plan" in e.value.message_dict
    other = services.adopt_plan(world.org("C2"), year=today.year)
    with pytest.raises(ValidationError) as e:
        plan_inspection(world, plan=other, planned_from=dt.date(today.year, 2, 1))
    assert "plan" in e.value.message_dict


# ---- transitions -----------------------------------------------------------------------------


def test_planned_then_in_progress_then_concluded(world, today):
    i = plan_inspection(world)
    i = services.start_inspection(i, on=today - dt.timedelta(days=3))
    assert (i.status, i.started_on) == (InspectionStatus.IN_PROGRESS, today - dt.timedelta(days=3))
    i = services.conclude_inspection(
        i, on=today, conclusion=" Có vi phạm ", number="3-KL/ĐU", violation_found=True
    )
    i.refresh_from_db()
    assert i.status == InspectionStatus.CONCLUDED
    assert (i.concluded_on, i.conclusion, i.conclusion_no, i.violation_found) == (
        today,
        "Có vi phạm",
        "3-KL/ĐU",
        True,
    )
    assert i.history.count() == 3


def test_start_is_refused_unless_planned_or_in_the_future(world, today):
    i = plan_inspection(world)
    with pytest.raises(ValidationError) as e:
        services.start_inspection(i, on=today + dt.timedelta(days=1))
    assert "started_on" in e.value.message_dict
    services.start_inspection(i, on=today)
    with translation.override("en"), pytest.raises(ValidationError) as e:
        services.start_inspection(i, on=today)
    assert messages_of(e.value) == "This inspection is in progress: it cannot be started."


def test_conclude_is_refused_before_the_start_without_text_or_out_of_order(world, today):
    i = plan_inspection(world)
    with pytest.raises(ValidationError):  # not started
        services.conclude_inspection(i, on=today, conclusion="X")
    services.start_inspection(i, on=today - dt.timedelta(days=2))
    with pytest.raises(ValidationError) as e:
        services.conclude_inspection(i, on=today, conclusion="  ")
    assert "conclusion" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.conclude_inspection(i, on=today - dt.timedelta(days=3), conclusion="X")
    assert "concluded_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.conclude_inspection(i, on=today + dt.timedelta(days=1), conclusion="X")
    assert "concluded_on" in e.value.message_dict
    i.refresh_from_db()
    assert i.status == InspectionStatus.IN_PROGRESS and not i.conclusion
    services.conclude_inspection(i, on=today - dt.timedelta(days=2), conclusion="X")  # same day
    with pytest.raises(ValidationError):
        services.conclude_inspection(i, on=today, conclusion="Y")


# ---- follow-up -------------------------------------------------------------------------------


def test_follow_up_items_come_after_the_conclusion(world, today):
    i = plan_inspection(world)
    with pytest.raises(ValidationError):
        services.add_follow_up(i, text="Khắc phục")
    i = concluded(world, subject="K2")
    item = services.add_follow_up(
        i, text=" Khắc phục hạn chế ", responsible="Chi ủy", due_on=today + dt.timedelta(days=30)
    )
    assert (item.text, item.responsible, item.province_id) == (
        "Khắc phục hạn chế",
        "Chi ủy",
        i.province_id,
    )
    with pytest.raises(ValidationError) as e:
        services.add_follow_up(i, text="X", due_on=i.concluded_on - dt.timedelta(days=1))
    assert "due_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.add_follow_up(i, text=" ")
    assert "text" in e.value.message_dict


def test_a_follow_up_item_is_done_once_with_its_result(world, today):
    i = concluded(world)
    item = services.add_follow_up(i, text="Khắc phục", due_on=today)
    with pytest.raises(ValidationError) as e:
        services.complete_follow_up(item, done_on=today, result=" ")
    assert "result" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.complete_follow_up(item, done_on=i.concluded_on - dt.timedelta(days=1), result="X")
    assert "done_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.complete_follow_up(item, done_on=today + dt.timedelta(days=1), result="X")
    assert "done_on" in e.value.message_dict
    item = services.complete_follow_up(item, done_on=today, result="Đã khắc phục")
    assert (item.done_on, item.result) == (today, "Đã khắc phục")
    with pytest.raises(ValidationError):
        services.complete_follow_up(item, done_on=today, result="Lần nữa")


def test_overdue_means_open_and_past_its_due_day(world, today):
    i = concluded(world)
    yesterday = today - dt.timedelta(days=1)
    late = FollowUp.objects.create(
        province_id=i.province_id, inspection=i, text="a", due_on=yesterday
    )
    FollowUp.objects.create(province_id=i.province_id, inspection=i, text="b", due_on=today)
    FollowUp.objects.create(province_id=i.province_id, inspection=i, text="c")
    FollowUp.objects.create(
        province_id=i.province_id,
        inspection=i,
        text="d",
        due_on=yesterday,
        done_on=today,
        result="xong",
    )
    assert list(FollowUp.objects.overdue(today)) == [late]
    assert [f.text for f in FollowUp.objects.filter(inspection=i) if f.is_overdue(today)] == ["a"]
    assert FollowUp.objects.open().count() == 3


def test_counts(world, today):
    plan_inspection(world)
    started = services.start_inspection(plan_inspection(world, subject="K2"), on=today)
    done = concluded(world)
    done.violation_found = True
    done.save()
    concluded(world, subject="K2")
    FollowUp.objects.create(
        province_id=done.province_id, inspection=done, text="a", due_on=today - dt.timedelta(days=1)
    )
    c = services.counts(
        Inspection.objects.filter(organization__code="C1"), FollowUp.objects.all(), today
    )
    assert c == {
        "total": 4,
        "planned": 1,
        "in_progress": 1,
        "concluded": 2,
        "violations": 1,
        "overdue": 1,
    }
    assert started.status == InspectionStatus.IN_PROGRESS
