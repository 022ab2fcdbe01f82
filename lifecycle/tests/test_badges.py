"""Party badges: levels, award dates, who is due, awards and interruptions of party age."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lifecycle import selectors, services
from lifecycle.models import BadgeAward, add_years
from members.models import Member


@pytest.fixture
def hoa(world):
    """Trần Thị Hoa, official; admitted so that 30 years of party age fall on 2/9/2026."""
    Member.objects.filter(person__full_name="Trần Thị Hoa").update(
        admission_decision_date=dt.date(1996, 9, 2)
    )
    return world.member("Trần Thị Hoa", "K1")


def due_names(org, on):
    return {(d.member.person.full_name, d.badge) for d in selectors.badges_due(org, on)}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 2, 3)),
        (dt.date(2026, 2, 3), dt.date(2026, 2, 3)),
        (dt.date(2026, 2, 4), dt.date(2026, 5, 19)),
        (dt.date(2026, 5, 20), dt.date(2026, 9, 2)),
        (dt.date(2026, 9, 3), dt.date(2026, 11, 7)),
        (dt.date(2026, 11, 8), dt.date(2027, 2, 3)),
    ],
)
def test_the_next_award_date(day, expected):
    assert selectors.next_award_date(day) == expected


def test_award_dates_from_a_day():
    assert selectors.award_dates_from(dt.date(2026, 11, 21)) == [
        dt.date(2027, 2, 3),
        dt.date(2027, 5, 19),
        dt.date(2027, 9, 2),
        dt.date(2027, 11, 7),
    ]


def test_anniversaries_of_29_february():
    assert add_years(dt.date(1996, 2, 29), 30) == dt.date(2026, 3, 1)
    assert add_years(dt.date(1996, 2, 29), 32) == dt.date(2028, 2, 29)


def test_party_age_reached_exactly_on_an_award_date_is_due_on_that_date(hoa, world):
    k1 = world.org("K1")
    assert ("Trần Thị Hoa", 30) in due_names(k1, dt.date(2026, 9, 2))
    assert ("Trần Thị Hoa", 30) not in due_names(k1, dt.date(2026, 5, 19))


def test_a_day_of_interruption_moves_the_badge_to_the_next_award_date(hoa, world):
    services.add_interruption(
        hoa, start_date=dt.date(2000, 1, 1), end_date=dt.date(2000, 1, 1), note="Gián đoạn"
    )
    k1 = world.org("K1")
    assert ("Trần Thị Hoa", 30) not in due_names(k1, dt.date(2026, 9, 2))
    assert ("Trần Thị Hoa", 30) in due_names(k1, dt.date(2026, 11, 7))


def test_the_highest_level_reached_is_due_and_awarded_members_drop_out(world):
    k1 = world.org("K1")
    # Nguyễn Văn Đức: admitted 09/02/1990 — 35 years by 2026, 40 on 09/02/2030.
    on = dt.date(2026, 2, 3)
    assert ("Nguyễn Văn Đức", 30) in due_names(k1, on)
    # The exempt member is considered too (QĐ 24 §7.1).
    assert ("Phạm Thị Lan", 30) in due_names(k1, on)
    duc = world.member("Nguyễn Văn Đức", "K1")
    services.award_badge(duc, years=30, award_date=dt.date(2020, 9, 2), decision_no="1-QĐ/TU")
    assert ("Nguyễn Văn Đức", 30) not in due_names(k1, on)
    # 40 years on 09/02/2030: not yet at 3/2/2030, due at 19/5/2030.
    assert ("Nguyễn Văn Đức", 40) not in due_names(k1, dt.date(2030, 2, 3))
    assert ("Nguyễn Văn Đức", 40) in due_names(k1, dt.date(2030, 5, 19))


def test_members_who_left_or_are_too_young_are_not_due(world):
    k1 = world.org("K1")
    names = {n for n, _ in due_names(k1, dt.date(2026, 2, 3))}
    assert "Lê Văn Nam" not in names  # admitted 2025
    assert "Trần Thị Hoa" not in names  # admitted 2005
    duc = world.member("Nguyễn Văn Đức", "K1")
    services.record_decision(
        duc,
        kind="withdrawal",
        decision_no="2-QĐ",
        reason="Xin ra khỏi Đảng",
        decision_date=dt.date(2025, 8, 1),
        effective_date=dt.date(2025, 8, 1),
        deciding_organization=world.org("C1"),
    )
    assert "Nguyễn Văn Đức" not in {n for n, _ in due_names(k1, dt.date(2026, 2, 3))}


def test_the_due_list_covers_the_subtree_in_one_query(world, django_assert_num_queries):
    p1 = world.org("P1")
    with django_assert_num_queries(1):
        due = selectors.badges_due(p1, dt.date(2026, 2, 3))
        names = {d.member.person.full_name for d in due} | {d.member.organization.name for d in due}
    assert "Hoàng Văn Bình" in names  # K2, admitted 09/02/1995
    assert "Bùi Văn Tâm" not in names  # other province


def test_awarding_before_the_party_age_is_reached_is_refused(hoa):
    with pytest.raises(ValidationError) as e:
        services.award_badge(hoa, years=30, award_date=dt.date(2026, 9, 1), decision_no="1")
    assert "award_date" in e.value.error_dict
    services.award_badge(hoa, years=30, award_date=dt.date(2026, 9, 2), decision_no="1")


def test_a_badge_level_is_awarded_once(world):
    duc = world.member("Nguyễn Văn Đức", "K1")
    services.award_badge(duc, years=30, award_date=dt.date(2020, 9, 2), decision_no="1")
    with pytest.raises(ValidationError) as e:
        services.award_badge(duc, years=30, award_date=dt.date(2021, 9, 2), decision_no="2")
    assert "years" in e.value.error_dict
    assert BadgeAward.objects.count() == 1


@pytest.mark.parametrize("years", [35, 20, 95])
def test_only_the_badge_levels_exist(world, years):
    duc = world.member("Nguyễn Văn Đức", "K1")
    with pytest.raises(ValidationError) as e:
        services.award_badge(duc, years=years, award_date=dt.date(2026, 2, 3), decision_no="1")
    assert "years" in e.value.error_dict


def test_an_award_needs_its_decision_number(world):
    duc = world.member("Nguyễn Văn Đức", "K1")
    with pytest.raises(ValidationError) as e:
        services.award_badge(duc, years=30, award_date=dt.date(2020, 9, 2), decision_no=" ")
    assert "decision_no" in e.value.error_dict


def test_an_award_may_be_recorded_for_the_next_occasion_but_not_later(world):
    duc = world.member("Nguyễn Văn Đức", "K1")
    nxt = selectors.next_award_date(timezone.localdate())
    with pytest.raises(ValidationError) as e:
        services.award_badge(duc, years=30, award_date=nxt + dt.timedelta(days=1), decision_no="1")
    assert "award_date" in e.value.error_dict
    services.award_badge(duc, years=30, award_date=nxt, decision_no="1")


def _leave(member, kind, world):
    services.record_decision(
        member,
        kind=kind,
        decision_no="9-QĐ",
        reason="x",
        ground="missed_activities" if kind == "strike_off" else "",
        decision_date=dt.date(2025, 8, 1),
        effective_date=dt.date(2025, 8, 1),
        deciding_organization=world.org("C1"),
    )


def test_a_member_who_died_is_awarded_posthumously(world):
    duc = world.member("Nguyễn Văn Đức", "K1")
    _leave(duc, "death", world)
    award = services.award_badge(duc, years=30, award_date=dt.date(2025, 9, 2), decision_no="1")
    assert award.posthumous


@pytest.mark.parametrize("kind", ["strike_off", "expulsion", "withdrawal"])
def test_no_badge_after_any_other_exit(world, kind):
    duc = world.member("Nguyễn Văn Đức", "K1")
    _leave(duc, kind, world)
    with pytest.raises(ValidationError, match="no badge"):
        services.award_badge(duc, years=30, award_date=dt.date(2025, 9, 2), decision_no="1")


def test_interruptions_do_not_overlap_nor_start_before_admission(hoa):
    services.add_interruption(
        hoa, start_date=dt.date(2000, 1, 1), end_date=dt.date(2000, 12, 31), note="Gián đoạn"
    )
    assert hoa.interruptions.get().days == 366
    with pytest.raises(ValidationError) as e:
        services.add_interruption(
            hoa, start_date=dt.date(2000, 12, 31), end_date=dt.date(2001, 1, 5), note="x"
        )
    assert "start_date" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.add_interruption(
            hoa, start_date=dt.date(1990, 1, 1), end_date=dt.date(1990, 1, 5), note="x"
        )
    assert "start_date" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.add_interruption(
            hoa, start_date=dt.date(2002, 1, 5), end_date=dt.date(2002, 1, 1), note="x"
        )
    assert "end_date" in e.value.error_dict
    assert hoa.interruptions.count() == 1
