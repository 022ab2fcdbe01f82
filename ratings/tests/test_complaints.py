"""A member disputes the decided level (khiếu nại) and the superior answers it, keeping the
level or rating again (brief §14.2 G: → KHIEU_NAI → DANH_GIA_LAI): the service rules, then the
page with its permissions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ratings import services
from ratings.models import Level, MemberReview, ReviewStatus
from ratings.tests.conftest import review_of, to_proposed

TEXT = "Tôi đề nghị xem xét lại vì đã hoàn thành vượt mức các nhiệm vụ được giao."


@pytest.fixture
def hoa(world, cycle):
    review = review_of(cycle, world, "Trần Thị Hoa")
    to_proposed(review, "good", 82)
    services.decide(review, level="completed", note="QĐ 05-QĐ/ĐU")
    return review


def _snapshot(review):
    review.refresh_from_db()
    return (
        review.status,
        review.decided_level,
        review.score,
        review.complaint,
        review.complaint_answer,
        review.history.count(),
    )


# ---- the rules ---------------------------------------------------------------------------------


def test_a_complaint_then_an_answer_that_rates_again(world, hoa):
    services.lodge_complaint(hoa, text=TEXT, by=world.user("member_k1"))
    hoa.refresh_from_db()
    assert hoa.status == ReviewStatus.COMPLAINED
    assert hoa.complained_by == world.user("member_k1") and hoa.complaint == TEXT
    # Still counted at its decided level while the complaint is open.
    assert hoa.decided_level == Level.COMPLETED
    services.answer_complaint(
        hoa, level="good", answer="Chấp nhận: đánh giá lại.", by=world.user("staff_c1")
    )
    hoa.refresh_from_db()
    assert hoa.status == ReviewStatus.DECIDED
    assert (hoa.level_before_complaint, hoa.decided_level) == (Level.COMPLETED, Level.GOOD)
    assert hoa.complaint_answered_by == world.user("staff_c1")
    assert hoa.complaint_answered_on == timezone.localdate()


def test_the_answer_may_keep_the_level(hoa):
    services.lodge_complaint(hoa, text=TEXT)
    services.answer_complaint(hoa, level="completed", answer="Giữ nguyên mức xếp loại.")
    hoa.refresh_from_db()
    assert hoa.status == ReviewStatus.DECIDED
    assert hoa.level_before_complaint == hoa.decided_level == Level.COMPLETED


def test_only_a_decided_rating_can_be_disputed(world, cycle):
    nam = review_of(cycle, world, "Lê Văn Nam")
    to_proposed(nam, "good", 80)
    with pytest.raises(ValidationError, match="Only a decided rating"):
        services.lodge_complaint(nam, text=TEXT)
    with pytest.raises(ValidationError, match="no complaint to answer"):
        services.answer_complaint(nam, level="good", answer="x")


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "at least 10 characters"), ("   quá ngắn ", "at least 10 characters")],
)
def test_a_complaint_needs_its_reason(hoa, text, message):
    before = _snapshot(hoa)
    with pytest.raises(ValidationError, match=message):
        services.lodge_complaint(hoa, text=text)
    assert _snapshot(hoa) == before


def test_one_complaint_at_a_time_and_not_before_the_decision(hoa):
    with pytest.raises(ValidationError, match="comes after the decision"):
        services.lodge_complaint(hoa, text=TEXT, on=hoa.decided_on - dt.timedelta(days=1))
    services.lodge_complaint(hoa, text=TEXT, on=hoa.decided_on)  # the same day is fine
    with pytest.raises(ValidationError, match="already being answered"):
        services.lodge_complaint(hoa, text=TEXT)


def test_an_answer_needs_its_text_and_a_level_within_the_score_band(hoa):
    services.lodge_complaint(hoa, text=TEXT)
    before = _snapshot(hoa)
    with pytest.raises(ValidationError, match="Write the answer"):
        services.answer_complaint(hoa, level="good", answer="  ")
    # Score 82 is in the "good" band: excellent needs a new score of 90 or more.
    with pytest.raises(ValidationError, match="cannot be higher"):
        services.answer_complaint(hoa, level="excellent", answer="Xếp loại lại.")
    with pytest.raises(ValidationError, match="comes after the complaint"):
        services.answer_complaint(
            hoa, level="good", answer="Ok.", on=hoa.complained_on - dt.timedelta(days=1)
        )
    assert _snapshot(hoa) == before


def test_rating_again_to_the_top_level_respects_the_cap(world, cycle, hoa):
    cycle.excellent_cap_percent = 20
    cycle.save()
    services.lodge_complaint(hoa, text=TEXT)
    with pytest.raises(ValidationError, match="The cap on"):
        services.answer_complaint(hoa, level="excellent", score=95, answer="Xếp loại lại.")
    cycle.excellent_cap_percent = None
    cycle.save()
    hoa.refresh_from_db()
    services.answer_complaint(hoa, level="excellent", score="95", answer="Xếp loại lại.")
    hoa.refresh_from_db()
    assert hoa.decided_level == Level.EXCELLENT and hoa.score == Decimal("95.0")


def test_the_cycle_does_not_close_on_an_unanswered_complaint(world, cycle, hoa):
    for r in cycle.member_reviews.exclude(status__in=["excluded", "decided"]):
        r = MemberReview.objects.select_related("cycle", "cell").get(pk=r.pk)
        to_proposed(r, "good", 80)
        services.decide(r, level="good")
    for o in cycle.org_reviews.order_by("-organization__depth"):
        services.decide_org(o, level="good")
    services.lodge_complaint(hoa, text=TEXT)
    with pytest.raises(ValidationError, match="1 complaint"):
        services.close_cycle(cycle)
    services.answer_complaint(hoa, level="completed", answer="Giữ nguyên.")
    services.close_cycle(cycle)
    hoa.refresh_from_db()
    with pytest.raises(ValidationError, match="is closed"):
        services.lodge_complaint(hoa, text=TEXT)


# ---- the page -------------------------------------------------------------------------------


def test_the_member_lodges_a_complaint_on_the_page(world, login, hoa):
    client = login("member_k1")
    page = client.get(hoa.get_absolute_url()).content.decode()
    assert reverse("ratings:complain", args=[hoa.uuid]) in page
    assert "Khiếu nại kết quả xếp loại" in page
    response = client.post(
        reverse("ratings:complain", args=[hoa.uuid]),
        {"text": TEXT, "on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    hoa.refresh_from_db()
    assert hoa.status == ReviewStatus.COMPLAINED
    page = client.get(hoa.get_absolute_url()).content.decode()
    assert "Đang chờ cấp trên trả lời." in page
    assert reverse("ratings:complain", args=[hoa.uuid]) not in page


def test_a_short_complaint_is_refused_on_the_page_with_nothing_written(world, login, hoa):
    before = _snapshot(hoa)
    response = login("member_k1").post(
        reverse("ratings:complain", args=[hoa.uuid]),
        {"text": "ngắn", "on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200
    assert "ít nhất 10 ký tự" in response.content.decode()
    assert _snapshot(hoa) == before


def test_the_superior_answers_on_the_page(world, login, hoa):
    services.lodge_complaint(hoa, text=TEXT)
    client = login("staff_c1")
    page = client.get(hoa.get_absolute_url()).content.decode()
    assert reverse("ratings:answer_complaint", args=[hoa.uuid]) in page
    response = client.post(
        reverse("ratings:answer_complaint", args=[hoa.uuid]),
        {
            "level": "good",
            "score": "82",
            "answer": "Chấp nhận khiếu nại.",
            "on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    page = client.get(hoa.get_absolute_url()).content.decode()
    assert "Đã đánh giá lại: Hoàn thành nhiệm vụ → Hoàn thành tốt nhiệm vụ." in page


@pytest.mark.parametrize(
    ("user", "status"),
    [("secretary_k1", 302), ("committee_c1", 403), ("staff_p2", 404), (None, 302)],
)
def test_who_may_lodge_a_complaint(world, login, client, hoa, user, status):
    c = login(user) if user else client
    response = c.post(
        reverse("ratings:complain", args=[hoa.uuid]),
        {"text": TEXT, "on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert response.status_code == status
    hoa.refresh_from_db()
    if user == "secretary_k1":  # the cell's managers lodge it on the member's behalf
        assert hoa.status == ReviewStatus.COMPLAINED
    else:
        assert hoa.status == ReviewStatus.DECIDED
        if user is None:
            assert "/login" in response["Location"] or "dang-nhap" in response["Location"]


@pytest.mark.parametrize(
    ("user", "status"),
    [("secretary_k1", 403), ("member_k1", 403), ("staff_p2", 404), (None, 302)],
)
def test_only_the_superior_answers(world, login, client, hoa, user, status):
    services.lodge_complaint(hoa, text=TEXT)
    c = login(user) if user else client
    response = c.post(
        reverse("ratings:answer_complaint", args=[hoa.uuid]),
        {
            "level": "good",
            "answer": "Chấp nhận.",
            "on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == status
    hoa.refresh_from_db()
    assert hoa.status == ReviewStatus.COMPLAINED
