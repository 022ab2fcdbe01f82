"""The API's authorization matrix, generated from its OpenAPI schema.

Every operation in /api/v1/openapi.json must be declared below with the kind of
object its path (or body) names; a new endpoint without a declaration fails
`test_every_api_operation_is_declared`. Each is then called as every role ×
(own cell, sibling cell, other grassroots organization, other province) and
anonymously: out of scope → 404 with none of the target's data, read-only →
403 on writes, anonymous → 401, and list endpoints return 0 rows from outside
the caller's scope. Expectations reuse the tables of the HTML matrix.
"""

import json
import uuid

import pytest
from django.test import Client

from accounts.models import ApiToken
from accounts.tests.test_authorization_matrix import (
    LEVEL,
    TARGET_MEMBER,
    TARGET_VILLAGE,
    TARGETS,
    USERS,
    effective_level,
)
from members.models import Member, Person
from organizations.models import Organization, OrgEvent, Village, VillagePost

# operationId → (object its path parameter or body reference names, capability, body field)
DECLARED = {
    "get_me": (None, "login", None),
    "list_organizations": (None, "list", None),
    "list_provinces": (None, "login", None),
    "list_members": (None, "list", None),
    "list_villages": (None, "list", None),
    "get_organization": ("org", "view", None),
    "list_organization_children": ("org", "view", None),
    "update_organization": ("org", "structure", None),
    "create_organization": ("org", "structure", "parent"),
    "get_member": ("member", "view", None),
    "update_member": ("member", "members", None),
    "create_member": ("org", "members", "cell"),
    "get_village": ("village", "view", None),
    "list_village_posts": ("village", "view", None),
    "record_village_post": ("village", "structure", None),
    "list_meetings": (None, "list", None),
    "list_tasks": (None, "list", None),
    "get_meeting": ("meeting", "view", None),
    "get_meeting_attendance": ("meeting", "view", None),
    "prepare_meeting": ("meeting", "members", None),
    "mark_meeting_notice_sent": ("meeting", "members", None),
    "start_meeting": ("meeting", "members", None),
    "end_meeting": ("meeting", "members", None),
    "approve_meeting_minutes": ("meeting", "members", None),
    "archive_meeting": ("meeting", "members", None),
    "postpone_meeting": ("meeting", "members", None),
    "cancel_meeting": ("meeting", "members", None),
    "record_meeting_attendance": ("meeting", "members", None),
    "mark_all_present": ("meeting", "members", None),
    "record_meeting_vote": ("meeting", "members", None),
    "pass_meeting_resolution": ("meeting", "members", None),
    "plan_meeting": ("org", "members", None),
    "request_absence": ("meeting", "own_cell_member", None),
    "decide_absence_request": ("absence", "members", None),
    "report_task_progress": ("task", "members", None),
    "update_task": ("task", "members", None),
    "list_candidates": (None, "list", None),
    "get_candidate": ("candidate", "view", None),
    "candidate_sympathizer": ("candidate", "members", None),
    "candidate_certificate": ("candidate", "members", None),
    "candidate_dossier": ("candidate", "members", None),
    "candidate_check": ("candidate", "structure", None),
    "candidate_vote": ("candidate", "members", None),
    "candidate_decision": ("candidate", "structure", None),
    "candidate_ceremony": ("candidate", "members", None),
    "candidate_recognition_vote": ("candidate", "members", None),
    "candidate_recognition_decision": ("candidate", "structure", None),
    "candidate_strike_off": ("candidate", "structure", None),
    "candidate_reject": ("candidate", "members", None),
    "create_candidate": ("org", "members", "cell"),
    "open_probation_record": ("member", "members", None),
    "list_transfers": (None, "list", None),
    "get_transfer": ("transfer", "view", None),
    "issue_transfer_letter": ("transfer", "structure", None),
    "receive_transfer": ("transfer", "structure", None),
    "complete_transfer": ("transfer", "structure", None),
    "cancel_transfer": ("transfer", "members", None),
    "start_transfer": ("member", "members", "member"),
    "record_incoming_transfer": ("org", "structure", "to_org"),
    "get_member_life": ("member", "view", None),
    "record_status_decision": ("member", "structure", None),
    "record_card_event": ("member", "structure", None),
    "award_party_badge": ("member", "structure", None),
    "record_party_age_interruption": ("member", "structure", None),
    "list_strike_off_flags": ("org", "view", None),
    "list_badges_due": ("org", "view", None),
    "list_liaisons": (None, "list", None),
    "get_liaison": ("liaison", "view", None),
    "get_liaison_rates": ("org", "view", None),
    "introduce_member_to_residence": ("member", "structure", None),
    "exempt_member_from_introduction": ("member", "structure", None),
    "receive_liaison": ("liaison", "structure", None),
    "set_liaison_activity_exemption": ("liaison", "structure", None),
    "end_liaison": ("liaison", "structure", None),
    "comment_on_liaison": ("liaison", "members", None),
    "list_review_cycles": (None, "list", None),
    "get_review_cycle": ("review_cycle", "view", None),
    "open_review_cycle": ("org", "structure", "organization"),
    "close_review_cycle": ("review_cycle", "structure", None),
    "list_member_reviews": (None, "list", None),
    "get_member_review": ("member_review", "view", None),
    "record_self_review": ("member_review", "members", None),
    "propose_member_level": ("member_review", "members", None),
    "decide_member_level": ("member_review", "structure", None),
    "lodge_rating_complaint": ("member_review", "members", None),
    "answer_rating_complaint": ("member_review", "structure", None),
    "list_organization_reviews": (None, "list", None),
    "decide_organization_level": ("org_review", "structure", None),
    "get_admission_targets": ("org", "view", None),
    "set_admission_target": ("org", "structure", None),
    # Supervision (api/routers/oversight.py): "commune" = the committee of the target cell;
    # "above" = a role in a committee above the cell; "visitor" = the visit's visitor only.
    "list_supervisor_assignments": (None, "list", None),
    "assign_supervisor": ("org", "structure", "cell"),
    "list_working_groups": (None, "list", None),
    "create_working_group": ("commune", "structure", "committee"),
    "list_cross_attendances": (None, "list", None),
    "create_cross_attendance": ("commune", "structure", "committee"),
    "list_visits": (None, "list", None),
    "get_visit": ("visit", "view", None),
    "plan_visit": ("meeting", "above", "meeting"),
    "report_visit": ("visit", "visitor", None),
    "cancel_visit": ("visit", "structure", None),
    "get_visits_due": ("commune", "view", None),
    # Inspection and supervision (api/routers/inspections.py): the target cell's own plan; the
    # committee above's concluded inspection of the cell and its follow-up item
    # (oversight/tests/inspection_targets.py).
    "list_inspection_plans": (None, "list", None),
    "adopt_inspection_plan": ("org", "structure", "organization"),
    "get_inspection_plan": ("inspection_plan", "view", None),
    "update_inspection_plan": ("inspection_plan", "structure", None),
    "list_inspections": (None, "list", None),
    "get_inspection_counts": ("org", "view", None),
    "create_inspection": ("org", "structure", "organization"),
    "get_inspection": ("inspection", "view", None),
    "start_inspection": ("inspection", "structure", None),
    "conclude_inspection": ("inspection", "structure", None),
    "add_inspection_follow_up": ("inspection", "structure", None),
    "complete_inspection_follow_up": ("follow_up", "structure", None),
    # Meeting quality (api/routers/quality.py): a rubric of the target cell's province, read by
    # every role in the province; a new version by the province's own board. Confirming a
    # score: the committee above (attending supervisors: api/tests/test_quality.py).
    "list_quality_rubrics": (None, "list", None),
    "get_quality_rubric": ("rubric", "view", None),
    "create_quality_rubric_version": ("rubric", "structure", None),
    "get_meeting_quality": ("meeting", "view", None),
    "record_meeting_self_score": ("meeting", "members", None),
    "confirm_meeting_quality": ("meeting", "structure", None),
    # Reports (api/routers/reports.py): "report" = the structure report of the target cell.
    "get_report": ("report", "view", None),
    # Emulation campaigns (api/routers/campaigns.py): "campaign" = a campaign launched by the
    # target cell, the result that of the target cell.
    "list_campaigns": (None, "list", None),
    "record_campaign_result": ("campaign", "members", None),
}
NEEDED = {"view": 1, "members": 2, "structure": 3, "own_cell_member": 1, "above": 1, "visitor": 1}
# Matrix users who are members of a cell (and so read its meetings and ask to be excused).
HOME_CELL = {"secretary_k1": "K1", "member_k1": "K1"}
# The subtrees each user may list (written out by hand, independent of accounts/access.py).
SCOPE_ROOTS = {
    "admin": ["P1", "P2"],
    "staff_p1": ["P1"],
    "staff_c1": ["C1"],
    "committee_c1": ["C1"],
    "secretary_k1": ["K1"],
    "member_k1": [],
    "staff_p2": ["P2"],
    "nobody": [],
}


