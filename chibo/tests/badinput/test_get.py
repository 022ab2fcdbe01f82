"""Search boxes and list filters (GET): every bad value answers below 500 and nothing of it is
shown unescaped. Query strings reach the database through filters, so a NUL byte or a
number out of range here is as dangerous as in a form."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from chibo.tests.badinput.payloads import XSS_MARK

VALUES = {
    "nul": "Nguy\x00ễn",
    "sql": "' OR '1'='1' --",
    "html": XSS_MARK,
    "long": "Đ" * 10_000,
    "negative": "-1",
    "huge": "99999999999999999999999",
    "feb-31": "31/02/2026",
    "not-a-uuid": "not-a-uuid",
}

# (name, how to build the address, the parameters attacked)
PAGES = [
    ("members:list", None, ["q", "status", "age", "ethnicity", "org", "page"]),
    ("organizations:tree", None, ["q", "page"]),
    ("organizations:villages", None, ["q", "show", "page"]),
    ("audit:log", None, ["user", "action", "date_from", "date_to", "page"]),
    ("reports:report", "structure", ["org", "year", "month", "from", "to"]),
    ("meetings:cell_calendar", "K1", ["year", "month"]),
    ("meetings:committee_calendar", "C1", ["year", "month", "type", "page"]),
    ("dues:cell", "K1", ["year"]),
    ("dues:month", "K1", ["month"]),
    ("oversight:board", "C1", ["year", "month", "type", "problem", "page"]),
]
API = [
    ("/api/v1/members", ["q", "status", "org", "page", "page_size"]),
    ("/api/v1/organizations", ["q", "page_size"]),
    ("/api/v1/meetings", ["from_date", "status", "org"]),
    ("/api/v1/reports/structure", ["org", "year", "month"]),
]

_OTHERS = ["huge", "feb-31", "not-a-uuid", "long", "negative"]
CASES = [
    pytest.param(name, arg, param, value, id=f"{name}:{param}:{value}")
    for i, (name, arg, param) in enumerate(
        (name, arg, param) for name, arg, params in PAGES for param in params
    )
    for value in ("nul", "html", _OTHERS[i % len(_OTHERS)])
] + [
    pytest.param("api", path, param, value, id=f"api{path}:{param}:{value}")
    for path, params in API
    for param in params
    for value in ("nul", "huge")
]


def _url(world, name, arg):
    if arg is None:
        return reverse(name)
    if name == "reports:report":
        return reverse(name, args=[arg]) + f"?org={world.org('K1').uuid}&"
    return reverse(name, args=[world.org(arg).uuid])


@pytest.mark.parametrize(("name", "arg", "param", "value"), CASES)
def test_query_parameter(client, world, name, arg, param, value):
    if name == "api":
        _t, raw = ApiToken.issue(world.user("admin"), "badinput")
        response = Client(headers={"Authorization": f"Bearer {raw}"}).get(
            arg, {param: VALUES[value]}
        )
        assert response.status_code < 500
        return
    client.force_login(world.user("admin"))
    url = _url(world, name, arg)
    sep = "&" if "?" in url else "?"
    from urllib.parse import urlencode

    response = client.get(url + sep + urlencode({param: VALUES[value]}))
    assert response.status_code < 500
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        assert XSS_MARK.encode() not in response.content, "query shown unescaped"
