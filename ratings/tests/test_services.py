"""The rating rules: the bands of the 100-point scale, who is not rated, the cap on the top
level, every step valid and invalid, organizations from their members, past level names."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members.models import Member
from organizations.models import Organization
from ratings import services
from ratings.models import (
    LEVEL_NAMES,
    CapBase,
    CycleStatus,
    Exclusion,
    Level,
    MemberReview,
    OrganizationReview,
    ReviewCycle,
    ReviewStatus,
    RuleSet,
    level_for_score,
    rule_set_for,
)
from ratings.tests.conftest import review_of, self_review, to_proposed


def fields(error) -> set:
    return set(error.value.error_dict) if hasattr(error.value, "error_dict") else set()


# ---- the 100-point scale ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (100, Level.EXCELLENT),
        (90, Level.EXCELLENT),
        ("89.9", Level.GOOD),
        (70, Level.GOOD),
        ("69.9", Level.COMPLETED),
        (50, Level.COMPLETED),
        ("49.9", Level.NOT_COMPLETED),
        (0, Level.NOT_COMPLETED),
    ],
)
def test_scores_fall_in_the_four_bands_at_their_boundaries(score, level):
    assert level_for_score(score) == level


@pytest.mark.parametrize(
    ("year", "rules"),
    [
        (2007, None),
        (2008, RuleSet.HD20_2008),
        (2017, RuleSet.HD20_2008),
        (2018, RuleSet.QD132_2018),
        (2022, RuleSet.QD132_2018),
        (2023, RuleSet.QD124_2023),
        (2024, RuleSet.QD124_2023),
        (2025, RuleSet.QD366_2025),
    ],
)
def test_the_rules_in_force_follow_the_year(year, rules):
    assert rule_set_for(year) == rules


# ---- who is not rated -------------------------------------------------------------------


END = dt.date(2025, 12, 31)


@pytest.mark.parametrize(
    ("admitted", "reason"),
    [
        (dt.date(2025, 6, 30), ""),  # 6 months and a day before the end
        (dt.date(2025, 7, 1), Exclusion.RECENTLY_ADMITTED),  # a day short of 6 months
        (dt.date(2025, 12, 1), Exclusion.RECENTLY_ADMITTED),
    ],
)
def test_members_admitted_less_than_6_months_before_the_end_are_not_rated(admitted, reason):
    member = Member(status="probationary", admission_decision_date=admitted)
    assert services.exclusion_for(member, END) == reason


def test_exactly_6_months_before_the_end_is_rated():
    member = Member(status="probationary", admission_decision_date=dt.date(2025, 6, 30))
    assert services.exclusion_for(member, dt.date(2025, 12, 30)) == ""


@pytest.mark.parametrize(
    ("status", "reason"),
    [("exempt", Exclusion.EXEMPT), ("suspended", Exclusion.SUSPENDED), ("official", "")],
)
def test_exempt_and_suspended_members_are_not_rated(status, reason):
    member = Member(status=status, admission_decision_date=dt.date(1990, 1, 1))
    assert services.exclusion_for(member, END) == reason


# ---- opening a cycle ----------------------------------------------------------------------


def test_opening_a_cycle_creates_a_review_per_member_and_collective(world, cycle):
    reviews = {
        r.member.person.full_name: r for r in cycle.member_reviews.select_related("member__person")
    }
    assert cycle.member_reviews.count() == 6  # K1: 4, K2: 2
    assert reviews["Phạm Thị Lan"].status == ReviewStatus.EXCLUDED
    assert reviews["Phạm Thị Lan"].exclusion == Exclusion.EXEMPT
    # Admitted 20/05/2025: more than 6 months before 31/12/2025.
    assert reviews["Lê Văn Nam"].status == ReviewStatus.PENDING
    assert reviews["Trần Thị Hoa"].form_type == "2C"  # a village cell
    assert {o.organization.code for o in cycle.org_reviews.select_related("organization")} == {
        "C1",
        "K1",
        "K2",
    }  # the party group T1 is not rated
    assert cycle.rule_set == RuleSet.QD366_2025 and cycle.is_scored
    assert cycle.province == world.org("P1")
    assert all(r.province_id == cycle.province_id for r in cycle.member_reviews.all())
    assert MemberReview.history.filter(cycle_id=cycle.pk).count() == 6


def test_a_quarter_excludes_the_member_admitted_in_it(world):
    cycle = services.open_cycle(world.org("C1"), year=2025, quarter=3)
    nam = review_of(cycle, world, "Lê Văn Nam")
    assert nam.exclusion == Exclusion.RECENTLY_ADMITTED  # 20/05 + 6 months > 30/09
    assert cycle.period_start == dt.date(2025, 7, 1) and cycle.period_end == dt.date(2025, 9, 30)


def test_members_admitted_after_the_period_are_not_listed(world):
    cycle = services.open_cycle(world.org("C1"), year=2022)
    names = set(cycle.member_reviews.values_list("member__person__full_name", flat=True))
    assert "Lê Văn Nam" not in names and "Trần Thị Hoa" in names


@pytest.mark.parametrize(
    ("org", "kwargs", "message"),
    [
        ("K1", {"year": 2025}, "does not run a review"),
        ("C1", {"year": 2007}, "before 2008"),
        ("C1", {"year": 2024, "quarter": 2}, "Quarterly ratings began"),
        ("C1", {"year": 2025, "quarter": 5}, "1, 2, 3 or 4"),
        ("C1", {"year": 2027}, "has not started"),
        ("C1", {"year": 2025, "excellent_cap_percent": 120}, "from 0 to 100"),
    ],
)
def test_opening_refuses_bad_input(world, org, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        services.open_cycle(world.org(org), **kwargs)
    assert not ReviewCycle.objects.exists()


def test_a_period_is_reviewed_once_for_the_same_members(world, cycle):
    for org in ("C1", "P1"):
        with pytest.raises(ValidationError, match="already runs the review of Year 2025"):
            services.open_cycle(world.org(org), year=2025)
    services.open_cycle(world.org("C1"), year=2025, quarter=1)  # another period
    services.open_cycle(world.org("C2"), year=2025)  # other members
    assert ReviewCycle.objects.count() == 3


# ---- self-review, proposal, decision ------------------------------------------------------


def test_the_three_steps_in_order(world, cycle):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    self_review(hoa, level="good", score=85, by=world.user("member_k1"))
    assert hoa.status == ReviewStatus.SELF_REVIEWED and hoa.self_score == Decimal("85.0")
    services.propose(hoa, level="good", score="82.5", votes_for=3, votes_eligible=4)
    assert hoa.status == ReviewStatus.PROPOSED and hoa.score == Decimal("82.5")
    services.decide(hoa, level="good", note="QĐ 05-QĐ/ĐU", by=world.user("staff_c1"))
    hoa.refresh_from_db()
    assert hoa.status == ReviewStatus.DECIDED and hoa.decided_level == Level.GOOD
    assert hoa.decided_by == world.user("staff_c1")
    assert hoa.history.first().history_user == world.user("staff_c1")


def test_the_self_review_can_be_edited_until_the_cell_proposes(world, cycle):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    self_review(hoa, level="good")
    self_review(hoa, level="completed")
    assert hoa.self_level == Level.COMPLETED
    services.propose(hoa, level="good", score=80, votes_for=3, votes_eligible=4)
    with pytest.raises(ValidationError, match="already proposed"):
        self_review(hoa)


def test_an_excluded_member_goes_through_no_step(world, cycle):
    lan = review_of(cycle, world, "Phạm Thị Lan")
    with pytest.raises(ValidationError, match="not rated in this review"):
        self_review(lan)
    with pytest.raises(ValidationError, match="not rated in this review"):
        services.propose(lan, level="good", score=80, votes_for=3, votes_eligible=4)
    with pytest.raises(ValidationError, match="not rated in this review"):
        services.decide(lan, level="good")


def test_the_cell_proposes_after_the_self_review_and_the_superior_after_the_cell(world, cycle):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    with pytest.raises(ValidationError, match="not handed in the self-review"):
        services.propose(hoa, level="good", score=80, votes_for=3, votes_eligible=4)
    self_review(hoa)
    with pytest.raises(ValidationError, match="not proposed a level yet"):
        services.decide(hoa, level="good")
    services.propose(hoa, level="good", score=80, votes_for=3, votes_eligible=4)
    services.decide(hoa, level="good")
    with pytest.raises(ValidationError, match="already decided"):
        services.propose(hoa, level="good", score=80, votes_for=3, votes_eligible=4)
    services.decide(hoa, level="completed")  # the superior may change its decision
    assert hoa.decided_level == Level.COMPLETED


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"votes_for": 2, "votes_eligible": 4}, "votes_for", "not more than half"),
        ({"votes_for": 5, "votes_eligible": 4}, "votes_for", "between 0"),
        ({"votes_for": 0, "votes_eligible": 0}, "votes_eligible", "entitled to vote"),
        ({"score": None}, "score", "100-point scale"),
        ({"score": 101}, "score", "from 0 to 100"),
        ({"score": "abc"}, "score", "from 0 to 100"),
        ({"level": "excellent", "score": "89.9"}, "level", "cannot be higher"),
        ({"level": "best"}, "level", "four levels"),
        ({"on": dt.date(2024, 12, 31)}, "on", "before 01/01/2025"),
        ({"on": dt.date(2099, 1, 1)}, "on", "future"),
    ],
)
def test_a_bad_proposal_is_refused_and_nothing_written(world, cycle, kwargs, field, message):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    self_review(hoa)
    args = {"level": "good", "score": 80, "votes_for": 3, "votes_eligible": 4, **kwargs}
    with pytest.raises(ValidationError, match=message) as e:
        services.propose(hoa, **args)
    assert field in fields(e)
    hoa.refresh_from_db()
    assert hoa.status == ReviewStatus.SELF_REVIEWED and not hoa.cell_level


def test_a_level_at_the_bottom_of_its_band_is_accepted_and_lower_levels_too(world, cycle):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    self_review(hoa, level="excellent", score=90)
    services.propose(hoa, level="completed", score=90, votes_for=3, votes_eligible=4)
    assert hoa.cell_level == Level.COMPLETED


def test_a_self_score_above_the_level_band_is_refused(world, cycle):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    with pytest.raises(ValidationError, match="cannot be higher") as e:
        self_review(hoa, level="good", score="69.9")
    assert fields(e) == {"self_level"}
    with pytest.raises(ValidationError, match="results of the tasks"):
        services.record_self_review(hoa, form_type="2C", results=" ", self_level="good")
    with pytest.raises(ValidationError, match="self-review form"):
        services.record_self_review(hoa, form_type="2D", results="x", self_level="good")


def test_unscored_rules_take_no_score(world):
    cycle = services.open_cycle(world.org("C1"), year=2022)
    assert cycle.rule_set == RuleSet.QD132_2018 and not cycle.is_scored
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    with pytest.raises(ValidationError, match="not scored on 100 points"):
        self_review(hoa, score=80)
    self_review(hoa)
    services.propose(hoa, level="excellent", votes_for=3, votes_eligible=4)
    assert hoa.score is None


# ---- the cap on the top level ---------------------------------------------------------------


def test_the_cap_is_checked_when_the_superior_decides(world, cycle):
    cycle.excellent_cap_percent = 50
    cycle.save()
    duc, hoa, nam = (
        review_of(cycle, world, n) for n in ("Nguyễn Văn Đức", "Trần Thị Hoa", "Lê Văn Nam")
    )
    to_proposed(duc, "excellent", 95)
    to_proposed(hoa, "excellent", 92)
    to_proposed(nam, "good", 80)
    # Đức: the others count 1 "good" (Nam) and Hoa's proposal is not "good": 50 % of 1 = 0.
    with pytest.raises(ValidationError) as e:
        services.decide(duc, level="excellent")
    assert "The cap on “Hoàn thành xuất sắc nhiệm vụ” in Chi bộ thôn Đông is 50%" in str(e.value)
    assert "0 of 1" in str(e.value)
    services.decide(hoa, level="good")
    services.decide(duc, level="excellent")  # 50 % of 2 "good" (Hoa, Nam) = 1
    services.decide(nam, level="good")
    with pytest.raises(ValidationError, match="1 already decided at that level"):
        services.decide(hoa, level="excellent")
    hoa.refresh_from_db()
    assert hoa.decided_level == Level.GOOD


def test_the_default_cap_of_20_percent_needs_five_good_for_one_excellent(world, cycle):
    duc = review_of(cycle, world, "Nguyễn Văn Đức")
    to_proposed(duc, "excellent", 95)
    with pytest.raises(ValidationError, match="20%"):
        services.decide(duc, level="excellent")
    assert services.cap_allowed(cycle, ["good"] * 5) == 1
    assert services.cap_allowed(cycle, ["good"] * 4 + ["excellent"]) == 0
    cycle.cap_base = CapBase.GOOD_OR_ABOVE
    assert services.cap_allowed(cycle, ["good"] * 4 + ["excellent"]) == 1


def test_without_a_cap_any_number_may_be_excellent(world, cycle):
    cycle.excellent_cap_percent = None
    cycle.save()
    duc = review_of(cycle, world, "Nguyễn Văn Đức")
    to_proposed(duc, "excellent", 95)
    services.decide(duc, level="excellent")
    assert duc.decided_level == Level.EXCELLENT


# ---- organizations and closing -------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "collectives", "disciplined", "level"),
    [
        ([], [], False, ""),
        (["good", "good", "excellent"], [], False, Level.EXCELLENT),
        (["good", "good", "excellent"], [], True, Level.GOOD),
        (["good", "completed", "completed"], [], False, Level.COMPLETED),
        (["good", "good", "completed"], [], False, Level.EXCELLENT),
        (["good", "completed"], [], False, Level.GOOD),
        (["good", "good", "not_completed"], [], False, Level.COMPLETED),
        (["not_completed", "good"], [], False, Level.NOT_COMPLETED),
        (["excellent"], ["good", "completed", "completed"], False, Level.COMPLETED),
    ],
)
def test_an_organization_level_is_suggested_from_its_results(
    members, collectives, disciplined, level
):
    assert services.suggest_level(members, collectives, disciplined) == level


def _decide_all(cycle, world, level="good"):
    for r in cycle.member_reviews.exclude(status="excluded").select_related("cycle", "cell"):
        to_proposed(r, level, 80)
        services.decide(r, level=level)


def test_collectives_are_decided_after_their_members_and_sub_collectives(world, cycle):
    k1 = cycle.org_reviews.get(organization__code="K1")
    c1 = cycle.org_reviews.get(organization__code="C1")
    with pytest.raises(ValidationError, match="Decide its members first"):
        services.decide_org(k1, level="good")
    _decide_all(cycle, world)
    with pytest.raises(ValidationError, match="collectives under it first"):
        services.decide_org(c1, level="good")
    cycle.excellent_cap_percent = 100
    cycle.save()
    k2 = cycle.org_reviews.get(organization__code="K2")
    services.decide_org(k2, level="good")
    k1 = cycle.org_reviews.get(organization__code="K1")
    services.decide_org(k1, level="excellent", score=91)  # 100 % of 1 "good" (K2)
    assert k1.basis["members"] == {"good": 3} and k1.proposed_level == Level.EXCELLENT
    with pytest.raises(ValidationError, match="cap on “Hoàn thành xuất sắc nhiệm vụ”"):
        services.decide_org(k2, level="excellent")  # the others count no "good" now
    services.decide_org(c1, level="good")
    c1.refresh_from_db()
    assert c1.basis["collectives"] == {"excellent": 1, "good": 1}


def test_a_cycle_closes_once_everyone_is_decided_and_then_nothing_changes(world, cycle):
    with pytest.raises(ValidationError, match="5 member"):
        services.close_cycle(cycle)
    _decide_all(cycle, world)
    with pytest.raises(ValidationError, match="3 organization"):
        services.close_cycle(cycle)
    for code in ("K1", "K2", "C1"):
        services.decide_org(cycle.org_reviews.get(organization__code=code), level="good")
    services.close_cycle(cycle, by=world.user("staff_c1"))
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED and cycle.closed_by == world.user("staff_c1")
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    with pytest.raises(ValidationError, match="is closed"):
        services.decide(hoa, level="completed")
    with pytest.raises(ValidationError, match="is closed"):
        services.close_cycle(cycle)
    with pytest.raises(ValidationError, match="is closed"):
        services.decide_org(
            OrganizationReview.objects.get(cycle=cycle, organization__code="K1"), level="completed"
        )


# ---- past years keep their names -----------------------------------------------------------


def test_past_years_keep_the_level_names_in_force_then(world, monkeypatch):
    old = services.open_cycle(world.org("C1"), year=2016)
    assert old.rule_set == RuleSet.HD20_2008
    assert old.level_name("excellent", "organization") == "Trong sạch, vững mạnh"
    assert old.level_name("not_completed", "organization") == "Yếu kém"
    assert old.level_name("excellent") == "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ"
    new = services.open_cycle(world.org("C2"), year=2025)
    assert new.level_name("excellent", "organization") == "Hoàn thành xuất sắc nhiệm vụ"
    # A later change of the table does not rewrite the cycles already opened.
    monkeypatch.setitem(LEVEL_NAMES, RuleSet.HD20_2008, LEVEL_NAMES[RuleSet.QD366_2025])
    old = ReviewCycle.objects.get(pk=old.pk)
    assert old.level_name("excellent", "organization") == "Trong sạch, vững mạnh"


def test_the_decision_on_the_organization_running_the_cycle_is_for_its_superior(world, cycle):
    from accounts.access import Scope

    c1 = cycle.org_reviews.select_related("cycle__organization", "organization").get(
        organization__code="C1"
    )
    k1 = cycle.org_reviews.select_related("cycle__organization", "organization").get(
        organization__code="K1"
    )
    staff_c1 = Scope.for_user(world.user("staff_c1"))
    staff_p1 = Scope.for_user(world.user("staff_p1"))
    assert services.may_decide_org(staff_c1, k1) and not services.may_decide_org(staff_c1, c1)
    assert services.may_decide_org(staff_p1, c1)
    assert Organization.objects.filter(code="C1").exists()


def test_the_organization_running_the_cycle_may_be_rated_top_level(world, cycle):
    """Alone in its group within the cycle, it is not capped here (its superior's cap is
    counted among the superior's own collectives)."""
    _decide_all(cycle, world)
    for code in ("K1", "K2"):
        services.decide_org(cycle.org_reviews.get(organization__code=code), level="good")
    c1 = cycle.org_reviews.select_related("cycle", "organization").get(organization__code="C1")
    services.decide_org(c1, level="excellent")
    c1.refresh_from_db()
    assert c1.decided_level == Level.EXCELLENT