def schema_operations():
    doc = json.loads(Client().get("/api/v1/openapi.json").content)
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            yield op["operationId"], method.upper(), path


OPERATIONS = {op_id: (method, path) for op_id, method, path in schema_operations()}


def test_every_api_operation_is_declared(db):
    assert set(OPERATIONS) == set(DECLARED), (
        f"undeclared: {sorted(set(OPERATIONS) - set(DECLARED))}, stale: {sorted(set(DECLARED) - set(OPERATIONS))}"
    )


def client_for(world, user):
    if user is None:
        return Client()
    _t, raw = ApiToken.issue(world.user(user), "matrix")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def target_uuid(world, kind, cell_code):
    from meetings.tests import targets

    if kind == "rubric":
        from quality.tests.targets import rubric_in

        return str(rubric_in(world, cell_code).uuid)
    if kind == "meeting":
        return str(targets.meeting_in(world, cell_code).uuid)
    if kind == "task":
        return str(targets.task_in(world, cell_code).pk)
    if kind == "absence":
        return str(targets.absence_in(world, cell_code).pk)
    if kind in ("org", "report"):
        return str(world.org(cell_code).uuid)
    if kind == "campaign":
        from campaigns.tests.targets import campaign_in

        return str(campaign_in(world, cell_code).uuid)
    if kind == "commune":
        return str(world.org(cell_code).parent_org().uuid)
    if kind == "visit":
        from oversight.tests.visits_targets import visit_in

        return str(visit_in(world, cell_code).uuid)
    if kind in ("inspection_plan", "inspection", "follow_up"):
        from oversight.tests import inspection_targets

        if kind == "inspection_plan":
            return str(inspection_targets.plan_in(world, cell_code).uuid)
        if kind == "follow_up":
            return str(inspection_targets.follow_up_in(world, cell_code).pk)
        return str(inspection_targets.inspection_in(world, cell_code).uuid)
    if kind == "candidate":
        from admissions.tests.targets import candidate_in

        return str(candidate_in(world, cell_code).uuid)
    if kind == "transfer":
        from transfers.tests.targets import transfer_in

        return str(transfer_in(world, cell_code).uuid)
    if kind == "liaison":
        from liaison.tests.targets import liaison_in

        return str(liaison_in(world, cell_code).uuid)
    if kind in ("review_cycle", "member_review", "org_review"):
        from ratings.tests import targets as rating_targets

        if kind == "member_review":
            return str(rating_targets.review_in(world, cell_code).uuid)
        if kind == "org_review":
            return str(rating_targets.org_review_in(world, cell_code).uuid)
        return str(rating_targets.cycle_in(world, cell_code).uuid)
    if kind == "member":
        return str(world.member(TARGET_MEMBER[cell_code], cell_code).uuid)
    return str(Village.objects.get(code=TARGET_VILLAGE[cell_code]).uuid)


