"""The inspection and supervision API: plans, inspections, their steps and follow-up items."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from oversight import services_inspections as services
from oversight.models import FollowUp, Inspection

JSON = "application/json"


def post(client, path, body=None, method="post"):
    return getattr(client, method)(f"/api/v1{path}", data=json.dumps(body or {}), content_type=JSON)


def fields(r) -> set[str]:
    return {e["field"] for e in r.json()["detail"]}


@pytest.fixture
def today():
    return timezone.localdate()


def new(world, subject="K1", committee="C1", member=None, **kw):
    args = {
        "kind": "inspection",
        "topic": "Lãnh đạo sinh hoạt",
        "planned_from": timezone.localdate(),
    }
    args.update(kw)
    if member:
        args["subject_member"] = world.member(member, subject)
    else:
        args["subject_org"] = world.org(subject)
    return services.create_inspection(world.org(committee), **args)


def concluded(world, **kw):
    today = timezone.localdate()
    i = services.start_inspection(new(world, **kw), on=today)
    return services.conclude_inspection(i, on=today, conclusion="Kết luận")


# ---- plans -----------------------------------------------------------------------------------


def test_staff_adopt_read_and_correct_a_plan(token_client, world, today):
    client = token_client("staff_c1")
    c1 = str(world.org("C1").uuid)
    r = post(
        client,
        "/inspection-plans",
        {"organization": c1, "year": today.year, "number": "05-CTr/ĐU", "summary": "Nội dung"},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["year"], body["number"], body["organization"]["uuid"]) == (
        today.year,
        "05-CTr/ĐU",
        c1,
    )
    assert body["capabilities"] == ["view", "manage_structure"]
    assert body["counts"]["total"] == 0
    r = post(client, "/inspection-plans", {"organization": c1, "year": today.year})
    assert r.status_code == 422 and fields(r) == {"year"}
    uuid = body["uuid"]
    r = post(client, f"/inspection-plans/{uuid}", {"number": "06-CTr/ĐU"}, method="patch")
    assert r.status_code == 200 and r.json()["number"] == "06-CTr/ĐU"
    assert r.json()["summary"] == "Nội dung"  # left out: kept
    r = post(client, f"/inspection-plans/{uuid}", {"yaer": 2020}, method="patch")
    assert r.status_code == 422
    r = token_client("committee_c1").get(f"/api/v1/inspection-plans/{uuid}")
    assert r.status_code == 200 and r.json()["capabilities"] == ["view"]
    assert token_client("secretary_k1").get(f"/api/v1/inspection-plans/{uuid}").status_code == 404


def test_plans_are_listed_to_their_committees_readers(token_client, world, anon, today):
    services.adopt_plan(world.org("C1"), year=today.year)
    services.adopt_plan(world.org("C1"), year=today.year - 1)
    services.adopt_plan(world.org("C2"), year=today.year)
    services.adopt_plan(world.org("C3"), year=today.year)

    def orgs(user, **params):
        r = token_client(user).get("/api/v1/inspection-plans", params)
        assert r.status_code == 200
        return sorted((i["organization"]["name"], i["year"]) for i in r.json()["items"])

    assert len(orgs("staff_p1")) == 3
    assert len(orgs("committee_c1")) == 2
    assert orgs("committee_c1", year=today.year) == [("Đảng bộ xã An Bình", today.year)]
    assert orgs("secretary_k1") == orgs("member_k1") == []
    assert len(orgs("staff_p2")) == 1
    r = token_client("staff_p2").get("/api/v1/inspection-plans", {"org": str(world.org("C1").uuid)})
    assert r.status_code == 404
    assert anon.get("/api/v1/inspection-plans").status_code == 401


# ---- inspections -----------------------------------------------------------------------------


def test_staff_plan_an_inspection_of_an_organization_or_a_member(token_client, world, today):
    client = token_client("staff_c1")
    plan = services.adopt_plan(world.org("C1"), year=today.year)
    body = {
        "organization": str(world.org("C1").uuid),
        "kind": "supervision",
        "subject_org": str(world.org("K2").uuid),
        "topic": "Giám sát thu nộp đảng phí",
        "planned_from": today.isoformat(),
        "plan": str(plan.uuid),
    }
    r = post(client, "/inspections", body)
    assert r.status_code == 201, r.content
    got = r.json()
    assert (got["status"], got["kind"], got["subject_org"]["name"], got["plan"]) == (
        "planned",
        "supervision",
        "Chi bộ thôn Tây",
        str(plan.uuid),
    )
    assert got["steps"] == ["start"]
    member = world.member("Trần Thị Hoa", "K1")
    del body["subject_org"]
    r = post(client, "/inspections", {**body, "subject_member": str(member.uuid), "plan": None})
    assert r.status_code == 201
    assert r.json()["subject_member"] == {"uuid": str(member.uuid), "full_name": "Trần Thị Hoa"}
    assert r.json()["subject_org"]["name"] == "Chi bộ thôn Đông"


def test_a_new_inspection_is_refused_with_the_reason(token_client, world, today):
    client = token_client("staff_p1")
    c1 = str(world.org("C1").uuid)
    base = {"organization": c1, "kind": "inspection", "topic": "X", "planned_from": str(today)}
    cases = [
        ({"subject_org": str(world.org("K3").uuid)}, "subject_org"),  # another commune's cell
        ({"subject_org": c1}, "subject_org"),  # itself
        ({"subject_member": str(world.member("Vũ Thị Mai", "K3").uuid)}, "subject_member"),
        ({"subject_org": str(world.org("K4").uuid)}, "subject_org"),  # unknown to staff_p1
        ({}, "subject_org"),
        (
            {
                "subject_org": str(world.org("K1").uuid),
                "planned_to": str(today - dt.timedelta(days=1)),
            },
            "planned_to",
        ),
        (
            {
                "subject_org": str(world.org("K1").uuid),
                "plan": str(services.adopt_plan(world.org("C2"), year=today.year).uuid),
            },
            "plan",
        ),
    ]
    for extra, field in cases:
        r = post(client, "/inspections", {**base, **extra})
        assert r.status_code == 422, (extra, r.content)
        assert fields(r) == {field}, (extra, r.json())
    assert not Inspection.objects.exists()
    r = post(
        client, "/inspections", {**base, "kind": "audit", "subject_org": str(world.org("K1").uuid)}
    )
    assert r.status_code == 422 and fields(r) == {"kind"}


def test_every_step_through_the_api(token_client, world, today):
    client = token_client("staff_c1")
    i = new(world)
    path = f"/inspections/{i.uuid}"
    r = post(client, f"{path}/conclude", {"concluded_on": str(today), "conclusion": "X"})
    assert r.status_code == 422  # not started
    r = post(client, f"{path}/start", {"started_on": str(today + dt.timedelta(days=1))})
    assert r.status_code == 422 and fields(r) == {"started_on"}
    r = post(client, f"{path}/start", {"started_on": str(today)})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    assert r.json()["steps"] == ["conclude"]
    r = post(client, f"{path}/conclude", {"concluded_on": str(today)})
    assert r.status_code == 422 and fields(r) == {"conclusion"}
    r = post(
        client,
        f"{path}/conclude",
        {
            "concluded_on": str(today),
            "conclusion": "Có vi phạm",
            "conclusion_no": "3-KL/ĐU",
            "violation_found": True,
        },
    )
    assert r.status_code == 200
    got = r.json()
    assert (got["status"], got["violation_found"], got["conclusion_no"]) == (
        "concluded",
        True,
        "3-KL/ĐU",
    )
    assert got["steps"] == ["add_follow_up"]
    r = post(
        client,
        f"{path}/follow-ups",
        {"text": "Khắc phục", "responsible": "Chi ủy", "due_on": str(today)},
    )
    assert r.status_code == 201
    item = r.json()["follow_ups"][0]
    assert (item["text"], item["overdue"]) == ("Khắc phục", False)
    assert r.json()["steps"] == ["add_follow_up", "complete_follow_up"]
    done = f"/inspection-follow-ups/{item['id']}/done"
    r = post(client, done, {"done_on": str(today), "result": ""})
    assert r.status_code == 422 and fields(r) == {"result"}
    r = post(client, done, {"done_on": str(today), "result": "Đã khắc phục"})
    assert r.status_code == 200
    assert r.json()["follow_ups"][0]["done_on"] == str(today)
    r = post(client, done, {"done_on": str(today), "result": "Lại"})
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("user", "status"),
    [("committee_c1", 403), ("secretary_k1", 403), ("member_k1", 404), ("staff_p2", 404)],
)
def test_only_the_committees_staff_write(token_client, world, user, status, today):
    i = concluded(world)
    item = services.add_follow_up(i, text="Khắc phục")
    client = token_client(user)
    r = post(client, f"/inspections/{i.uuid}/follow-ups", {"text": "X"})
    assert r.status_code == status
    r = post(
        client, f"/inspection-follow-ups/{item.pk}/done", {"done_on": str(today), "result": "X"}
    )
    assert r.status_code == status
    assert FollowUp.objects.count() == 1 and FollowUp.objects.get().done_on is None


def test_an_unknown_follow_up_is_404(token_client):
    client = token_client("admin")
    body = {"done_on": "2025-01-01", "result": "X"}
    assert post(client, "/inspection-follow-ups/999999/done", body).status_code == 404
    assert post(client, f"/inspection-follow-ups/{2**63}/done", body).status_code in (404, 422)


def test_the_member_inspected_does_not_see_it_through_their_cell(token_client, world):
    own = new(world, member="Nguyễn Văn Đức")  # secretary_k1's own record
    other = new(world, member="Trần Thị Hoa")
    client = token_client("secretary_k1")
    assert client.get(f"/api/v1/inspections/{own.uuid}").status_code == 404
    r = client.get(f"/api/v1/inspections/{other.uuid}")
    assert r.status_code == 200 and r.json()["steps"] == []
    items = client.get("/api/v1/inspections").json()["items"]
    assert [i["uuid"] for i in items] == [str(other.uuid)]


def test_the_list_leaks_nothing_and_filters(token_client, world, anon, today):
    a = new(world, subject="K1")
    b = concluded(world, subject="K2")
    b.violation_found = True
    b.save()
    c = new(world, subject="K3", committee="C2")
    d = new(world, subject="K4", committee="C3")
    FollowUp.objects.create(
        province_id=b.province_id, inspection=b, text="x", due_on=today - dt.timedelta(days=1)
    )

    def uuids(user, **params):
        r = token_client(user).get("/api/v1/inspections", params)
        assert r.status_code == 200, r.content
        return {i["uuid"] for i in r.json()["items"]}

    assert uuids("staff_p1") == {str(x.uuid) for x in (a, b, c)}
    assert uuids("committee_c1") == {str(a.uuid), str(b.uuid)}
    assert uuids("secretary_k1") == {str(a.uuid)}
    assert uuids("staff_p2") == {str(d.uuid)}
    assert uuids("member_k1") == uuids("nobody") == set()
    assert anon.get("/api/v1/inspections").status_code == 401
    c1 = str(world.org("C1").uuid)
    assert uuids("staff_p1", org=c1) == {str(a.uuid), str(b.uuid)}
    assert uuids("staff_p1", org=str(world.org("K2").uuid), side="of") == {str(b.uuid)}
    assert uuids("staff_p1", org=c1, status="planned") == {str(a.uuid)}
    assert uuids("staff_p1", org=c1, status="violations") == {str(b.uuid)}
    assert uuids("staff_p1", org=c1, status="overdue") == {str(b.uuid)}
    assert uuids("staff_p1", org=c1, year=today.year - 1) == set()
    assert uuids("staff_p1", kind="supervision") == set()
    r = token_client("staff_p1").get("/api/v1/inspections", {"status": "sideways"})
    assert r.status_code == 422
    overdue = token_client("staff_p1").get("/api/v1/inspections", {"status": "overdue"})
    assert overdue.json()["items"][0]["overdue_follow_ups"] == 1
    r = token_client("staff_p1").get(f"/api/v1/organizations/{c1}/inspection-counts")
    assert r.json() == {
        "total": 2,
        "planned": 1,
        "in_progress": 0,
        "concluded": 1,
        "violations": 1,
        "overdue": 1,
    }
    k1 = str(world.org("K1").uuid)
    r = token_client("secretary_k1").get(f"/api/v1/organizations/{k1}/inspection-counts?side=of")
    assert r.json()["planned"] == 1
    assert (
        token_client("staff_p2").get(f"/api/v1/organizations/{c1}/inspection-counts").status_code
        == 404
    )


def test_the_plan_is_named_to_the_committees_readers_only(token_client, world, today):
    plan = services.adopt_plan(world.org("C1"), year=today.year)
    i = new(world, plan=plan)
    assert token_client("committee_c1").get(f"/api/v1/inspections/{i.uuid}").json()["plan"] == str(
        plan.uuid
    )
    assert token_client("secretary_k1").get(f"/api/v1/inspections/{i.uuid}").json()["plan"] is None


def test_the_list_runs_a_constant_number_of_queries(
    token_client, world, django_assert_num_queries, today
):
    client = token_client("staff_p1")
    plan = services.adopt_plan(world.org("C1"), year=today.year)
    new(world, plan=plan)
    client.get("/api/v1/inspections")  # the token's first use is recorded once
    # token (with its user), scope, count, rows
    with django_assert_num_queries(4):
        assert client.get("/api/v1/inspections").json()["count"] == 1
    for _n in range(4):
        concluded(world, subject="K2", member="Hoàng Văn Bình")
    new(world, subject="K3", committee="C2")
    with django_assert_num_queries(4):
        assert client.get("/api/v1/inspections").json()["count"] == 6
