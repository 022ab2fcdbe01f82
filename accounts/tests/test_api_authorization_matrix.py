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
)
from members.models import Member
from organizations.models import Organization, OrgEvent, Village

# operationId → (object its path parameter or body reference names, capability, body field)
DECLARED = {
    "get_me": (None, "login", None),
    "list_organizations": (None, "list", None),
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
    "list_transfers": (None, "list", None),
    "get_transfer": ("transfer", "view", None),
    "issue_transfer_letter": ("transfer", "structure", None),
    "receive_transfer": ("transfer", "structure", None),
    "complete_transfer": ("transfer", "structure", None),
    "cancel_transfer": ("transfer", "members", None),
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
}
NEEDED = {"view": 1, "members": 2, "structure": 3, "own_cell_member": 1}
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

    if kind == "meeting":
        return str(targets.meeting_in(world, cell_code).uuid)
    if kind == "task":
        return str(targets.task_in(world, cell_code).pk)
    if kind == "absence":
        return str(targets.absence_in(world, cell_code).pk)
    if kind == "org":
        return str(world.org(cell_code).uuid)
    if kind == "candidate":
        from admissions.tests.targets import candidate_in

        return str(candidate_in(world, cell_code).uuid)
    if kind == "transfer":
        from transfers.tests.targets import transfer_in

        return str(transfer_in(world, cell_code).uuid)
    if kind == "liaison":
        from liaison.tests.targets import liaison_in

        return str(liaison_in(world, cell_code).uuid)
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
}


def body_for(op_id, field, ref):
    if op_id == "create_organization":
        return {field: ref, "kind": "party_group", "name": "Tổ đảng X", "code": "TX"}
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
    from admissions.models import Candidate
    from liaison.models import AnnualComment, LiaisonNotice, ResidenceLiaison
    from lifecycle.models import BadgeAward, PartyAgeInterruption, StatusDecision
    from meetings.models import Attendance, Meeting, Task, TaskReport, Vote
    from transfers.models import Transfer

    return (
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
        list(Meeting.objects.order_by("pk").values_list("status", flat=True)),
        Attendance.history.count(),
        Vote.objects.count(),
        Task.history.count(),
        TaskReport.objects.count(),
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
        ):
            path = path.replace("{" + name + "}", ref)
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
    if cap == "own_cell_member" and level and HOME_CELL.get(user) != cell_code:
        level = -1  # visible, but only the cell's own members ask to be excused
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