def call(client, method, path, body=None):
    if method == "GET":
        return client.get(path)
    return getattr(client, method.lower())(
        path, data=json.dumps(body or {}), content_type="application/json"
    )


# A valid body per write operation, so that the scope check (not validation) answers.
BODIES = {
    "record_village_post": {
        "title": "village_head",
        "holder_name": "Ông Trưởng Thôn",
        "valid_from": "2025-01-01",
    },
    "prepare_meeting": {"draft_resolution": "Dự thảo"},
    "start_meeting": {"started_at": "2025-09-05T19:30:00+07:00"},
    "end_meeting": {"ended_at": "2025-09-05T21:00:00+07:00"},
    "postpone_meeting": {"new_time": "2025-09-20T19:30:00+07:00", "reason": "Bão"},
    "cancel_meeting": {"reason": "Bão"},
    "record_meeting_attendance": {"marks": []},
    "record_meeting_vote": {"motion": "Thông qua", "yes": 1},
    "pass_meeting_resolution": {"kind": "conclusion", "summary": "Kết luận"},
    "request_absence": {"reason": "Đi công tác"},
    "decide_absence_request": {"approve": True},
    "report_task_progress": {"text": "Đã làm"},
    "update_task": {"status": "done"},
    "plan_meeting": {"kind": "extraordinary", "scheduled_at": "2025-09-25T19:30:00+07:00"},
    "candidate_sympathizer": {
        "resolution_no": "1",
        "on": "2023-03-20",
        "helper": "00000000-0000-4000-8000-000000000000",
    },
    "candidate_certificate": {"number": "1", "on": "2023-05-15", "issuer": "Trung tâm"},
    "candidate_dossier": {
        "applied_on": "2023-06-01",
        "personal_history_on": "2023-06-05",
        "introducer_1": "00000000-0000-4000-8000-000000000000",
        "known_since_1": "2020-01-01",
    },
    "candidate_check": {"on": "2023-08-01", "by": "Đảng ủy xã"},
    "candidate_vote": {"on": "2023-08-10", "votes_for": 1, "eligible": 1},
    "candidate_decision": {
        "number": "45",
        "on": "2023-08-21",
        "by": "Ban Thường vụ",
        "received_on": "2023-08-25",
    },
    "candidate_ceremony": {"on": "2023-09-05", "dossier_no": "900001TN"},
    "candidate_recognition_vote": {"on": "2024-09-10", "votes_for": 1, "eligible": 1},
    "candidate_recognition_decision": {"number": "78", "on": "2024-09-20", "by": "BTV"},
    "candidate_strike_off": {"number": "9", "on": "2024-01-10", "reason": "Vi phạm"},
    "candidate_reject": {"withdrawn": False, "on": "2023-09-01", "reason": "Không đủ"},
    "issue_transfer_letter": {
        "letter_type": "official_10",
        "letter_no": "15",
        "issued_on": "2026-02-02",
        "issued_by": "Ban Tổ chức",
    },
    "receive_transfer": {"presented_on": "2026-02-10", "received_on": "2026-02-11"},
    "complete_transfer": {"effective_on": "2026-03-01"},
    "cancel_transfer": {"reason": "Không chuyển nữa"},
    "record_status_decision": {
        "kind": "exemption",
        "decision_date": "2025-08-01",
        "effective_date": "2025-08-01",
        "deciding_organization": "00000000-0000-4000-8000-000000000000",
    },
    "record_card_event": {"kind": "loss", "date": "2025-08-01"},
    "award_party_badge": {"years": 30, "award_date": "2025-09-02", "decision_no": "7"},
    "record_party_age_interruption": {
        "start_date": "2001-01-01",
        "end_date": "2001-01-10",
        "note": "Gián đoạn",
    },
    "introduce_member_to_residence": {
        "residence_commune": "00000000-0000-4000-8000-000000000000",
        "introduced_on": "2025-07-01",
    },
    "exempt_member_from_introduction": {
        "category": "secret_mission",
        "reason": "Nhiệm vụ đặc biệt",
        "on": "2025-07-01",
    },
    "receive_liaison": {
        "residence_cell": "00000000-0000-4000-8000-000000000000",
        "received_on": "2025-07-10",
    },
    "set_liaison_activity_exemption": {
        "exemption": "mobile",
        "reason": "Lưu động",
        "on": "2025-08-01",
    },
    "end_liaison": {"reason": "moved", "on": "2025-09-01"},
    "comment_on_liaison": {
        "year": 2025,
        "exemplary": "well",
        "policies": "well",
        "contact": "done",
        "activities": "well",
        "people": "done",
        "citizen_duties": "well",
        "overall": "good",
        "commented_on": "2025-12-20",
    },
    "record_self_review": {"form_type": "2C", "results": "Đã làm", "self_level": "good"},
    "propose_member_level": {"level": "good", "score": 80, "votes_for": 3, "votes_eligible": 4},
    "decide_member_level": {"level": "good"},
    "lodge_rating_complaint": {"text": "Đề nghị xem xét lại mức xếp loại."},
    "answer_rating_complaint": {"level": "good", "answer": "Giữ nguyên."},
    "decide_organization_level": {"level": "good"},
    "set_admission_target": {"year": 2025, "admissions": 3},
    "report_visit": {"reported_on": "2025-09-06", "strengths": "Chuẩn bị chu đáo"},
    "cancel_visit": {"reason": "Trùng lịch họp"},
    "update_inspection_plan": {"number": "02-CTr/CB"},
    "start_inspection": {"started_on": "2025-03-02"},
    "conclude_inspection": {"concluded_on": "2025-03-20", "conclusion": "Kết luận"},
    "add_inspection_follow_up": {"text": "Khắc phục hạn chế"},
    "complete_inspection_follow_up": {"done_on": "2025-04-01", "result": "Đã khắc phục"},
    "create_quality_rubric_version": {
        "name": "Bảng điểm 2030",
        "effective_from": "2030-01-01",
        "total_points": 10,
        "good_from": 9,
        "fair_from": 7,
        "average_from": 5,
        "groups": [{"name": "Dự họp", "criteria": [{"text": "Có mặt đủ", "max_points": 10}]}],
    },
    "record_meeting_self_score": {"points": {}},
    "confirm_meeting_quality": {},
    "record_campaign_result": {"month": "2025-09-01", "amount_vnd": 1000000, "rice_kg": 10},
}


