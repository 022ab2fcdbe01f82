"""The month sheet service: every row checked first, then all written or nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.models import CampaignResult
from campaigns.services import ResultRow, parse_kg, parse_whole, record_results
from campaigns.tests.targets import campaign_in

D = dt.date
SEPT = D(2025, 9, 1)


def row(org, money="", rice="", people="", note=""):
    return ResultRow(org.pk, money, rice, people, note)


@pytest.mark.parametrize(
    ("text", "value"),
    [("4.400.000", 4400000), ("4400000", 4400000), ("4,400,000", 4400000), ("", None)],
)
def test_whole_numbers_accept_vietnamese_grouping(text, value):
    assert parse_whole(text) == value


@pytest.mark.parametrize("text", ["4.40.000", "abc", "1,5"])
def test_whole_numbers_refuse_the_rest(text):
    with pytest.raises(ValueError):
        parse_whole(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("19.741", Decimal("19741")),
        ("19741", Decimal("19741")),
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("1.234,75", Decimal("1234.75")),
        ("20 kg", Decimal("20")),
    ],
)
def test_kilograms_accept_grouping_and_a_decimal_comma(text, value):
    assert parse_kg(text) == value


def test_kilograms_refuse_three_decimals_and_text():
    for text in ("1,234", "x", "1,2,3"):
        with pytest.raises(ValueError):
            parse_kg(text)


def test_a_commune_records_its_cells_and_itself(world):
    c = campaign_in(world, "P1", starts_on=D(2025, 1, 1))
    c1, k1, k2 = world.org("C1"), world.org("K1"), world.org("K2")
    n = record_results(
        c,
        c1,
        SEPT,
        [row(c1, "1.000.000"), row(k1, "4.400.000", "19.741", "25", "Tết"), row(k2)],
        by=world.user("staff_c1"),
    )
    assert n == 2
    r = CampaignResult.objects.get(organization=k1)
    assert (r.amount_vnd, r.rice_kg, r.beneficiaries, r.note) == (4400000, 19741, 25, "Tết")
    assert r.province == world.org("P1") and r.recorded_by == world.user("staff_c1")
    # Saving the same sheet again changes nothing; emptying a row removes it.
    assert record_results(c, c1, SEPT, [row(k1, "4400000", "19741", "25", "Tết")]) == 0
    assert record_results(c, c1, SEPT, [row(k1)]) == 1
    assert not CampaignResult.objects.filter(organization=k1).exists()


def test_one_bad_row_saves_nothing_and_names_each_bad_row(world):
    c = campaign_in(world, "P1", starts_on=D(2025, 1, 1))
    c1, k1, k2 = world.org("C1"), world.org("K1"), world.org("K2")
    with pytest.raises(ValidationError) as e:
        record_results(c, c1, SEPT, [row(k1, "100.000"), row(k2, "-5"), row(c1, "", "abc")])
    assert e.value.messages == [
        "Chi bộ thôn Tây: the money cannot be negative.",
        f"{c1.name}: the rice is not a number of kg (at most two decimals).",
    ]
    assert not CampaignResult.objects.exists()


def test_a_future_month_is_refused(world):
    c = campaign_in(world, "P1", starts_on=D(2025, 1, 1))
    k1 = world.org("K1")
    today = timezone.localdate()
    nxt = D(today.year + today.month // 12, today.month % 12 + 1, 1)
    with pytest.raises(ValidationError, match="in the future"):
        record_results(c, k1, nxt, [row(k1, "1")])


def test_a_month_outside_the_campaign_is_refused(world):
    c = campaign_in(world, "P1", starts_on=D(2025, 3, 1), ends_on=D(2025, 6, 30))
    k1 = world.org("K1")
    with pytest.raises(ValidationError, match="outside the campaign's dates"):
        record_results(c, k1, D(2025, 2, 1), [row(k1, "1")])
    with pytest.raises(ValidationError, match="outside the campaign's dates"):
        record_results(c, k1, D(2025, 7, 1), [row(k1, "1")])
    assert record_results(c, k1, D(2025, 6, 1), [row(k1, "1")]) == 1


def test_an_organization_outside_the_campaign_or_the_sheet_is_refused(world):
    c = campaign_in(world, "C1", starts_on=D(2025, 1, 1))
    p1, k1, k3 = world.org("P1"), world.org("K1"), world.org("K3")
    with pytest.raises(ValidationError, match="outside the campaign"):
        record_results(c, p1, SEPT, [row(k3, "1")])  # K3 is under C2
    with pytest.raises(ValidationError, match="not part of this sheet"):
        record_results(c, k1, SEPT, [row(world.org("K2"), "1")])
    assert not CampaignResult.objects.exists()


def test_a_figure_the_campaign_does_not_collect_is_refused(world):
    c = campaign_in(world, "P1", starts_on=D(2025, 1, 1), collects_rice=False)
    k1 = world.org("K1")
    with pytest.raises(ValidationError, match="does not collect rice"):
        record_results(c, k1, SEPT, [row(k1, "1", "5")])
    assert record_results(c, k1, SEPT, [row(k1, "1", "0")]) == 1
