"""S3: schemathesis over every operation of /api/v1/, as two roles, in the default test run.

Two roles: a cell secretary (secretary_k1, scope K1) and a commune board's staff (staff_c1,
scope C1's subtree). For each role and each operation, three passes, each with every check
schemathesis has (status code, content type, headers and body against the document, no 5xx,
negative data refused, missing auth refused, unsupported methods, ...), plus ours:

1. plain: schemathesis's own data, positive and negative (path ids are random, so 404s);
2. in scope: the path ids are real objects of the role's own cell (K1), so the handlers run
   (forms, services, the database) on fuzzed valid bodies and queries;
3. out of scope: the path ids are real objects of K3 and K4 (another grassroots organization,
   another province; the authorization matrix's targets,
   accounts/tests/test_api_authorization_matrix.py), with fuzzed valid bodies: the answer must
   be 404 (or a 422 of the input layer, which comes before any lookup), must not name the
   target's cell, and the request must write nothing (captured SQL).

Our checks: a 2xx response must not contain the uuid of anything outside the caller's scope
(organizations, members, people, the out-of-scope targets); a 422 on schema-valid data must
come from a rule (a form or a service), never from the input layer: that would mean the
document allows what the API refuses. It replaces schemathesis's positive_data_acceptance, which
also flags the rules JSON Schema cannot state (a date before another, who may vote).

Bounded: CHIBO_FUZZ_EXAMPLES examples per operation, mode and pass (default 3), derandomized,
no shrinking: repeatable, about three minutes. Harder: CHIBO_FUZZ_EXAMPLES=50; one area only:
CHIBO_FUZZ_ONLY=/meetings. Figures S3.* for the security report (docs/api.md, "Fuzzing").
"""

import json
import os
import re
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup

from accounts.models import ApiToken
from accounts.tests import test_api_authorization_matrix as matrix
from members.models import Member
from organizations.models import Organization

EXAMPLES = int(os.environ.get("CHIBO_FUZZ_EXAMPLES", "3"))
# role → (the cell whose objects are in scope, cells whose objects are not)
# Another grassroots organization's cell and another province's: outside both roles' scope for
# every kind of object (a sibling cell's review cycle or rubric is the commune's or the
# province's, which the secretary reads: the matrix's rules, not repeated here).
ROLES = {
    "secretary_k1": ("K1", ["K3", "K4"]),
    "staff_c1": ("K1", ["K3", "K4"]),
}
# Rubrics are the province's: K3's is P1's, read by every role in P1.
PROVINCE_WIDE = {"rubric"}
# Organizations each role must never hear of (by code). Provinces are not among them: every
# signed-in user lists the provinces (GET /provinces, to send a transfer to another one).
UNSEEN_ORGS = {
    "secretary_k1": ["K2", "K3", "C2", "U1", "G1", "C3", "K4"],
    "staff_c1": ["K3", "C2", "U1", "G1", "C3", "K4"],
}
ONLY = os.environ.get("CHIBO_FUZZ_ONLY", "")  # e.g. "/meetings": only those operations
PATH_PARAMS = re.compile(r"{(\w+)}")
# Error types of the input layer (pydantic, api/errors.py): a schema-valid request refused with
# one of these means the document and the validation disagree.
INPUT_LAYER = re.compile(
    r"^(missing|null_character|string_too_(long|short)|string_type|string_pattern_mismatch|"
    r"uuid_.*|date.*|time.*|int_.*|float_.*|decimal_(parsing|type)|bool_.*|enum|literal_error|"
    r"model_.*|dict_type|list_type|too_(long|short)|extra_forbidden|json_invalid|"
    r"(greater|less)_than.*|multiple_of)$"
)
# Not in it: decimal_max_digits, decimal_max_places, decimal_whole_digits (JSON Schema cannot
# count a number's digits: multipleOf 0.1 on a float is not exact), and the forms' codes
# (invalid_choice: which status decision or card event is possible depends on the member).
# Those are rules, documented in words.
# Cross-organization references shown by design: a liaison's workplace and residence sides, a
# transfer's two ends (each side sees the other's name and uuid, nothing more).
CROSS_REFERENCES = {"workplace_cell", "residence_cell", "residence_commune", "from_org", "to_org"}
# Writes a refused request may still make: the token's last use, the audit trail of refusals.
ALLOWED_WRITES = re.compile(r'"?(accounts_apitoken|audit_\w+|axes_\w+)"?', re.I)

# Where a failure is counted.
SERVER = "server_errors"
SCHEMA = "schema_violations"
SCOPE = "cross_scope_successes"


