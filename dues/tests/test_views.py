"""The cell's dues pages: the year grid and the month sheet (whole form and HTMX rows)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dues.models import DuesPayment
from dues.tests.helpers import excuse, months_ago, pay
from members.models import Member, Person
from members.services import create_member


@pytest.fixture
def k1(world):
    return world.org("K1")


@pytest.fixture
def duc(world):
    return world.member("Nguyễn Văn Đức", "K1")


@pytest.fixture
def hoa(world):
    return world.member("Trần Thị Hoa", "K1")


@pytest.fixture
def today():
    return timezone.localdate()


def grid_url(cell, year=None):
    url = reverse("dues:cell", args=[cell.uuid])
    return f"{url}?year={year}" if year else url


def month_url(cell, month=None):
    url = reverse("dues:month", args=[cell.uuid])
    return f"{url}?month={month:%Y-%m}" if month else url


def add_members(cell, n):
    for i in range(n):
        create_member(
            person=Person(full_name=f"Đảng Viên Thêm {i}", sex="M", birth_date=dt.date(1980, 1, 1)),
            member=Member(
                dossier_no=f"{900 + i:06d}TN",
                admission_decision_date=dt.date(2005, 1, 1),
                ceremony_date=dt.date(2005, 2, 1),
                official_date=dt.date(2006, 2, 2),
                status="official",
            ),
            organization=cell,
            start_date=dt.date(2005, 2, 1),
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


# ---- who sees what ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "grid", "sheet"),
    [
        ("admin", 200, 200),
        ("staff_p1", 200, 200),
        ("staff_c1", 200, 200),
        ("secretary_k1", 200, 200),  # the cell's own managers record
        ("committee_c1", 200, 403),  # same scope, read only
        ("member_k1", 404, 404),
        ("staff_p2", 404, 404),  # another province
        ("nobody", 404, 404),
    ],
)
def test_who_sees_and_who_records(login, k1, user, grid, sheet):
    client = login(user)
    assert client.get(grid_url(k1)).status_code == grid
    assert client.get(month_url(k1)).status_code == sheet


def test_anonymous_users_are_sent_to_log_in(client, k1):
    for url in (grid_url(k1), month_url(k1)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_only_a_cell_has_a_dues_page(login, world):
    client = login("staff_p1")
    assert client.get(grid_url(world.org("C1"))).status_code == 404
    assert client.get(month_url(world.org("C1"))).status_code == 404


def test_the_cell_page_links_to_its_dues(login, world, k1):
    client = login("committee_c1")
    assert grid_url(k1) in client.get(k1.get_absolute_url()).content.decode()
    c1 = world.org("C1")
    assert (
        reverse("dues:cell", args=[c1.uuid])
        not in client.get(c1.get_absolute_url()).content.decode()
    )


# ---- the year grid ------------------------------------------------------------------------


def test_the_grid_shows_paid_excused_and_unpaid_months(login, k1, duc, hoa, world):
    for m in (1, 2, 3):
        pay(hoa, dt.date(2025, m, 1), 50000)
    pay(duc, dt.date(2025, 1, 1), 30000)
    excuse(duc, dt.date(2025, 2, 1), "Ốm nặng")
    body = login("committee_c1").get(grid_url(k1, 2025)).content.decode()
    assert "Nguyễn Văn Đức" in body and "Trần Thị Hoa" in body
    assert body.count('class="dues-st dues-paid"') == 4 + 1  # four payments and the legend
    assert 'title="Ốm nặng"' in body
    assert body.count('class="dues-st dues-unpaid"') == 1 + 1 + 3  # legend, Đức in March, Lan
    assert "150.000" in body  # Hoa's year, in Vietnamese figures
    # Read only: no link to record a month.
    assert reverse("dues:month", args=[k1.uuid]) not in body


def test_the_grid_links_each_month_for_the_cell_managers(login, k1):
    body = login("secretary_k1").get(grid_url(k1, 2025)).content.decode()
    assert month_url(k1, dt.date(2025, 9, 1)) in body


def test_three_unpaid_months_are_flagged_on_the_grid(login, k1, duc, hoa):
    for m in (1, 2, 3):
        pay(hoa, dt.date(2025, m, 1))
    body = login("secretary_k1").get(grid_url(k1, 2025)).content.decode()
    assert body.count('class="flag small"') == 2  # Đức and Lan; Nam joined in June


def test_the_grid_takes_a_fixed_number_of_queries(login, k1, hoa, duc, django_assert_num_queries):
    client = login("secretary_k1")
    url = grid_url(k1, 2025)
    few = queries(client, url)
    add_members(k1, 5)
    for m in range(1, 13):
        pay(hoa, dt.date(2025, m, 1))
        pay(duc, dt.date(2025, m, 1))
    assert queries(client, url) == few
    # session, user, roles (scope), the cell, its ancestors, the periods, the payments
    with django_assert_num_queries(7):
        client.get(url)


# ---- the month sheet ----------------------------------------------------------------------


def test_the_sheet_lists_the_roster_with_last_amounts(login, k1, duc, today):
    last = months_ago(today, 1)
    pay(duc, months_ago(today, 3), 20000)
    pay(duc, last, 35000)
    body = login("secretary_k1").get(month_url(k1, today)).content.decode()
    for name in ("Nguyễn Văn Đức", "Trần Thị Hoa", "Lê Văn Nam", "Phạm Thị Lan"):
        assert name in body
    assert f'name="a_{duc.pk}" value="35000"' in body


def test_the_sheet_takes_a_fixed_number_of_queries(
    login, k1, duc, hoa, today, django_assert_num_queries
):
    client = login("secretary_k1")
    url = month_url(k1, today)
    few = queries(client, url)
    add_members(k1, 5)
    pay(duc, months_ago(today, 1))
    pay(hoa, today)
    assert queries(client, url) == few
    # session, user, roles (scope), the cell, the roster (last amounts inside), this month's
    # rows, the ancestors
    with django_assert_num_queries(7):
        client.get(url)


def _sheet(month, **rows):
    data = {"month": f"{month:%Y-%m}", "paid_on": f"{month:%d/%m/%Y}"}
    for member, (state, amount, note) in rows.items():
        pk = member.removeprefix("m")
        data |= {f"s_{pk}": state, f"a_{pk}": amount, f"n_{pk}": note}
    return data


def test_saving_the_sheet_records_the_month(login, k1, duc, hoa, world, today):
    month = months_ago(today, 1)
    lan = world.member("Phạm Thị Lan", "K1")
    data = _sheet(
        month,
        **{
            f"m{duc.pk}": ("paid", "30.000", ""),
            f"m{hoa.pk}": ("paid", "50000", "nộp thêm"),
            f"m{lan.pk}": ("excused", "", "Già yếu"),
        },
    )
    response = login("secretary_k1").post(month_url(k1, month), data)
    assert response.status_code == 302
    assert response["Location"] == month_url(k1, month)
    rows = {p.member_id: p for p in DuesPayment.objects.filter(month=month)}
    assert rows[duc.pk].amount == Decimal(30000) and rows[duc.pk].paid_on == month
    assert rows[duc.pk].recorded_by.username == "secretary_k1"
    assert rows[lan.pk].excused and rows[lan.pk].reason == "Già yếu"
    assert set(rows) == {duc.pk, hoa.pk, lan.pk}


def test_all_paid_records_every_member_not_yet_recorded(login, k1, duc, hoa, world, today):
    month = months_ago(today, 1)
    lan = world.member("Phạm Thị Lan", "K1")
    nam = world.member("Lê Văn Nam", "K1")
    excuse(lan, month)
    data = _sheet(
        month,
        **{
            f"m{duc.pk}": ("unpaid", "30000", ""),
            f"m{hoa.pk}": ("unpaid", "30000", ""),
            f"m{nam.pk}": ("unpaid", "20000", ""),
            f"m{lan.pk}": ("excused", "", "Hoàn cảnh khó khăn, chi bộ đồng ý"),
        },
    )
    response = login("secretary_k1").post(month_url(k1, month), data | {"all_paid": "1"})
    assert response.status_code == 302
    rows = {p.member_id: p for p in DuesPayment.objects.filter(month=month)}
    assert [rows[m.pk].amount for m in (duc, hoa, nam)] == [30000, 30000, 20000]
    assert rows[lan.pk].excused  # an exception stays


def test_a_bad_row_shows_the_sheet_again_and_saves_nothing(login, k1, duc, hoa, today):
    month = months_ago(today, 1)
    data = _sheet(
        month,
        **{f"m{duc.pk}": ("paid", "-30000", ""), f"m{hoa.pk}": ("paid", "30000", "")},
    )
    response = login("secretary_k1").post(month_url(k1, month), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nguyễn Văn Đức: " in body and 'class="errorbox"' in body
    assert f'name="a_{duc.pk}" value="-30000"' in body  # as typed
    assert not DuesPayment.objects.exists()


def test_a_future_month_is_refused(login, k1, duc, today):
    month = months_ago(today, -1)
    data = _sheet(month, **{f"m{duc.pk}": ("paid", "30000", "")}) | {"paid_on": f"{today:%d/%m/%Y}"}
    response = login("secretary_k1").post(month_url(k1, month), data)
    assert response.status_code == 400
    assert not DuesPayment.objects.exists()
    # Asked for by address, a future month shows the current one.
    body = login("secretary_k1").get(month_url(k1, month)).content.decode()
    assert f'value="{today:%Y-%m}"' in body


def test_a_member_of_another_cell_is_refused(login, k1, duc, world, today):
    binh = world.member("Hoàng Văn Bình", "K2")
    month = months_ago(today, 1)
    data = _sheet(month, **{f"m{duc.pk}": ("paid", "1", ""), f"m{binh.pk}": ("paid", "1", "")})
    assert login("secretary_k1").post(month_url(k1, month), data).status_code == 400
    assert not DuesPayment.objects.exists()


def test_a_reader_cannot_record(login, k1, duc, today):
    data = _sheet(today, **{f"m{duc.pk}": ("paid", "1", "")})
    assert login("committee_c1").post(month_url(k1, today), data).status_code == 403
    assert login("staff_p2").post(month_url(k1, today), data).status_code == 404
    assert not DuesPayment.objects.exists()


# ---- one row at a time (HTMX) -------------------------------------------------------------


def _mark(client, cell, month, member, state, amount="", note="", others=None):
    data = _sheet(month, **{f"m{member.pk}": (state, amount, note)}, **(others or {}))
    return client.post(
        reverse("dues:mark", args=[cell.uuid]),
        data | {"member": str(member.pk)},
        HTTP_HX_REQUEST="true",
    )


def test_a_row_saves_on_its_own_and_the_counts_update(login, k1, duc, hoa, today):
    month = months_ago(today, 1)
    # Inside the sheet's form HTMX sends every row: only the one named is saved.
    others = {f"m{hoa.pk}": ("paid", "30000", "")}
    response = _mark(login("secretary_k1"), k1, month, duc, "paid", "30000", others=others)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="dues-summary"' in body and "hx-swap-oob" in body
    assert f'id="dues-row-{duc.pk}"' not in body  # the user's own input is left alone
    assert DuesPayment.objects.get(member=duc, month=month).amount == 30000
    assert not DuesPayment.objects.filter(member=hoa).exists()


def test_a_bad_row_comes_back_with_its_error(login, k1, duc, today):
    month = months_ago(today, 1)
    client = login("secretary_k1")
    body = _mark(client, k1, month, duc, "excused").content.decode()
    assert f'id="dues-row-{duc.pk}"' in body and 'role="alert"' in body
    assert f'name="e_{duc.pk}"' in body
    assert not DuesPayment.objects.exists()
    # Fixed: the row comes back once more, to clear the error.
    data = _sheet(month, **{f"m{duc.pk}": ("excused", "", "Đi làm ăn xa")}) | {
        f"e_{duc.pk}": "1",
        "member": str(duc.pk),
    }
    body = client.post(reverse("dues:mark", args=[k1.uuid]), data).content.decode()
    assert f'id="dues-row-{duc.pk}"' in body and 'role="alert"' not in body
    assert DuesPayment.objects.get(member=duc).reason == "Đi làm ăn xa"


def test_a_row_outside_the_scope_is_404(login, world, today):
    k2 = world.org("K2")
    binh = world.member("Hoàng Văn Bình", "K2")
    assert _mark(login("secretary_k1"), k2, today, binh, "paid", "1").status_code == 404
    assert _mark(login("committee_c1"), k2, today, binh, "paid", "1").status_code == 403
    assert not DuesPayment.objects.exists()
