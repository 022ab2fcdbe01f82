"""The Content-Security-Policy holds in a real browser (goal S13; chibo/security.py): the pages
run with it, an inline script is refused, and the suite's console listener (e2e/conftest.py)
sees the refusal, so any browser test that meets a violation fails."""

import pytest

pytestmark = pytest.mark.browser


def test_the_browser_refuses_inline_script_and_the_suite_notices(signed_in, live_server):
    page = signed_in("secretary_k1")
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Chữ to hơn").click()  # chibo.js runs under the policy
    assert page.evaluate("document.documentElement.classList.contains('large-type')")
    assert page.csp_violations == []

    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected === undefined")
    assert any("Content Security Policy" in m for m in page.csp_violations)
    page.csp_violations.clear()  # the violation was the point of this test


def test_the_browser_reports_a_violation_to_the_server(signed_in, live_server, caplog):
    """The refused inline script reaches /csp-report/ (report-uri), where it is logged
    without the page's query string."""
    import logging

    page = signed_in("secretary_k1")
    page.goto(f"{live_server.url}/members/?q=Nguyen")
    with caplog.at_level(logging.WARNING, logger="chibo.csp"):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.injected = true'; document.body.appendChild(s); }"
        )
        for _ in range(50):  # the report is posted by the browser in the background
            logged = [r.getMessage() for r in caplog.records if r.name == "chibo.csp"]
            if logged:
                break
            page.wait_for_timeout(100)
    page.csp_violations.clear()  # the violation was the point of this test
    assert logged, "no report reached /csp-report/ within 5 s"
    assert "script-src" in logged[0]
    assert "/members/" in logged[0] and "Nguyen" not in logged[0]
