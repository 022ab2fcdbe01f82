"""The in-app guide: every role reads it, finds its own section highlighted, and every link
in it opens a page that user may see (no 404 or 403 behind a guide link)."""

import re

import pytest
from django.urls import reverse

GUIDE_PAGES = ["guide:index", "guide:month", "guide:pages"]
USERS = ["admin", "staff_p1", "staff_c1", "committee_c1", "secretary_k1", "member_k1", "nobody"]
# The role sections of the guide's index each matrix user should find highlighted.
HIGHLIGHTED = {
    "admin": {"role-admin"},
    "staff_p1": {"role-province"},
    "staff_c1": {"role-commune"},
    "committee_c1": {"role-committee"},
    "secretary_k1": {"role-secretary", "role-member"},
    "member_k1": {"role-member"},
    "nobody": set(),
}
ROLE_SECTIONS = {
    "role-admin",
    "role-province",
    "role-commune",
    "role-committee",
    "role-secretary",
    "role-member",
}
HREF = re.compile(r'href="([^"]+)"')


def internal_links(html: str) -> set[str]:
    """Every same-site address on the page, without its #anchor (static files aside)."""
    out = set()
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&").split("#")[0]
        if href.startswith("/") and not href.startswith("/static/"):
            out.add(href)
    return out


def main_part(html: str) -> str:
    return html.split('<main id="main">', 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("name", GUIDE_PAGES)
def test_each_guide_page_renders_for_each_role(client, world, user, name):
    client.force_login(world.user(user))
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    # The header's link to the guide, marked as the current section.
    assert f'href="{reverse("guide:index")}" aria-current="page"' in html
    # The three guide pages link to each other.
    for other in GUIDE_PAGES:
        assert f'href="{reverse(other)}"' in html


@pytest.mark.parametrize("user", USERS)
def test_the_users_own_role_is_highlighted(client, world, user):
    client.force_login(world.user(user))
    html = client.get(reverse("guide:index")).content.decode()
    sections = set(re.findall(r'<section id="(role-[a-z]+)"', html))
    assert sections == ROLE_SECTIONS
    highlighted = set(re.findall(r'<section id="(role-[a-z]+)"[^>]*aria-current="true"', html))
    assert highlighted == HIGHLIGHTED[user]


@pytest.mark.parametrize("user", ["staff_c1", "secretary_k1", "committee_c1", "member_k1"])
def test_every_link_in_the_guide_opens(client, world, user):
    """Fetch every internal address on the three guide pages as that user: none is an error."""
    client.force_login(world.user(user))
    links = set()
    for name in GUIDE_PAGES:
        links |= internal_links(main_part(client.get(reverse(name)).content.decode()))
    assert len(links) >= 5
    broken = {}
    for url in sorted(links):
        status = client.get(url).status_code
        if status >= 400:
            broken[url] = status
    assert not broken, f"{user}: guide links that fail: {broken}"


def test_the_secretary_is_led_to_their_own_cell(client, world):
    k1 = world.org("K1")
    client.force_login(world.user("secretary_k1"))
    html = client.get(reverse("guide:month")).content.decode()
    assert reverse("meetings:cell_calendar", args=[k1.uuid]) in html
    assert reverse("meetings:cell_schedule", args=[k1.uuid]) in html
    assert reverse("meetings:plan", args=[k1.uuid]) in html
    for step in ("plan", "prepare", "notice", "attendance", "minutes", "resolution", "tasks"):
        assert f'id="step-{step}"' in html
    assert 'id="step-followup"' in html and 'id="step-print"' in html


def test_the_commune_staff_is_led_to_the_board_and_the_reports(client, world):
    c1 = world.org("C1")
    client.force_login(world.user("staff_c1"))
    html = client.get(reverse("guide:month")).content.decode()
    assert reverse("oversight:board", args=[c1.uuid]) in html
    assert reverse("meetings:committee_calendar", args=[c1.uuid]) in html
    assert reverse("oversight:report", args=[c1.uuid]) in html
    # No cell of their own: the steps name the pages without links to someone else's cell.
    assert reverse("meetings:plan", args=[world.org("K1").uuid]) not in html


def test_a_plain_member_gets_no_link_to_pages_of_the_cell_they_cannot_open(client, world):
    k1 = world.org("K1")
    client.force_login(world.user("member_k1"))
    html = client.get(reverse("guide:pages")).content.decode()
    assert reverse("meetings:cell_calendar", args=[k1.uuid]) in html  # their own cell's meetings
    for name in ("dues:cell", "admissions:pipeline", "meetings:minutes_book"):
        assert reverse(name, args=[k1.uuid]) not in html


@pytest.mark.parametrize("name", GUIDE_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("user", "queries"),
    [("secretary_k1", 4), ("staff_c1", 4), ("member_k1", 4), ("nobody", 3)],
)
@pytest.mark.parametrize("name", GUIDE_PAGES)
def test_query_counts_are_pinned(client, world, django_assert_num_queries, user, name, queries):
    """The session, the user, the scope's roles and the organizations to link to: the text
    itself costs nothing, whatever the size of the province."""
    client.force_login(world.user(user))
    with django_assert_num_queries(queries):
        assert client.get(reverse(name)).status_code == 200


def empty_state(html: str) -> str:
    found = re.findall(r'<p class="empty">(.*?)</p>', html, re.S)
    assert found, "no empty state on the page"
    return " ".join(found)


def test_an_empty_cell_calendar_says_how_to_plan_the_year(client, world):
    k1 = world.org("K1")
    url = reverse("meetings:cell_calendar", args=[k1.uuid]) + "?year=2001"
    client.force_login(world.user("secretary_k1"))
    html = client.get(url).content.decode()
    empty = empty_state(html)
    assert reverse("meetings:cell_schedule", args=[k1.uuid]) in empty
    assert reverse("meetings:plan", args=[k1.uuid]) in empty
    # The help link at the top of the page opens the first step of the month's guide.
    assert f'href="{reverse("guide:month")}#step-plan"' in html
    # A member who cannot plan is told who does, with no button they could not use.
    client.force_login(world.user("member_k1"))
    empty = empty_state(client.get(url).content.decode())
    assert reverse("meetings:plan", args=[k1.uuid]) not in empty


@pytest.mark.parametrize(
    ("user", "name", "code", "query", "action"),
    [
        ("staff_c1", "admissions:pipeline", "K1", "?stage=closed", "admissions:create"),
        ("staff_c1", "transfers:org_list", "K1", "?tab=overdue", "transfers:incoming_start"),
        ("secretary_k1", "liaison:cell", "K1", "", "meetings:plan"),
    ],
)
def test_empty_lists_link_to_the_action_that_fills_them(
    client, world, user, name, code, query, action
):
    org = world.org(code)
    client.force_login(world.user(user))
    response = client.get(reverse(name, args=[org.uuid]) + query)
    assert response.status_code == 200
    assert reverse(action, args=[org.uuid]) in empty_state(response.content.decode())


def test_the_meetings_pages_link_to_the_guide(client, world):
    client.force_login(world.user("staff_c1"))
    html = client.get(
        reverse("meetings:committee_calendar", args=[world.org("C1").uuid])
    ).content.decode()
    assert f'href="{reverse("guide:month")}#oversee"' in html
    client.force_login(world.user("member_k1"))
    html = client.get(reverse("meetings:mine")).content.decode()
    assert f'href="{reverse("guide:month")}"' in html
