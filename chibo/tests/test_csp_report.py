"""Browsers' Content-Security-Policy violation reports: accepted anonymously, logged without
query strings, bounded in size and in number."""

import json
import logging

import pytest
from django.urls import reverse

from chibo import security

LEGACY = {
    "csp-report": {
        "document-uri": "http://127.0.0.1:8000/members/?q=Nguy%E1%BB%85n+V%C4%83n+A",
        "blocked-uri": "inline",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "source-file": "http://127.0.0.1:8000/members/?q=x",
        "line-number": 12,
    }
}
REPORTING_API = [
    {
        "type": "csp-violation",
        "url": "http://127.0.0.1:8000/",
        "body": {
            "documentURL": "http://127.0.0.1:8000/meetings/abc/?tab=minutes",
            "blockedURL": "https://cdn.example.com/x.js?token=secret",
            "effectiveDirective": "script-src-elem",
            "lineNumber": 3,
        },
    }
]


@pytest.fixture(autouse=True)
def fresh_budget():
    security._budget.update(minute=-1, left=security.REPORTS_PER_MINUTE)


def post(client, body, content_type="application/csp-report"):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(reverse("csp_report"), data, content_type=content_type)


def test_every_page_names_the_report_endpoint(client, db):
    response = client.get(reverse("accounts:login"))
    assert "report-uri /csp-report/" in response["Content-Security-Policy"]


def test_a_legacy_report_is_logged_without_the_query_string(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="chibo.csp"):
        response = post(client, LEGACY)
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "chibo.csp"]
    logged = json.loads(record.getMessage().split(": ", 1)[1])
    assert logged == {
        "document": "http://127.0.0.1:8000/members/",
        "blocked": "inline",
        "directive": "script-src-elem",
        "source": "http://127.0.0.1:8000/members/",
        "line": 12,
    }
    assert "Nguy" not in record.getMessage()


def test_a_reporting_api_report_is_logged(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="chibo.csp"):
        response = post(client, REPORTING_API, "application/reports+json")
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "chibo.csp"]
    assert "https://cdn.example.com/x.js" in record.getMessage()
    assert "secret" not in record.getMessage() and "tab=minutes" not in record.getMessage()


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"\xff\xfe", b"[]", b"{}", b'{"csp-report": 5}', b"[1, 2]", b'"x"', b"null"],
)
def test_a_body_that_is_not_a_report_is_a_400_and_logs_nothing(client, db, caplog, body):
    with caplog.at_level(logging.WARNING, logger="chibo.csp"):
        assert post(client, body).status_code == 400
    assert not [r for r in caplog.records if r.name == "chibo.csp"]


def test_an_oversized_report_is_refused(client, db):
    body = json.dumps({"csp-report": {"blocked-uri": "x" * (security.MAX_REPORT_BYTES + 10)}})
    assert post(client, body).status_code == 413


def test_a_flood_of_reports_is_logged_a_bounded_number_of_times(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="chibo.csp"):
        for _ in range(security.REPORTS_PER_MINUTE + 15):
            assert post(client, LEGACY).status_code == 204
    assert len([r for r in caplog.records if r.name == "chibo.csp"]) == security.REPORTS_PER_MINUTE


def test_get_is_not_allowed(client, db):
    assert client.get(reverse("csp_report")).status_code == 405
