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
