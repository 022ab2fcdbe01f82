"""Recording a cell's month (all or nothing), "paid up to", and the months unpaid."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dues import services
from dues.models import DuesPayment
from dues.services import PaymentRow, parse_amount
from dues.tests.helpers import excuse, months_ago, pay
from members.models import Membership

SEPT = dt.date(2025, 9, 1)


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def duc(world):
    return world.member("Nguyễn Văn Đức", "K1")


@pytest.fixture
def hoa(world):
    return world.member("Trần Thị Hoa", "K1")


def paid(member, amount="30.000", note=""):
    return PaymentRow(member.pk, "paid", amount, note, dt.date(2025, 9, 5))


def test_a_whole_month_is_recorded_at_once(k1, duc, hoa, world):
    lan = world.member("Phạm Thị Lan", "K1")
    n = services.record_payments(
        k1,
        SEPT,
        [
            paid(duc),
            paid(hoa, 50000, note="nộp cả quỹ"),
            PaymentRow(lan.pk, "excused", note="Già yếu, chi bộ miễn"),
        ],
        by=world.user("secretary_k1"),
    )
    assert n == 3
    rows = {p.member_id: p for p in DuesPayment.objects.filter(month=SEPT)}
    assert rows[duc.pk].amount == Decimal(30000) and rows[duc.pk].cell == k1
    assert rows[duc.pk].paid_on == dt.date(2025, 9, 5)
    assert rows[duc.pk].recorded_by.username == "secretary_k1"
    assert rows[hoa.pk].note == "nộp cả quỹ"
    assert rows[lan.pk].excused and rows[lan.pk].reason == "Già yếu, chi bộ miễn"
    assert rows[lan.pk].amount is None


def test_saving_again_changes_only_what_changed(k1, duc, hoa):
    services.record_payments(k1, SEPT, [paid(duc), paid(hoa)])
    later = dt.date(2025, 9, 20)
    again = [
        PaymentRow(duc.pk, "paid", "30000", "", later),  # same amount: untouched
        PaymentRow(hoa.pk, "paid", "40000", "", later),
    ]
    assert services.record_payments(k1, SEPT, again) == 1
    assert DuesPayment.objects.get(member=duc).paid_on == dt.date(2025, 9, 5)
    assert DuesPayment.objects.get(member=hoa).paid_on == later
    assert DuesPayment.history.filter(member=duc).count() == 1


def test_not_paid_removes_a_month_recorded_by_mistake(k1, duc):
    services.record_payments(k1, SEPT, [paid(duc)])
    assert services.record_payments(k1, SEPT, [PaymentRow(duc.pk, "unpaid")]) == 1
    assert not DuesPayment.objects.exists()
    assert services.record_payments(k1, SEPT, [PaymentRow(duc.pk, "unpaid")]) == 0


def test_an_excused_month_can_become_paid(k1, duc):
    services.record_payments(k1, SEPT, [PaymentRow(duc.pk, "excused", note="ốm nặng")])
    services.record_payments(k1, SEPT, [paid(duc)])
    p = DuesPayment.objects.get(member=duc)
    assert (p.excused, p.reason, p.amount) == (False, "", Decimal(30000))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (lambda m: PaymentRow(m.pk, "paid", "-5000"), "cannot be negative"),
        (lambda m: PaymentRow(m.pk, "paid", ""), "enter the amount paid"),
        (lambda m: PaymentRow(m.pk, "paid", "30k"), "not a whole number"),
        (lambda m: PaymentRow(m.pk, "paid", "30000.5"), "not a whole number"),
        (lambda m: PaymentRow(m.pk, "paid", "1" * 13), "too large"),
        (lambda m: PaymentRow(m.pk, "excused", note="  "), "valid reason"),
        (lambda m: PaymentRow(m.pk, "maybe"), "unknown dues state"),
        (
            lambda m: PaymentRow(m.pk, "paid", 1, "", timezone.localdate() + dt.timedelta(1)),
            "payment date is in the future",
        ),
    ],
)
def test_one_bad_row_and_nothing_is_written(k1, duc, hoa, bad, message):
    with pytest.raises(ValidationError) as e:
        services.record_payments(k1, SEPT, [paid(hoa), bad(duc)])
    assert any(message in m and "Nguyễn Văn Đức" in m for m in e.value.messages)
    assert not DuesPayment.objects.exists()


def test_a_member_not_in_the_cell_is_refused(world, k1, duc):
    binh = world.member("Hoàng Văn Bình", "K2")
    with pytest.raises(ValidationError) as e:
        services.record_payments(k1, SEPT, [paid(duc), paid(binh)])
    assert "not on the cell's roster in 09/2025" in e.value.messages[0]
    # The name of someone outside the cell is not echoed back.
    assert "Hoàng Văn Bình" not in e.value.messages[0]
    assert not DuesPayment.objects.exists()


def test_a_member_not_yet_in_the_cell_that_month_is_refused(world, k1):
    nam = world.member("Lê Văn Nam", "K1")  # admitted on 1 June 2025
    with pytest.raises(ValidationError):
        services.record_payments(k1, dt.date(2025, 5, 1), [paid(nam)])
    services.record_payments(k1, dt.date(2025, 6, 1), [paid(nam)])


def test_a_member_who_left_is_refused(k1, duc):
    duc.status = "left"
    duc.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.record_payments(k1, SEPT, [paid(duc)])


def test_a_month_in_the_future_is_refused(k1, duc):
    today = timezone.localdate()
    nxt = months_ago(today, -1)
    with pytest.raises(ValidationError) as e:
        services.record_payments(k1, nxt, [paid(duc)])
    assert "in the future" in e.value.messages[0]
    assert not DuesPayment.objects.exists()
    services.record_payments(k1, today, [PaymentRow(duc.pk, "paid", 1, "", today)])


def test_only_a_cell_records_dues(world, duc):
    with pytest.raises(ValidationError):
        services.record_payments(world.org("C1"), SEPT, [paid(duc)])


def test_a_month_recorded_in_another_cell_is_refused(world, k1, duc):
    k2 = world.org("K2")
    Membership.objects.create(
        province_id=duc.province_id,
        member=duc,
        organization=k2,
        kind="temporary",
        start_date=dt.date(2025, 8, 1),
    )
    services.record_payments(k2, SEPT, [paid(duc)])
    with pytest.raises(ValidationError) as e:
        services.record_payments(k1, SEPT, [paid(duc)])
    assert "already recorded in Chi bộ thôn Tây" in e.value.messages[0]


def test_a_member_listed_twice_is_refused(k1, duc):
    with pytest.raises(ValidationError) as e:
        services.record_payments(k1, SEPT, [paid(duc), paid(duc, 1)])
    assert "listed twice" in e.value.messages[0]


def test_a_temporarily_attached_member_pays_in_the_cell_they_attend(world, duc):
    k2 = world.org("K2")
    Membership.objects.create(
        province_id=duc.province_id,
        member=duc,
        organization=k2,
        kind="temporary",
        start_date=dt.date(2025, 8, 1),
    )
    services.record_payments(k2, SEPT, [paid(duc)])
    assert DuesPayment.objects.get(member=duc).cell == k2


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("50000", 50000),
        ("50.000", 50000),
        ("50,000", 50000),
        ("1 250 000", 1250000),
        ("30.000đ", 30000),
        ("", None),
        (Decimal(7), 7),
        (0, 0),
    ],
)
def test_amounts_are_read_as_typed_in_whole_dong(typed, amount):
    assert parse_amount(typed) == (None if amount is None else Decimal(amount))


# ---- paid up to -------------------------------------------------------------------------


def test_paid_until_is_the_end_of_the_unbroken_run(duc):
    assert services.paid_until(duc) is None
    for m in (1, 2, 3):
        pay(duc, dt.date(2025, m, 1))
    assert services.paid_until(duc) == dt.date(2025, 3, 1)
    excuse(duc, dt.date(2025, 4, 1))  # a valid reason: settled, the run goes on
    pay(duc, dt.date(2025, 6, 1))  # May is missing: still owed
    assert services.paid_until(duc) == dt.date(2025, 4, 1)
    pay(duc, dt.date(2025, 5, 1))
    assert services.paid_until(duc) == dt.date(2025, 6, 1)


def test_paid_until_crosses_the_year(duc):
    pay(duc, dt.date(2024, 12, 1))
    pay(duc, dt.date(2025, 1, 1))
    assert services.paid_until(duc) == dt.date(2025, 1, 1)


# ---- months unpaid ------------------------------------------------------------------------


def test_months_unpaid_count_only_months_the_cell_recorded(duc, hoa):
    end = dt.date(2025, 12, 31)
    assert services.months_unpaid(duc, 2025, end) == []  # the cell records nothing
    for m in (3, 4, 5, 6):
        pay(hoa, dt.date(2025, m, 1))  # the cell records March to June
    pay(duc, dt.date(2025, 3, 1))
    excuse(duc, dt.date(2025, 5, 1))
    assert services.months_unpaid(duc, 2025, end) == [4, 6]
    assert services.months_unpaid(duc, 2025, dt.date(2025, 5, 31)) == [4]
    assert services.months_unpaid(duc, 2024, end) == []
    assert services.months_unpaid(duc, 2026, dt.date(2025, 12, 31)) == []


def test_months_unpaid_only_while_in_the_cell(world):
    nam = world.member("Lê Văn Nam", "K1")  # in the cell from 1 June 2025
    hoa = world.member("Trần Thị Hoa", "K1")
    for m in range(1, 10):
        pay(hoa, dt.date(2025, m, 1))
    assert services.months_unpaid(nam, 2025, dt.date(2025, 12, 31)) == [6, 7, 8, 9]
