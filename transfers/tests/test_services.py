"""Every transition of a transfer, valid and invalid, and the membership periods it changes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from members.models import Member, Membership, MembershipKind, Person
from organizations.selectors import member_counts
from transfers import services
from transfers.models import LetterType, Transfer, TransferKind, TransferReason, TransferStatus
from transfers.tests.factories import (
    EFFECTIVE,
    ISSUED,
    NAM,
    PRESENTED,
    RECEIVED,
    STARTED,
    TRIGGER,
    issued,
    received,
    started,
)

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def english():
    """The messages are matched in English (the msgids)."""
    with translation.override("en"):
        yield


def members_of(org, day, kind=MembershipKind.HOME):
    return set(
        Membership.objects.on(day)
        .filter(organization=org, kind=kind)
        .values_list("member__person__full_name", flat=True)
    )


def errors_of(exc) -> dict:
    return exc.value.message_dict if hasattr(exc.value, "error_dict") else {}


# ---- start -------------------------------------------------------------------


def test_starting_records_both_sides_and_the_start_deadline(world):
    t = started(world)
    assert t.status == TransferStatus.STARTED
    assert (t.from_org, t.to_org) == (world.org("K1"), world.org("K2"))
    assert t.member_name == "Lê Văn Nam"
    assert t.province == world.org("P1")
    # 60 working days from Monday 05/01/2026: 12 weeks, plus the five days of Tết 2026.
    assert t.start_due == dt.date(2026, 4, 6)
    assert not t.started_late


def test_the_start_deadline_is_the_60th_working_day_itself(world):
    on_time = started(world, started_on=dt.date(2026, 4, 6))
    assert not on_time.started_late
    services.cancel(on_time, reason="Nhập sai")
    # 07/04/2026 is the next working day: one day late.
    late = started(world, started_on=dt.date(2026, 4, 7))
    assert late.started_late and late.is_overdue
    assert Transfer.objects.overdue(dt.date(2026, 4, 7)).filter(pk=late.pk).exists()
    assert not Transfer.objects.overdue(dt.date(2026, 4, 7)).filter(pk=on_time.pk).exists()


def test_a_temporary_transfer_has_no_start_deadline(world):
    t = started(world, kind=TransferKind.TEMPORARY, started_on=dt.date(2026, 4, 7))
    assert not t.started_late
    assert not Transfer.objects.overdue(dt.date(2026, 4, 7)).exists()


def test_a_transfer_may_go_outside_the_system(world):
    t = started(world, to=None)
    assert t.to_org is None
    assert "tỉnh Khác" in t.receiver_name


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to": None, "to_org_name": ""}, "to_org"),
        ({"to_org_name": "Chi bộ khác"}, "to_org_name"),
        ({"to": "K1"}, "to_org"),
        ({"to": "C1"}, "to_org"),
        ({"reason": TransferReason.STUDY}, "reason"),
        ({"end_date": dt.date(2026, 5, 1)}, "end_date"),
        ({"started_on": dt.date(2099, 1, 1)}, "started_on"),
    ],
)
def test_starting_an_official_transfer_refuses_bad_input(world, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        started(world, **kwargs)
    assert field in errors_of(exc)
    assert not Transfer.objects.exists()


@pytest.mark.parametrize(
    ("reason", "end", "ok"),
    [
        (TransferReason.RESIDENCE, dt.date(2026, 4, 4), False),  # under 3 months
        (TransferReason.RESIDENCE, dt.date(2026, 4, 5), True),  # exactly 3 months
        (TransferReason.RESIDENCE, dt.date(2027, 1, 4), True),  # the last day under a year
        (TransferReason.RESIDENCE, dt.date(2027, 1, 5), False),  # one year: official transfer
        (TransferReason.STUDY, dt.date(2028, 1, 5), True),  # study: up to 2 years
        (TransferReason.STUDY, dt.date(2028, 1, 6), False),
        (TransferReason.RETIREMENT, dt.date(2026, 6, 1), False),  # retirement is official
        (TransferReason.RESIDENCE, None, False),
    ],
)
def test_the_temporary_window(world, reason, end, ok):
    kwargs = {"kind": TransferKind.TEMPORARY, "reason": reason, "end_date": end}
    if ok:
        assert started(world, **kwargs).end_date == end
    else:
        with pytest.raises(ValidationError):
            started(world, **kwargs)


def test_one_open_transfer_per_member(world):
    started(world)
    with pytest.raises(ValidationError, match="already has a transfer"):
        started(world, to="K3")
    assert Transfer.objects.count() == 1


def test_a_member_who_left_is_not_transferred(world):
    member = world.member(*NAM)
    Member.objects.filter(pk=member.pk).update(status="left", left_reason="death")
    with pytest.raises(ValidationError):
        started(world)


# ---- the letter ------------------------------------------------------------------


def test_issuing_the_letter_sets_the_presentation_deadline(world):
    t = issued(world)
    assert t.status == TransferStatus.LETTER_ISSUED
    assert (t.letter_no, t.register_no, t.dues_paid_until) == ("15", "0042", dt.date(2026, 1, 1))
    # 30 working days from Monday 02/02/2026: 6 weeks, plus the five days of Tết.
    assert t.present_due == dt.date(2026, 3, 23)


def test_the_presentation_deadline_at_its_boundary(world):
    t = issued(world)
    assert not t.presented_late(dt.date(2026, 3, 23))
    assert t.presented_late(dt.date(2026, 3, 24))
    assert not Transfer.objects.overdue(dt.date(2026, 3, 23)).exists()
    assert Transfer.objects.overdue(dt.date(2026, 3, 24)).get() == t
    late = services.receive(t, presented_on=dt.date(2026, 3, 24), received_on=dt.date(2026, 3, 24))
    assert late.presented_late()
    assert Transfer.objects.overdue(dt.date(2026, 3, 25)).get() == t


def test_presented_on_the_last_day_is_in_time(world):
    t = services.receive(
        issued(world), presented_on=dt.date(2026, 3, 23), received_on=dt.date(2026, 3, 23)
    )
    assert not t.presented_late() and not t.is_overdue


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"letter_type": LetterType.TEMPORARY_8}, "letter_type"),
        ({"letter_no": " "}, "letter_no"),
        ({"issued_by": ""}, "issued_by"),
        ({"issued_on": STARTED - DAY}, "issued_on"),
        ({"issued_on": dt.date(2099, 1, 1)}, "issued_on"),
        ({"dues_paid_until": dt.date(2026, 3, 1)}, "dues_paid_until"),
    ],
)
def test_issuing_refuses_bad_letters(world, kwargs, field):
    t = started(world)
    data = {
        "letter_type": LetterType.OFFICIAL_10,
        "letter_no": "15",
        "issued_on": ISSUED,
        "issued_by": "Ban Tổ chức",
        "dues_paid_until": dt.date(2026, 2, 1),
        **kwargs,
    }
    with pytest.raises(ValidationError) as exc:
        services.issue_letter(t, **data)
    assert field in errors_of(exc)
    t.refresh_from_db()
    assert t.status == TransferStatus.STARTED and not t.letter_no


def test_a_letter_is_issued_once(world):
    t = issued(world)
    with pytest.raises(ValidationError, match="cannot be done"):
        issued(world, transfer=t)


# ---- receiving ------------------------------------------------------------------------


def test_receiving_records_who_and_when(world):
    t = services.receive(
        issued(world), presented_on=PRESENTED, received_on=RECEIVED, user=world.user("staff_c1")
    )
    assert t.status == TransferStatus.RECEIVED
    assert (t.presented_on, t.received_on, t.received_by) == (
        PRESENTED,
        RECEIVED,
        world.user("staff_c1"),
    )
    # An official transfer changes no period before it completes.
    assert "Lê Văn Nam" in members_of(world.org("K1"), RECEIVED)


@pytest.mark.parametrize(
    ("presented", "received_on", "field"),
    [
        (ISSUED - DAY, RECEIVED, "presented_on"),
        (PRESENTED, PRESENTED - DAY, "received_on"),
        (PRESENTED, dt.date(2099, 1, 1), "received_on"),
    ],
)
def test_receiving_refuses_bad_dates(world, presented, received_on, field):
    t = issued(world)
    with pytest.raises(ValidationError) as exc:
        services.receive(t, presented_on=presented, received_on=received_on)
    assert field in errors_of(exc)
    t.refresh_from_db()
    assert t.status == TransferStatus.LETTER_ISSUED


def test_receiving_needs_the_letter(world):
    with pytest.raises(ValidationError, match="cannot be done"):
        services.receive(started(world), presented_on=PRESENTED, received_on=RECEIVED)


# ---- completing an official transfer ---------------------------------------------------------


def test_completing_switches_the_home_periods_on_the_effective_date(world):
    k1, k2 = world.org("K1"), world.org("K2")
    t = services.complete(received(world), effective_on=EFFECTIVE, user=world.user("staff_c1"))
    assert t.status == TransferStatus.COMPLETED and t.effective_on == EFFECTIVE
    assert "Lê Văn Nam" in members_of(k1, EFFECTIVE - DAY)
    assert "Lê Văn Nam" not in members_of(k2, EFFECTIVE - DAY)
    assert "Lê Văn Nam" not in members_of(k1, EFFECTIVE)
    assert "Lê Văn Nam" in members_of(k2, EFFECTIVE)
    member = Member.objects.get(pk=t.member_id)
    assert member.organization == k2
    old, new = member.memberships.home().order_by("start_date")
    assert (old.organization, old.start_date, old.end_date) == (
        k1,
        dt.date(2025, 6, 1),
        EFFECTIVE - DAY,
    )
    assert (new.organization, new.start_date, new.end_date) == (k2, EFFECTIVE, None)


def test_completing_needs_a_date_after_the_presentation(world):
    t = received(world)
    for day, field in ((PRESENTED - DAY, "effective_on"), (dt.date(2099, 1, 1), "effective_on")):
        with pytest.raises(ValidationError) as exc:
            services.complete(t, effective_on=day)
        assert field in errors_of(exc)
    with pytest.raises(ValidationError):
        services.complete(t)
    t.refresh_from_db()
    assert t.status == TransferStatus.RECEIVED
    assert world.member(*NAM).organization == world.org("K1")


def test_completing_needs_the_letter_received(world):
    with pytest.raises(ValidationError, match="cannot be done"):
        services.complete(issued(world), effective_on=EFFECTIVE)


def test_completing_into_a_dissolved_cell_is_refused(world):
    from organizations.models import Organization

    t = received(world)
    Organization.objects.filter(code="K2").update(dissolved_on=dt.date(2026, 2, 20))
    with pytest.raises(ValidationError, match="dissolved"):
        services.complete(t, effective_on=EFFECTIVE)
    assert world.member(*NAM).memberships.count() == 1


def test_across_provinces_the_member_takes_the_new_province_key(world):
    p2, k4 = world.org("P2"), world.org("K4")
    t = services.complete(received(world, to="K4"), effective_on=EFFECTIVE)
    member = Member.objects.select_related("person").get(pk=t.member_id)
    assert (member.organization, member.province, member.person.province) == (k4, p2, p2)
    assert t.province == p2
    assert member.memberships.get(end_date__isnull=True).province == p2
    assert "Lê Văn Nam" in members_of(k4, EFFECTIVE)
    assert "Lê Văn Nam" in members_of(world.org("K1"), EFFECTIVE - DAY)


def test_across_provinces_a_taken_dossier_number_stops_the_transfer(world):
    nam = world.member(*NAM)
    Member.objects.filter(pk=world.member("Bùi Văn Tâm", "K4").pk).update(dossier_no=nam.dossier_no)
    t = received(world, to="K4")
    with pytest.raises(ValidationError, match="dossier number"):
        services.complete(t, effective_on=EFFECTIVE)
    nam.refresh_from_db()
    assert nam.organization == world.org("K1") and nam.memberships.count() == 1
    assert Person.objects.get(pk=nam.person_id).province == world.org("P1")


def test_to_outside_the_system_the_periods_end_the_day_before(world):
    t = services.complete(received(world, to=None), effective_on=EFFECTIVE)
    assert t.status == TransferStatus.COMPLETED
    ms = world.member(*NAM).memberships.get()
    assert ms.end_date == EFFECTIVE - DAY
    assert "Lê Văn Nam" not in members_of(world.org("K1"), EFFECTIVE)
    nam = world.member(*NAM)
    assert (nam.status, nam.status_date, nam.is_active) == ("transferred", EFFECTIVE, False)
    assert not Member.objects.active().filter(pk=nam.pk).exists()


# ---- temporary transfers ---------------------------------------------------------------------


def test_a_temporary_member_is_attached_but_not_counted_in_the_receiving_dang_so(world):
    k1, k2 = world.org("K1"), world.org("K2")
    before = member_counts([k1, k2], on=RECEIVED)
    t = received(world, kind=TransferKind.TEMPORARY)
    ms = Membership.objects.get(member=t.member, kind=MembershipKind.TEMPORARY)
    assert (ms.organization, ms.start_date, ms.end_date) == (k2, RECEIVED, None)
    after = member_counts([k1, k2], on=RECEIVED)
    assert after[k2.pk]["total"] == before[k2.pk]["total"]
    assert after[k2.pk]["temporary"] == before[k2.pk]["temporary"] + 1
    assert after[k1.pk]["total"] == before[k1.pk]["total"]  # still in the home cell's đảng số
    assert world.member(*NAM).organization == k1
    assert "Lê Văn Nam" in members_of(k2, RECEIVED, MembershipKind.TEMPORARY)
    assert "Lê Văn Nam" not in members_of(k2, RECEIVED - DAY, MembershipKind.TEMPORARY)


def test_the_return_closes_the_temporary_period(world):
    k2 = world.org("K2")
    t = services.complete(
        received(world, kind=TransferKind.TEMPORARY), ended_on=dt.date(2026, 7, 5)
    )
    assert t.status == TransferStatus.COMPLETED and t.ended_on == dt.date(2026, 7, 5)
    assert "Lê Văn Nam" in members_of(k2, dt.date(2026, 7, 5), MembershipKind.TEMPORARY)
    assert "Lê Văn Nam" not in members_of(k2, dt.date(2026, 7, 6), MembershipKind.TEMPORARY)
    assert "Lê Văn Nam" in members_of(world.org("K1"), dt.date(2026, 7, 6))


def test_the_return_cannot_come_before_the_receipt(world):
    t = received(world, kind=TransferKind.TEMPORARY)
    with pytest.raises(ValidationError):
        services.complete(t, ended_on=RECEIVED - DAY)
    with pytest.raises(ValidationError):
        services.complete(t)
    assert Membership.objects.get(member=t.member, kind="temporary").end_date is None


def test_a_temporary_letter_is_the_8_box_one(world):
    t = started(world, kind=TransferKind.TEMPORARY)
    with pytest.raises(ValidationError):
        services.issue_letter(
            t,
            letter_type=LetterType.OFFICIAL_10,
            letter_no="1",
            issued_on=ISSUED,
            issued_by="Ban Tổ chức",
            dues_paid_until=None,
        )
    t = services.issue_letter(
        t,
        letter_type=LetterType.TEMPORARY_8,
        letter_no="1",
        issued_on=ISSUED,
        issued_by="Ban Tổ chức",
        dues_paid_until=None,
    )
    assert t.status == TransferStatus.LETTER_ISSUED


# ---- incoming from outside the system ----------------------------------------------------------


def _incoming(world):
    t = services.start_incoming(
        world.org("K2"),
        member_name="Đỗ Văn Hải",
        from_org_name="Chi bộ thôn 3, xã Quỳnh Lưu, tỉnh Nghệ An",
        reason=TransferReason.RESIDENCE,
        trigger_date=TRIGGER,
        started_on=STARTED,
    )
    return services.receive(issued(world, transfer=t), presented_on=PRESENTED, received_on=RECEIVED)


def test_an_incoming_transfer_links_the_record_created_in_the_receiving_cell(world):
    t = _incoming(world)
    assert t.member is None and t.province == world.org("P1")
    with pytest.raises(ValidationError) as exc:
        services.complete(t, effective_on=EFFECTIVE)
    assert "member" in errors_of(exc)
    with pytest.raises(ValidationError, match="not in the receiving cell"):
        services.complete(t, effective_on=EFFECTIVE, member=world.member(*NAM))
    binh = world.member("Hoàng Văn Bình", "K2")
    t = services.complete(t, effective_on=EFFECTIVE, member=binh)
    assert t.member == binh and t.status == TransferStatus.COMPLETED


def test_an_incoming_transfer_needs_the_sender_and_the_name(world):
    with pytest.raises(ValidationError) as exc:
        services.start_incoming(
            world.org("K2"),
            member_name=" ",
            from_org_name="",
            reason=TransferReason.STUDY,
            trigger_date=TRIGGER,
            started_on=STARTED,
        )
    assert {"member_name", "from_org_name", "reason"} <= set(errors_of(exc))


# ---- cancelling -------------------------------------------------------------------------------------


@pytest.mark.parametrize("step", [started, issued, received])
def test_an_official_transfer_is_cancelled_before_it_completes(world, step):
    t = services.cancel(step(world), reason="Đảng viên không chuyển nữa")
    assert t.status == TransferStatus.CANCELLED and t.cancelled_on
    assert world.member(*NAM).memberships.count() == 1
    started(world)  # the member may start again


def test_cancelling_needs_a_reason_and_an_open_transfer(world):
    t = started(world)
    with pytest.raises(ValidationError):
        services.cancel(t, reason=" ")
    done = services.complete(_done(world, t), effective_on=EFFECTIVE)
    with pytest.raises(ValidationError, match="cannot be done"):
        services.cancel(done, reason="Muộn")


def _done(world, t):
    t = issued(world, transfer=t)
    return services.receive(t, presented_on=PRESENTED, received_on=RECEIVED)


def test_a_received_temporary_transfer_ends_by_the_return_not_a_cancel(world):
    t = received(world, kind=TransferKind.TEMPORARY)
    with pytest.raises(ValidationError, match="return"):
        services.cancel(t, reason="X")


def test_a_member_being_inspected_is_not_transferred_officially(world):
    import datetime as dt

    from oversight.models import Inspection, InspectionKind, InspectionStatus

    member = world.member("Lê Văn Nam", "K1")
    inspection = Inspection.objects.create(
        province=world.org("P1"),
        organization=world.org("C1"),
        kind=InspectionKind.INSPECTION,
        subject_org=world.org("K1"),
        subject_member=member,
        topic="Kiểm tra việc chấp hành Điều lệ Đảng",
        status=InspectionStatus.IN_PROGRESS,
        planned_from=dt.date(2026, 1, 5),
        started_on=dt.date(2026, 1, 6),
    )
    kwargs = {
        "kind": "official",
        "reason": "job",
        "trigger_date": dt.date(2026, 1, 5),
        "started_on": dt.date(2026, 1, 12),
        "to_org": world.org("K2"),
    }
    with pytest.raises(ValidationError, match="being inspected by Đảng bộ xã An Bình"):
        services.start(member, **kwargs)
    assert not member.transfers.exists()
    # Once concluded, the official transfer goes ahead.
    inspection.status = InspectionStatus.CONCLUDED
    inspection.concluded_on = dt.date(2026, 1, 10)
    inspection.save()
    assert services.start(member, **kwargs).kind == "official"
