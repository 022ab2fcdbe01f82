"""Every write operation of the JSON API × the values of its body × bad values.

The bodies are the API authorization matrix's (accounts/tests/test_api_authorization_matrix.py),
sent by a caller allowed to write; one value at a time is replaced, chosen by what it is (a
date, a date-time, an identifier, a number, a code from a list, free text). Every answer is
below 500; a refusal is a 4xx naming the field and writes nothing; NUL bytes, impossible dates
and numbers out of range are always refused.
"""

import json
import os
import re

import pytest

from accounts.models import ApiToken
from accounts.tests.test_api_authorization_matrix import (
    BODIES,
    DECLARED,
    OPERATIONS,
    body_for,
    target_uuid,
)
from chibo.tests.badinput.payloads import REJECT, SAFE, XSS_MARK, Payload
from chibo.tests.badinput.snapshot import changes, snapshot

FULL = os.environ.get("CHIBO_BADINPUT_FULL") == "1"

API_PAYLOADS = {
    "text": [
        Payload("nul", "Nguyễn\x00Văn", REJECT),
        Payload("long-10k", "Đ" * 10_000),
        Payload("html-script", XSS_MARK),
        Payload("sql-quote", "Robert'); DROP TABLE members_member;--"),
        Payload("control-chars", "a\x01\x1b[31m\x7fb"),
        Payload("formula-hyperlink", '=HYPERLINK("http://x.example","Bấm")'),
        Payload("nfd-vietnamese", "Nguye\u0302\u0303n Thi\u0323"),
        Payload("whitespace-only", " \t \u3000 "),
    ],
    "date": [
        Payload("feb-31", "2026-02-31", REJECT),
        Payload("month-13", "2026-13-01", REJECT),
        Payload("year-0001", "0001-01-01"),
        Payload("year-9999", "9999-12-31"),
        Payload("dd-mm-yyyy", "31/02/2026", REJECT),
        Payload("nul", "2026-01-01\x00", REJECT),
    ],
    "datetime": [
        Payload("hour-25", "2025-09-05T25:61:00+07:00", REJECT),
        Payload("year-9999", "9999-12-31T23:59:59+07:00"),
        Payload("year-0001", "0001-01-01T00:00:00+07:00"),
        Payload("nul", "2025-09-05T19:30\x00", REJECT),
        Payload("words", "tối mai", REJECT),
    ],
    "uuid": [
        Payload("not-a-uuid", "not-a-uuid", REJECT),
        Payload("sql", "' OR 1=1 --", REJECT),
        Payload("nul", "\x00", REJECT),
    ],
    "number": [
        Payload("negative", -1),
        Payload("huge", 10**30, REJECT),
        Payload("int64-overflow", 2**63, REJECT),
        Payload("text", "mười", REJECT),
        Payload("fraction", 1.5),
    ],
    "choice": [
        Payload("not-in-list", "zzz-not-a-choice", REJECT),
        Payload("nul", "good\x00", REJECT),
        Payload("long", "x" * 10_000, REJECT),
    ],
}
ALWAYS = {
    "text": ("nul",),
    "date": ("feb-31",),
    "datetime": ("hour-25",),
    "uuid": ("not-a-uuid",),
    "number": ("huge",),
    "choice": ("not-in-list",),
}
# Counts: a number of votes, members, kilograms or dong below zero is never right.
COUNTS = re.compile(r"votes|eligible|yes|no$|abstain|admissions|amount|kg|score|points|year")

# Callers allowed to write, as the matrix has them: a member asks to be excused from their own
# cell's meeting; a committee member above the cell plans a visit; the visitor reports it.
CALLER = {"request_absence": "secretary_k1", "plan_visit": "staff_c1"}
PATH_PARAMS = (
    "org_uuid member_uuid village_uuid meeting_uuid task_id request_id candidate_uuid "
    "transfer_uuid liaison_uuid cycle_uuid review_uuid org_review_uuid visit_uuid plan_uuid "
    "inspection_uuid follow_up_id rubric_uuid campaign_uuid"
).split()
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")
_CODE = re.compile(r"^[a-z0-9_]{1,24}$|^2[ABC]$")