@pytest.fixture
def wsgi_app():
    """Django's own WSGI handler, in this thread and this test's transaction. Like Django's
    test client, do not let request_started/finished close the connection (it would end the
    transaction the test world lives in)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _markers(role, targets_out):
    """Ids that must not appear in a 2xx answer to `role`: out-of-scope organizations, their
    members and people, and the out-of-scope targets. Ids, not names: names repeat (two
    Nguyễn Văn Đức in C1, a village and a cell both called Thôn Tây)."""
    ids = set(targets_out)
    for org in Organization.objects.filter(code__in=UNSEEN_ORGS[role]):
        ids.add(str(org.uuid))
    for m in Member.objects.filter(organization__code__in=UNSEEN_ORGS[role]).select_related(
        "person"
    ):
        ids.update({str(m.uuid), str(m.person.uuid)})
    return ids


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            if k not in CROSS_REFERENCES:
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _json(response):
    try:
        return json.loads(response.content or b"null")
    except ValueError:
        return None


def make_checks(ids, state):
    def no_out_of_scope_object(ctx, response, case):
        """[scope] A successful answer names nothing outside the caller's scope."""
        if not 200 <= response.status_code < 300:
            return None
        for text in _strings(_json(response)):
            if text in ids:
                raise AssertionError(f"[scope] out-of-scope id {text} in a {response.status_code}")
        return None

    def input_layer_accepts_documented_input(ctx, response, case):
        """[input] Schema-valid data is refused by rules only, never by the input layer."""
        if response.status_code != 422 or state["mode"] != "positive":
            return None
        body = _json(response)
        items = body.get("detail") if isinstance(body, dict) else None
        for item in items if isinstance(items, list) else []:
            if item.get("loc", [""])[0] in ("body", "query", "path") and INPUT_LAYER.match(
                str(item.get("type", ""))
            ):
                if _decimal_string_out_of_range(case, item):
                    continue
                raise AssertionError(f"[input] schema-valid input refused: {item}")
        return None

    return [no_out_of_scope_object, input_layer_accepts_documented_input]


def _decimal_string_out_of_range(case, item):
    """JSON Schema bounds numbers, not numeric strings: "5000" for a Decimal field of at most
    1000, or "1e+590041", match the document's pattern for a number's text and are refused by
    the range check or by Decimal itself. Not a disagreement."""
    if not re.match(r"^((greater|less)_than|decimal_parsing)", str(item.get("type", ""))):
        return False
    value = case.body if item["loc"][0] == "body" else (case.query or {})
    for part in item["loc"][1:]:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(value, str)


def _classify(failure: Failure) -> str:
    text = f"{failure.title} {failure.message}"
    if type(failure).__name__ == "ServerError" or "Server error" in failure.title:
        return SERVER
    if "[scope]" in text:
        return SCOPE
    return SCHEMA


