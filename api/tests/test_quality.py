"""The meeting-quality API: rubrics (list, detail, new version) and meeting scores (read,
self-score, confirm), for the owner, the same scope, out of scope (404), anonymous (401) and
a missing capability (403); refusals are 422 with their place in the body and write nothing;
lists cost a fixed number of queries."""

import datetime as dt
import json

import pytest

from meetings import services as meeting_services
from meetings.models import SupervisorAssignment
from quality import services
from quality.models import MeetingScore, Rubric, RubricKind
from quality.tests.conftest import hold, manual_points

JSON = "application/json"


def post(client, path, body=None):
    return client.post(
        f"/api/v1{path}",
        data=json.dumps(body or {}),
        content_type=JSON,
        headers={"Accept-Language": "en"},
    )


def written():
    return Rubric.history.count(), MeetingScore.history.count()


@pytest.fixture
def rubric(world):
    installed = services.install_preset(world.org("P1"), "provincial_100", dt.date(2025, 1, 1))
    return next(r for r in installed if r.kind == RubricKind.REGULAR)


@pytest.fixture
def september(world):
    k1 = world.org("K1")
    meeting_services.set_schedule(
        k1,
        day_of_month=5,
        time=dt.time(19, 30),
        place="Nhà văn hóa",
        valid_from=dt.date(2025, 1, 1),
    )
    meeting_services.generate_regular_meetings(k1, dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    return k1.meetings.get(period_year=2025, period_month=9, kind="regular")


def points_body(rubric, value=None) -> dict:
    return {"points": {str(k): float(v) for k, v in manual_points(rubric, value).items()}}


def version_body(**changes):
    body = {
        "name": "Bảng điểm 2026",
        "source": "Quyết định của Ban Thường vụ Tỉnh ủy",
        "effective_from": "2026-01-01",
        "groups": [
            {
                "name": "Dự họp",
                "criteria": [
                    {
                        "text": "Trên 90% đảng viên có mặt",
                        "max_points": 40,
                        "auto_rule": "attendance_rate",
                        "auto_param": 90,
                        "required_for_top": True,
                    },
                    {
                        "text": "Không vắng không lý do",
                        "max_points": 20,
                        "auto_rule": "no_unexcused",
                    },
                ],
            },
            {"name": "Nội dung", "criteria": [{"text": "Nội dung thiết thực", "max_points": 40}]},
        ],
    }
    body.update(changes)
    return body


# ---- rubrics ---------------------------------------------------------------------------------


def test_a_secretary_lists_the_rubrics_of_the_province(token_client, rubric, world):
    services.install_preset(world.org("P2"), "hd12_2018", dt.date(2025, 1, 1))
    r = token_client("secretary_k1").get("/api/v1/quality/rubrics")
    assert r.status_code == 200
    items = r.json()["items"]
    assert {i["province"]["name"] for i in items} == {"Đảng bộ tỉnh Thử Nghiệm"}
    assert {i["kind"] for i in items} == {"regular", "thematic"}
    r = token_client("staff_p2").get("/api/v1/quality/rubrics", {"kind": "regular"})
    assert [i["province"]["name"] for i in r.json()["items"]] == ["Đảng bộ tỉnh Bên Cạnh"]
    assert token_client("member_k1").get("/api/v1/quality/rubrics").json()["count"] == 0


def test_the_version_in_force_on_a_day(token_client, rubric, world):
    p1 = world.org("P1")
    data = services.rubric_data(services.with_sheet(Rubric.objects.filter(pk=rubric.pk)).get())
    newer = services.save_version(
        province=p1, kind="regular", data={**data, "effective_from": dt.date(2025, 9, 5)}
    )
    client = token_client("staff_c1")
    for day, expected in (("2025-09-04", rubric), ("2025-09-05", newer)):
        r = client.get("/api/v1/quality/rubrics", {"kind": "regular", "on": day})
        assert [i["uuid"] for i in r.json()["items"]] == [str(expected.uuid)]


def test_listing_costs_a_fixed_number_of_queries(token_client, rubric, django_assert_num_queries):
    services.install_preset(rubric.organization, "hd12_2018", dt.date(2026, 1, 1))
    client = token_client("secretary_k1")
    client.get("/api/v1/me")  # the token's last use is written once a minute
    for size in (1, 200):
        with django_assert_num_queries(4):  # token, roles, count, page
            r = client.get("/api/v1/quality/rubrics", {"page_size": size})
        assert len(r.json()["items"]) == min(size, 4)


def test_a_rubric_with_its_criteria(token_client, rubric, world):
    r = token_client("committee_c1").get(f"/api/v1/quality/rubrics/{rubric.uuid}")
    assert r.status_code == 200
    body = r.json()
    assert [g["points"] for g in body["groups"]] == [15, 20, 45, 20]
    assert body["can_edit"] is False and body["meetings_scored"] == 0
    first = body["groups"][1]["criteria"][0]
    assert (first["auto_rule"], first["auto_param"], first["required_for_top"]) == (
        "attendance_rate",
        85.0,
        True,
    )
    assert token_client("staff_p2").get(f"/api/v1/quality/rubrics/{rubric.uuid}").status_code == 404


def test_anonymous_gets_401(anon, rubric):
    assert anon.get("/api/v1/quality/rubrics").status_code == 401
    assert anon.get(f"/api/v1/quality/rubrics/{rubric.uuid}").status_code == 401


def test_the_province_board_writes_a_new_version(token_client, rubric):
    r = post(token_client("staff_p1"), f"/quality/rubrics/{rubric.uuid}/versions", version_body())
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["effective_from"] == "2026-01-01" and body["kind"] == "regular"
    assert [len(g["criteria"]) for g in body["groups"]] == [2, 1]
    assert Rubric.objects.filter(organization=rubric.organization, kind="regular").count() == 2


def test_a_new_version_that_does_not_add_up_is_422_and_says_to_what(token_client, rubric):
    before = written()
    body = version_body()
    body["groups"][1]["criteria"][0]["max_points"] = 35
    r = post(token_client("staff_p1"), f"/quality/rubrics/{rubric.uuid}/versions", body)
    assert r.status_code == 422
    (item,) = r.json()["detail"]
    assert item["field"] == "total_points"
    assert item["msg"].startswith("The criteria add up to 95 points, not 100")
    assert written() == before


def test_a_rate_rule_without_its_rate_is_422_at_its_place(token_client, rubric):
    body = version_body()
    body["groups"][0]["criteria"][0]["auto_param"] = None
    r = post(token_client("staff_p1"), f"/quality/rubrics/{rubric.uuid}/versions", body)
    assert r.status_code == 422
    (item,) = r.json()["detail"]
    assert item["loc"] == ["body", "groups", 0, "criteria", 0, "auto_param"]


def test_a_version_dated_before_the_last_is_422(token_client, rubric):
    r = post(
        token_client("staff_p1"),
        f"/quality/rubrics/{rubric.uuid}/versions",
        version_body(effective_from="2024-12-31"),
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "effective_from"


def test_only_the_province_board_writes_versions(token_client, rubric):
    before = written()
    path = f"/quality/rubrics/{rubric.uuid}/versions"
    assert post(token_client("staff_c1"), path, version_body()).status_code == 403
    assert post(token_client("staff_p2"), path, version_body()).status_code == 404
    assert written() == before


# ---- meeting scores --------------------------------------------------------------------------


def test_a_meeting_not_approved_has_a_problem_and_no_lines_scored(token_client, rubric, september):
    r = token_client("secretary_k1").get(
        f"/api/v1/meetings/{september.uuid}/quality", headers={"Accept-Language": "en"}
    )
    assert r.status_code == 200
    body = r.json()
    assert "not approved yet" in body["problem"] and body["status"] == "none"
    assert body["may_self_score"] is False and len(body["lines"]) == 17
    before = written()
    r = post(
        token_client("secretary_k1"), f"/meetings/{september.uuid}/quality", points_body(rubric)
    )
    assert r.status_code == 422 and "not approved yet" in r.json()["detail"][0]["msg"]
    assert written() == before


def test_the_secretary_self_scores_through_the_api(token_client, rubric, september, world):
    hold(september, world)
    client = token_client("secretary_k1")
    body = client.get(f"/api/v1/meetings/{september.uuid}/quality").json()
    attendance = next(ln for ln in body["lines"] if ln["auto_rule"] == "attendance_rate")
    assert (
        attendance["auto_points"] == 10 and attendance["auto_reason"] == "Có mặt 3/3 = 100 % > 85 %"
    )
    assert body["may_self_score"] is True
    r = post(client, f"/meetings/{september.uuid}/quality", points_body(rubric))
    assert r.status_code == 200
    body = r.json()
    assert (body["status"], body["self_total"], body["final_level"]) == ("self_scored", 80, "fair")
    assert body["self_by"]["username"] == "secretary_k1" and body["may_confirm"] is None


def test_points_out_of_range_are_422_at_the_criterion(token_client, rubric, september, world):
    hold(september, world)
    body = points_body(rubric)
    cid = next(k for k, v in body["points"].items() if v == 10)
    body["points"][cid] = 11
    r = post(token_client("secretary_k1"), f"/meetings/{september.uuid}/quality", body)
    assert r.status_code == 422
    (item,) = r.json()["detail"]
    assert item["loc"] == ["body", "points", cid] and item["msg"] == "Give from 0 to 10 points."
    assert not MeetingScore.objects.exists()


def test_a_member_reads_but_does_not_score(token_client, rubric, september, world):
    hold(september, world)
    client = token_client("member_k1")
    assert client.get(f"/api/v1/meetings/{september.uuid}/quality").status_code == 200
    r = post(client, f"/meetings/{september.uuid}/quality", points_body(rubric))
    assert r.status_code == 403


@pytest.fixture
def self_scored(rubric, september, world):
    hold(september, world)
    return services.record_self_score(
        september, manual_points(rubric), by=world.user("secretary_k1")
    )


def test_the_commune_confirms(token_client, self_scored, rubric):
    meeting = self_scored.meeting
    client = token_client("staff_c1")
    assert (
        client.get(f"/api/v1/meetings/{meeting.uuid}/quality").json()["may_confirm"] == "committee"
    )
    r = post(client, f"/meetings/{meeting.uuid}/quality/confirm", {"note": "Đúng thực tế."})
    assert r.status_code == 200
    body = r.json()
    assert (body["status"], body["confirmed_total"], body["confirmer_role"]) == (
        "confirmed",
        80,
        "committee",
    )
    assert body["final_level"] == "fair" and body["confirm_note"] == "Đúng thực tế."


def test_a_supervisor_confirms_a_total(token_client, self_scored, world):
    meeting = self_scored.meeting
    SupervisorAssignment.objects.create(
        province_id=meeting.province_id,
        user=world.user("committee_c1"),
        organization=meeting.organization,
        valid_from=dt.date(2025, 1, 1),
    )
    r = post(
        token_client("committee_c1"), f"/meetings/{meeting.uuid}/quality/confirm", {"total": 60}
    )
    assert r.status_code == 200
    body = r.json()
    assert (body["confirmed_total"], body["confirmed_level"], body["confirmer_role"]) == (
        60,
        "average",
        "supervisor",
    )
    assert body["self_total"] == 80


def test_changing_an_automatic_result_needs_a_note(token_client, self_scored, rubric):
    meeting = self_scored.meeting
    criteria = services.with_sheet(Rubric.objects.filter(pk=rubric.pk)).get().all_criteria()
    resolution = next(c for c in criteria if c.auto_rule == "resolution")
    before = written()
    r = post(
        token_client("staff_c1"),
        f"/meetings/{meeting.uuid}/quality/confirm",
        {"points": {str(resolution.pk): 5}},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "note"
    assert written() == before


def test_who_may_not_confirm(token_client, self_scored):
    path = f"/meetings/{self_scored.meeting.uuid}/quality/confirm"
    before = written()
    assert post(token_client("secretary_k1"), path).status_code == 403  # the cell's own
    assert post(token_client("committee_c1"), path).status_code == 403  # reads, not above
    assert post(token_client("staff_p2"), path).status_code == 404  # another province
    assert written() == before


def test_nothing_to_confirm_before_the_self_score(token_client, rubric, september, world):
    hold(september, world)
    r = post(token_client("staff_c1"), f"/meetings/{september.uuid}/quality/confirm")
    assert r.status_code == 422 and "nothing to confirm" in r.json()["detail"][0]["msg"]


def test_reading_a_score_costs_a_fixed_number_of_queries(
    token_client, self_scored, django_assert_num_queries
):
    client = token_client("staff_c1")
    client.get("/api/v1/me")
    # token, roles, meeting, score, rubric with groups and criteria (3), lines, followers,
    # visits to the meeting
    with django_assert_num_queries(10):
        assert client.get(f"/api/v1/meetings/{self_scored.meeting.uuid}/quality").status_code == 200
