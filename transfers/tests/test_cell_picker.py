"""The receiving-cell picker of the transfer form: a search instead of a select of every cell
of the province; it works with HTMX and without JavaScript, and sends a bounded list."""

import pytest
from django.urls import reverse

from organizations.models import CellType, Organization, OrgKind
from transfers.forms import CELL_MATCHES
from transfers.models import Transfer

NAM = ("Lê Văn Nam", "K1")


def _cells_url(world):
    return reverse("transfers:cells", args=[world.member(*NAM).uuid])


def test_the_search_ignores_diacritics_and_case_and_names_the_parent(world, login):
    body = login("secretary_k1").get(_cells_url(world), {"to_org_q": "THON tay"}).content
    body = body.decode()
    assert "Chi bộ thôn Tây" in body and "Đảng bộ xã An Bình" in body
    assert f'value="{world.org("K2").pk}"' in body
    # The member's own cell and the cells of other provinces are not offered.
    assert (
        "Chi bộ thôn Đông"
        not in login("secretary_k1").get(_cells_url(world), {"to_org_q": "dong"}).content.decode()
    )
    assert (
        "Chi bộ thôn Trung"
        not in login("secretary_k1").get(_cells_url(world), {"to_org_q": "trung"}).content.decode()
    )


def test_a_code_finds_the_cell_and_nothing_found_says_so(world, login):
    client = login("secretary_k1")
    assert "Chi bộ thôn Tây" in client.get(_cells_url(world), {"to_org_q": "k2"}).content.decode()
    assert (
        "Không có chi bộ nào" in client.get(_cells_url(world), {"to_org_q": "zzz"}).content.decode()
    )


def test_the_list_is_bounded_and_its_queries_constant(world, login, django_assert_num_queries):
    for i in range(CELL_MATCHES + 5):
        c1 = Organization.objects.get(code="C1")
        Organization.objects.add_child(
            c1,
            create_kwargs={
                "kind": OrgKind.CELL,
                "cell_type": CellType.VILLAGE,
                "name": f"Chi bộ thôn Mới {i}",
                "code": f"M{i}",
                "province_id": c1.province_id,
            },
        )
    client = login("secretary_k1")
    url = _cells_url(world)
    # Session, user, roles, the member and their cell's path, the cell, the matches, parents.
    with django_assert_num_queries(8):
        body = client.get(url, {"to_org_q": "moi"}).content.decode()
    assert body.count('type="radio"') == CELL_MATCHES
    assert "Chỉ hiện" in body  # "only the first 20 are shown: type more"


def test_find_without_javascript_shows_the_matches_and_saves_nothing(world, login):
    client = login("secretary_k1")
    url = reverse("transfers:start", args=[world.member(*NAM).uuid])
    response = client.post(
        url,
        {
            "kind": "official",
            "reason": "job",
            "trigger_date": "05/01/2026",
            "to_org_q": "tay",
            "find_cell": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Chi bộ thôn Tây" in body
    assert 'value="05/01/2026"' in body  # what was typed is kept
    assert 'class="errorlist"' not in body  # not validated yet
    assert not Transfer.objects.exists()


def test_the_chosen_cell_stays_checked_when_the_form_comes_back_with_an_error(world, login):
    client = login("secretary_k1")
    url = reverse("transfers:start", args=[world.member(*NAM).uuid])
    k2 = world.org("K2")
    response = client.post(
        url, {"kind": "official", "reason": "job", "trigger_date": "", "to_org": k2.pk}
    )
    body = response.content.decode()
    assert response.status_code == 200 and not Transfer.objects.exists()
    assert f'value="{k2.pk}" checked' in body


@pytest.mark.parametrize(
    ("user", "status"),
    [("secretary_k1", 200), ("staff_c1", 200), ("member_k1", 404), ("staff_p2", 404)],
)
def test_who_may_search(world, login, user, status):
    assert login(user).get(_cells_url(world), {"to_org_q": "tay"}).status_code == status


def test_anonymous_is_sent_to_sign_in(world, client):
    assert client.get(_cells_url(world), {"to_org_q": "tay"}).status_code == 302


def test_a_dissolved_cell_is_not_offered(world, login):
    Organization.objects.filter(code="K2").update(dissolved_on="2020-01-01")
    body = login("secretary_k1").get(_cells_url(world), {"to_org_q": "tay"}).content.decode()
    assert "Chi bộ thôn Tây" not in body
