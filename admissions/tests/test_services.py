"""Every transition of the admission pipeline, valid and invalid (nothing written on error)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from admissions import services
from admissions.models import Candidate, CandidateIntroducer, CellVote, Stage
from admissions.tests import targets as t
from members.models import LeftReason, Member, Membership, MemberStatus, Person

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages in English, so the tests match the msgids."""
    with translation.override("en"):
        yield


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def duc(world):
    return world.member("Nguyễn Văn Đức", "K1")


@pytest.fixture
def hoa(world):
    return world.member("Trần Thị Hoa", "K1")


def messages(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


def snapshot(candidate: Candidate):
    candidate.refresh_from_db()
    return (
        candidate.stage,
        candidate.stage_on,
        Candidate.history.count(),
        CellVote.objects.count(),
        CandidateIntroducer.objects.count(),
        Member.objects.count(),
        Membership.objects.count(),
    )


# ---- listing --------------------------------------------------------------------------


def test_listing_saves_the_person_and_opens_the_candidacy_in_the_cell(k1):
    c = t.new_candidate(k1)
    assert c.stage == Stage.LISTED and c.stage_on == t.LISTED
    assert c.person.pk and c.person.province_id == k1.province_id
    assert c.province_id == k1.province_id
    assert not hasattr(c.person, "member")


def test_listing_needs_a_cell(world):
    with pytest.raises(ValidationError, match="not a cell"):
        t.new_candidate(world.org("C1"))


def test_listing_refuses_a_future_date_and_a_date_before_birth(k1):
    for day, msg in [
        (timezone.localdate() + dt.timedelta(days=1), "future"),
        (D(1999, 1, 1), "before the date of birth"),
    ]:
        with pytest.raises(ValidationError, match=msg):
            services.create_candidate(
                person=Person(full_name="Đỗ Minh Khôi", sex="M", birth_date=D(2000, 1, 1)),
                organization=k1,
                listed_on=day,
            )
    assert not Person.objects.filter(full_name="Đỗ Minh Khôi").exists()


def test_listing_refuses_a_citizen_id_already_used_in_the_province(k1):
    t.new_candidate(k1, citizen_id="001200012345")
    with pytest.raises(ValidationError, match="citizen ID"):
        t.new_candidate(k1, name="Người Khác", citizen_id="001200012345")


def test_listing_refuses_an_existing_member_and_a_second_open_candidacy(k1, duc):
    with pytest.raises(ValidationError, match="already a party member"):
        services.create_candidate(person=duc.person, organization=k1, listed_on=t.LISTED)
    c = t.new_candidate(k1)
    with pytest.raises(ValidationError, match="already a candidate"):
        services.create_candidate(person=c.person, organization=k1, listed_on=t.LISTED)


def test_listing_validates_the_person_fields(k1):
    with pytest.raises(ValidationError) as e:
        t.new_candidate(k1, citizen_id="123")
    assert "citizen_id" in e.value.error_dict


# ---- sympathizer ------------------------------------------------------------------------


def test_sympathizer_by_cell_resolution_with_an_official_helper(k1, duc):
    c = t.new_candidate(k1)
    services.make_sympathizer(c, resolution_no=" 05-NQ/CB ", on=t.SYMPATHIZER, helper=duc)
    c.refresh_from_db()
    assert (c.stage, c.sympathizer_resolution_no, c.helper) == (
        Stage.SYMPATHIZER,
        "05-NQ/CB",
        duc,
    )


def test_sympathizer_helper_must_be_an_official_member_of_the_cell(world, k1):
    c = t.new_candidate(k1)
    before = snapshot(c)
    for helper in (world.member("Lê Văn Nam", "K1"), world.member("Hoàng Văn Bình", "K2")):
        with pytest.raises(ValidationError, match="official member of the cell"):
            services.make_sympathizer(c, resolution_no="05", on=t.SYMPATHIZER, helper=helper)
    assert snapshot(c) == before


def test_sympathizer_date_cannot_precede_the_listing_nor_be_in_the_future(k1, duc):
    c = t.new_candidate(k1)
    with pytest.raises(ValidationError, match="before the listing"):
        services.make_sympathizer(c, resolution_no="05", on=t.LISTED - dt.timedelta(1), helper=duc)
    with pytest.raises(ValidationError, match="future"):
        services.make_sympathizer(
            c, resolution_no="05", on=timezone.localdate() + dt.timedelta(1), helper=duc
        )
    # The same day as the listing is accepted.
    services.make_sympathizer(c, resolution_no="05", on=t.LISTED, helper=duc)


def test_a_step_out_of_order_is_refused(k1):
    c = t.new_candidate(k1)
    before = snapshot(c)
    with pytest.raises(ValidationError, match="not the next step"):
        services.record_certificate(c, number="1", on=t.CERTIFICATE, issuer="X")
    with pytest.raises(ValidationError, match="not the next step"):
        services.record_background_check(c, on=t.CHECKED, by="X")
    assert snapshot(c) == before


# ---- certificate --------------------------------------------------------------------------


def test_certificate_needs_its_number_and_issuer_and_a_date_after_the_sympathizer_list(k1):
    c = t.advance(t.new_candidate(k1), Stage.SYMPATHIZER)
    with pytest.raises(ValidationError, match="certificate number"):
        services.record_certificate(c, number=" ", on=t.CERTIFICATE, issuer="X")
    with pytest.raises(ValidationError, match="before the sympathizer resolution"):
        services.record_certificate(c, number="1", on=t.LISTED, issuer="X")
    services.record_certificate(c, number="1/GCN", on=t.CERTIFICATE, issuer="Trung tâm")
    c.refresh_from_db()
    assert (c.stage, c.certificate_no, c.certificate_on) == (Stage.TRAINED, "1/GCN", t.CERTIFICATE)


# ---- dossier ---------------------------------------------------------------------------------


def test_dossier_with_two_official_introducers(k1, duc, hoa):
    c = t.advance(t.new_candidate(k1), Stage.TRAINED)
    services.record_dossier(
        c,
        applied_on=t.APPLIED,
        personal_history_on=t.HISTORY,
        introducers=[(duc, D(2021, 1, 1)), (hoa, D(2022, 6, 1))],
    )
    c.refresh_from_db()
    assert c.stage == Stage.DOSSIER and c.stage_on == t.HISTORY
    assert {i.member for i in c.introducers.all()} == {duc, hoa}


def test_dossier_needs_two_introducers_or_the_union_and_one(k1, duc, hoa):
    c = t.advance(t.new_candidate(k1), Stage.TRAINED)
    before = snapshot(c)
    cases = [
        ([(duc, D(2020, 1, 1))], ""),
        ([(duc, D(2020, 1, 1)), (hoa, D(2020, 1, 1))], "youth_union"),
        ([(duc, D(2020, 1, 1)), (duc, D(2020, 1, 1))], ""),
    ]
    for introducers, union in cases:
        with pytest.raises(ValidationError):
            services.record_dossier(
                c,
                applied_on=t.APPLIED,
                personal_history_on=t.HISTORY,
                introducers=introducers,
                union_introduction=union,
                union_introduction_on=t.APPLIED,
            )
    assert snapshot(c) == before


def test_introducers_must_be_official_members(world, k1, duc):
    c = t.advance(t.new_candidate(k1), Stage.TRAINED)
    for other in (world.member("Lê Văn Nam", "K1"), world.member("Phạm Thị Lan", "K1")):
        with pytest.raises(ValidationError, match="not an official member"):
            services.record_dossier(
                c,
                applied_on=t.APPLIED,
                personal_history_on=t.HISTORY,
                introducers=[(duc, D(2020, 1, 1)), (other, D(2020, 1, 1))],
            )


def test_introducers_from_another_province_are_refused(world, k1, duc):
    c = t.advance(t.new_candidate(k1), Stage.TRAINED)
    with pytest.raises(ValidationError, match="not in this province"):
        services.record_dossier(
            c,
            applied_on=t.APPLIED,
            personal_history_on=t.HISTORY,
            introducers=[(duc, D(2020, 1, 1)), (world.member("Bùi Văn Tâm", "K4"), D(2020, 1, 1))],
        )


def test_introducers_knew_the_applicant_for_12_months_at_the_boundary(k1, duc, hoa):
    c = t.advance(t.new_candidate(k1), Stage.TRAINED)
    # Applied 01/06/2023: since 01/06/2022 is exactly 12 months; 02/06/2022 is one day short.
    with pytest.raises(ValidationError, match="at least 12 months"):
        services.record_dossier(
            c,
            applied_on=t.APPLIED,
            personal_history_on=t.HISTORY,
            introducers=[(duc, D(2022, 6, 2)), (hoa, D(2020, 1, 1))],
        )
    services.record_dossier(
        c,
        applied_on=t.APPLIED,
        personal_history_on=t.HISTORY,
        introducers=[(duc, D(2022, 6, 1)), (hoa, D(2020, 1, 1))],
    )


def test_dossier_dates_after_the_certificate(k1, duc, hoa):
    c = t.advance(t.new_candidate(k1), Stage.TRAINED)
    with pytest.raises(ValidationError) as e:
        services.record_dossier(
            c,
            applied_on=t.APPLIED,
            personal_history_on=t.CERTIFICATE - dt.timedelta(1),
            introducers=[(duc, D(2020, 1, 1)), (hoa, D(2020, 1, 1))],
        )
    assert "personal_history_on" in e.value.error_dict


# ---- background check ------------------------------------------------------------------------


def test_background_check(k1):
    c = t.advance(t.new_candidate(k1), Stage.DOSSIER)
    with pytest.raises(ValidationError, match="before the application dossier"):
        services.record_background_check(c, on=t.APPLIED, by="Đảng ủy xã")
    with pytest.raises(ValidationError, match="who carried out"):
        services.record_background_check(c, on=t.CHECKED, by="")
    services.record_background_check(c, on=t.CHECKED, by="Đảng ủy xã")
    c.refresh_from_db()
    assert (c.stage, c.checked_on, c.checked_by) == (Stage.CHECKED, t.CHECKED, "Đảng ủy xã")


# ---- cell vote --------------------------------------------------------------------------------


def test_admission_vote_passes_with_two_thirds_of_the_official_members(k1):
    assert services.admission_vote_passes(2, 3)
    assert not services.admission_vote_passes(1, 2)  # half is not enough
    assert services.admission_vote_passes(2, 2)
    assert not services.admission_vote_passes(5, 8)
    c = t.advance(t.new_candidate(k1), Stage.CHECKED)
    vote = services.record_admission_vote(c, on=t.VOTED, votes_for=1, eligible=2)
    c.refresh_from_db()
    assert not vote.passed and c.stage == Stage.CHECKED  # kept on record, stays checked
    vote = services.record_admission_vote(
        c, on=t.VOTED, votes_for=2, eligible=2, resolution_no="07-NQ/CB"
    )
    c.refresh_from_db()
    assert vote.passed and c.stage == Stage.VOTED and c.votes.count() == 2


def test_admission_vote_counts_only_official_members(k1):
    c = t.advance(t.new_candidate(k1), Stage.CHECKED)
    before = snapshot(c)
    # K1 has 2 official members (one probationary, one exempt).
    with pytest.raises(ValidationError, match="2 official members"):
        services.record_admission_vote(c, on=t.VOTED, votes_for=3, eligible=3)
    with pytest.raises(ValidationError, match="cannot exceed"):
        services.record_admission_vote(c, on=t.VOTED, votes_for=3, eligible=2)
    with pytest.raises(ValidationError, match="at least one"):
        services.record_admission_vote(c, on=t.VOTED, votes_for=0, eligible=0)
    with pytest.raises(ValidationError, match="before the background check"):
        services.record_admission_vote(c, on=t.HISTORY, votes_for=2, eligible=2)
    assert snapshot(c) == before


def test_admission_vote_refuses_an_applicant_under_18_by_the_month(k1):
    c = t.advance(t.new_candidate(k1, birth_date=D(2005, 8, 11)), Stage.CHECKED)
    with pytest.raises(ValidationError, match="under 18"):
        services.record_admission_vote(c, on=D(2023, 8, 10), votes_for=2, eligible=2)


# ---- decision and ceremony ------------------------------------------------------------------


def test_admission_decision_and_received_date(k1):
    c = t.advance(t.new_candidate(k1), Stage.VOTED)
    with pytest.raises(ValidationError) as e:
        services.record_admission_decision(
            c, number="45", on=t.DECIDED, by="ĐU", received_on=t.DECIDED - dt.timedelta(1)
        )
    assert "received_on" in e.value.error_dict
    with pytest.raises(ValidationError, match="before the cell's vote"):
        services.record_admission_decision(
            c, number="45", on=t.CHECKED, by="ĐU", received_on=t.RECEIVED
        )
    services.record_admission_decision(
        c, number="45-QĐ/ĐU", on=t.DECIDED, by="BTV Đảng ủy", received_on=t.RECEIVED
    )
    c.refresh_from_db()
    assert (c.stage, c.decision_no, c.decision_received_on) == (
        Stage.DECIDED,
        "45-QĐ/ĐU",
        t.RECEIVED,
    )


def test_ceremony_creates_a_probationary_member_with_a_home_membership(k1):
    c = t.advance(t.new_candidate(k1), Stage.DECIDED)
    person_id = c.person_id
    member = services.record_ceremony(c, on=t.CEREMONY, dossier_no="900001tn")
    c.refresh_from_db()
    assert c.stage == Stage.PROBATION and c.member == member
    assert member.person_id == person_id  # the same person row, not a copy
    assert (member.status, member.ceremony_date, member.admission_decision_date) == (
        MemberStatus.PROBATIONARY,
        t.CEREMONY,
        t.DECIDED,
    )
    assert member.dossier_no == "900001TN" and member.organization == k1
    ms = member.memberships.get()
    assert (ms.organization, ms.kind, ms.start_date, ms.end_date) == (k1, "home", t.CEREMONY, None)
    assert c.probation_end == t.PROBATION_END


def test_ceremony_on_the_30th_working_day_is_on_time_and_later_needs_a_reason(k1):
    c = t.advance(t.new_candidate(k1), Stage.DECIDED)
    # Received Fri 25/08/2023; 1–4/9 are the National Day holidays (2/9 and the bridge days).
    from admissions.deadlines import ceremony_deadline

    last = ceremony_deadline(t.RECEIVED)
    assert last == D(2023, 10, 10)
    before = snapshot(c)
    with pytest.raises(ValidationError, match="give the reason"):
        services.record_ceremony(c, on=last + dt.timedelta(1), dossier_no="900001TN")
    assert snapshot(c) == before
    services.record_ceremony(
        c, on=last + dt.timedelta(1), dossier_no="900001TN", late_reason="Chờ ngày 10/10"
    )
    c.refresh_from_db()
    assert c.ceremony_late_reason == "Chờ ngày 10/10"


def test_ceremony_on_the_last_day_keeps_no_late_reason(k1):
    from admissions.deadlines import ceremony_deadline

    c = t.advance(t.new_candidate(k1), Stage.DECIDED)
    services.record_ceremony(
        c, on=ceremony_deadline(t.RECEIVED), dossier_no="900001TN", late_reason="x"
    )
    c.refresh_from_db()
    assert c.ceremony_late_reason == ""


def test_ceremony_refuses_a_dossier_number_in_use_and_a_bad_one(k1):
    c = t.advance(t.new_candidate(k1), Stage.DECIDED)
    before = snapshot(c)
    with pytest.raises(ValidationError, match="dossier number 000001TN"):
        services.record_ceremony(c, on=t.CEREMONY, dossier_no="000001TN")
    with pytest.raises(ValidationError):
        services.record_ceremony(c, on=t.CEREMONY, dossier_no="12")
    with pytest.raises(ValidationError, match="before receiving the decision"):
        services.record_ceremony(c, on=t.DECIDED, dossier_no="900001TN")
    assert snapshot(c) == before


# ---- probation and recognition -------------------------------------------------------------


def test_recognition_vote_not_before_the_end_of_the_12_months(k1):
    c = t.advance(t.new_candidate(k1), Stage.PROBATION)
    with pytest.raises(ValidationError, match="before the end of probation"):
        services.record_recognition_vote(
            c, on=t.PROBATION_END - dt.timedelta(1), votes_for=2, eligible=2
        )
    services.record_recognition_vote(c, on=t.PROBATION_END, votes_for=2, eligible=2)
    c.refresh_from_db()
    assert c.stage == Stage.RECOGNITION_VOTED


def test_recognition_makes_the_member_official_as_of_the_end_of_probation_even_when_late(k1):
    c = t.advance(t.new_candidate(k1), Stage.PROBATION)
    late = D(2025, 3, 3)  # months after the 30 working days
    services.record_recognition_vote(c, on=late, votes_for=2, eligible=2)
    c.refresh_from_db()
    member = services.record_recognition_decision(
        c, number="78-QĐ/ĐU", on=D(2025, 3, 10), by="BTV Đảng ủy"
    )
    member.refresh_from_db()
    c.refresh_from_db()
    assert c.stage == Stage.OFFICIAL
    assert (member.status, member.official_date) == (MemberStatus.OFFICIAL, t.PROBATION_END)


def test_three_recognition_votes_without_two_thirds_go_to_the_upper_committee(k1):
    c = t.advance(t.new_candidate(k1), Stage.PROBATION)
    for i in range(2):
        services.record_recognition_vote(
            c, on=t.PROBATION_END + dt.timedelta(i), votes_for=1, eligible=2
        )
        c.refresh_from_db()
        assert c.stage == Stage.PROBATION
    with pytest.raises(ValidationError, match="before the previous vote"):
        services.record_recognition_vote(c, on=t.PROBATION_END, votes_for=1, eligible=2)
    services.record_recognition_vote(
        c, on=t.PROBATION_END + dt.timedelta(2), votes_for=1, eligible=2
    )
    c.refresh_from_db()
    assert c.stage == Stage.REFERRED
    with pytest.raises(ValidationError, match="not the next step"):
        services.record_recognition_vote(c, on=D(2024, 10, 1), votes_for=2, eligible=2)
    # The upper committee decides: recognise.
    member = services.record_recognition_decision(c, number="9", on=D(2024, 10, 1), by="BTV")
    assert member.official_date == t.PROBATION_END


def test_recognition_decision_needs_the_passed_vote(k1):
    c = t.advance(t.new_candidate(k1), Stage.PROBATION)
    with pytest.raises(ValidationError, match="not the next step"):
        services.record_recognition_decision(c, number="9", on=D(2024, 10, 1), by="BTV")
    c = t.advance(c, Stage.RECOGNITION_VOTED)
    with pytest.raises(ValidationError, match="before the cell's vote"):
        services.record_recognition_decision(c, number="9", on=t.PROBATION_END, by="BTV")


def test_strike_off_during_probation_closes_the_membership(k1):
    c = t.advance(t.new_candidate(k1), Stage.PROBATION)
    member = services.strike_off(
        c, number="12-QĐ/ĐU", on=D(2024, 3, 1), reason="Vi phạm tư cách đảng viên"
    )
    member.refresh_from_db()
    c.refresh_from_db()
    assert c.stage == Stage.STRUCK_OFF and c.closed_at_stage == Stage.PROBATION
    assert (member.status, member.left_reason, member.status_date) == (
        MemberStatus.LEFT,
        LeftReason.PROBATION_REMOVED,
        D(2024, 3, 1),
    )
    assert member.memberships.get().end_date == D(2024, 3, 1)
    with pytest.raises(ValidationError, match="not the next step"):
        services.strike_off(c, number="1", on=D(2024, 3, 2), reason="x")


def test_strike_off_needs_number_reason_and_a_date_in_probation(k1):
    c = t.advance(t.new_candidate(k1), Stage.PROBATION)
    before = snapshot(c)
    with pytest.raises(ValidationError, match="decision number"):
        services.strike_off(c, number="", on=D(2024, 3, 1), reason="x")
    with pytest.raises(ValidationError, match="reason"):
        services.strike_off(c, number="1", on=D(2024, 3, 1), reason=" ")
    with pytest.raises(ValidationError, match="before the current stage"):
        services.strike_off(c, number="1", on=t.DECIDED, reason="x")
    with pytest.raises(ValidationError, match="not the next step"):
        services.strike_off(t.new_candidate(k1, name="Khác"), number="1", on=t.CEREMONY, reason="x")
    assert snapshot(c)[:2] == before[:2]


# ---- exits before admission -------------------------------------------------------------------


@pytest.mark.parametrize("stage", [Stage.LISTED, Stage.DOSSIER, Stage.DECIDED])
def test_rejection_or_withdrawal_at_any_stage_before_the_ceremony(k1, stage):
    c = t.advance(t.new_candidate(k1), stage)
    services.close_candidacy(c, withdrawn=True, on=D(2023, 10, 1), reason="Chuyển đi nơi khác")
    c.refresh_from_db()
    assert (c.stage, c.closed_at_stage, c.closed_on) == (Stage.WITHDRAWN, stage, D(2023, 10, 1))
    # The person may be listed again later, in a new candidacy.
    services.create_candidate(person=c.person, organization=k1, listed_on=D(2023, 11, 1))


def test_rejection_needs_a_reason_and_is_not_possible_after_the_ceremony(k1):
    c = t.new_candidate(k1)
    with pytest.raises(ValidationError, match="reason"):
        services.close_candidacy(c, withdrawn=False, on=t.LISTED, reason="")
    services.close_candidacy(c, withdrawn=False, on=t.LISTED, reason="Không đủ tiêu chuẩn")
    c.refresh_from_db()
    assert c.stage == Stage.REJECTED
    c2 = t.advance(t.new_candidate(k1, name="Khác"), Stage.PROBATION)
    with pytest.raises(ValidationError, match="not the next step"):
        services.close_candidacy(c2, withdrawn=False, on=D(2024, 1, 1), reason="x")


# ---- probationary members admitted before the pipeline ---------------------------------------


def test_open_probation_for_a_member_entered_without_a_candidacy(world):
    nam = world.member("Lê Văn Nam", "K1")
    c = services.open_probation(nam)
    assert (c.stage, c.ceremony_on, c.member, c.listed_on) == (
        Stage.PROBATION,
        D(2025, 6, 1),
        nam,
        None,
    )
    assert services.open_probation(nam) == c  # once
    with pytest.raises(ValidationError):
        services.open_probation(world.member("Trần Thị Hoa", "K1"))