def body_for(op_id, field, ref):
    if op_id == "open_review_cycle":
        return {field: ref, "year": 2025}
    if op_id == "adopt_inspection_plan":
        return {field: ref, "year": 2024}
    if op_id == "create_inspection":
        # No subject: allowed callers get a 422 from the service, others 403/404 before it.
        return {field: ref, "kind": "inspection", "topic": "Kiểm tra", "planned_from": "2025-03-01"}
    if op_id == "plan_visit":
        return {field: ref}
    if op_id == "assign_supervisor":
        return {field: ref, "user": "committee_c1", "valid_from": "2025-07-01"}
    if op_id == "create_working_group":
        return {
            field: ref,
            "name": "Tổ công tác số 1",
            "members": ["committee_c1"],
            "cells": [],
            "valid_from": "2025-07-01",
        }
    if op_id == "create_cross_attendance":
        return {
            field: ref,
            "visitor": "secretary_k1",
            "from_cell": ref,
            "cell": ref,
            "valid_from": "2025-07-01",
        }
    if op_id == "create_organization":
        return {field: ref, "kind": "party_group", "name": "Tổ đảng X", "code": "TX"}
    if op_id == "create_candidate":
        person = {"full_name": "Đinh Văn X", "sex": "M", "birth_date": "2000-01-01"}
        return {field: ref, "listed_on": "2025-01-06", "person": person}
    outside = "Chi bộ thôn Bắc, xã Tân Phú, tỉnh Khác"
    dates = {"reason": "job", "trigger_date": "2026-01-05", "started_on": "2026-01-12"}
    if op_id == "start_transfer":
        return {field: ref, "kind": "official", "to_org_name": outside, **dates}
    if op_id == "record_incoming_transfer":
        return {field: ref, "member_name": "Đinh Văn X", "from_org_name": outside, **dates}
    return {
        field: ref,
        "start_date": "2025-01-01",
        "person": {
            "full_name": "Đinh Văn X",
            "sex": "M",
            "birth_date": "1980-01-01",
            "ethnicity": "01",
        },
        "member": {
            "dossier_no": "999999TN",
            "status": "official",
            "ceremony_date": "2005-01-01",
            "admission_decision_date": "2004-12-01",
            "official_date": "2006-01-01",
        },
    }


