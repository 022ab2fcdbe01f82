"""The rating pages: who sees and does what (owner, same scope, out of scope, anonymous), the
forms of each step with bad input, and the query counts of the lists. Pages are read in
Vietnamese, the site's language."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ratings import services
from ratings.models import CycleStatus, MemberReview, ReviewCycle, ReviewStatus
from ratings.tests.conftest import review_of, self_review, to_proposed

TODAY = timezone.localdate().strftime("%d/%m/%Y")
SELF = {
    "form_type": "2C",
    "results": "Hoàn thành các nhiệm vụ chi bộ giao.",
    "strengths": "Gương mẫu.",
    "shortcomings": "",
    "remedies": "",
    "self_level": "good",
    "self_score": "85",
}
PROPOSAL = {
    "score": "82",
    "level": "good",
    "votes_for": "3",
    "votes_eligible": "4",
    "comment": "Nhất trí.",
    "on": TODAY,
}


# ---- an organization's cycles and opening one ----------------------------------------------


def test_the_organization_page_links_to_the_reviews(world, login):
    body = login("staff_c1").get(world.org("C1").get_absolute_url()).content.decode()
    assert reverse("ratings:org", args=[world.org("C1").uuid]) in body


def test_staff_open_a_review_for_their_committee(world, login):
    client = login("staff_c1")
    c1 = world.org("C1")
    page = client.get(reverse("ratings:org", args=[c1.uuid]))
    assert reverse("ratings:open", args=[c1.uuid]) in page.content.decode()
    response = client.post(
        reverse("ratings:open", args=[c1.uuid]),
        {"year": "2025", "quarter": "", "excellent_cap_percent": "20", "cap_base": "good"},
    )
    cycle = ReviewCycle.objects.get(organization=c1)
    assert response.status_code == 302 and response["Location"] == cycle.get_absolute_url()
    assert cycle.opened_by == world.user("staff_c1")
    assert cycle.member_reviews.count() == 6


def test_opening_with_bad_input_shows_the_reason_and_writes_nothing(world, login):
    c1 = world.org("C1")
    response = login("staff_c1").post(
        reverse("ratings:open", args=[c1.uuid]),
        {"year": "2024", "quarter": "2", "excellent_cap_percent": "20", "cap_base": "good"},
    )
    assert response.status_code == 200
    assert "QĐ 366-QĐ/TW" in response.content.decode()
    assert not ReviewCycle.objects.exists()


def test_a_cell_does_not_open_its_own_review(world, login):
    k1 = world.org("K1")
    client = login("staff_c1")
    assert (
        reverse("ratings:open", args=[k1.uuid])
        not in client.get(reverse("ratings:org", args=[k1.uuid])).content.decode()
    )
    response = client.post(reverse("ratings:open", args=[k1.uuid]), {"year": "2025"})
    assert response.status_code == 200 and not ReviewCycle.objects.exists()


@pytest.mark.parametrize(
    ("user", "status"),
    [("committee_c1", 403), ("secretary_k1", 404), ("staff_p2", 404), (None, 302)],
)
def test_only_the_committee_staff_open_a_review(world, client, user, status):
    if user:
        client.force_login(world.user(user))
    c1 = world.org("C1")
    response = client.post(reverse("ratings:open", args=[c1.uuid]), {"year": "2025"})
    assert response.status_code == status
    assert not ReviewCycle.objects.exists()


def test_a_cell_lists_the_review_of_its_committee(world, cycle, login):
    k1 = world.org("K1")
    body = login("secretary_k1").get(reverse("ratings:org", args=[k1.uuid])).content.decode()
    assert cycle.get_absolute_url(k1) in body


# ---- the cycle page ------------------------------------------------------------------------


def test_the_committee_sees_every_member_and_the_secretary_their_cell(world, cycle, login):
    c1, k1 = world.org("C1"), world.org("K1")
    body = login("staff_c1").get(cycle.get_absolute_url(c1)).content.decode()
    assert "Hoàng Văn Bình" in body and "Trần Thị Hoa" in body
    assert "Được miễn công tác và sinh hoạt đảng" in body  # Phạm Thị Lan, not rated
    body = login("secretary_k1").get(cycle.get_absolute_url(k1)).content.decode()
    assert "Trần Thị Hoa" in body and "Hoàng Văn Bình" not in body


@pytest.mark.parametrize(
    ("user", "org", "status"),
    [
        ("secretary_k1", "C1", 404),
        ("secretary_k1", "K2", 404),
        ("member_k1", "K1", 404),
        ("staff_c1", "C2", 404),  # C2 is not inside the cycle's committee
        ("staff_p2", "C1", 404),
        ("committee_c1", "K2", 200),
        (None, "C1", 302),
    ],
)
def test_the_cycle_page_is_for_the_scope_inside_the_cycle(world, cycle, client, user, org, status):
    if user:
        client.force_login(world.user(user))
    response = client.get(reverse("ratings:cycle", args=[world.org(org).uuid, cycle.uuid]))
    assert response.status_code == status


def test_the_counts_per_level_are_shown_against_the_cap(world, cycle, login):
    cycle.excellent_cap_percent = None
    cycle.save()
    duc = review_of(cycle, world, "Nguyễn Văn Đức")
    to_proposed(duc, "excellent", 95)
    services.decide(duc, level="excellent")
    response = login("staff_c1").get(cycle.get_absolute_url())
    cells = {c["name"]: c for c in response.context["cells"]}
    k1 = cells["Chi bộ thôn Đông"]
    assert (k1["total"], k1["excluded"], k1["cap"]) == (4, 1, None)
    assert k1["levels"][0] == ("excellent", "Hoàn thành xuất sắc nhiệm vụ", 1)


def _add_members(world, n):
    from liaison.tests.targets import make_member

    for i in range(n):
        make_member(world.org("K2"), f"Người Thêm {i}")


def test_the_cycle_page_takes_the_same_queries_for_more_members(
    world, login, django_assert_num_queries
):
    client = login("staff_c1")
    small = services.open_cycle(world.org("C1"), year=2025, quarter=1)
    client.get(small.get_absolute_url())  # warm the caches (content types, session)
    with django_assert_num_queries(QUERIES_CYCLE):
        client.get(small.get_absolute_url())
    _add_members(world, 8)
    big = services.open_cycle(world.org("C1"), year=2025, quarter=2)
    for r in big.member_reviews.exclude(status="excluded").select_related("cycle", "cell")[:3]:
        to_proposed(r)
        services.decide(r, level="good")
    with django_assert_num_queries(QUERIES_CYCLE):
        response = client.get(big.get_absolute_url())
    assert len(response.context["page"].object_list) == 14


QUERIES_CYCLE = 11


def test_closing_needs_every_rating_decided(world, cycle, login):
    client = login("staff_c1")
    url = reverse("ratings:close", args=[world.org("C1").uuid, cycle.uuid])
    response = client.post(url, follow=True)
    assert "chưa có quyết định xếp loại" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    assert login("committee_c1").post(url).status_code == 403


# ---- a member's review ------------------------------------------------------------------


def test_the_member_writes_their_own_self_review(world, cycle, login):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    client = login("member_k1")
    page = client.get(hoa.get_absolute_url())
    assert page.status_code == 200
    assert reverse("ratings:self_review", args=[hoa.uuid]) in page.content.decode()
    assert reverse("ratings:propose", args=[hoa.uuid]) not in page.content.decode()
    response = client.post(reverse("ratings:self_review", args=[hoa.uuid]), SELF)
    assert response.status_code == 302
    hoa.refresh_from_db()
    assert hoa.status == ReviewStatus.SELF_REVIEWED and hoa.self_reviewed_by == world.user(
        "member_k1"
    )
    # Someone else's review is out of their scope.
    nam = review_of(cycle, world, "Lê Văn Nam")
    assert client.get(nam.get_absolute_url()).status_code == 404
    assert client.post(reverse("ratings:self_review", args=[nam.uuid]), SELF).status_code == 404
    assert client.post(reverse("ratings:propose", args=[hoa.uuid]), PROPOSAL).status_code == 403


def test_a_bad_self_review_shows_the_reason_and_writes_nothing(world, cycle, login):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    response = login("member_k1").post(
        reverse("ratings:self_review", args=[hoa.uuid]),
        {**SELF, "self_level": "excellent", "self_score": "85"},
    )
    assert response.status_code == 200
    assert "không thể xếp loại cao hơn" in response.content.decode()
    hoa.refresh_from_db()
    assert hoa.status == ReviewStatus.PENDING


def test_the_secretary_proposes_and_the_committee_decides(world, cycle, login):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    self_review(hoa)
    secretary = login("secretary_k1")
    page = secretary.get(hoa.get_absolute_url()).content.decode()
    assert "Số buổi sinh hoạt chi bộ đã dự" in page  # the evidence panel
    response = secretary.post(reverse("ratings:propose", args=[hoa.uuid]), PROPOSAL)
    assert response.status_code == 302
    decision = {"level": "good", "note": "05-QĐ/ĐU", "on": TODAY}
    assert secretary.post(reverse("ratings:decide", args=[hoa.uuid]), decision).status_code == 403
    staff = login("staff_c1")
    assert staff.post(reverse("ratings:decide", args=[hoa.uuid]), decision).status_code == 302
    hoa.refresh_from_db()
    assert hoa.status == ReviewStatus.DECIDED and hoa.decided_by == world.user("staff_c1")


def test_a_proposal_without_a_majority_is_refused(world, cycle, login):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    self_review(hoa)
    response = login("secretary_k1").post(
        reverse("ratings:propose", args=[hoa.uuid]), {**PROPOSAL, "votes_for": "2"}
    )
    assert response.status_code == 200
    assert "chưa quá một nửa" in response.content.decode()
    assert MemberReview.objects.get(pk=hoa.pk).status == ReviewStatus.SELF_REVIEWED


def test_a_step_out_of_order_is_a_message_not_a_form_error(world, cycle, login):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    response = login("secretary_k1").post(
        reverse("ratings:propose", args=[hoa.uuid]), PROPOSAL, follow=True
    )
    assert "chưa nộp bản tự kiểm điểm" in response.content.decode()


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("staff_p1", 200),
        ("committee_c1", 200),
        ("secretary_k1", 200),
        ("staff_p2", 404),
        ("nobody", 404),
        (None, 302),
    ],
)
def test_who_sees_a_review(world, cycle, client, user, status):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    if user:
        client.force_login(world.user(user))
    assert client.get(hoa.get_absolute_url()).status_code == status


def test_the_review_page_takes_a_constant_number_of_queries(
    world, cycle, login, django_assert_num_queries
):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    client = login("secretary_k1")
    client.get(hoa.get_absolute_url())
    with django_assert_num_queries(QUERIES_REVIEW):
        client.get(hoa.get_absolute_url())
    to_proposed(hoa)
    with django_assert_num_queries(QUERIES_REVIEW):
        client.get(hoa.get_absolute_url())


QUERIES_REVIEW = 10  # 9 reads + the audit entry of the view (audit.log.record_view)


# ---- collectives ---------------------------------------------------------------------------


def test_the_committee_decides_its_cells_and_the_province_the_committee(world, cycle, login):
    for r in cycle.member_reviews.exclude(status="excluded").select_related("cycle", "cell"):
        to_proposed(r)
        services.decide(r, level="good")
    k1 = cycle.org_reviews.get(organization__code="K1")
    c1 = cycle.org_reviews.get(organization__code="C1")
    staff_c1 = login("staff_c1")
    body = staff_c1.get(cycle.get_absolute_url()).content.decode()
    assert reverse("ratings:decide_org", args=[k1.uuid]) in body
    assert reverse("ratings:decide_org", args=[c1.uuid]) not in body
    form = {"level": "good", "on": TODAY}
    assert staff_c1.post(reverse("ratings:decide_org", args=[k1.uuid]), form).status_code == 302
    assert staff_c1.post(reverse("ratings:decide_org", args=[c1.uuid]), form).status_code == 403
    assert (
        login("staff_p2").post(reverse("ratings:decide_org", args=[k1.uuid]), form).status_code
        == 404
    )
    k1.refresh_from_db()
    assert k1.decided_level == "good" and k1.basis["members"] == {"good": 3}


def test_a_member_finds_her_own_review_on_her_meetings_page(world, login):
    cycle = services.open_cycle(world.org("C1"), year=2025, by=world.user("staff_c1"))
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    to_proposed(hoa, "good", 82)
    services.decide(hoa, level="good")
    page = login("member_k1").get("/meetings/").content.decode()
    assert "Kiểm điểm của tôi" in page and hoa.get_absolute_url() in page
    i = page.index("Kiểm điểm của tôi")
    assert "Kiểm điểm năm 2025" in page, page[i : i + 600]
    assert "Hoàn thành tốt nhiệm vụ" in page
    # Someone else's review is not listed there.
    nam = review_of(cycle, world, "Lê Văn Nam")
    assert nam.get_absolute_url() not in page
