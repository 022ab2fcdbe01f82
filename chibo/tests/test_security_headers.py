"""Goal S13: a Content-Security-Policy with nonces and no inline script on every page, and
`Cache-Control: no-store` on everything that may carry personal data (chibo/security.py).

Every page of the authorization matrix is fetched as the administrator (who reaches every
target) and its HTML is checked the way the browser would enforce the policy: no <script>
without src unless it carries the request's nonce, no <style> without the nonce, no event
handler attributes (onclick=…), no style="…" attributes, no javascript: URLs.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client, override_settings

from accounts.models import ApiToken
from accounts.tests.test_authorization_matrix import DECLARED, POST_ONLY, _url
from chibo.security import personal

# Kinds the matrix tests with their owners only (tokens, jobs, feed tokens).
OWNER_KINDS = {"token", "job", "feed"}
PAGES = sorted(
    n for n, (kind, _cap) in DECLARED.items() if n not in POST_ONLY and kind not in OWNER_KINDS
)
NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{16,})'")


class Violations(HTMLParser):
    """Collects what the policy would block in one HTML document."""

    def __init__(self, nonce):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.found = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> (event handler)")
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "script" and not a.get("src") and a.get("nonce") != self.nonce:
            self.found.append("<script> inline without the nonce")
        if tag == "style" and a.get("nonce") != self.nonce:
            self.found.append("<style> without the nonce")


def violations(html: str, nonce: str) -> list[str]:
    parser = Violations(nonce)
    parser.feed(html)
    return parser.found


def test_the_checker_finds_what_the_browser_would_block():
    bad = (
        '<p style="color:red" onclick="x()">a</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">b</a><style>p{}</style><script nonce="zzz">x</script>'
    )
    assert len(violations(bad, "n" * 22)) == 6
    good = f'<script src="/static/a.js"></script><style nonce="{"n" * 22}">p{{}}</style>'
    assert violations(good, "n" * 22) == []


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_the_policy_and_nothing_it_blocks(client, world, name):
    kind, _cap = DECLARED[name]
    url = _url(world, name, kind, "K1")
    client.force_login(world.user("admin"))
    r = client.get(url)
    assert r.status_code < 500, url
    policy = r.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "object-src 'none'" in policy, url
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy, url
    assert r.headers["Cache-Control"] == "no-store", url
    if r.status_code == 200 and r.headers["Content-Type"].startswith("text/html"):
        nonce = NONCE.search(policy).group(1)
        assert violations(r.content.decode(), nonce) == [], url


def test_the_nonce_is_new_on_every_request_and_reaches_htmx(client, world):
    client.force_login(world.user("secretary_k1"))
    first, second = client.get("/"), client.get("/")
    n1 = NONCE.search(first.headers["Content-Security-Policy"]).group(1)
    n2 = NONCE.search(second.headers["Content-Security-Policy"]).group(1)
    assert n1 != n2
    html = first.content.decode()
    # django-htmx's script tag carries the nonce; htmx itself is told not to eval, run
    # swapped-in scripts, inject its <style> or keep copies of pages in localStorage.
    assert f'nonce="{n1}"' in html
    assert '"allowEval":false' in html and '"allowScriptTags":false' in html
    assert '"includeIndicatorStyles":false' in html and '"historyCacheSize":0' in html


def test_minutes_book_styles_carry_the_nonce(client, world):
    client.force_login(world.user("admin"))
    r = client.get(_url(world, "meetings:minutes_book", "cell", "K1"))
    nonce = NONCE.search(r.headers["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">' in r.content.decode()
    assert ".docs col.w7 { width: 7%; }" in r.content.decode()


def test_anonymous_pages_have_the_policy_too(client, db, rf):
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    assert "script-src 'self' 'nonce-" in r.headers["Content-Security-Policy"]
    assert r.headers["Permissions-Policy"].startswith("camera=()")
    # Nothing personal is shown to an anonymous visitor: the middleware leaves caching to the
    # view (the login page itself is never_cache).
    request = rf.get("/accounts/login/")
    request.user = AnonymousUser()
    assert not personal(request)
    assert (
        violations(r.content.decode(), NONCE.search(r.headers["Content-Security-Policy"]).group(1))
        == []
    )


def test_api_responses_are_not_stored(world):
    _token, raw = ApiToken.issue(world.user("staff_p1"), "tests")
    r = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/members")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    # Even an unauthenticated API call: its error says nothing, but nothing is kept.
    assert Client().get("/api/v1/members").headers["Cache-Control"] == "no-store"


def test_calendar_feeds_are_not_stored(client, world):
    from meetings.models import CalendarFeed

    feed = CalendarFeed.objects.create(user=world.user("secretary_k1"), token="t" * 40)
    r = client.get(f"/meetings/feeds/{feed.token}.ics")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"


def test_static_files_keep_their_cache_lifetime(db):
    # WhiteNoise answers before the security middleware: static files are public and cached.
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        r = Client().get(settings.STATIC_URL + "js/chibo.js")
    assert r.status_code == 200
    assert "no-store" not in r.headers.get("Cache-Control", "")


def test_members_are_addressed_by_uuid_and_searched_by_name_only(client, world):
    """No personal data in URLs: member pages use opaque UUIDs; the list's search box takes a
    name (bookmarkable GET, see docs/operations.md), never a citizen ID number."""
    from members.forms import MemberFilterForm

    member = world.member("Lê Văn Nam", "K1")
    assert str(member.uuid) in member.get_absolute_url()
    assert "citizen" not in " ".join(MemberFilterForm.base_fields)
