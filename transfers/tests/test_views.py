"""Transfer pages: who sees a transfer (sending side, receiving side, neither), who takes each
step, bad input, and the query budget of the lists."""

import datetime as dt

import pytest
from django.urls import reverse

from members.models import Membership
from transfers.models import Transfer, TransferKind, TransferStatus
from transfers.tests.factories import EFFECTIVE, NAM, issued, received, started

pytestmark = pytest.mark.django_db


def test_the_member_page_links_to_starting_a_transfer(login, world):
    page = login("secretary_k1").get(world.member(*NAM).get_absolute_url()).content.decode()
    assert reverse("transfers:start", args=[world.member(*NAM).uuid]) in page


def test_a_secretary_starts_a_transfer_to_a_sibling_cell(login, world):
    member = world.member(*NAM)
    client = login("secretary_k1")
    url = reverse("transfers:start", args=[member.uuid])
    page = client.get(url).content.decode()
    assert 'name="to_org_q"' in page  # the cells are searched, not all listed
    # The cells of the province, outside the secretary's scope, are found by name.
    found = client.get(reverse("transfers:cells", args=[member.uuid]), {"to_org_q": "tay"})
    assert "Chi bộ thôn Tây" in found.content.decode()
    response = client.post(
        url,
        {
            "kind": "official",
            "reason": "job",
            "trigger_date": "05/01/2026",
            "started_on": "12/01/2026",
            "to_org": world.org("K2").pk,
        },
    )
    t = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == t.get_absolute_url()
    assert (t.member, t.to_org, t.created_by) == (
        member,
        world.org("K2"),
        world.user("secretary_k1"),
    )