def _snapshot():
    from admissions.models import AdmissionTarget, Candidate
    from campaigns.models import CampaignResult
    from liaison.models import AnnualComment, LiaisonNotice, ResidenceLiaison
    from lifecycle.models import BadgeAward, PartyAgeInterruption, StatusDecision
    from meetings.models import (
        Attendance,
        Guest,
        Meeting,
        SupervisorAssignment,
        Task,
        TaskReport,
        Vote,
    )
    from oversight.models import (
        CrossAttendance,
        FollowUp,
        Inspection,
        InspectionPlan,
        Visit,
        WorkingGroup,
    )
    from quality.models import MeetingScore, Rubric
    from ratings.models import MemberReview, OrganizationReview, ReviewCycle
    from transfers.models import Transfer

    return (
        Visit.history.count(),
        WorkingGroup.history.count(),
        InspectionPlan.history.count(),
        Inspection.history.count(),
        FollowUp.history.count(),
        CrossAttendance.history.count(),
        SupervisorAssignment.history.count(),
        Guest.objects.count(),
        ReviewCycle.history.count(),
        MemberReview.history.count(),
        OrganizationReview.history.count(),
        Rubric.history.count(),
        MeetingScore.history.count(),
        AdmissionTarget.history.count(),
        Candidate.history.count(),
        Transfer.history.count(),
        ResidenceLiaison.history.count(),
        AnnualComment.objects.count(),
        LiaisonNotice.objects.count(),
        StatusDecision.objects.count(),
        BadgeAward.objects.count(),
        PartyAgeInterruption.objects.count(),
        Organization.objects.count(),
        OrgEvent.objects.count(),
        Member.objects.count(),
        Member.history.count(),
        Person.objects.count(),
        list(Meeting.objects.order_by("pk").values_list("status", flat=True)),
        Attendance.history.count(),
        Vote.objects.count(),
        Task.history.count(),
        TaskReport.objects.count(),
        CampaignResult.history.count(),
        VillagePost.history.count(),
    )


