"""The supervision API: assignments, working groups and cross-attendance (list, create), visits
(list, plan, report, cancel) and the visits due per committee and quarter."""

import datetime as dt
import json

import pytest

from meetings import followers
from meetings.tests import targets
from oversight import following, services
from oversight.models import CrossAttendance, Visit, VisitKind, VisitStatus, WorkingGroup

JSON = "application/json"
D = dt.date


def post(client, path, body=None):
    return client.post(f"/api/v1{path}", data=json.dumps(body or {}), content_type=JSON)


def get(client, path, **params):
    return client.get(f"/api/v1{path}", params)


@pytest.fixture
def meeting(world):
    return targets.meeting_in(world, "K1")  # 5 September 2025


@pytest.fixture
def planned(world, meeting):
    return services.plan_visit(
        world.org("K1"), world.user("committee_c1"), meeting=meeting, send=False
    )


# ---- who follows which cell -------------------------------------------------------------------


def test_assign_and_list_supervisors(token_client, world):
    c = token_client("staff_c1")
    r = post(
        c,
        "/supervisor-assignments",
        {"cell": str(world.org("K1").uuid), "user": "committee_c1", "valid_from": "2025-07-01"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["user"] == {"username": "committee_c1", "full_name": "committee_c1"}
    items = get(c, "/supervisor-assignments", on="2025-08-01").json()["items"]
    assert [(i["cell"]["name"], i["user"]["username"]) for i in items] == [
        ("Chi bộ thôn Đông", "committee_c1")
    ]
    assert get(c, "/supervisor-assignments", on="2025-06-30").json()["count"] == 0
    assert get(token_client("staff_p2"), "/supervisor-assignments").json()["count"] == 0


def test_an_ineligible_supervisor_is_a_422(token_client, world):
    r = post(
        token_client("staff_c1"),
        "/supervisor-assignments",
        {"cell": str(world.org("K1").uuid), "user": "secretary_k1", "valid_from": "2025-07-01"},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "user"
    r = post(
        token_client("staff_c1"),
        "/supervisor-assignments",
        {"cell": str(world.org("K1").uuid), "user": "no_such_user", "valid_from": "2025-07-01"},
    )
    assert r.status_code == 422


def test_create_and_list_working_groups(token_client, world):
    c = token_client("staff_c1")
    body = {
        "committee": str(world.org("C1").uuid),
        "name": "Tổ công tác số 1",
        "members": ["committee_c1", "staff_c1"],
        "cells": [str(world.org("K1").uuid), str(world.org("K2").uuid)],
        "valid_from": "2025-07-01",
    }
    r = post(c, "/working-groups", body)
    assert r.status_code == 201, r.content
    data = r.json()
    assert [m["username"] for m in data["members"]] == ["committee_c1", "staff_c1"]
    assert [x["name"] for x in data["cells"]] == ["Chi bộ thôn Đông", "Chi bộ thôn Tây"]
    listed = get(token_client("committee_c1"), "/working-groups").json()
    assert [g["name"] for g in listed["items"]] == ["Tổ công tác số 1"]
    assert get(token_client("staff_p2"), "/working-groups").json()["items"] == []
    assert get(token_client("secretary_k1"), "/working-groups").json()["items"] == []


def test_a_group_with_a_cell_outside_the_committee_is_a_422(token_client, world):
    r = post(
        token_client("staff_p1"),
        "/working-groups",
        {
            "committee": str(world.org("C1").uuid),
            "name": "Tổ 1",
            "members": ["committee_c1"],
            "cells": [str(world.org("K3").uuid)],
            "valid_from": "2025-07-01",
        },
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "cells"
    assert not WorkingGroup.objects.exists()


def test_a_committee_member_may_not_create_a_group(token_client, world):
    r = post(
        token_client("committee_c1"),
        "/working-groups",
        {
            "committee": str(world.org("C1").uuid),
            "name": "Tổ 1",
            "members": ["committee_c1"],
            "cells": [str(world.org("K1").uuid)],
            "valid_from": "2025-07-01",
        },
    )
    assert r.status_code == 403


def test_create_and_list_cross_attendance(token_client, world):
    c = token_client("staff_c1")
    body = {
        "committee": str(world.org("C1").uuid),
        "visitor": "secretary_k1",
        "from_cell": str(world.org("K1").uuid),
        "cell": str(world.org("K2").uuid),
        "valid_from": "2025-07-01",
    }
    r = post(c, "/cross-attendances", body)
    assert r.status_code == 201, r.content
    assert (r.json()["from_cell"]["name"], r.json()["cell"]["name"]) == (
        "Chi bộ thôn Đông",
        "Chi bộ thôn Tây",
    )
    assert post(c, "/cross-attendances", body).status_code == 422  # overlapping
    assert CrossAttendance.objects.count() == 1
    assert get(c, "/cross-attendances").json()["count"] == 1
    assert get(token_client("staff_p2"), "/cross-attendances").json()["count"] == 0


# ---- visits -----------------------------------------------------------------------------------


def test_plan_a_visit_to_a_meeting(token_client, world, meeting):
    followers.assign_follower(world.org("K1"), world.user("committee_c1"), D(2025, 1, 1))
    r = post(token_client("committee_c1"), "/visits", {"meeting": str(meeting.uuid)})
    assert r.status_code == 201, r.content
    data = r.json()
    assert (data["kind"], data["status"], data["planned_on"], data["steps"]) == (
        "supervisor",
        "planned",
        "2025-09-05",
        ["report", "cancel"],
    )
    assert data["meeting"] == str(meeting.uuid)


def test_plan_a_visit_to_a_cell_on_a_date(token_client, world):
    r = post(
        token_client("staff_c1"),
        "/visits",
        {"cell": str(world.org("K2").uuid), "planned_on": "2025-08-20"},
    )
    assert r.status_code == 201 and r.json()["kind"] == "other"
    assert r.json()["meeting"] is None


@pytest.mark.parametrize(
    ("username", "status"), [("secretary_k1", 403), ("member_k1", 403), ("staff_p2", 404)]
)
def test_who_may_not_plan(token_client, world, meeting, username, status):
    r = post(token_client(username), "/visits", {"meeting": str(meeting.uuid)})
    assert r.status_code == status
    assert not Visit.objects.exists()


def test_a_cross_attending_secretary_plans_and_reports_through_the_api(token_client, world):
    following.create_cross(
        world.org("C1"),
        visitor=world.user("secretary_k1"),
        from_cell=world.org("K1"),
        cell=world.org("K2"),
        valid_from=D(2025, 1, 1),
    )
    k2_meeting = targets.meeting_in(world, "K2")
    c = token_client("secretary_k1")
    r = post(c, "/visits", {"meeting": str(k2_meeting.uuid)})
    assert r.status_code == 201 and r.json()["kind"] == VisitKind.CROSS
    uuid = r.json()["uuid"]
    r = post(c, f"/visits/{uuid}/report", {"reported_on": "2025-09-06", "strengths": "Tốt"})
    assert r.status_code == 200 and r.json()["status"] == "reported"
    assert get(c, f"/visits/{uuid}").status_code == 200
    assert [v["uuid"] for v in get(c, "/visits", mine=True).json()["items"]] == [uuid]


def test_report_and_read_a_visit(token_client, world, planned):
    r = post(
        token_client("committee_c1"),
        f"/visits/{planned.uuid}/report",
        {
            "reported_on": "2025-09-06",
            "observed_level": "good",
            "strengths": "Đúng quy trình ba bước",
            "shortcomings": "",
            "recommendations": "Duy trì",
        },
    )
    assert r.status_code == 200, r.content
    detail = get(token_client("secretary_k1"), f"/visits/{planned.uuid}").json()
    assert (detail["status"], detail["observed_level"], detail["strengths"], detail["steps"]) == (
        "reported",
        "good",
        "Đúng quy trình ba bước",
        [],
    )


def test_a_report_dated_in_the_future_is_a_422(token_client, world, planned):
    r = post(
        token_client("committee_c1"),
        f"/visits/{planned.uuid}/report",
        {"reported_on": "2099-01-01", "strengths": "X"},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "reported_on"
    planned.refresh_from_db()
    assert planned.status == VisitStatus.PLANNED


def test_cancel_a_visit(token_client, world, planned):
    assert (
        post(
            token_client("secretary_k1"), f"/visits/{planned.uuid}/cancel", {"reason": "X"}
        ).status_code
        == 403
    )
    r = post(token_client("staff_c1"), f"/visits/{planned.uuid}/cancel", {"reason": "Bão"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert r.json()["cancel_reason"] == "Bão"


def test_list_visits_within_the_scope(token_client, world, planned, django_assert_num_queries):
    services.plan_visit(
        world.org("K4"),
        world.user("staff_p2"),
        planned_on=D(2025, 9, 9),
        send=False,
    )
    c = token_client("staff_c1")
    assert [v["uuid"] for v in get(c, "/visits").json()["items"]] == [str(planned.uuid)]
    assert get(token_client("member_k1"), "/visits").json()["count"] == 0
    assert get(token_client("admin"), "/visits").json()["count"] == 2
    for _ in range(3):
        services.plan_visit(
            world.org("K2"), world.user("committee_c1"), planned_on=D(2025, 9, 9), send=False
        )
    with django_assert_num_queries(4):  # token, roles, count, page
        r = get(c, "/visits", status="planned")
    assert r.json()["count"] == 4


def test_the_visits_due_per_committee_and_quarter(token_client, world, planned):
    services.report_visit(planned, reported_on=D(2025, 9, 6), strengths="Tốt", send=False)
    services.set_policy(world.org("C1"), 2, D(2025, 1, 1))
    r = get(
        token_client("committee_c1"),
        f"/organizations/{world.org('C1').uuid}/visits-due",
        year=2025,
        quarter=3,
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["required"], data["cells_visited"], data["cells_missing"]) == (2, 1, 2)
    assert [(i["cell"]["name"], i["required"], i["done"], i["missing"]) for i in data["items"]] == [
        ("Chi bộ thôn Đông", 2, 1, 1),
        ("Chi bộ thôn Tây", 2, 0, 2),
    ]
    assert (
        get(
            token_client("staff_p2"), f"/organizations/{world.org('C1').uuid}/visits-due"
        ).status_code
        == 404
    )


def test_anonymous_calls_are_401(anon, world, planned):
    assert anon.get("/api/v1/visits").status_code == 401
    assert anon.get(f"/api/v1/visits/{planned.uuid}").status_code == 401
    assert post(anon, "/visits", {"cell": str(world.org("K1").uuid)}).status_code == 401