class Fuzzer:
    def __init__(self, schema, headers, ids):
        self.schema = schema
        self.headers = headers
        self.state = {"mode": None}
        self.checks = make_checks(ids, self.state)
        self.examples = 0
        self.failures: dict[str, list[str]] = {SERVER: [], SCHEMA: [], SCOPE: []}

    def record(self, kind, label, what):
        if len(self.failures[kind]) < 200:
            self.failures[kind].append(f"{label}: {what}")
        else:
            self.failures[kind].append("…")

    def run(self, operation, mode, examples, after=None, **fixed):
        strategy = operation.as_strategy(generation_mode=mode, **fixed)

        @settings(
            max_examples=examples,
            derandomize=True,
            deadline=None,
            database=None,
            # No shrinking: every failure is collected below, none is raised to Hypothesis.
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def one(case):
            self.examples += 1
            self.state["mode"] = mode.value
            with CaptureQueriesContext(connection) as queries:
                try:
                    response = case.call(headers=self.headers)
                except Exception as exc:  # the WSGI app raised instead of answering
                    self.record(SERVER, operation.label, f"{type(exc).__name__}: {exc}")
                    return
            try:
                case.validate_response(
                    response,
                    headers=self.headers,
                    excluded_checks=[schemathesis.checks.positive_data_acceptance],
                    additional_checks=self.checks,
                )
            except FailureGroup as group:
                for f in group.exceptions:
                    self._failed(operation, mode, case, response, f)
            except Failure as f:
                self._failed(operation, mode, case, response, f)
            if after:
                for problem in after(case, response, queries):
                    self.record(SCOPE, operation.label, problem)

        one()

    def _failed(self, operation, mode, case, response, f):
        self.record(
            _classify(f),
            operation.label,
            f"{f.title} [{mode.value}] → {response.status_code} {response.text[:200]!r}"
            f" :: {f.message[:300]!r} :: {case.as_curl_command(headers=None)[:500]}",
        )


def _out_of_scope_answer(names):
    def check(case, response, queries):
        status = response.status_code
        if status != 404 and not (status == 422 and _input_layer_only(response)):
            yield f"out-of-scope id answered {status}: {response.text[:200]!r}"
        body = response.text
        decoded = json.dumps(_json(response), ensure_ascii=False) if body else ""
        for name in names:
            if name in decoded:
                yield f"out-of-scope answer names {name!r}"
        for q in queries.captured_queries:
            sql = q["sql"].lstrip()
            if re.match(r"(INSERT|UPDATE|DELETE)\b", sql, re.I):
                table = re.search(r"(?:INTO|UPDATE|FROM)\s+(\S+)", sql, re.I)
                if not table or not ALLOWED_WRITES.fullmatch(table.group(1)):
                    yield f"out-of-scope request wrote: {sql[:120]}"

    return check


def _input_layer_only(response):
    """A 422 of pydantic's (its types, its custom validators' value_error), which answers before
    the handler looks anything up: the same for any id."""
    body = _json(response)
    items = body.get("detail") if isinstance(body, dict) else None
    return bool(items) and all(
        INPUT_LAYER.match(t) or t.startswith("decimal_") or t == "value_error"
        for t in (str(i.get("type", "")) for i in items)
    )


def _path_values(world, op_id, path, cell):
    """The path parameters of `path` filled with objects of `cell` (the matrix's targets), and
    the query, for the report (its organization is a query parameter)."""
    kind = matrix.DECLARED[op_id][0]
    params = PATH_PARAMS.findall(path)
    if not params or kind is None:
        return None, None
    ref = matrix.target_uuid(world, kind, cell)
    values, query = {}, None
    for name in params:
        if name == "report_name":
            values[name] = "structure"
            query = {"org": ref}
        elif name == "org_uuid" and kind == "campaign":
            values[name] = str(world.org(cell).uuid)
        else:
            values[name] = int(ref) if name.endswith("_id") else ref
    return values, query


def test_fuzz_every_operation_as_two_roles(world, wsgi_app, record_property):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    op_ids = {op.label: op.definition.raw["operationId"] for op in operations}
    totals = Counter()
    report = []
    for role, (own_cell, other_cells) in ROLES.items():
        targets_out = {}
        for op in operations:
            for cell in other_cells:
                if matrix.DECLARED[op_ids[op.label]][0] in PROVINCE_WIDE and cell != "K4":
                    continue
                values, _q = _path_values(world, op_ids[op.label], op.path, cell)
                if values:
                    targets_out[(op.label, cell)] = values
        out_ids = {str(v) for vs in targets_out.values() for v in vs.values() if isinstance(v, str)}
        out_ids.discard("structure")
        ids = _markers(role, out_ids)
        _token, raw = ApiToken.issue(world.user(role), "fuzz")
        fuzz = Fuzzer(schema, {"Authorization": f"Bearer {raw}"}, ids)
        for op in operations:
            if ONLY not in op.label:
                continue
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                fuzz.run(op, mode, EXAMPLES)
            values, query = _path_values(world, op_ids[op.label], op.path, own_cell)
            if values:
                fixed = {"path_parameters": values, **({"query": query} if query else {})}
                # Positive only: negative data stops at the input layer, before the object.
                fuzz.run(op, GenerationMode.POSITIVE, EXAMPLES, **fixed)
            for cell in other_cells:
                values = targets_out.get((op.label, cell))
                if values:
                    _v, query = _path_values(world, op_ids[op.label], op.path, cell)
                    fixed = {"path_parameters": values, **({"query": query} if query else {})}
                    fuzz.run(
                        op,
                        GenerationMode.POSITIVE,
                        max(1, EXAMPLES - 1),
                        after=_out_of_scope_answer({world.org(cell).name}),
                        **fixed,
                    )
        totals["examples"] += fuzz.examples
        for kind, items in fuzz.failures.items():
            totals[kind] += len(items)
            report += [f"[{role}] [{kind}] {item}" for item in items]

    record_property("S3.operations", len(operations))
    record_property("S3.roles", len(ROLES))
    record_property("S3.examples", totals["examples"])
    record_property("S3.server_errors", totals[SERVER])
    record_property("S3.schema_violations", totals[SCHEMA])
    record_property("S3.cross_scope_successes", totals[SCOPE])
    assert len(operations) >= 120 and totals["examples"] > 0
    assert not report, f"{len(report)} problems:\n" + "\n".join(report[:80])


def test_every_schema_has_its_own_name():
    """ninja names a component after its class: two classes of one name (say a meeting's and a
    liaison's EndIn) would leave one operation documented with the other's body."""
    import ninja

    import api.api  # noqa: F401 - every router and schema loaded

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    seen = {}
    clashes = []
    for cls in walk(ninja.Schema):
        if not cls.__module__.startswith("api."):
            continue
        other = seen.setdefault(cls.__name__, cls)
        if other is not cls:
            clashes.append(f"{cls.__name__}: {other.__module__} and {cls.__module__}")
    assert not clashes
