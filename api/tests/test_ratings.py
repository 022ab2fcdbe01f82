"""The review-and-rating API (cycles, members' reviews with the evidence panel, collectives) and
the admission targets: each operation for the owner, the same scope, out of scope (404),
anonymous (401) and a missing capability (403); refusals are 422 and write nothing; the lists
cost a fixed number of queries."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from admissions.models import AdmissionTarget
from admissions.tests.test_targets import admit
from meetings.models import Attendance, Meeting
from ratings import services
from ratings.models import CycleStatus, MemberReview, OrganizationReview, ReviewCycle
from ratings.tests.conftest import review_of, self_review, to_proposed

JSON = "application/json"
TODAY = timezone.localdate().isoformat()
SELF = {
    "form_type": "2C",
    "results": "Hoàn thành các nhiệm vụ chi bộ giao.",
    "strengths": "Gương mẫu.",
    "self_level": "good",
    "self_score": 85,
}
PROPOSAL = {"level": "good", "score": "82", "votes_for": 3, "votes_eligible": 4, "comment": "Ok"}


def post(client, path, body=None, lang=None, method="post"):
    return getattr(client, method)(
        f"/api/v1{path}",
        data=json.dumps(body or {}),
        content_type=JSON,
        headers={"Accept-Language": lang} if lang else {},
    )


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def written():
    """Everything a refused request must leave as it was."""
    return (
        ReviewCycle.history.count(),
        MemberReview.history.count(),
        OrganizationReview.history.count(),
        AdmissionTarget.history.count(),
    )


@pytest.fixture
def cycle(world):
    """The 2025 annual review of C1 (cells K1 and K2), under QĐ 366 (scored)."""
    return services.open_cycle(world.org("C1"), year=2025, by=world.user("staff_c1"))


def review_path(cycle, world, name, cell="K1", step=""):
    review = review_of(cycle, world, name, cell)
    return f"/member-reviews/{review.uuid}" + (f"/{step}" if step else "")


def decide_all_members(cycle, world):
    for name, cell in (
        ("Nguyễn Văn Đức", "K1"),
        ("Trần Thị Hoa", "K1"),
        ("Lê Văn Nam", "K1"),
        ("Hoàng Văn Bình", "K2"),
        ("Nguyễn Văn Đức", "K2"),
    ):
        services.decide(to_proposed(review_of(cycle, world, name, cell)), level="good")


# ---- cycles: open, list, read, close ----------------------------------------------------------


def test_staff_open_a_cycle_for_their_committee(token_client, world):
    r = post(
        token_client("staff_c1"),
        "/review-cycles",
        {"organization": str(world.org("C1").uuid), "year": 2025},
    )
    assert r.status_code == 201, r.content
    d = r.json()
    cycle = ReviewCycle.objects.get(uuid=d["uuid"])
    assert cycle.opened_by == world.user("staff_c1") and cycle.member_reviews.count() == 6
    assert (d["year"], d["quarter"], d["rule_set"], d["status"]) == (
        2025,
        None,
        "qd366_2025",
        "open",
    )
    assert d["scored"] and d["excellent_cap_percent"] == 20 and d["steps"] == ["close"]
    assert d["levels"][0] == {
        "level": "excellent",
        "member_name": "Hoàn thành xuất sắc nhiệm vụ",
        "organization_name": "Hoàn thành xuất sắc nhiệm vụ",
    }
    statuses = {s["status"]: s["count"] for s in d["statuses"]}
    assert (statuses["pending"], statuses["excluded"]) == (5, 1)  # Lan is exempt
    assert [c["cell"]["name"] for c in d["cells"]] == [world.org("K1").name, world.org("K2").name]
    assert d["collectives"] == {"total": 3, "decided": 0}  # C1, K1, K2 (not the party group)


def test_a_past_year_keeps_its_level_names(token_client, world):
    r = post(
        token_client("staff_c1"),
        "/review-cycles",
        {"organization": str(world.org("C1").uuid), "year": 2016},
    )
    assert r.status_code == 201, r.content
    names = {lv["level"]: lv["organization_name"] for lv in r.json()["levels"]}
    assert names["excellent"] == "Trong sạch, vững mạnh" and not r.json()["scored"]


@pytest.mark.parametrize(
    ("user", "status"),
    [("committee_c1", 403), ("secretary_k1", 404), ("staff_p2", 404), ("nobody", 404), (None, 401)],
)
def test_opening_needs_the_structure_capability(token_client, anon, world, user, status):
    client = token_client(user) if user else anon
    before = written()
    r = post(client, "/review-cycles", {"organization": str(world.org("C1").uuid), "year": 2025})
    assert r.status_code == status
    assert written() == before


@pytest.mark.parametrize(
    ("org", "body", "field", "message"),
    [
        ("C1", {"year": 2024, "quarter": 2}, "quarter", "QĐ 366-QĐ/TW"),
        ("C1", {"year": 2025, "excellent_cap_percent": 120}, "excellent_cap_percent", "100"),
        ("C1", {"year": 2007}, "year", "2008"),
        ("K1", {"year": 2025}, "__all__", "does not run a review"),
        ("C1", {"year": 2025, "cap_base": "all"}, "cap_base", "good"),
    ],
)
def test_opening_with_bad_input_is_a_422_and_writes_nothing(
    token_client, world, org, body, field, message
):
    before = written()
    r = post(
        token_client("staff_p1"),
        "/review-cycles",
        {"organization": str(world.org(org).uuid), **body},
        lang="en",
    )
    assert r.status_code == 422, r.content
    assert r.json()["detail"][0]["field"] == field and message in text(r)
    assert written() == before


def test_a_second_cycle_for_the_same_period_is_refused(token_client, world, cycle):
    before = written()
    r = post(
        token_client("staff_p1"),
        "/review-cycles",
        {"organization": str(world.org("P1").uuid), "year": 2025},
        lang="en",
    )
    assert r.status_code == 422 and "already runs the review" in text(r)
    assert written() == before


def test_who_lists_the_cycles(token_client, anon, world, cycle):
    for user in ("admin", "staff_p1", "staff_c1", "committee_c1", "secretary_k1"):
        r = token_client(user).get("/api/v1/review-cycles")
        assert r.status_code == 200
        assert [i["uuid"] for i in r.json()["items"]] == [str(cycle.uuid)], user
    for user in ("member_k1", "staff_p2", "nobody"):
        assert token_client(user).get("/api/v1/review-cycles").json()["items"] == [], user
    assert anon.get("/api/v1/review-cycles").status_code == 401


def test_the_cycle_list_filters(token_client, world, cycle):
    quarter = services.open_cycle(world.org("C2"), year=2025, quarter=1)
    client = token_client("staff_p1")

    def uuids(**params):
        r = client.get("/api/v1/review-cycles", params)
        assert r.status_code == 200, r.content
        return [i["uuid"] for i in r.json()["items"]]

    assert uuids() == [str(cycle.uuid), str(quarter.uuid)]  # the annual review first
    assert uuids(org=str(world.org("K1").uuid)) == [str(cycle.uuid)]  # covering K1
    assert uuids(org=str(world.org("P1").uuid)) == [str(cycle.uuid), str(quarter.uuid)]
    assert uuids(quarter=0) == [str(cycle.uuid)]
    assert uuids(quarter=1) == [str(quarter.uuid)]
    assert uuids(year=2024) == []
    assert uuids(status="closed") == []
    assert client.get("/api/v1/review-cycles", {"quarter": 5}).status_code == 422
    r = token_client("staff_c1").get("/api/v1/review-cycles", {"org": str(world.org("C2").uuid)})
    assert r.status_code == 404


def test_the_cycle_list_runs_a_constant_number_of_queries(
    token_client, world, django_assert_num_queries
):
    for year in (2021, 2022, 2023):
        services.open_cycle(world.org("C1"), year=year)
    client = token_client("staff_c1")
    client.get("/api/v1/me")
    for size in (1, 200):
        with django_assert_num_queries(4):  # token, roles, count, page
            r = client.get(f"/api/v1/review-cycles?page_size={size}")
        assert r.status_code == 200 and len(r.json()["items"]) == min(size, 3)


def test_the_details_run_a_constant_number_of_queries(
    token_client, world, cycle, django_assert_num_queries
):
    decide_all_members(cycle, world)
    client = token_client("staff_c1")
    client.get("/api/v1/me")
    with django_assert_num_queries(5):  # token, roles, cycle, member counts, collectives
        assert client.get(f"/api/v1/review-cycles/{cycle.uuid}").status_code == 200
    path = "/api/v1" + review_path(cycle, world, "Trần Thị Hoa")
    with django_assert_num_queries(7):  # token, roles, review, four for the evidence
        assert client.get(path).status_code == 200


def test_the_cycle_detail_counts_what_the_caller_sees(token_client, anon, world, cycle):
    decide_all_members(cycle, world)
    path = f"/api/v1/review-cycles/{cycle.uuid}"
    d = token_client("staff_c1").get(path).json()
    assert d["scope"] == "cycle"
    assert {lv["level"]: lv["decided"] for lv in d["level_counts"]}["good"] == 5
    k1 = d["cells"][0]
    assert (k1["total"], k1["excluded"], k1["decided"], k1["cap"]) == (4, 1, {"good": 3}, 0)
    # The secretary of K1 sees the committee's review, counted on K1 only, and cannot close it.
    r = token_client("secretary_k1").get(path)
    assert r.status_code == 200
    d = r.json()
    assert d["scope"] == "part" and d["steps"] == []
    assert [c["cell"]["name"] for c in d["cells"]] == [world.org("K1").name]
    assert d["collectives"] == {"total": 1, "decided": 0}
    assert token_client("committee_c1").get(path).json()["steps"] == []
    for user in ("member_k1", "staff_p2", "nobody"):
        r = token_client(user).get(path)
        assert r.status_code == 404 and world.org("C1").name not in text(r)
    assert anon.get(path).status_code == 401


def test_closing_a_cycle(token_client, anon, world, cycle):
    path = f"/review-cycles/{cycle.uuid}/close"
    before = written()
    r = post(token_client("staff_c1"), path, lang="en")
    assert r.status_code == 422 and "5 member(s) are not decided yet" in text(r)
    for user, status in (
        ("committee_c1", 403),
        ("secretary_k1", 403),
        ("staff_p2", 404),
        ("member_k1", 404),
    ):
        assert post(token_client(user), path).status_code == status, user
    assert post(anon, path).status_code == 401
    assert written() == before
    decide_all_members(cycle, world)
    for code in ("K1", "K2"):
        services.decide_org(cycle.org_reviews.get(organization__code=code), level="good")
    services.decide_org(cycle.org_reviews.get(organization__code="C1"), level="good")
    r = post(token_client("staff_c1"), path)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "closed" and r.json()["steps"] == []
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED and cycle.closed_by == world.user("staff_c1")


# ---- members' reviews ----------------------------------------------------------------------------


def test_who_lists_the_members_reviews(token_client, anon, world, cycle):
    def names(user, **params):
        r = token_client(user).get("/api/v1/member-reviews", params)
        assert r.status_code == 200, r.content
        return [(i["member"]["full_name"], i["cell"]["name"]) for i in r.json()["items"]]

    assert len(names("staff_c1")) == len(names("committee_c1")) == 6
    assert {cell for _n, cell in names("secretary_k1")} == {world.org("K1").name}
    assert len(names("secretary_k1")) == 4
    # A member sees only their own review.
    assert names("member_k1") == [("Trần Thị Hoa", world.org("K1").name)]
    assert names("staff_p2") == names("nobody") == []
    assert anon.get("/api/v1/member-reviews").status_code == 401


def test_the_member_review_list_filters(token_client, world, cycle):
    self_review(review_of(cycle, world, "Trần Thị Hoa"))
    client = token_client("staff_c1")

    def count(**params):
        r = client.get("/api/v1/member-reviews", params)
        assert r.status_code == 200, r.content
        return r.json()["count"]

    assert count(cycle=str(cycle.uuid)) == 6
    assert count(cell=str(world.org("K2").uuid)) == 2
    assert count(status="excluded") == 1
    assert count(status="self_reviewed") == 1
    assert count(member=str(world.member("Trần Thị Hoa", "K1").uuid)) == 1
    item = client.get("/api/v1/member-reviews", {"status": "self_reviewed"}).json()["items"][0]
    assert (item["self_level"], item["self_level_name"]) == ("good", "Hoàn thành tốt nhiệm vụ")
    assert item["cycle"]["uuid"] == str(cycle.uuid) and item["decided_level"] == ""
    assert client.get("/api/v1/member-reviews", {"status": "rated"}).status_code == 422
    r = token_client("secretary_k1").get(
        "/api/v1/member-reviews", {"cell": str(world.org("K2").uuid)}
    )
    assert r.status_code == 404


def test_the_member_review_list_runs_a_constant_number_of_queries(
    token_client, world, cycle, django_assert_num_queries
):
    services.open_cycle(world.org("C1"), year=2024)
    client = token_client("staff_c1")
    client.get("/api/v1/me")
    for size in (1, 200):
        with django_assert_num_queries(4):  # token, roles, count, page
            r = client.get(f"/api/v1/member-reviews?page_size={size}")
        assert len(r.json()["items"]) == min(size, MemberReview.objects.count())


def test_the_review_detail_has_the_evidence_panel(token_client, anon, world, cycle):
    k1, hoa = world.org("K1"), world.member("Trần Thị Hoa", "K1")
    for month, status in ((9, "present"), (10, "absent_unexcused"), (11, "present")):
        meeting = Meeting.objects.create(
            province_id=k1.province_id,
            organization=k1,
            kind="regular",
            status="approved",
            period_year=2025,
            period_month=month,
            scheduled_at=timezone.make_aware(dt.datetime(2025, month, 5, 19, 30)),
        )
        Attendance.objects.create(
            province_id=k1.province_id,
            meeting=meeting,
            member=hoa,
            member_status=hoa.status,
            status=status,
        )
    path = "/api/v1" + review_path(cycle, world, "Trần Thị Hoa")
    r = token_client("member_k1").get(path)
    assert r.status_code == 200, r.content
    d = r.json()
    e = d["evidence"]
    assert (e["meetings_expected"], e["meetings_attended"], e["absent_unexcused"]) == (3, 2, 1)
    assert e["attendance_percent"] == 67 and e["residence_comment"] is None
    assert d["steps"] == ["self-review"] and d["status"] == "pending"
    assert [lv["member_name"] for lv in d["levels"]][-1] == "Không hoàn thành nhiệm vụ"
    # The secretary fills in for the member and proposes; staff decide once proposed.
    assert token_client("secretary_k1").get(path).json()["steps"] == ["self-review"]
    assert token_client("committee_c1").get(path).json()["steps"] == []
    for user in ("staff_p2", "nobody"):
        assert token_client(user).get(path).status_code == 404
    assert anon.get(path).status_code == 401
    # Another member's review is not a member's to see.
    other = "/api/v1" + review_path(cycle, world, "Nguyễn Văn Đức")
    assert token_client("member_k1").get(other).status_code == 404
    excluded = token_client("staff_c1").get("/api/v1" + review_path(cycle, world, "Phạm Thị Lan"))
    assert excluded.json()["exclusion"] == "exempt" and excluded.json()["steps"] == []


def test_a_member_records_their_self_review(token_client, world, cycle):
    r = post(
        token_client("member_k1"),
        review_path(cycle, world, "Trần Thị Hoa", step="self-review"),
        SELF,
    )
    assert r.status_code == 200, r.content
    d = r.json()
    assert (d["status"], d["self_level"], d["self_score"]) == ("self_reviewed", "good", 85.0)
    assert d["self_reviewed_on"] == TODAY and d["results"] == SELF["results"]
    review = review_of(cycle, world, "Trần Thị Hoa")
    assert review.self_reviewed_by == world.user("member_k1")


@pytest.mark.parametrize(
    ("user", "name", "status"),
    [
        ("secretary_k1", "Lê Văn Nam", 200),  # the cell's manager fills in for a member
        ("staff_c1", "Lê Văn Nam", 200),
        ("committee_c1", "Lê Văn Nam", 403),
        ("member_k1", "Lê Văn Nam", 404),
        ("staff_p2", "Lê Văn Nam", 404),
        (None, "Lê Văn Nam", 401),
    ],
)
def test_who_records_a_self_review(token_client, anon, world, cycle, user, name, status):
    before = written()
    r = post(
        token_client(user) if user else anon,
        review_path(cycle, world, name, step="self-review"),
        SELF,
    )
    assert r.status_code == status, r.content
    assert (written() == before) == (status != 200)


@pytest.mark.parametrize(
    ("name", "body", "field", "message"),
    [
        (
            "Trần Thị Hoa",
            {**SELF, "self_level": "excellent", "self_score": 80},
            "self_level",
            "falls in",
        ),
        ("Trần Thị Hoa", {**SELF, "results": ""}, "results", "required"),
        ("Trần Thị Hoa", {**SELF, "self_score": 101}, "self_score", "100"),
        ("Trần Thị Hoa", {**SELF, "form_type": "2D"}, "form_type", "2A"),
        ("Phạm Thị Lan", SELF, "__all__", "not rated in this review"),
    ],
)
def test_a_refused_self_review_is_a_422_and_writes_nothing(
    token_client, world, cycle, name, body, field, message
):
    before = written()
    r = post(
        token_client("staff_c1"),
        review_path(cycle, world, name, step="self-review"),
        body,
        lang="en",
    )
    assert r.status_code == 422, r.content
    assert r.json()["detail"][0]["field"] == field and message in text(r)
    assert written() == before


def test_an_unscored_cycle_refuses_a_score(token_client, world):
    old = services.open_cycle(world.org("C1"), year=2024)
    before = written()
    r = post(
        token_client("member_k1"),
        review_path(old, world, "Trần Thị Hoa", step="self-review"),
        SELF,
        lang="en",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "self_score"
    assert "not scored on 100 points" in text(r)
    assert written() == before
    body = {k: v for k, v in SELF.items() if k != "self_score"}
    r = post(
        token_client("member_k1"), review_path(old, world, "Trần Thị Hoa", step="self-review"), body
    )
    assert r.status_code == 200 and r.json()["self_score"] is None


def test_the_cell_proposes_a_level(token_client, world, cycle):
    self_review(review_of(cycle, world, "Lê Văn Nam"))
    path = review_path(cycle, world, "Lê Văn Nam", step="propose")
    for user, status in (("member_k1", 404), ("committee_c1", 403), ("staff_p2", 404)):
        assert post(token_client(user), path, PROPOSAL).status_code == status, user
    r = post(token_client("secretary_k1"), path, PROPOSAL)
    assert r.status_code == 200, r.content
    d = r.json()
    assert (d["status"], d["cell_level"], d["score"], d["votes_for"]) == (
        "proposed",
        "good",
        82.0,
        3,
    )
    assert d["cell_level_name"] == "Hoàn thành tốt nhiệm vụ" and d["proposed_on"] == TODAY
    assert d["steps"] == ["propose"]  # the secretary may revise it; staff decide
    assert token_client("staff_c1").get("/api/v1" + review_path(cycle, world, "Lê Văn Nam")).json()[
        "steps"
    ] == ["propose", "decide"]


def test_a_member_may_not_propose_their_own_level(token_client, world, cycle):
    self_review(review_of(cycle, world, "Trần Thị Hoa"))
    r = post(
        token_client("member_k1"),
        review_path(cycle, world, "Trần Thị Hoa", step="propose"),
        PROPOSAL,
    )
    assert r.status_code == 403


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({**PROPOSAL, "votes_for": 2}, "votes_for", "not more than half"),
        ({**PROPOSAL, "score": None}, "score", "100-point scale"),
        ({**PROPOSAL, "level": "excellent"}, "level", "falls in"),
        ({**PROPOSAL, "on": "2024-12-31"}, "on", "cannot be dated before"),
        ({**PROPOSAL, "votes_eligible": 0}, "votes_eligible", "at least 1"),
    ],
)
def test_a_refused_proposal_is_a_422_and_writes_nothing(
    token_client, world, cycle, body, field, message
):
    self_review(review_of(cycle, world, "Lê Văn Nam"))
    before = written()
    r = post(
        token_client("secretary_k1"),
        review_path(cycle, world, "Lê Văn Nam", step="propose"),
        body,
        lang="en",
    )
    assert r.status_code == 422, r.content
    assert r.json()["detail"][0]["field"] == field and message in text(r)
    assert written() == before


def test_no_proposal_before_the_self_review(token_client, world, cycle):
    before = written()
    r = post(
        token_client("secretary_k1"),
        review_path(cycle, world, "Lê Văn Nam", step="propose"),
        PROPOSAL,
        lang="en",
    )
    assert r.status_code == 422 and "has not handed in the self-review" in text(r)
    assert written() == before


def test_the_superior_decides(token_client, anon, world, cycle):
    to_proposed(review_of(cycle, world, "Lê Văn Nam"))
    path = review_path(cycle, world, "Lê Văn Nam", step="decide")
    body = {"level": "good", "note": "05-QĐ/ĐU"}
    before = written()
    for user, status in (
        ("secretary_k1", 403),
        ("committee_c1", 403),
        ("staff_p2", 404),
        ("member_k1", 404),
    ):
        assert post(token_client(user), path, body).status_code == status, user
    assert post(anon, path, body).status_code == 401
    assert written() == before
    r = post(token_client("staff_c1"), path, body)
    assert r.status_code == 200, r.content
    d = r.json()
    assert (d["status"], d["decided_level"], d["decision_note"]) == ("decided", "good", "05-QĐ/ĐU")
    assert d["decided_level_name"] == "Hoàn thành tốt nhiệm vụ" and d["decided_on"] == TODAY


def test_the_cap_refusal_names_the_cap_and_writes_nothing(token_client, world, cycle):
    cycle.excellent_cap_percent = 50
    cycle.save()
    to_proposed(review_of(cycle, world, "Nguyễn Văn Đức"), "excellent", 95)
    to_proposed(review_of(cycle, world, "Trần Thị Hoa"), "excellent", 92)
    to_proposed(review_of(cycle, world, "Lê Văn Nam"), "good", 80)
    before = written()
    r = post(
        token_client("staff_c1"),
        review_path(cycle, world, "Nguyễn Văn Đức", step="decide"),
        {"level": "excellent"},
        lang="en",
    )
    assert r.status_code == 422
    item = r.json()["detail"][0]
    assert item["field"] == "level"
    assert "The cap on “Hoàn thành xuất sắc nhiệm vụ” in Chi bộ thôn Đông is 50%" in item["msg"]
    assert "0 of 1" in item["msg"]
    assert written() == before
    # In Vietnamese by default.
    r = post(
        token_client("staff_c1"),
        review_path(cycle, world, "Nguyễn Văn Đức", step="decide"),
        {"level": "excellent"},
    )
    assert r.status_code == 422 and "Chi bộ thôn Đông" in r.json()["detail"][0]["msg"]
    assert "The cap" not in r.json()["detail"][0]["msg"]


# ---- collectives' reviews -----------------------------------------------------------------------


def test_who_lists_the_collectives_of_a_cycle(token_client, anon, world, cycle):
    decide_all_members(cycle, world)

    def orgs(user):
        r = token_client(user).get("/api/v1/organization-reviews", {"cycle": str(cycle.uuid)})
        assert r.status_code == 200, r.content
        return {i["organization"]["name"]: i for i in r.json()["items"]}

    items = orgs("staff_c1")
    assert list(items) == [world.org(c).name for c in ("C1", "K1", "K2")]
    k1 = items[world.org("K1").name]
    # All members "good": two thirds or more good → excellent suggested (docs/ratings.md).
    assert k1["basis"]["members"] == {"good": 3} and k1["basis"]["members_rated"] == 3
    assert k1["suggested_level"] == "excellent" and k1["may_decide"]
    assert k1["suggested_level_name"] == "Hoàn thành xuất sắc nhiệm vụ"
    # The committee running the cycle is decided by the one above it.
    assert not items[world.org("C1").name]["may_decide"]
    assert items[world.org("C1").name]["basis"]["collectives_total"] == 2
    assert orgs("staff_p1")[world.org("C1").name]["may_decide"]
    assert not any(i["may_decide"] for i in orgs("committee_c1").values())
    # The secretary sees their cell's collective only, with the same basis.
    assert orgs("secretary_k1") == {world.org("K1").name: {**k1, "may_decide": False}}
    for user in ("staff_p2", "member_k1"):
        r = token_client(user).get("/api/v1/organization-reviews", {"cycle": str(cycle.uuid)})
        assert r.status_code == 404, user
    assert anon.get("/api/v1/organization-reviews", {"cycle": str(cycle.uuid)}).status_code == 401
    assert token_client("staff_c1").get("/api/v1/organization-reviews").status_code == 422
    r = token_client("staff_c1").get(
        "/api/v1/organization-reviews", {"cycle": str(cycle.uuid), "status": "decided"}
    )
    assert r.json()["count"] == 0


def test_the_collective_list_runs_a_constant_number_of_queries(
    token_client, world, cycle, django_assert_num_queries
):
    decide_all_members(cycle, world)
    client = token_client("staff_p1")
    client.get("/api/v1/me")
    for size in (1, 200):
        # Token, roles, cycle, count, page, member counts, collectives, discipline.
        with django_assert_num_queries(8):
            r = client.get(f"/api/v1/organization-reviews?cycle={cycle.uuid}&page_size={size}")
        assert r.status_code == 200 and len(r.json()["items"]) == min(size, 3)


def test_deciding_a_collective(token_client, anon, world, cycle):
    k1 = cycle.org_reviews.get(organization__code="K1")
    path = f"/organization-reviews/{k1.uuid}/decide"
    body = {"level": "good", "note": "12-QĐ/ĐU"}
    before = written()
    r = post(token_client("staff_c1"), path, body, lang="en")
    assert r.status_code == 422 and "Decide its members first: 3 not decided yet." in text(r)
    for user, status in (
        ("secretary_k1", 403),
        ("committee_c1", 403),
        ("staff_p2", 404),
        ("member_k1", 404),
    ):
        assert post(token_client(user), path, body).status_code == status, user
    assert post(anon, path, body).status_code == 401
    assert written() == before
    decide_all_members(cycle, world)
    r = post(token_client("staff_c1"), path, {**body, "score": 85})
    assert r.status_code == 200, r.content
    d = r.json()
    assert (d["decided_level"], d["score"], d["decision_note"]) == ("good", 85.0, "12-QĐ/ĐU")
    assert d["decided_level_name"] == "Hoàn thành tốt nhiệm vụ" and d["decided_on"] == TODAY
    k1.refresh_from_db()
    assert k1.proposed_level == "excellent" and k1.basis["members"] == {"good": 3}
    # The committee running the cycle: not its own staff, the province's.
    c1 = cycle.org_reviews.get(organization__code="C1")
    assert (
        post(token_client("staff_c1"), f"/organization-reviews/{c1.uuid}/decide", body).status_code
        == 403
    )


def test_a_refused_collective_decision_is_a_422(token_client, world, cycle):
    decide_all_members(cycle, world)
    k1 = cycle.org_reviews.get(organization__code="K1")
    before = written()
    for body, field in (
        ({"level": "excellent", "score": 60}, "level"),
        ({"level": "best"}, "level"),
        ({"level": "good", "on": "2030-01-01"}, "on"),
    ):
        r = post(token_client("staff_c1"), f"/organization-reviews/{k1.uuid}/decide", body)
        assert r.status_code == 422, (body, r.content)
        assert r.json()["detail"][0]["field"] == field
    assert written() == before


# ---- admission targets --------------------------------------------------------------------------


def test_the_admission_targets_against_the_results(token_client, anon, world):
    year = timezone.localdate().year
    admit(world.org("K1"), "Đảng Viên Mới", dt.date(year, 1, 1), sex="F")
    AdmissionTarget.objects.create(
        organization=world.org("K1"),
        province_id=world.org("P1").pk,
        year=year,
        admissions=4,
        women_share=50,
    )
    path = f"/api/v1/organizations/{world.org('C1').uuid}/admission-targets"
    r = token_client("staff_c1").get(path)
    assert r.status_code == 200, r.content
    d = r.json()
    assert d["year"] == year and d["can_edit"]
    rows = {i["organization"]["name"]: i for i in d["items"]}
    k1 = rows[world.org("K1").name]
    assert k1["row"] == "unit" and k1["target"]["admissions"] == 4
    assert k1["achieved"]["admitted"] == 1 and k1["achieved"]["shares"]["women_share"] == 100.0
    assert rows[world.org("K2").name]["target"] is None
    assert d["total"]["row"] == "total" and d["total"]["achieved"]["admitted"] == 1
    assert token_client("committee_c1").get(path).json()["can_edit"] is False
    for user in ("secretary_k1", "staff_p2", "member_k1"):
        assert token_client(user).get(path).status_code == 404, user
    assert anon.get(path).status_code == 401
    k1_path = f"/api/v1/organizations/{world.org('K1').uuid}/admission-targets"
    assert token_client("secretary_k1").get(k1_path).status_code == 200
    assert token_client("staff_c1").get(path, {"year": 1990}).status_code == 422


def test_the_admission_targets_run_a_constant_number_of_queries(
    token_client, world, django_assert_num_queries
):
    client = token_client("staff_p1")
    client.get("/api/v1/me")
    path = f"/api/v1/organizations/{world.org('P1').uuid}/admission-targets"
    for size in (1, 200):
        # Token, roles, organization, units, results, targets.
        with django_assert_num_queries(6):
            r = client.get(f"{path}?page_size={size}&year=2025")
        assert r.status_code == 200 and len(r.json()["items"]) == min(size, 3)  # C1, C2, U1


def test_staff_set_a_target(token_client, world):
    path = f"/organizations/{world.org('K1').uuid}/admission-targets"
    r = post(
        token_client("staff_c1"),
        path,
        {"year": 2026, "admissions": 3, "women_share": 40},
        method="put",
    )
    assert r.status_code == 200, r.content
    target = AdmissionTarget.objects.get(organization=world.org("K1"), year=2026)
    assert (target.admissions, target.women_share, target.set_by) == (3, 40, world.user("staff_c1"))
    assert r.json()["total"]["target"]["admissions"] == 3
    r = post(token_client("staff_c1"), path, {"year": 2026, "admissions": 5}, method="put")
    target.refresh_from_db()
    assert r.status_code == 200 and (target.admissions, target.women_share) == (5, None)
    r = post(token_client("staff_c1"), path, {"year": 2026, "admissions": None}, method="put")
    assert r.status_code == 200 and not AdmissionTarget.objects.filter(year=2026).exists()


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("committee_c1", 403),
        ("secretary_k1", 403),
        ("member_k1", 404),
        ("staff_p2", 404),
        (None, 401),
    ],
)
def test_setting_a_target_needs_the_structure_capability(token_client, anon, world, user, status):
    before = written()
    r = post(
        token_client(user) if user else anon,
        f"/organizations/{world.org('K1').uuid}/admission-targets",
        {"year": 2026, "admissions": 3},
        method="put",
    )
    assert r.status_code == status
    assert written() == before


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"year": 2026, "admissions": None, "women_share": 40}, "__all__", "number of new members"),
        ({"year": 2026, "admissions": 3, "women_share": 120}, "women_share", "100"),
        ({"year": 2026, "admissions": -1}, "admissions", "0"),
        ({"year": 1990, "admissions": 3}, "year", "2000"),
        ({"year": 2026}, "admissions", "required"),
    ],
)
def test_a_refused_target_is_a_422_and_writes_nothing(token_client, world, body, field, message):
    before = written()
    r = post(
        token_client("staff_c1"),
        f"/organizations/{world.org('K1').uuid}/admission-targets",
        body,
        lang="en",
        method="put",
    )
    assert r.status_code == 422, r.content
    assert r.json()["detail"][0]["field"] == field and message in text(r)
    assert written() == before


# ---- complaints about a decided level ------------------------------------------------------


def test_a_member_disputes_the_level_and_the_superior_rates_again(token_client, world, cycle):
    hoa = review_of(cycle, world, "Trần Thị Hoa")
    services.decide(to_proposed(hoa, "good", 82), level="completed")
    member = token_client("member_k1")
    r = post(member, review_path(cycle, world, "Trần Thị Hoa", step="complain"), {"text": "x"})
    assert r.status_code == 422 and "10" in text(r)
    assert MemberReview.objects.get(pk=hoa.pk).status == "decided"
    r = post(
        member,
        review_path(cycle, world, "Trần Thị Hoa", step="complain"),
        {"text": "Tôi đã hoàn thành tốt mọi nhiệm vụ được giao."},
    )
    assert r.status_code == 200 and r.json()["status"] == "complained"
    assert r.json()["complained_on"] == TODAY
    # The member may not answer it; the commune staff does.
    path = review_path(cycle, world, "Trần Thị Hoa", step="answer-complaint")
    body = {"level": "good", "answer": "Chấp nhận."}
    assert post(member, path, body).status_code == 403
    assert post(token_client("staff_p2"), path, body).status_code == 404
    r = post(token_client("staff_c1"), path, body)
    assert r.status_code == 200
    d = r.json()
    assert (d["status"], d["decided_level"], d["level_before_complaint"]) == (
        "decided",
        "good",
        "completed",
    )
    assert "answer-complaint" not in d["steps"] and "decide" in d["steps"]


def test_a_complaint_on_an_undecided_review_is_refused_and_writes_nothing(
    token_client, world, cycle
):
    before = written()
    r = post(
        token_client("member_k1"),
        review_path(cycle, world, "Trần Thị Hoa", step="complain"),
        {"text": "Tôi đề nghị xem xét lại mức xếp loại."},
    )
    assert r.status_code == 422
    assert "quyết định" in text(r)  # "Chỉ khiếu nại được kết quả xếp loại đã có quyết định…"
    assert written() == before