def test_a_transfer_to_another_province_names_the_cell_by_its_code(login, world):
    client = login("secretary_k1")
    url = reverse("transfers:start", args=[world.member(*NAM).uuid])
    data = {
        "kind": "official",
        "reason": "residence",
        "trigger_date": "05/01/2026",
        "started_on": "12/01/2026",
        "to_province": world.org("P2").pk,
        "to_code": "nope",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Transfer.objects.exists()
    data["to_code"] = "K4"
    assert client.post(url, data).status_code == 302
    assert Transfer.objects.get().to_org == world.org("K4")


def test_bad_input_on_start_shows_the_errors_and_writes_nothing(login, world):
    client = login("secretary_k1")
    response = client.post(
        reverse("transfers:start", args=[world.member(*NAM).uuid]),
        {
            "kind": "temporary",
            "reason": "residence",
            "trigger_date": "05/01/2026",
            "started_on": "12/01/2026",
            "end_date": "01/02/2026",
            "to_org": world.org("K2").pk,
        },
    )
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not Transfer.objects.exists()


@pytest.mark.parametrize(
    ("user", "status"), [("committee_c1", 403), ("staff_p2", 404), ("member_k1", 404)]
)
def test_only_the_members_managers_start_a_transfer(login, world, user, status):
    url = reverse("transfers:start", args=[world.member(*NAM).uuid])
    assert login(user).get(url).status_code == status


def test_the_anonymous_are_sent_to_log_in(client, world):
    t = started(world)
    for url in (
        t.get_absolute_url(),
        reverse("transfers:org_list", args=[world.org("K1").uuid]),
        reverse("transfers:start", args=[world.member(*NAM).uuid]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert (
        client.post(reverse("transfers:cancel", args=[t.uuid]), {"reason": "X"}).status_code == 302
    )
    t.refresh_from_db()
    assert t.status == TransferStatus.STARTED


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("secretary_k1", 200),  # sending cell
        ("staff_c1", 200),
        ("committee_c1", 200),
        ("staff_p2", 200),  # receiving province
        ("member_k1", 404),
        ("nobody", 404),
    ],
)
def test_both_sides_see_a_transfer_across_provinces_and_no_one_else(login, world, user, status):
    t = started(world, to="K4")
    response = login(user).get(t.get_absolute_url())
    assert response.status_code == status
    if status == 404:
        assert "Lê Văn Nam" not in response.content.decode()


def test_the_receiving_side_sees_the_name_and_letter_but_not_the_record(login, world):
    t = issued(world, to="K4")
    page = login("staff_p2").get(t.get_absolute_url()).content.decode()
    assert "Lê Văn Nam" in page and "0042" in page  # name and register number
    assert world.member(*NAM).get_absolute_url() not in page
    assert 'action="{}"'.format(reverse("transfers:receive", args=[t.uuid])) in page
    page = login("staff_c1").get(t.get_absolute_url()).content.decode()
    assert world.member(*NAM).get_absolute_url() in page
    assert reverse("transfers:receive", args=[t.uuid]) not in page  # the sender does not receive


def _post(client, name, t, data):
    return client.post(reverse(f"transfers:{name}", args=[t.uuid]), data)


LETTER = {
    "letter_type": "official_10",
    "letter_no": "15",
    "register_no": "0042",
    "issued_on": "02/02/2026",
    "issued_by": "Ban Tổ chức Đảng ủy xã An Bình",
    "dues_paid_until": "01/2026",
}


def test_the_letter_is_issued_by_the_committee_above_not_the_secretary(login, world):
    t = started(world, to="K4")
    assert _post(login("secretary_k1"), "issue", t, LETTER).status_code == 403
    assert _post(login("staff_p2"), "issue", t, LETTER).status_code == 403  # the receiving side
    assert _post(login("nobody"), "issue", t, LETTER).status_code == 404
    t.refresh_from_db()
    assert t.status == TransferStatus.STARTED
    assert _post(login("staff_c1"), "issue", t, LETTER).status_code == 302
    t.refresh_from_db()
    assert (t.status, t.dues_paid_until) == (TransferStatus.LETTER_ISSUED, dt.date(2026, 1, 1))


def test_a_bad_letter_shows_the_page_again_with_the_errors(login, world):
    t = started(world)
    response = _post(
        login("staff_c1"),
        "issue",
        t,
        {**LETTER, "issued_on": "01/01/2026", "dues_paid_until": "13/2026"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count('class="errorlist"') >= 1
    t.refresh_from_db()
    assert t.status == TransferStatus.STARTED
    response = _post(login("staff_c1"), "issue", t, {**LETTER, "issued_on": "01/01/2026"})
    assert response.status_code == 400  # before the start: refused by the service
    t.refresh_from_db()
    assert t.status == TransferStatus.STARTED


def test_the_receiving_province_receives_and_completes(login, world):
    t = issued(world, to="K4")
    data = {"presented_on": "10/02/2026", "received_on": "11/02/2026"}
    assert _post(login("staff_c1"), "receive", t, data).status_code == 403
    client = login("staff_p2")
    assert _post(client, "receive", t, data).status_code == 302
    t.refresh_from_db()
    assert (t.status, t.received_by) == (TransferStatus.RECEIVED, world.user("staff_p2"))
    assert (
        _post(login("staff_c1"), "complete", t, {"effective_on": "01/03/2026"}).status_code == 403
    )
    client = login("staff_p2")
    assert _post(client, "complete", t, {"effective_on": "01/03/2026"}).status_code == 302
    t.refresh_from_db()
    assert t.status == TransferStatus.COMPLETED and t.member.organization == world.org("K4")
    # Now the receiving side sees the record; the sending side still sees the transfer.
    assert (
        world.member("Lê Văn Nam", "K4").get_absolute_url()
        in client.get(t.get_absolute_url()).content.decode()
    )
    assert login("secretary_k1").get(t.get_absolute_url()).status_code == 200


def test_a_temporary_members_return_may_be_recorded_by_the_home_cell(login, world):
    t = received(world, kind=TransferKind.TEMPORARY)
    assert (
        _post(login("secretary_k1"), "complete", t, {"ended_on": "05/07/2026"}).status_code == 302
    )
    assert Membership.objects.get(member=t.member, kind="temporary").end_date == dt.date(2026, 7, 5)


def test_cancelling(login, world):
    t = started(world, to="K4")
    assert _post(login("staff_p2"), "cancel", t, {"reason": ""}).status_code == 400
    assert _post(login("committee_c1"), "cancel", t, {"reason": "X"}).status_code == 403
    assert (
        _post(login("secretary_k1"), "cancel", t, {"reason": "Không chuyển nữa"}).status_code == 302
    )
    t.refresh_from_db()
    assert t.status == TransferStatus.CANCELLED


def test_an_incoming_transfer_from_outside(login, world):
    k2 = world.org("K2")
    url = reverse("transfers:incoming_start", args=[k2.uuid])
    assert login("secretary_k1").get(url).status_code == 404
    assert login("committee_c1").get(url).status_code == 403
    client = login("staff_c1")
    response = client.post(
        url,
        {
            "member_name": "Đỗ Văn Hải",
            "from_org_name": "Chi bộ thôn 3, xã Quỳnh Lưu, tỉnh Nghệ An",
            "reason": "residence",
            "trigger_date": "05/01/2026",
            "started_on": "12/01/2026",
        },
    )
    t = Transfer.objects.get()
    assert response.status_code == 302 and t.from_org is None and t.to_org == k2
    page = client.get(t.get_absolute_url()).content.decode()
    assert (
        reverse("transfers:issue", args=[t.uuid]) in page
    )  # the receiving side records the letter


# ---- the lists --------------------------------------------------------------------------------


def test_the_lists_by_tab(login, world):
    out = started(world, to="K4")
    other = started(world, who=("Hoàng Văn Bình", "K2"), to="K1", started_on=dt.date(2026, 4, 7))
    client = login("staff_c1")
    k1 = world.org("K1")
    url = reverse("transfers:org_list", args=[k1.uuid])
    page = client.get(url).content.decode()
    assert out.get_absolute_url() in page and other.get_absolute_url() not in page
    page = client.get(url + "?tab=incoming").content.decode()
    assert other.get_absolute_url() in page and out.get_absolute_url() not in page
    page = client.get(url + "?tab=overdue").content.decode()
    assert other.get_absolute_url() in page and out.get_absolute_url() not in page  # started late
    # The receiving province sees only what touches it.
    page = login("staff_p2").get(
        reverse("transfers:org_list", args=[world.org("P2").uuid]) + "?tab=incoming"
    )
    assert out.get_absolute_url() in page.content.decode()
    assert other.get_absolute_url() not in page.content.decode()


def test_an_organization_outside_the_scope_has_no_list(login, world):
    assert (
        login("staff_p2")
        .get(reverse("transfers:org_list", args=[world.org("K1").uuid]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("tab", ["outgoing", "incoming", "overdue"])
def test_the_list_takes_a_fixed_number_of_queries(login, world, django_assert_num_queries, tab):
    client = login("staff_p1")
    url = reverse("transfers:org_list", args=[world.org("P1").uuid]) + f"?tab={tab}"

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    started(world, to="K4")
    few = count()
    for who in (("Hoàng Văn Bình", "K2"), ("Vũ Thị Mai", "K3"), ("Trần Thị Hoa", "K1")):
        started(world, who=who, to=None, started_on=dt.date(2026, 4, 7))
    assert count() == few
    with django_assert_num_queries(PINNED):
        client.get(url)


# session, user, role assignments (scope), the organization, 3 counts, the list
# (a province has no ancestors: no query for the breadcrumbs)
PINNED = 8


def test_completing_moves_the_member_between_the_cell_lists(login, world):
    nam = world.member(*NAM).get_absolute_url()
    client = login("staff_c1")
    assert (
        nam in client.get(reverse("members:list") + f"?org={world.org('K1').uuid}").content.decode()
    )
    t = received(world)
    _post(client, "complete", t, {"effective_on": EFFECTIVE.strftime("%d/%m/%Y")})
    k2_list = client.get(reverse("members:list") + f"?org={world.org('K2').uuid}")
    k1_list = client.get(reverse("members:list") + f"?org={world.org('K1').uuid}")
    assert nam in k2_list.content.decode()
    assert nam not in k1_list.content.decode()
