"""Rubrics: the presets, versions by date, what a version must satisfy, and freezing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from meetings import services as meeting_services
from quality import presets, services
from quality.models import AutoRule, QualityLevel, Rubric, RubricKind
from quality.tests.conftest import at, hold, manual_points


def data_of(rubric, **changes):
    data = services.rubric_data(services.with_sheet(Rubric.objects.filter(pk=rubric.pk)).get())
    data.update(changes)
    return data


def test_each_preset_installs_a_regular_and_a_thematic_sheet_of_100_points(p1, world):
    for key in presets.PRESETS:
        Rubric.objects.filter(organization=p1).delete()
        installed = services.install_preset(p1, key, dt.date(2025, 1, 1), by=world.user("staff_p1"))
        assert sorted(r.kind for r in installed) == [RubricKind.REGULAR, RubricKind.THEMATIC]
        for r in installed:
            r = services.with_sheet(Rubric.objects.filter(pk=r.pk)).get()
            assert r.max_total == Decimal(100) == r.total_points
            assert (r.good_from, r.fair_from, r.average_from) == (90, 70, 50)
            assert r.preset == key and r.province == p1
            assert any(c.auto_rule for c in r.all_criteria())


def test_the_hd12_preset_has_the_five_groups_and_says_the_points_are_ours(p1):
    regular, _thematic = services.install_preset(p1, "hd12_2018", dt.date(2025, 1, 1))
    regular = services.with_sheet(Rubric.objects.filter(pk=regular.pk)).get()
    assert [g.name for g in regular.groups.all()] == [
        "Đảng viên dự sinh hoạt",
        "Công tác chuẩn bị",
        "Tổ chức sinh hoạt",
        "Thực hiện nguyên tắc tổ chức, sinh hoạt đảng",
        "Kết quả",
    ]
    assert "không quy định điểm" in regular.source
    rules = {c.auto_rule for c in regular.all_criteria()} - {""}
    assert rules == set(AutoRule.values)
    rate = next(c for c in regular.all_criteria() if c.auto_rule == AutoRule.ATTENDANCE_RATE)
    assert rate.auto_param == 85


def test_the_provincial_preset_has_phu_tho_weights_and_binh_thuan_must_max(p1):
    regular, _thematic = services.install_preset(p1, "provincial_100", dt.date(2025, 1, 1))
    regular = services.with_sheet(Rubric.objects.filter(pk=regular.pk)).get()
    weights = [sum(c.max_points for c in g.criteria.all()) for g in regular.groups.all()]
    assert weights == [15, 20, 45, 20]
    must = {c.auto_rule for c in regular.all_criteria() if c.required_for_top}
    assert {
        AutoRule.ATTENDANCE_RATE,
        AutoRule.DURATION,
        AutoRule.SPEAKERS_SHARE,
        AutoRule.MINUTES_COMPLETE,
    } <= must
    assert (regular.year_good_min, regular.year_good_floor) == (7, QualityLevel.FAIR)


def test_a_meeting_is_judged_by_the_version_in_force_on_its_date(p1, k1, rubric, september):
    later = services.save_version(
        province=p1,
        kind=RubricKind.REGULAR,
        data=data_of(rubric, effective_from=dt.date(2025, 9, 5), name="Phiên bản 2"),
    )
    assert services.rubric_in_force(p1.pk, RubricKind.REGULAR, dt.date(2025, 9, 4)) == rubric
    assert services.rubric_in_force(p1.pk, RubricKind.REGULAR, dt.date(2025, 9, 5)) == later
    assert services.rubric_in_force(p1.pk, RubricKind.REGULAR, dt.date(2024, 12, 31)) is None
    # The meeting of the 5th is judged by the new version; one the evening before by the old.
    assert services.rubric_for(september) == later
    eve = meeting_services.plan_meeting(
        k1, kind="extraordinary", scheduled_at=at(2025, 9, 4, 23, 30)
    )
    assert services.rubric_for(eve) == rubric
    # Thematic meetings have their own sheet; another province has none.
    assert services.rubric_in_force(p1.pk, RubricKind.THEMATIC, dt.date(2025, 9, 5)).kind == (
        RubricKind.THEMATIC
    )
    assert services.rubric_in_force(p1.pk - 999, RubricKind.REGULAR, dt.date(2025, 9, 5)) is None


def test_committee_and_year_end_meetings_are_not_scored(k1, rubric, september):
    committee = meeting_services.plan_meeting(
        k1, kind="committee", scheduled_at=at(2025, 9, 1), prepares=september
    )
    assert services.rubric_for(committee) is None
    assert "not scored" in services.scoring_problem(committee, None)


def test_a_new_version_cannot_take_effect_before_the_last_one(p1, rubric):
    for day in (dt.date(2025, 1, 1), dt.date(2024, 6, 1)):
        with pytest.raises(ValidationError) as e:
            services.save_version(
                province=p1, kind=RubricKind.REGULAR, data=data_of(rubric, effective_from=day)
            )
        assert e.value.message_dict["effective_from"] == [
            "A version must take effect after the one before it (in force from 01/01/2025)."
        ]
    assert Rubric.objects.filter(organization=p1, kind=RubricKind.REGULAR).count() == 1


def test_the_criteria_must_add_up_to_the_total_and_the_message_says_to_what(p1, rubric):
    data = data_of(rubric, effective_from=dt.date(2026, 1, 1))
    data["groups"][0]["criteria"][0]["max_points"] = Decimal(10)  # was 5
    with pytest.raises(ValidationError) as e:
        services.save_version(province=p1, kind=RubricKind.REGULAR, data=data)
    assert e.value.message_dict["total_points"] == [
        "The criteria add up to 105 points, not 100: adjust the points or the total."
    ]
    data["total_points"] = Decimal(105)
    version = services.save_version(province=p1, kind=RubricKind.REGULAR, data=data)
    assert version.total_points == 105


def test_thresholds_must_descend(p1, rubric):
    data = data_of(rubric, effective_from=dt.date(2026, 1, 1), fair_from=Decimal(90))
    with pytest.raises(ValidationError) as e:
        services.save_version(province=p1, kind=RubricKind.REGULAR, data=data)
    assert "must descend" in e.value.message_dict["good_from"][0]


def test_a_rate_rule_needs_its_rate(p1, rubric):
    data = data_of(rubric, effective_from=dt.date(2026, 1, 1))
    rate = next(
        c
        for g in data["groups"]
        for c in g["criteria"]
        if c["auto_rule"] == AutoRule.ATTENDANCE_RATE
    )
    rate["auto_param"] = None
    with pytest.raises(ValidationError) as e:
        services.save_version(province=p1, kind=RubricKind.REGULAR, data=data)
    assert e.value.message_dict["groups"] == [
        "“Trên 85% đảng viên có mặt”: This rule compares a rate: give it, e.g. 85 (%)."
    ]


def test_an_unused_version_changes_in_place_a_used_one_is_frozen(p1, rubric, september, world):
    version = services.save_version(
        province=p1,
        kind=RubricKind.REGULAR,
        data=data_of(rubric, name="Sửa tên"),
        replace=rubric,
    )
    assert version.pk == rubric.pk and version.name == "Sửa tên"
    assert not services.is_frozen(rubric)
    hold(september, world)
    services.record_self_score(september, manual_points(rubric), by=world.user("secretary_k1"))
    assert services.is_frozen(rubric)
    with pytest.raises(ValidationError) as e:
        services.save_version(
            province=p1, kind=RubricKind.REGULAR, data=data_of(rubric), replace=rubric
        )
    assert "Save the changes as a new version" in e.value.messages[0]
    # Edit = a new version from a later date: the scored meeting keeps its version.
    newer = services.save_version(
        province=p1,
        kind=RubricKind.REGULAR,
        data=data_of(rubric, effective_from=dt.date(2025, 9, 1)),
    )
    assert newer.pk != rubric.pk and newer.groups.count() == rubric.groups.count()
    september.quality.refresh_from_db()
    assert september.quality.rubric == rubric


def test_installing_a_preset_twice_on_the_same_day_is_refused_and_writes_nothing(p1, rubric):
    before = Rubric.objects.count()
    with pytest.raises(ValidationError):
        services.install_preset(p1, "hd12_2018", dt.date(2025, 1, 1))
    assert Rubric.objects.count() == before
    with pytest.raises(ValidationError):
        services.install_preset(p1, "unknown", dt.date(2026, 1, 1))


def test_rubrics_are_issued_by_a_province(world, rubric):
    with pytest.raises(ValidationError):
        services.save_version(
            province=world.org("C1"), kind=RubricKind.REGULAR, data=data_of(rubric)
        )
