"""Accessibility and phones (issue 9): axe-core on the main pages of each role, and no page
wider than a 360 px phone.

- axe-core (e2e/vendor/axe.min.js, vendored: nothing is downloaded at run time) checks the WCAG
  2.0/2.1 A and AA rules on the main pages of each role, in the normal mode on a desktop and in
  the large-type mode ("Chữ to hơn") and the high-contrast mode ("Tương phản cao") on a 360 px
  phone. A violation of impact "serious" or "critical" fails the test, printed readably.
- On a 360×740 phone, in the normal and the large-type mode, no page may be wider than the
  screen: `document.documentElement.scrollWidth <= 360`. A wide table scrolls inside its own
  `.table-wrap` box (overflow-x: auto), which is the designed pattern and does not widen the
  page. The same check runs over every GET page of the authorization matrix
  (accounts/tests/test_authorization_matrix.py, DECLARED) as the administrator.

How axe gets into the page: `page.add_script_tag` would add an inline <script>, which the
Content-Security-Policy (chibo/security.py: script-src 'self' 'nonce-…') blocks — and the `page`
fixture fails every test on a CSP violation. `page.evaluate(source)` goes through the DevTools
protocol (Runtime.evaluate), which the page's CSP does not govern, so axe runs in the page
unchanged while the policy stays in force for everything the application itself does.
"""

import json
from pathlib import Path

import pytest
from django.db import OperationalError
from django.urls import path
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from chibo import urls as chibo_urls

pytestmark = [pytest.mark.browser, pytest.mark.urls(__name__)]

AXE_SOURCE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
ALL: list[str] = []  # every rule of WCAG_TAGS
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _database_gone(request):
    raise OperationalError("terminating connection due to administrator command")


# This module is also the URLconf of its tests: the project's URLs plus one view that loses the
# database, so that the real 503 page (chibo/unavailable.py, templates/503.html) is checked too.
urlpatterns = [path("a11y/database-gone/", _database_gone), *chibo_urls.urlpatterns]
handler500 = chibo_urls.handler500

