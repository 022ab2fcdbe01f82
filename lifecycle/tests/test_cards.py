"""Party cards: issue, loss report, reissue."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lifecycle import services
from lifecycle.models import CardEvent, CardEventKind


@pytest.fixture
def duc(world):
    return world.member("Nguyễn Văn Đức", "K1")  # official since 1991, no card on record


def events(member):
    return list(member.card_events.order_by("date", "id").values_list("kind", "card_no"))


def test_issuing_a_card_sets_the_member_card_number(duc):
    e = services.issue_card(duc, card_no="01234567", series="2003", date=dt.date(2004, 1, 5))
    duc.refresh_from_db()
    assert duc.card_no == "01234567"
    assert e.kind == CardEventKind.ISSUE and e.province_id == duc.province_id
    assert services.card_state(duc, [e]) == "active"


@pytest.mark.parametrize("bad", ["1234567", "123456789", "1234567a", ""])
def test_a_card_number_has_8_digits(duc, bad):
    with pytest.raises(ValidationError) as e:
        services.issue_card(duc, card_no=bad, series="2003", date=dt.date(2004, 1, 5))
    assert "card_no" in e.value.error_dict
    assert not CardEvent.objects.exists()


def test_a_card_number_is_unique_in_the_province(duc, world):
    services.issue_card(duc, card_no="01234567", series="2003", date=dt.date(2004, 1, 5))
    hoa = world.member("Trần Thị Hoa", "K1")
    with pytest.raises(ValidationError) as e:
        services.issue_card(hoa, card_no="01234567", series="2003", date=dt.date(2007, 1, 5))
    assert "card_no" in e.value.error_dict
    # Another province may have the same number.
    tam = world.member("Bùi Văn Tâm", "K4")
    services.issue_card(tam, card_no="01234567", series="2003", date=dt.date(2007, 1, 5))


def test_only_official_members_get_a_card(world):
    nam = world.member("Lê Văn Nam", "K1")
    with pytest.raises(ValidationError, match="official members"):
        services.issue_card(nam, card_no="01234567", series="2003", date=dt.date(2025, 7, 1))


def test_a_card_is_not_issued_before_the_member_is_official(duc):
    with pytest.raises(ValidationError) as e:
        services.issue_card(duc, card_no="01234567", series="2003", date=dt.date(1991, 3, 1))
    assert "date" in e.value.error_dict
    services.issue_card(duc, card_no="01234567", series="2003", date=duc.official_date)


def test_a_second_card_is_a_reissue_not_an_issue(duc):
    services.issue_card(duc, card_no="01234567", series="2003", date=dt.date(2004, 1, 5))
    with pytest.raises(ValidationError, match="already has card"):
        services.issue_card(duc, card_no="01234568", series="2003", date=dt.date(2005, 1, 5))


def test_loss_then_reissue_with_a_new_number(duc):
    services.issue_card(duc, card_no="01234567", series="2003", date=dt.date(2004, 1, 5))
    services.report_card_loss(duc, date=dt.date(2020, 3, 1), note="Mất khi đi công tác")
    duc.refresh_from_db()
    assert services.card_state(duc, duc.card_events.order_by("-date", "-id")) == "lost"
    with pytest.raises(ValidationError, match="already reported"):
        services.report_card_loss(duc, date=dt.date(2020, 3, 2), note="x")
    services.replace_card(duc, card_no="07654321", series="2003", date=dt.date(2020, 6, 1))
    duc.refresh_from_db()
    assert duc.card_no == "07654321"
    assert services.card_state(duc, duc.card_events.order_by("-date", "-id")) == "active"
    assert events(duc) == [
        ("issue", "01234567"),
        ("loss", "01234567"),
        ("replacement", "07654321"),
    ]


def test_reissue_keeps_the_number_when_none_is_given(duc):
    services.issue_card(duc, card_no="01234567", series="2003", date=dt.date(2004, 1, 5))
    services.replace_card(duc, series="2025", date=dt.date(2025, 8, 20), note="Đổi thẻ 2025")
    duc.refresh_from_db()
    assert duc.card_no == "01234567"
    assert duc.card_events.latest("date").series == "2025"


def test_a_card_recorded_on_the_member_before_the_register_can_be_reported_lost(world):
    hoa = world.member("Trần Thị Hoa", "K1")
    hoa.card_no = "11112222"
    hoa.save()
    services.report_card_loss(hoa, date=dt.date(2025, 1, 1), note="Hỏng")
    assert events(hoa) == [("loss", "11112222")]


def test_no_loss_or_reissue_without_a_card(duc):
    with pytest.raises(ValidationError, match="no party card"):
        services.report_card_loss(duc, date=dt.date(2020, 3, 1), note="x")
    with pytest.raises(ValidationError, match="issue one first"):
        services.replace_card(duc, series="2003", date=dt.date(2020, 3, 1))


def test_card_dates_are_not_in_the_future_nor_before_the_last_event(duc):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        services.issue_card(duc, card_no="01234567", series="2003", date=tomorrow)
    assert "date" in e.value.error_dict
    services.issue_card(duc, card_no="01234567", series="2003", date=dt.date(2004, 1, 5))
    with pytest.raises(ValidationError) as e:
        services.report_card_loss(duc, date=dt.date(2004, 1, 4), note="x")
    assert "date" in e.value.error_dict
    assert events(duc) == [("issue", "01234567")]


def test_a_loss_report_says_how(duc):
    services.issue_card(duc, card_no="01234567", series="2003", date=dt.date(2004, 1, 5))
    with pytest.raises(ValidationError) as e:
        services.report_card_loss(duc, date=dt.date(2020, 1, 4), note=" ")
    assert "note" in e.value.error_dict