CASES = [
    (user, op_id, relation)
    for op_id, (kind, cap, _field) in sorted(DECLARED.items())
    if kind is not None
    for user in [*USERS, None]
    for relation in TARGETS
]


@pytest.mark.parametrize(("user", "op_id", "relation"), CASES)
def test_object_operations(world, user, op_id, relation):
    kind, cap, field = DECLARED[op_id]
    method, path = OPERATIONS[op_id]
    cell_code = TARGETS[relation]
    ref = target_uuid(world, kind, cell_code)
    body = (
        body_for(op_id, field, ref)
        if field
        else (BODIES.get(op_id, {}) if method != "GET" else None)
    )
    if kind == "campaign":  # the result of the target cell itself
        path = path.replace("{org_uuid}", str(world.org(cell_code).uuid))
    if not field:
        for name in (
            "org_uuid",
            "member_uuid",
            "village_uuid",
            "meeting_uuid",
            "task_id",
            "request_id",
            "candidate_uuid",
            "transfer_uuid",
            "liaison_uuid",
            "cycle_uuid",
            "review_uuid",
            "org_review_uuid",
            "visit_uuid",
            "plan_uuid",
            "inspection_uuid",
            "follow_up_id",
            "rubric_uuid",
            "campaign_uuid",
        ):
            path = path.replace("{" + name + "}", ref)
    if kind == "report":
        path = path.replace("{report_name}", "structure") + f"?org={ref}"
    before = _snapshot()
    r = call(client_for(world, user), method, path, body)
    if user is None:
        assert r.status_code == 401
        return
    level = LEVEL[user][cell_code]
    if kind == "village" and user == "secretary_k1":
        level = 0  # villages are the commune's, outside a cell secretary's scope
    if kind == "member" and user == "member_k1":
        level = 0  # the target member is not member_k1 themself
    if kind in ("meeting", "task") and HOME_CELL.get(user) == cell_code and user == "member_k1":
        level = max(level, 1)  # members read their own cell's meetings
    if kind == "review_cycle" and user == "secretary_k1" and cell_code == "K2":
        level = LEVEL[user]["K1"]  # K2's cycle is C1's, which covers K1: seen from there
    if cap == "own_cell_member" and level and HOME_CELL.get(user) != cell_code:
        level = -1  # visible, but only the cell's own members ask to be excused
    if kind == "commune" and user == "secretary_k1":
        level = 0  # a cell secretary's scope is the cell, not the committee above it
    if cap == "above" and level and (user == "admin" or HOME_CELL.get(user) == cell_code):
        level = -1  # visible, but only a role in a committee above the cell visits it
    if cap == "visitor" and level > 0:
        level = -1  # visible, but only the visitor files the report
    if kind == "rubric":
        level = effective_level(user, kind, cap, cell_code)  # province-wide, as the pages
    if level == -1:
        assert r.status_code == 403, (user, method, path, r.status_code)
    elif level == 0:
        assert r.status_code == 404, (user, method, path, r.status_code, r.content[:300])
        # Decoded: JSON escapes non-ASCII, so the raw body would never contain the name.
        body = json.dumps(r.json(), ensure_ascii=False) if r.content else ""
        assert world.org(cell_code).name not in body
    elif level < NEEDED[cap]:
        assert r.status_code == 403, (user, method, path, r.status_code)
    else:
        # Allowed: reads succeed; writes either succeed or fail validation, never 403/404.
        assert r.status_code in (200, 201, 422), (
            user,
            method,
            path,
            r.status_code,
            r.content[:300],
        )
    if method != "GET" and r.status_code >= 400:
        assert before == _snapshot(), "a refused request changed something"