# The main pages of each role: (user, URL name, kind of target or None for DECLARED's own,
# target cell). The URLs are built by the authorization matrix's `_url` from the test world.
MAIN_PAGES = [
    (None, "accounts:login", None, None),
    ("staff_p1", "home", None, None),
    ("staff_p1", "organizations:tree", None, None),
    ("staff_p1", "organizations:detail", "org_p1", None),
    ("staff_p1", "meetings:agenda_templates", None, "K1"),
    ("staff_p1", "quality:rubrics", None, "K1"),
    ("staff_p1", "reports:index", None, None),
    ("staff_p1", "reports:report", None, "K1"),
    ("staff_c1", "home", None, None),
    ("staff_c1", "organizations:detail", "org_c1", None),
    ("staff_c1", "organizations:detail", None, "K1"),
    ("staff_c1", "organizations:villages", None, None),
    ("staff_c1", "members:list", None, None),
    ("staff_c1", "members:detail", None, "K1"),
    ("staff_c1", "members:edit", None, "K1"),
    ("staff_c1", "lifecycle:member", None, "K1"),
    ("staff_c1", "meetings:mine", None, None),
    ("staff_c1", "meetings:detail", "meeting_with_resolution", "K1"),
    ("staff_c1", "meetings:detail", None, "K1"),
    ("staff_c1", "meetings:attendance", "meeting_with_resolution", "K1"),
    ("staff_c1", "meetings:edit_item", None, "K1"),
    ("staff_c1", "meetings:resolution", None, "K1"),
    ("staff_c1", "meetings:cell_calendar", None, "K1"),
    ("staff_c1", "meetings:committee_calendar", None, "K1"),
    ("staff_c1", "admissions:pipeline", None, "K1"),
    ("staff_c1", "admissions:detail", None, "K1"),
    ("staff_c1", "transfers:org_list", None, "K1"),
    ("staff_c1", "transfers:detail", None, "K1"),
    ("staff_c1", "liaison:org", None, "K1"),
    ("staff_c1", "liaison:detail", None, "K1"),
    ("staff_c1", "ratings:org", None, "K1"),
    ("staff_c1", "ratings:cycle", None, "K1"),
    ("staff_c1", "ratings:review", None, "K1"),
    ("staff_c1", "quality:score", "meeting_with_resolution", "K1"),
    ("staff_c1", "quality:cell_year", None, "K1"),
    ("staff_c1", "oversight:schedule", None, None),
    ("staff_c1", "oversight:board", None, "K1"),
    ("staff_c1", "oversight:report", None, "K1"),
    ("staff_c1", "oversight:committee_visits", None, "K1"),
    ("staff_c1", "oversight:visit", None, "K1"),
    ("staff_c1", "oversight:inspections", None, "K1"),
    ("staff_c1", "oversight:inspection", None, "K1"),
    ("staff_c1", "dues:cell", None, "K1"),
    ("staff_c1", "dues:month", None, "K1"),
    ("staff_c1", "campaigns:list", None, None),
    ("staff_c1", "campaigns:detail", None, "K1"),
    ("staff_c1", "campaigns:sheet", None, "K1"),
    ("staff_c1", "spreadsheets:index", None, None),
    ("staff_c1", "audit:log", None, None),
    ("staff_c1", "audit:accesses", None, "K1"),
    ("staff_c1", "accounts:profile", None, None),
    ("secretary_k1", "home", None, None),
    ("secretary_k1", "members:list", None, None),
    ("secretary_k1", "meetings:mine", None, None),
    ("member_k1", "home", None, None),
    ("member_k1", "members:me", None, None),
    ("member_k1", "meetings:mine", None, None),
    ("member_k1", "audit:mine", None, None),
    ("member_k1", "accounts:profile", None, None),
    (None, "503", None, None),
]

# The GET pages of the matrix that are files or fragments, not pages a person reads.
NOT_PAGES = ("docx", "pdf", "xlsx", "export", "template_", "job", "feed", "children")


def _main_url(world, name, kind, cell_code):
    from django.urls import reverse

    from accounts.tests.test_authorization_matrix import DECLARED, _url

    if name == "503":
        return "/a11y/database-gone/"
    if kind == "org_p1":
        return reverse(name, args=[world.org("P1").uuid])
    if kind == "org_c1":
        return reverse(name, args=[world.org("C1").uuid])
    return _url(world, name, kind or DECLARED[name][0], cell_code)


def _sign_in_as(page, signed_in, user):
    page.context.clear_cookies()
    if user is not None:
        signed_in(user)


def run_axe(page, rules: list[str] | None = None) -> list[dict]:
    """axe-core's violations of the WCAG A/AA rules (or only `rules`) on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_TAGS}
    return page.evaluate(
        """async (runOnly) => {
          const r = await axe.run(document, {runOnly: runOnly, resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                      html: n.html.slice(0, 160),
                                      summary: (n.failureSummary || '').slice(0, 300)}))}));
        }""",
        run_only,
    )


OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const wrap = el.closest('.table-wrap');
    if (wrap && wrap !== el) continue;  // scrolls inside its own box: the designed pattern
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5) wide.push(el);
  }
  // The innermost offenders say what to fix.
  const leaves = wide.filter(el => !wide.some(o => o !== el && el.contains(o)));
  const describe = el => el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
       ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + ' px): '
    + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
  return {scroll: document.documentElement.scrollWidth, width: width,
          culprits: leaves.slice(0, 6).map(describe)};
}"""


def overflow(page) -> dict | None:
    """None when the page fits the viewport's width, else what sticks out."""
    found = page.evaluate(OVERFLOW_JS)
    return found if found["scroll"] > found["width"] else None


