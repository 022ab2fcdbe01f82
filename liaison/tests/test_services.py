"""The residence-liaison rules: who is introduced, every transition valid and invalid, the
annual comment, the notices to the other side, and the rates."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from liaison import services
from liaison.models import (
    AnnualComment,
    EndReason,
    Exemption,
    LiaisonNotice,
    LiaisonStatus,
    ResidenceLiaison,
    Side,
)
from liaison.tests.conftest import ANSWERS, JULY
from liaison.tests.targets import make_member
from members.models import Member
from organizations import services as org_services
from organizations.models import CellType, OrgKind

AUG = dt.date(2025, 8, 1)


def fields(error: ValidationError) -> set:
    return set(error.value.error_dict) if hasattr(error.value, "error_dict") else set()


def comment(liaison, year=2025, overall="good", on=dt.date(2025, 12, 20), **kw):
    return services.record_comment(
        liaison, year=year, answers=ANSWERS, overall=overall, commented_on=on, **kw
    )


# ---- eligibility --------------------------------------------------------------------------


def test_members_of_workplace_cells_are_eligible_and_village_cells_are_not(world, school):
    worker = make_member(school, "Giáo Viên Một")
    eligible = set(services.eligible(Member.objects.all()))
    assert worker in eligible
    assert world.member("Đặng Quốc Huy", "G1") in eligible
    assert not eligible & set(Member.objects.filter(organization__code__in=["K1", "K2", "K3"]))
    village_member = world.member("Trần Thị Hoa", "K1")
    assert "not a workplace cell" in services.why_not_eligible(village_member)
    assert services.why_not_eligible(worker) == ""


@pytest.mark.parametrize(
    ("status", "is_eligible"),
    [("probationary", True), ("official", True), ("exempt", False), ("suspended", False)],
)
def test_only_probationary_and_official_members_are_eligible(school, status, is_eligible):
    member = make_member(school, "Người Thử", status=status)
    assert (services.why_not_eligible(member) == "") is is_eligible
    assert services.eligible(Member.objects.filter(pk=member.pk)).exists() is is_eligible


def test_other_cell_types_are_not_presumed_workplaces(world):
    other = org_services.create_organization(
        parent=world.org("C1"),
        kind=OrgKind.CELL,
        name="Chi bộ Hợp tác xã",
        code="O1",
        cell_type=CellType.OTHER,
        founded_on=dt.date(2000, 1, 1),
    )
    assert services.why_not_eligible(make_member(other, "Xã Viên"))


def test_the_residence_is_proposed_from_the_members_village(world, huy):
    assert services.proposed_residence(huy) == (world.org("C1"), world.org("K1"))
    huy.person.residence_village = None
    assert services.proposed_residence(huy) == (None, None)


def test_not_yet_introduced_leaves_out_the_introduced_and_the_exempt(world, school, introduced):
    a = make_member(school, "Giáo Viên A")
    b = make_member(school, "Giáo Viên B")
    services.exempt(b, category=Exemption.SECRET_MISSION, reason="Nhiệm vụ đặc biệt", on=JULY)
    assert set(services.not_yet_introduced(Member.objects.all())) == {a}


# ---- introduce ----------------------------------------------------------------------------


def test_the_workplace_committee_introduces_a_member(world, huy, introduced):
    assert introduced.status == LiaisonStatus.INTRODUCED
    assert introduced.workplace_cell == world.org("G1")
    assert introduced.residence_commune == world.org("C1")
    assert introduced.residence_village.code == "V1"
    assert introduced.province == world.org("P1")
    assert introduced.letter_no == "15-GGT/ĐU"
    assert introduced.history.first().history_user == world.user("staff_p1")


def test_a_member_of_a_village_cell_is_not_introduced(world):
    with pytest.raises(ValidationError, match="not a workplace cell"):
        services.introduce(
            world.member("Trần Thị Hoa", "K1"),
            residence_commune=world.org("C1"),
            introduced_on=JULY,
        )
    assert not ResidenceLiaison.objects.exists()


@pytest.mark.parametrize("code", ["G1", "K1", "U1", "P1"])
def test_the_residence_side_must_be_a_commune_committee(world, huy, code):
    with pytest.raises(ValidationError) as e:
        services.introduce(huy, residence_commune=world.org(code), introduced_on=JULY)
    assert fields(e) == {"residence_commune"}


def test_a_dissolved_commune_cannot_receive_introductions(world, huy):
    c2 = world.org("C2")
    c2.dissolved_on = dt.date(2025, 1, 1)
    c2.save()
    with pytest.raises(ValidationError, match="dissolved"):
        services.introduce(huy, residence_commune=c2, introduced_on=JULY)


def test_a_proposed_cell_must_be_a_residential_cell_of_that_commune(world, huy, school):
    for cell in (world.org("K3"), school):
        with pytest.raises(ValidationError) as e:
            services.introduce(
                huy, residence_commune=world.org("C1"), residence_cell=cell, introduced_on=JULY
            )
        assert fields(e) == {"residence_cell"}
    ok = services.introduce(
        huy, residence_commune=world.org("C1"), residence_cell=world.org("K2"), introduced_on=JULY
    )
    assert ok.residence_cell == world.org("K2")


def test_the_introduction_date_is_neither_in_the_future_nor_before_joining(world, huy):
    for day in (dt.date(2099, 1, 1), huy.admission_decision_date - dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as e:
            services.introduce(huy, residence_commune=world.org("C1"), introduced_on=day)
        assert fields(e) == {"introduced_on"}
    services.introduce(
        huy, residence_commune=world.org("C1"), introduced_on=huy.admission_decision_date
    )


def test_a_member_is_introduced_only_once_at_a_time(world, huy, introduced):
    with pytest.raises(ValidationError, match="already introduced"):
        services.introduce(huy, residence_commune=world.org("C2"), introduced_on=AUG)
    assert ResidenceLiaison.objects.count() == 1


def test_an_activity_exemption_at_introduction_needs_its_reason_and_a_1_1_case(world, huy):
    c1 = world.org("C1")
    with pytest.raises(ValidationError) as e:
        services.introduce(huy, residence_commune=c1, introduced_on=JULY, exemption="barracks")
    assert fields(e) == {"exemption_reason"}
    with pytest.raises(ValidationError) as e:
        services.introduce(
            huy, residence_commune=c1, introduced_on=JULY, exemption="secret_mission",
            exemption_reason="x",
        )  # fmt: skip
    assert fields(e) == {"exemption"}
    liaison = services.introduce(
        huy, residence_commune=c1, introduced_on=JULY, exemption=Exemption.BARRACKS,
        exemption_reason="Ở doanh trại",
    )  # fmt: skip
    assert liaison.exempt_from_activities and liaison.exempt_on == JULY


# ---- receive ------------------------------------------------------------------------------


def test_the_commune_receives_and_assigns_the_cell(world, received):
    received.refresh_from_db()
    assert received.status == LiaisonStatus.RECEIVED
    assert received.residence_cell == world.org("K1")
    assert received.received_on == dt.date(2025, 7, 10)
    assert received.received_by == world.user("staff_c1")


def test_receiving_twice_or_an_ended_liaison_is_refused(world, received):
    with pytest.raises(ValidationError, match="Only an introduced member"):
        services.receive(received, residence_cell=world.org("K1"), received_on=AUG)
    services.end(received, on=AUG, reason=EndReason.MOVED)
    with pytest.raises(ValidationError, match="Only an introduced member"):
        services.receive(received, residence_cell=world.org("K1"), received_on=AUG)


def test_receipt_needs_a_cell_of_the_commune_and_a_date_after_the_introduction(world, introduced):
    cases = [
        ({"residence_cell": None, "received_on": AUG}, "residence_cell"),
        ({"residence_cell": world.org("K3"), "received_on": AUG}, "residence_cell"),
        ({"residence_cell": world.org("K1"), "received_on": dt.date(2025, 6, 30)}, "received_on"),
        ({"residence_cell": world.org("K1"), "received_on": dt.date(2099, 1, 1)}, "received_on"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as e:
            services.receive(introduced, **kwargs)
        assert fields(e) == {field}
    introduced.refresh_from_db()
    assert introduced.status == LiaisonStatus.INTRODUCED
    services.receive(introduced, residence_cell=world.org("K1"), received_on=JULY)  # same day


# ---- end and the notices ------------------------------------------------------------------


def test_the_workplace_reports_a_job_change_and_the_residence_is_told(
    world, received, django_capture_on_commit_callbacks
):
    staff_c1, secretary = world.user("staff_c1"), world.user("secretary_k1")
    staff_c1.email, secretary.email = "c1@example.org", "k1@example.org"
    staff_c1.save()
    secretary.save()
    with django_capture_on_commit_callbacks(execute=True):
        liaison, notice = services.end(
            received, on=AUG, reason=EndReason.CHANGED_JOB, by=world.user("staff_p1")
        )
    assert len(mail.outbox) == 2  # sent once the change is committed
    notice.refresh_from_db()
    assert (liaison.status, liaison.ended_on, liaison.ended_by_side) == ("ended", AUG, "workplace")
    assert (notice.from_org, notice.to_org, notice.kind) == (
        world.org("G1"),
        world.org("C1"),
        "changed_job",
    )
    assert sorted(notice.recipients) == ["c1@example.org", "k1@example.org"]
    assert notice.emailed_at is not None
    assert len(mail.outbox) == 2
    assert "Đặng Quốc Huy" in mail.outbox[0].subject


def test_the_residence_reports_a_move_and_the_workplace_is_told(
    world, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _liaison, notice = services.end(
            received,
            on=AUG,
            reason=EndReason.MOVED,
            side=Side.RESIDENCE,
            note="Chuyển ra thành phố",
        )
    notice.refresh_from_db()
    assert (notice.from_org, notice.to_org) == (world.org("C1"), world.org("G1"))
    assert notice.note == "Chuyển ra thành phố"
    # Nobody holds a role on G1: nothing is e-mailed, and the notice says so.
    assert (notice.recipients, notice.emailed_at, len(mail.outbox)) == ([], None, 0)


def test_staff_without_an_address_are_listed_on_the_notice(
    world, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _liaison, notice = services.end(received, on=AUG, reason=EndReason.RETIRED)
    notice.refresh_from_db()
    assert notice.without_email == ["secretary_k1", "staff_c1"]
    assert notice.emailed_at is None


def test_a_cell_under_a_committee_is_answered_by_its_grassroots_committee(world, school, v1):
    teacher = make_member(school, "Giáo Viên Một", village=v1)
    liaison = services.introduce(teacher, residence_commune=world.org("C2"), introduced_on=JULY)
    _l, notice = services.end(liaison, on=AUG, reason=EndReason.LEFT_PARTY)
    assert notice.from_org == world.org("C1")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"on": dt.date(2025, 6, 30), "reason": "moved"}, "on"),
        ({"on": dt.date(2099, 1, 1), "reason": "moved"}, "on"),
        ({"on": AUG, "reason": "bored"}, "reason"),
        ({"on": AUG, "reason": "exemption_lifted"}, "reason"),
        ({"on": AUG, "reason": "other"}, "note"),
        ({"on": AUG, "reason": "moved", "side": "nobody"}, "side"),
    ],
)
def test_invalid_endings_write_nothing(world, introduced, kwargs, field):
    with pytest.raises(ValidationError) as e:
        services.end(introduced, **kwargs)
    assert fields(e) == {field}
    introduced.refresh_from_db()
    assert introduced.status == LiaisonStatus.INTRODUCED
    assert not LiaisonNotice.objects.exists()


def test_a_received_liaison_cannot_end_before_its_receipt(received):
    with pytest.raises(ValidationError):
        services.end(received, on=dt.date(2025, 7, 9), reason="moved")


def test_an_ended_liaison_cannot_end_again_and_a_new_one_may_start(world, huy, received):
    services.end(received, on=AUG, reason=EndReason.MOVED)
    with pytest.raises(ValidationError, match="already ended"):
        services.end(received, on=AUG, reason=EndReason.MOVED)
    again = services.introduce(huy, residence_commune=world.org("C2"), introduced_on=AUG)
    assert again.status == LiaisonStatus.INTRODUCED
    assert huy.liaisons.count() == 2


def test_end_for_member_ends_the_open_liaison_and_tells_the_residence(world, huy, received):
    notices = services.end_for_member(huy, on=AUG, reason=EndReason.LEFT_PARTY)
    assert [n.to_org for n in notices] == [world.org("C1")]
    assert services.end_for_member(huy, on=AUG, reason=EndReason.LEFT_PARTY) == []


# ---- exemptions ---------------------------------------------------------------------------


def test_a_member_on_a_secret_mission_is_not_introduced(world, huy):
    row = services.exempt(huy, category=Exemption.SECRET_MISSION, reason="Trinh sát", on=JULY)
    assert (row.status, row.residence_commune, row.exempt_on) == ("exempt", None, JULY)
    with pytest.raises(ValidationError, match="exempt from introduction"):
        services.introduce(huy, residence_commune=world.org("C1"), introduced_on=AUG)
    _row, notice = services.end(row, on=AUG, reason=EndReason.EXEMPTION_LIFTED)
    assert notice is None  # no residence side to tell
    assert services.introduce(huy, residence_commune=world.org("C1"), introduced_on=AUG)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"category": "barracks", "reason": "x", "on": JULY}, "category"),
        ({"category": "secret_mission", "reason": " ", "on": JULY}, "reason"),
        ({"category": "secret_mission", "reason": "x", "on": dt.date(2099, 1, 1)}, "on"),
    ],
)
def test_invalid_exemptions_from_introduction(huy, kwargs, field):
    with pytest.raises(ValidationError) as e:
        services.exempt(huy, **kwargs)
    assert fields(e) == {field}
    assert not ResidenceLiaison.objects.exists()


def test_an_introduced_member_is_not_exempted_from_introduction(huy, introduced):
    with pytest.raises(ValidationError, match="already introduced"):
        services.exempt(huy, category="combat_readiness", reason="Trực", on=AUG)


def test_an_activity_exemption_is_set_and_lifted_on_an_open_liaison(world, received):
    services.set_activity_exemption(received, category="student_away", reason="Học ở Huế", on=AUG)
    assert received.exempt_from_activities
    services.set_activity_exemption(received, category="", on=AUG)
    received.refresh_from_db()
    assert (received.exemption, received.exempt_on) == ("", None)
    with pytest.raises(ValidationError, match="no exemption to lift"):
        services.set_activity_exemption(received, category="", on=AUG)
    with pytest.raises(ValidationError) as e:
        services.set_activity_exemption(received, category="combat_readiness", reason="x", on=AUG)
    assert fields(e) == {"exemption"}
    services.end(received, on=AUG, reason="moved")
    with pytest.raises(ValidationError, match="Only an open"):
        services.set_activity_exemption(received, category="mobile", reason="x", on=AUG)


# ---- the annual comment -------------------------------------------------------------------


def test_the_residence_cell_comments_once_a_year(world, received):
    c = comment(received, front_opinion="Nhất trí", signed_by="Nguyễn Văn Đức")
    assert (c.year, c.overall, c.province) == (2025, "good", world.org("P1"))
    assert c.criteria()[0][1] == "Done well"
    with pytest.raises(ValidationError) as e:
        comment(received, overall="not_good")
    assert fields(e) == {"year"}
    assert AnnualComment.objects.count() == 1


def test_no_comment_before_the_member_is_received(introduced):
    with pytest.raises(ValidationError, match="after receiving"):
        comment(introduced)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year": 2024}, "year"),  # before the receipt
        ({"year": 2099}, "year"),
        ({"on": dt.date(2025, 7, 9)}, "commented_on"),  # before the receipt
        ({"on": dt.date(2099, 1, 1), "year": 2025}, "commented_on"),
        ({"overall": "excellent"}, "overall"),
    ],
)
def test_invalid_comments_write_nothing(received, kwargs, field):
    with pytest.raises(ValidationError) as e:
        comment(received, **kwargs)
    assert field in fields(e)
    assert not AnnualComment.objects.exists()


def test_a_comment_on_a_year_is_given_in_that_year_or_later(received):
    services.record_comment(
        received, year=2025, answers=ANSWERS, overall="good", commented_on=dt.date(2026, 1, 5)
    )
    with pytest.raises(ValidationError) as e:
        services.record_comment(
            received, year=2026, answers=ANSWERS, overall="good", commented_on=dt.date(2025, 12, 1)
        )
    assert fields(e) == {"commented_on"}


def test_every_criterion_needs_an_answer(received):
    with pytest.raises(ValidationError) as e:
        services.record_comment(
            received,
            year=2025,
            answers={**ANSWERS, "people": "", "contact": "maybe"},
            overall="good",
            commented_on=AUG,
        )
    assert fields(e) == {"people", "contact"}


def test_an_ended_liaison_is_commented_up_to_its_last_year(received):
    services.end(received, on=dt.date(2025, 9, 1), reason="moved")
    assert comment(received, on=dt.date(2025, 12, 1)).year == 2025
    with pytest.raises(ValidationError) as e:
        comment(received, year=2026, on=dt.date(2026, 1, 10))
    assert fields(e) == {"year"}


# ---- the rates (brief §15, seed 004) ------------------------------------------------------


@pytest.fixture
def small_world(world, school, v1, huy):
    """Seven working members of P1: Huy (G1, not introduced) and six teachers of S1 (C1).

    A received, commented well · B received, commented not well · C introduced only ·
    D not introduced · E exempt from introduction · F received, exempt from activities.
    """
    c1, k1 = world.org("C1"), world.org("K1")
    t = {n: make_member(school, f"Giáo Viên {n}", village=v1) for n in "ABCDEF"}
    for n in "ABCF":
        liaison = services.introduce(t[n], residence_commune=c1, introduced_on=JULY)
        if n != "C":
            services.receive(liaison, residence_cell=k1, received_on=JULY)
        if n in "AB":
            comment(liaison, overall="good" if n == "A" else "not_good")
            comment(liaison, year=2026, on=dt.date(2026, 6, 1), overall="not_good")
        if n == "F":
            services.set_activity_exemption(liaison, category="mobile", reason="Đi tàu", on=JULY)
            comment(liaison)  # commented when needed: not counted among the routine ones
    services.exempt(t["E"], category="combat_readiness", reason="Trực sẵn sàng", on=JULY)
    return t


def test_the_workplace_rates_of_the_province(world, small_world):
    row = services.workplace_counts(world.org("P1"), 2025)
    assert {k: row[k] for k in ("working", "exempt", "eligible", "not_introduced")} == {
        "working": 7,
        "exempt": 1,
        "eligible": 6,
        "not_introduced": 2,
    }
    assert (row["introduced"], row["received"], row["due"], row["commented"], row["well"]) == (
        4,
        3,
        2,
        2,
        1,
    )
    assert (row["introduced_rate"], row["received_rate"]) == (66.67, 75.0)
    assert (row["commented_rate"], row["well_rate"]) == (100.0, 50.0)


def test_the_workplace_rates_of_the_commune_leave_out_other_workplaces(world, small_world):
    row = services.workplace_counts(world.org("C1"), 2025)
    assert (row["working"], row["eligible"], row["introduced"]) == (6, 5, 4)
    assert services.workplace_counts(world.org("C1"), 2026)["well"] == 0


def test_the_residence_rates(world, small_world):
    for code, introduced in (("C1", 4), ("P1", 4), ("K1", 3)):  # C has no cell yet
        row = services.residence_counts(world.org(code), 2025)
        assert (row["introduced"], row["received"], row["due"], row["commented"], row["well"]) == (
            introduced,
            3,
            2,
            2,
            1,
        ), code
    empty = services.residence_counts(world.org("C2"), 2025)
    assert empty["introduced"] == 0 and empty["received_rate"] is None


def test_the_seed_004_figures_round_like_the_report():
    """16,130 introduced of 16,160 eligible: 99.81 % (the seed printed 99.82 %)."""
    assert services._rate(16130, 16160) == 99.81
    assert services._rate(16130, 16130) == 100.0


def test_a_recorded_comment_is_corrected_in_place(world, received):
    c = comment(received)
    corrected = comment(received, overall="not_good", correct=True)
    assert corrected.pk == c.pk and AnnualComment.objects.count() == 1
    c.refresh_from_db()
    assert c.overall == "not_good" and c.history.count() == 2
