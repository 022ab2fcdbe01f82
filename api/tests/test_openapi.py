import re


def _schema(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    return r.json()


def test_the_openapi_document_is_public_and_lists_every_operation_with_its_id(anon, world):
    schema = _schema(anon)
    assert schema["info"]["title"] == "Chibo API" and schema["info"]["version"] == "1"
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    # Which operations exist is pinned by the generated authorization matrix
    # (accounts/tests/test_api_authorization_matrix.py); here: every one has a unique id.
    assert len(ids) == len(set(ids)) and all(ids)
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            assert op["summary"] and op["description"], (method, path)
            assert "401" in op["responses"]
            assert {"TokenAuth": []} in op["security"] and {"BrowserSessionAuth": []} in op[
                "security"
            ]


def test_path_parameters_are_named_after_what_they_identify(anon, world):
    for path in _schema(anon)["paths"]:
        for name in re.findall(r"{(\w+)}", path):
            assert name in (
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
                "plan_uuid",
                "inspection_uuid",
                "follow_up_id",
                "visit_uuid",
                "report_name",
                "rubric_uuid",
                "campaign_uuid",
            )


def test_writes_document_403_and_422(anon, world):
    paths = _schema(anon)["paths"]
    for path, method in [
        ("/api/v1/organizations", "post"),
        ("/api/v1/members/{member_uuid}", "patch"),
    ]:
        assert {"403", "404", "422"} <= set(paths[path][method]["responses"])


def test_dates_are_documented_as_iso(anon, world):
    text = str(_schema(anon)["components"]["schemas"]["MemberDetail"])
    assert "YYYY-MM-DD" in text


def test_there_is_no_interactive_docs_page_loading_a_cdn(anon, world):
    assert anon.get("/api/v1/docs").status_code == 404
