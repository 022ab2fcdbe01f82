"""Every declared form × each of its fields × bad values: no server error, a message for what
is refused, nothing written by a refusal, and what is accepted stays inert text."""

import os

import pytest

from chibo.tests.badinput.common import path_of, resolve, shows_message
from chibo.tests.badinput.form_targets import FORMS
from chibo.tests.badinput.htmlforms import post_forms
from chibo.tests.badinput.payloads import REJECT, XSS_MARK, Dealer
from chibo.tests.badinput.snapshot import changes, snapshot

FULL = os.environ.get("CHIBO_BADINPUT_FULL") == "1"


def _cases():
    dealer = Dealer()
    cases = []
    for target in FORMS:
        for name, kind in target.fields.items():
            payload_kind = "number" if kind == "count" else kind
            for payload in dealer.payloads(payload_kind, full=FULL):
                cases.append(
                    pytest.param(target, name, kind, payload, id=f"{target.id}:{name}:{payload.id}")
                )
    return cases


CASES = _cases()


def find_form(target, page_url, html):
    forms = post_forms(html)
    page = path_of(page_url)
    first = next(iter(target.fields))
    for form in forms:
        action = path_of(form.action) if form.action else page
        if target.action and not action.endswith(target.action):
            continue
        if not target.action and action != page:
            continue
        if form.by_name(first) is not None:
            return form, (form.action or page_url)
    raise AssertionError(f"no form with {first!r} posting to {target.action or page} on {page}")


def fill(client, world, target):
    """The page's form with the target's baseline: (data, action URL)."""
    if target.user:
        client.force_login(world.user(target.user))
    page_url = target.url(world)
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    form, action = find_form(target, page_url, page.content.decode())
    data = form.baseline()
    data.pop("csrfmiddlewaretoken", None)
    for key, value in target.base.items():
        if value is None:
            data.pop(key, None)  # a button the baseline must not press
        else:
            data[form.real_name(key)] = resolve(value, form, key)
    return data, action, form


def rejected(kind, payload) -> bool:
    if payload.rule == REJECT:
        return True
    return kind == "count" and payload.id == "negative"  # a count below zero is never right


@pytest.mark.parametrize(("target", "field", "kind", "payload"), CASES)
def test_form_field(client, world, target, field, kind, payload):
    data, action, form = fill(client, world, target)
    data[form.real_name(field)] = payload.value
    before = snapshot()
    response = client.post(action, data)
    assert response.status_code < 500
    written = changes(before, snapshot())
    if rejected(kind, payload):
        assert not written, f"refused input wrote {written}"
        assert response.status_code != 200 or shows_message(client, response), (
            "refused without a message"
        )
        assert shows_message(client, response), "refused without a message"
    if written and payload.value == XSS_MARK:
        page = client.get(response["Location"] if response.status_code == 302 else action)
        assert XSS_MARK.encode() not in page.content, "HTML shown unescaped"
    if payload.id.startswith("sql"):
        assert all(n > 0 for n in written.values()), f"SQL text removed rows: {written}"


BASELINES = [t for t in FORMS if t.baseline_ok]


@pytest.mark.parametrize("target", BASELINES, ids=[t.id for t in BASELINES])
def test_form_baseline_is_accepted(client, world, target):
    """Unattacked, each baseline goes through: so a refusal above is the bad value's doing."""
    data, action, _form = fill(client, world, target)
    before = snapshot()
    response = client.post(action, data)
    assert response.status_code < 400
    body = response.content.decode() if response.status_code == 200 else ""
    if response.status_code == 302:
        body = client.get(response["Location"]).content.decode()
    import re

    errs = re.findall(r'(?:errorlist[^>]*>|class="error"[^>]*>)(.*?)</(?:ul|li)>', body, re.S)
    assert changes(before, snapshot()), (
        f"baseline not accepted: {response.status_code} {errs} {data}"
    )
