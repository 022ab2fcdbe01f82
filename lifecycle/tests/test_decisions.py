"""Status decisions: every transition, valid and invalid, and nothing written on error."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lifecycle import services
from lifecycle.models import DecisionKind, StatusDecision
from members.models import LeftReason, Member, MemberStatus

D = dt.date(2025, 8, 1)


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def duc(world):
    return world.member("Nguyễn Văn Đức", "K1")  # official


@pytest.fixture
def nam(world):
    return world.member("Lê Văn Nam", "K1")  # probationary


@pytest.fixture
def lan(world):
    return world.member("Phạm Thị Lan", "K1")  # exempt, recorded before the register


def decide(member, kind, day=D, **kw):
    kw.setdefault("deciding_organization", member.organization)
    grounds = {
        "exemption": "old_age",
        "temporary_exemption": "work_away",
        "strike_off": "missed_activities",
    }
    kw.setdefault("ground", grounds.get(kind, ""))
    if kind in ("strike_off", "expulsion", "withdrawal", "death"):
        kw.setdefault("decision_no", "12-QĐ/ĐU")
        kw.setdefault("reason", "Theo quyết định")
    return services.record_decision(member, kind=kind, decision_date=day, effective_date=day, **kw)


def snapshot(member):
    member.refresh_from_db()
    return (
        member.status,
        member.left_reason,
        member.status_date,
        StatusDecision.objects.count(),
        Member.history.count(),
        list(member.memberships.values_list("end_date", flat=True)),
    )


def test_exempting_an_official_member_and_ending_it_restores_official(duc):
    d = decide(duc, DecisionKind.EXEMPTION, ground="health")
    duc.refresh_from_db()
    assert duc.status == MemberStatus.EXEMPT
    assert duc.status_date == D
    assert d.previous_status == MemberStatus.OFFICIAL
    end = decide(duc, DecisionKind.EXEMPTION_END, day=dt.date(2025, 9, 1))
    duc.refresh_from_db()
    assert duc.status == MemberStatus.OFFICIAL
    assert end.ends == d
    assert services.open_period(duc, [DecisionKind.EXEMPTION]) is None


def test_a_temporary_exemption_needs_an_end_date_after_its_start(duc):
    with pytest.raises(ValidationError) as e:
        decide(duc, DecisionKind.TEMPORARY_EXEMPTION)
    assert "end_date" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        decide(duc, DecisionKind.TEMPORARY_EXEMPTION, end_date=D)
    assert "end_date" in e.value.error_dict
    d = decide(duc, DecisionKind.TEMPORARY_EXEMPTION, end_date=dt.date(2026, 2, 1))
    duc.refresh_from_db()
    assert duc.status == MemberStatus.EXEMPT and d.end_date == dt.date(2026, 2, 1)


def test_ending_a_temporary_exemption_restores_the_previous_status(duc):
    decide(duc, DecisionKind.TEMPORARY_EXEMPTION, end_date=dt.date(2025, 12, 31))
    decide(duc, DecisionKind.EXEMPTION_END, day=dt.date(2026, 1, 2))
    duc.refresh_from_db()
    assert duc.status == MemberStatus.OFFICIAL


def test_a_permanent_exemption_has_no_end_date_and_needs_old_age_or_health(duc):
    with pytest.raises(ValidationError) as e:
        decide(duc, DecisionKind.EXEMPTION, end_date=dt.date(2026, 1, 1))
    assert "end_date" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        decide(duc, DecisionKind.EXEMPTION, ground="work_away")
    assert "ground" in e.value.error_dict


def test_a_probationary_member_cannot_be_exempted(nam):
    before = snapshot(nam)
    with pytest.raises(ValidationError, match="Only an official member"):
        decide(nam, DecisionKind.EXEMPTION)
    assert snapshot(nam) == before


def test_an_exempt_member_cannot_be_exempted_again(lan):
    with pytest.raises(ValidationError):
        decide(lan, DecisionKind.EXEMPTION)


def test_ending_an_exemption_recorded_before_the_register_makes_the_member_official(lan):
    d = decide(lan, DecisionKind.EXEMPTION_END)
    lan.refresh_from_db()
    assert lan.status == MemberStatus.OFFICIAL
    assert d.ends is None


def test_ending_an_exemption_of_a_member_who_is_not_exempt_is_refused(duc):
    with pytest.raises(ValidationError, match="not exempt"):
        decide(duc, DecisionKind.EXEMPTION_END)


def test_suspending_a_probationary_member_and_restoring_them(nam):
    d = decide(nam, DecisionKind.SUSPENSION, end_date=dt.date(2025, 11, 1), decision_no="3-QĐ")
    nam.refresh_from_db()
    assert nam.status == MemberStatus.SUSPENDED
    assert d.previous_status == MemberStatus.PROBATIONARY
    with pytest.raises(ValidationError, match="already suspended"):
        decide(nam, DecisionKind.SUSPENSION, end_date=dt.date(2025, 12, 1))
    decide(nam, DecisionKind.SUSPENSION_END, day=dt.date(2025, 11, 2))
    nam.refresh_from_db()
    assert nam.status == MemberStatus.PROBATIONARY


def test_a_suspension_needs_its_period(duc):
    with pytest.raises(ValidationError) as e:
        decide(duc, DecisionKind.SUSPENSION)
    assert "end_date" in e.value.error_dict


def test_suspending_an_exempt_member_and_ending_it_leaves_them_exempt(lan):
    decide(lan, DecisionKind.SUSPENSION, end_date=dt.date(2025, 10, 1))
    decide(lan, DecisionKind.SUSPENSION_END, day=dt.date(2025, 10, 2))
    lan.refresh_from_db()
    assert lan.status == MemberStatus.EXEMPT


def test_ending_a_suspension_on_or_before_its_start_is_refused(duc):
    decide(duc, DecisionKind.SUSPENSION, end_date=dt.date(2025, 10, 1))
    with pytest.raises(ValidationError) as e:
        decide(duc, DecisionKind.SUSPENSION_END, day=D)
    assert "effective_date" in e.value.error_dict


def test_ending_a_suspension_of_a_member_who_is_not_suspended_is_refused(duc):
    with pytest.raises(ValidationError, match="not suspended"):
        decide(duc, DecisionKind.SUSPENSION_END)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        (DecisionKind.STRIKE_OFF, LeftReason.STRIKE_OFF),
        (DecisionKind.EXPULSION, LeftReason.EXPULSION),
        (DecisionKind.WITHDRAWAL, LeftReason.WITHDRAWAL),
        (DecisionKind.DEATH, LeftReason.DEATH),
    ],
)
def test_an_exit_sets_left_with_its_reason_and_closes_the_memberships(duc, kind, reason):
    decide(duc, kind)
    duc.refresh_from_db()
    assert duc.status == MemberStatus.LEFT
    assert duc.left_reason == reason
    assert duc.status_date == D
    assert "12-QĐ/ĐU" in duc.status_note
    assert not duc.memberships.current().exists()
    assert duc.memberships.get().end_date == D


@pytest.mark.parametrize("kind", ["strike_off", "expulsion", "withdrawal", "death"])
def test_an_exit_needs_the_decision_number_and_reason(duc, kind):
    before = snapshot(duc)
    with pytest.raises(ValidationError) as e:
        decide(duc, kind, decision_no="", reason="")
    assert {"decision_no", "reason"} <= set(e.value.error_dict)
    assert snapshot(duc) == before


def test_a_strike_off_names_one_of_its_grounds(duc):
    with pytest.raises(ValidationError) as e:
        decide(duc, DecisionKind.STRIKE_OFF, ground="old_age")
    assert "ground" in e.value.error_dict


@pytest.mark.parametrize(
    "kind", ["exemption", "suspension", "strike_off", "death", "exemption_end", "suspension_end"]
)
def test_no_decision_for_a_member_who_left(duc, kind):
    decide(duc, DecisionKind.WITHDRAWAL)
    before = snapshot(duc)
    with pytest.raises(ValidationError, match="has left the Party"):
        decide(duc, kind, day=dt.date(2025, 9, 1), end_date=dt.date(2025, 12, 1))
    assert snapshot(duc) == before


def test_an_exempt_or_suspended_member_can_leave(lan, duc):
    decide(lan, DecisionKind.DEATH)
    decide(duc, DecisionKind.SUSPENSION, end_date=dt.date(2025, 12, 1))
    decide(duc, DecisionKind.EXPULSION, day=dt.date(2025, 9, 1))
    lan.refresh_from_db()
    duc.refresh_from_db()
    assert lan.left_reason == LeftReason.DEATH
    assert duc.left_reason == LeftReason.EXPULSION


def test_dates_in_the_future_are_refused(duc):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    before = snapshot(duc)
    with pytest.raises(ValidationError) as e:
        decide(duc, DecisionKind.STRIKE_OFF, day=tomorrow)
    assert {"decision_date", "effective_date"} <= set(e.value.error_dict)
    assert snapshot(duc) == before


def test_today_is_accepted(duc):
    decide(duc, DecisionKind.EXEMPTION, day=timezone.localdate())
    duc.refresh_from_db()
    assert duc.status == MemberStatus.EXEMPT


def test_a_decision_takes_effect_on_or_after_it_is_made(duc):
    with pytest.raises(ValidationError) as e:
        services.record_decision(
            duc,
            kind="exemption",
            ground="health",
            decision_date=D,
            effective_date=D - dt.timedelta(days=1),
            deciding_organization=duc.organization,
        )
    assert "effective_date" in e.value.error_dict


def test_a_death_is_recorded_on_or_after_the_date_of_death(duc, world):
    services.record_decision(
        duc,
        kind="death",
        decision_no="5-TB/CB",
        reason="Từ trần",
        decision_date=D,
        effective_date=D - dt.timedelta(days=3),
        deciding_organization=duc.organization,
    )
    duc.refresh_from_db()
    assert duc.status_date == D - dt.timedelta(days=3)
    hoa = world.member("Trần Thị Hoa", "K1")
    with pytest.raises(ValidationError) as e:
        services.record_decision(
            hoa,
            kind="death",
            decision_no="6-TB/CB",
            reason="Từ trần",
            decision_date=D,
            effective_date=D + dt.timedelta(days=1),
            deciding_organization=hoa.organization,
        )
    assert "effective_date" in e.value.error_dict


def test_a_decision_cannot_come_before_the_previous_one(duc):
    decide(duc, DecisionKind.SUSPENSION, end_date=dt.date(2025, 12, 1))
    with pytest.raises(ValidationError) as e:
        decide(duc, DecisionKind.EXPULSION, day=dt.date(2025, 7, 1))
    assert "effective_date" in e.value.error_dict


def test_the_deciding_organization_is_the_cell_or_above(duc, world):
    decide(duc, DecisionKind.EXEMPTION, ground="health", deciding_organization=world.org("C1"))
    with pytest.raises(ValidationError) as e:
        decide(
            world.member("Trần Thị Hoa", "K1"),
            DecisionKind.EXEMPTION,
            deciding_organization=world.org("K2"),
        )
    assert "deciding_organization" in e.value.error_dict


def test_decisions_keep_a_history(duc):
    d = decide(duc, DecisionKind.EXEMPTION, ground="health")
    assert d.history.count() == 1