def kind_of(key: str, value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return "number"
    if not isinstance(value, str):
        return None
    if _UUID.match(value) or value == "{ref}":
        return "uuid"
    if _DATETIME.match(value):
        return "datetime"
    if _DATE.match(value):
        return "date"
    if _CODE.match(value) and key not in ("number", "letter_no", "decision_no", "resolution_no"):
        return "choice"
    return "text"


def leaves(body, prefix=()):
    """(path, value) of every scalar in the body, nested objects and lists included."""
    if isinstance(body, dict):
        for k, v in body.items():
            yield from leaves(v, (*prefix, k))
    elif isinstance(body, list):
        for i, v in enumerate(body):
            yield from leaves(v, (*prefix, i))
    else:
        yield prefix, body


def replaced(body, path, value):
    body = json.loads(json.dumps(body))
    node = body
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    return body


def base_body(op_id, ref):
    _kind, _cap, field = DECLARED[op_id]
    return body_for(op_id, field, ref) if field else BODIES.get(op_id, {})


def _cases():
    turn = dict.fromkeys(API_PAYLOADS, 0)
    cases = []
    for op_id, (kind, _cap, _field) in sorted(DECLARED.items()):
        method, _path = OPERATIONS[op_id]
        if method == "GET" or kind is None:
            continue
        for path, value in leaves(base_body(op_id, "{ref}")):
            k = kind_of(str(path[-1]), value)
            if k is None:
                continue
            every = API_PAYLOADS[k]
            chosen = [p for p in every if FULL or p.id in ALWAYS[k]]
            if not FULL and k in ("date", "datetime", "number"):
                # Out-of-range dates and numbers found the server errors: one more of those.
                rest = [p for p in every if p.id not in ALWAYS[k]]
                if rest:
                    chosen.append(rest[turn[k] % len(rest)])
                    turn[k] += 1
            dotted = ".".join(str(p) for p in path)
            for payload in chosen:
                cases.append(
                    pytest.param(op_id, path, k, payload, id=f"{op_id}:{dotted}:{payload.id}")
                )
    return cases


CASES = _cases()


def caller(world, op_id):
    if op_id == "report_visit":
        from oversight.tests.visits_targets import visitor_for

        user = visitor_for(world, "K1")
    else:
        user = world.user(CALLER.get(op_id, "admin"))
    _t, raw = ApiToken.issue(user, "badinput")
    from django.test import Client

    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def request_for(world, op_id):
    kind, _cap, _field = DECLARED[op_id]
    method, path = OPERATIONS[op_id]
    ref = target_uuid(world, kind, "K1")
    if kind == "campaign":
        path = path.replace("{org_uuid}", str(world.org("K1").uuid))
    for name in PATH_PARAMS:
        path = path.replace("{" + name + "}", ref)
    return method, path, ref


def send(client, method, path, body):
    return getattr(client, method.lower())(
        path, data=json.dumps(body), content_type="application/json"
    )


@pytest.mark.parametrize(("op_id", "path", "kind", "payload"), CASES)
def test_api_value(world, op_id, path, kind, payload):
    client = caller(world, op_id)
    method, url, ref = request_for(world, op_id)
    body = json.loads(json.dumps(base_body(op_id, "{ref}")).replace("{ref}", ref))
    body = replaced(body, path, payload.value)
    before = snapshot()
    response = send(client, method, url, body)
    assert response.status_code < 500
    written = changes(before, snapshot())
    must_refuse = payload.rule == REJECT or (
        payload.id == "negative" and COUNTS.search(str(path[-1]))
    )
    if response.status_code >= 400:
        assert not written, f"a refused request wrote {written}"
        detail = response.json()["detail"]
        assert detail, "refused without a message"
    if must_refuse:
        assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
        detail = response.json()["detail"]
        if isinstance(detail, list) and response.status_code == 422:
            assert all(item["msg"] for item in detail)
    if payload.rule == SAFE and payload.value == XSS_MARK and response.status_code < 300:
        # JSON is not HTML: the text comes back as text, and pages escape it (test_forms).
        assert response["Content-Type"].startswith("application/json")


def test_api_nul_in_query_parameters_is_refused_not_a_server_error(world):
    client = caller(world, "list_members")
    for path in ("/api/v1/members", "/api/v1/organizations", "/api/v1/villages"):
        response = client.get(path, {"q": "Nguy\x00ễn"})
        assert response.status_code < 500, path