def describe_violations(where: str, violations: list[dict]) -> str:
    lines = [f"{where}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for n in v["nodes"][:5]:
            lines.append(f"      at {n['target']}  {n['html']}")
            if n["summary"]:
                lines.append("        " + n["summary"].replace("\n", "\n        "))
        if len(v["nodes"]) > 5:
            lines.append(f"      … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def set_mode(page, mode: str) -> None:
    """The reader's display choices, as chibo.js keeps them (localStorage, read on each page)."""
    page.evaluate(
        """(mode) => {
          localStorage.setItem('chibo-large-type', mode === 'large' ? '1' : '0');
          localStorage.setItem('chibo-high-contrast', mode === 'contrast' ? '1' : '0');
        }""",
        mode,
    )


def _goto(page, url, expect_status=200):
    response = page.goto(url)
    assert response is not None and response.status == expect_status, (url, response)
    return response


@pytest.fixture
def pages_by_user(live_world):
    """MAIN_PAGES grouped by user, with their URLs built from the test world."""
    by_user: dict = {}
    for user, name, kind, cell in MAIN_PAGES:
        by_user.setdefault(user, []).append(
            (f"{user or 'anonymous'} {name}", _main_url(live_world, name, kind, cell))
        )
    return by_user


def test_axe_runs_in_the_page_and_finds_what_it_should(live_server, page):
    """The check itself can fail: on the login page with an unlabelled field and pale text
    added, axe (loaded past the CSP) reports them as critical and serious."""
    _goto(page, live_server.url + "/accounts/login/")
    assert run_axe(page) == []
    page.evaluate(
        """() => {
          const main = document.querySelector('main');
          main.appendChild(document.createElement('input'));
          const pale = document.createElement('p');
          pale.textContent = 'Chữ nhạt quá';
          pale.className = 'a11y-probe';
          main.appendChild(pale);
          pale.style.color = '#bbb';  // CSSOM, not a style attribute in the markup
        }"""
    )
    found = {v["id"]: v["impact"] for v in run_axe(page)}
    assert found.get("label") == "critical", found
    assert found.get("color-contrast") == "serious", found


def test_the_display_toggles_work_and_are_remembered(signed_in, live_server, page):
    """The two buttons for older eyes ("Chữ to hơn", "Tương phản cao"): each sets its class on
    <html>, says whether it is on (aria-pressed), and is remembered on the next page."""
    signed_in("member_k1")
    html = page.locator("html")
    large = page.locator("[data-toggle-large-type]")
    contrast = page.locator("[data-toggle-high-contrast]")
    expect(large).to_have_accessible_name("Chữ to hơn")
    for button in (large, contrast):
        expect(button).to_have_attribute("aria-pressed", "false")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
    expect(html).to_have_class("large-type high-contrast")
    # Large type scales everything (rem); high contrast turns the text black.
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "21px"
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    page.reload()
    expect(html).to_have_class("large-type high-contrast")
    expect(contrast).to_have_attribute("aria-pressed", "true")
    large.click()
    contrast.click()
    expect(html).to_have_class("")
    page.reload()
    expect(html).to_have_class("")
    expect(contrast).to_have_attribute("aria-pressed", "false")


def test_main_pages_pass_axe_and_fit_a_phone(
    signed_in, live_server, page, pages_by_user, record_property
):
    """axe-core: 0 serious or critical violations on every main page, on a desktop in the
    normal mode, on a phone in large type and on a phone in high contrast; no page wider than
    a 360 px phone, in the normal mode and in large type."""
    # (label, viewport, display mode, axe rules: ALL / only these / None, check the width)
    passes = [
        ("desktop", DESKTOP, "normal", ALL, False),
        ("phone", PHONE, "normal", None, True),
        ("phone, large type", PHONE, "large", ALL, True),
        # High contrast changes colours only: its own run checks the colour rules (faster).
        ("phone, high contrast", PHONE, "contrast", COLOUR_RULES, False),
    ]
    failures, overflowing, counted = (
        [],
        [],
        {"critical": 0, "serious": 0, "moderate": 0, "minor": 0},
    )
    checked = axe_runs = 0
    for user, pages in pages_by_user.items():
        _sign_in_as(page, signed_in, user)
        for label, viewport, mode, with_axe, with_width in passes:
            page.set_viewport_size(viewport)
            page.goto(live_server.url + "/static/css/chibo.css")  # same origin, for localStorage
            set_mode(page, mode)
            for where, url in pages:
                _goto(page, live_server.url + url, 503 if url.startswith("/a11y/") else 200)
                checked += 1
                if with_axe is not None:
                    axe_runs += 1
                    violations = run_axe(page, with_axe or None)
                    for v in violations:
                        counted[v["impact"]] = counted.get(v["impact"], 0) + len(v["nodes"])
                    bad = [v for v in violations if v["impact"] in FAILING_IMPACTS]
                    if bad:
                        failures.append(describe_violations(f"{where} ({label}) {url}", bad))
                if with_width:
                    wide = overflow(page)
                    if wide:
                        overflowing.append(
                            f"{where} ({label}) {url}: {json.dumps(wide, ensure_ascii=False)}"
                        )
    record_property("A11Y.pages", sum(len(p) for p in pages_by_user.values()))
    record_property("A11Y.axe_runs", axe_runs)
    record_property("A11Y.serious_critical", counted["serious"] + counted["critical"])
    record_property("A11Y.moderate_minor", counted["moderate"] + counted["minor"])
    record_property("A11Y.phone_overflowing", len(overflowing))
    print(f"\n{checked} page loads, {axe_runs} axe runs; nodes by impact: {counted}")
    report = []
    if failures:
        report += ["axe-core, serious or critical:", *failures]
    if overflowing:
        report += ["Wider than a 360 px phone:", *overflowing]
    assert not report, "\n".join(report)


def test_every_page_of_the_matrix_fits_a_phone(
    signed_in, live_server, live_world, page, record_property
):
    """Every GET page of the authorization matrix, as the administrator who sees them all,
    on a 360 px phone in large type (the widest the text gets): nothing wider than the screen."""
    from accounts.tests.test_authorization_matrix import DECLARED, POST_ONLY, _url, expected

    names = sorted(
        name
        for name, (kind, cap) in DECLARED.items()
        if name not in POST_ONLY
        and cap not in ("public_post", "public_redirect", "token", "owner")
        and kind not in ("token", "job", "feed")
        and not any(part in name for part in NOT_PAGES)
        and name != "accounts:logout"
    )
    urls = [(name, _url(live_world, name, DECLARED[name][0], "K1")) for name in names]
    signed_in("admin")
    page.set_viewport_size(PHONE)
    set_mode(page, "large")
    overflowing, statuses = [], {}
    for name, url in urls:
        try:
            response = page.goto(live_server.url + url)
        except PlaywrightError as exc:  # a download, not a page
            statuses.setdefault("download", []).append(name)
            assert "Download is starting" in str(exc), (name, exc)
            continue
        statuses.setdefault(response.status, []).append(name)
        kind, cap = DECLARED[name]
        want = expected("admin", name, kind, cap, "K1", url)
        if want in (None, 302):  # the browser follows the redirect
            assert response.status < 400, (name, response.status)
        else:
            assert response.status == want, (name, response.status, want)
        if response.status != 200:
            continue  # e.g. 403 "only the visitor files the report", 404 "no record of your own"
        wide = overflow(page)
        if wide:
            overflowing.append(f"{name} {url}: {json.dumps(wide, ensure_ascii=False)}")
    checked = len(statuses.get(200, []))
    record_property("PHONE.pages", checked)
    record_property("PHONE.overflowing", len(overflowing))
    print(f"\n{checked} pages at 360 px; statuses: { {k: len(v) for k, v in statuses.items()} }")
    assert checked >= 100, statuses
    assert not overflowing, "Wider than a 360 px phone:\n" + "\n".join(overflowing)