@pytest.mark.parametrize("user", [*USERS, None])
@pytest.mark.parametrize(
    "op_id", ["list_organizations", "list_members", "list_villages", "list_meetings", "list_tasks"]
)
def test_lists_leak_no_row_from_outside_the_scope(world, user, op_id):
    from meetings.models import Meeting, Task
    from meetings.tests import targets

    for code in ("K1", "K2", "K3", "K4"):
        targets.task_in(world, code)  # a meeting with a task in every cell
    method, path = OPERATIONS[op_id]
    r = client_for(world, user).get(path, {"page_size": 200, "status": "all"})
    if user is None:
        assert r.status_code == 401
        return
    assert r.status_code == 200
    items = r.json()["items"]
    orgs = [
        o
        for o in Organization.objects.all()
        if any(o.path.startswith(world.org(root).path) for root in SCOPE_ROOTS[user])
    ]
    if op_id == "list_members":
        allowed = set(Member.objects.filter(organization__in=orgs).values_list("uuid", flat=True))
        if world.user(user).member_id:
            allowed.add(world.user(user).member.uuid)
    elif op_id == "list_villages":
        allowed = set(Village.objects.filter(commune__in=orgs).values_list("uuid", flat=True))
    elif op_id == "list_meetings":
        home = HOME_CELL.get(user)
        cells = [o.pk for o in orgs] + ([world.org(home).pk] if home else [])
        allowed = set(
            Meeting.objects.filter(organization_id__in=cells).values_list("uuid", flat=True)
        )
    elif op_id == "list_tasks":
        own = world.user(user).member_id
        allowed = set(Task.objects.filter(organization__in=orgs).values_list("pk", flat=True))
        allowed |= (
            set(Task.objects.filter(assignee_id=own).values_list("pk", flat=True)) if own else set()
        )
        leaked = [i for i in items if i["id"] not in allowed]
        assert not leaked, (user, op_id, leaked[:3])
        return
    else:
        allowed = {o.uuid for o in orgs}
    leaked = [i for i in items if uuid.UUID(i["uuid"]) not in allowed]
    assert not leaked, (user, op_id, leaked[:3])
    assert items or not allowed or op_id in ("list_villages", "list_meetings"), (
        "an in-scope list came back empty"
    )
