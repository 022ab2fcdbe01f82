"""Report pages and the XLSX export: scope (owner, same scope, out of scope 404, anonymous),
the Vietnamese number format, drill-down links, the workbook, and the page's query count."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from reports.registry import fmt_rate

URL = reverse("reports:report", args=["structure"])


def get(client, world, user, code=None, name="report", **params):
    client.force_login(world.user(user))
    url = reverse(f"reports:{name}", args=["structure"])
    if code:
        params["org"] = world.org(code).uuid
    return client.get(url, params)


def test_rates_are_written_the_vietnamese_way():
    with translation.override("vi"):
        assert fmt_rate(16130, 16160) == "16.130/16.160 (99,81 %)"
    with translation.override("en"):
        assert fmt_rate(16130, 16160) == "16,130/16,160 (99.81 %)"
    assert fmt_rate(0, 0) == "0/0"


@pytest.mark.parametrize(
    ("user", "code", "status"),
    [
        ("staff_p1", "P1", 200),
        ("staff_p1", "K1", 200),
        ("committee_c1", "C1", 200),
        ("committee_c1", "P1", 404),
        ("committee_c1", "K3", 404),
        ("secretary_k1", "K1", 200),
        ("secretary_k1", "K2", 404),
        ("secretary_k1", "C1", 404),
        ("staff_p2", "K1", 404),
        ("member_k1", "K1", 404),
        ("nobody", None, 404),
    ],
)
def test_the_report_respects_the_scope(client, world, user, code, status):
    assert get(client, world, user, code).status_code == status
    assert get(client, world, user, code, name="export").status_code == status


def test_anonymous_users_are_sent_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_secretary_without_org_sees_their_own_cell(client, world):
    response = get(client, world, "secretary_k1")
    assert response.context["org"] == world.org("K1")
    assert world.org("K2").name not in response.content.decode()


def test_an_unknown_report_or_a_bad_uuid_is_404(client, world):
    client.force_login(world.user("staff_p1"))
    assert client.get(reverse("reports:report", args=["nope"])).status_code == 404
    assert client.get(URL, {"org": "not-a-uuid"}).status_code == 404


def test_the_page_shows_chart_table_and_drill_down(client, world, extra):
    response = get(client, world, "staff_p1", "P1", **{"from": "01/06/2025", "to": "30/06/2025"})
    body = response.content.decode()
    assert "<svg" in body and 'id="report-units"' in body
    c1 = world.org("C1")
    assert f"?org={c1.uuid}&amp;from=01/06/2025&amp;to=30/06/2025" in body
    assert response.context["period"].end.isoformat() == "2025-06-30"
    assert "<script" not in body.split('id="report-headline"')[1].split("</main>")[0]


def test_the_index_lists_the_reports(client, world):
    client.force_login(world.user("committee_c1"))
    body = client.get(reverse("reports:index")).content.decode()
    assert "liaison-213" in body and world.org("C1").name in body
    client.force_login(world.user("member_k1"))
    assert client.get(reverse("reports:index")).status_code == 404


def test_the_page_runs_a_constant_number_of_queries(
    client, world, extra, django_assert_num_queries
):
    client.force_login(world.user("staff_p1"))
    p1 = world.org("P1")
    client.get(URL, {"org": p1.uuid})  # warm the session
    with django_assert_num_queries(9):
        client.get(URL, {"org": p1.uuid})


def test_the_xlsx_opens_and_holds_the_figures(client, world, extra):
    response = get(client, world, "staff_p1", "P1", name="export", **{"to": "30/06/2025"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    summary, units = wb.worksheets
    figures = {row[0]: row[1:] for row in summary.iter_rows(values_only=True) if row and row[0]}
    with translation.override("vi"):  # the request was in the site's default language
        label, total = gettext("Independent village cells"), gettext("Total")
    assert figures[label][:3] == (2, 4, 50.0)
    names = [r[0] for r in units.iter_rows(min_row=2, values_only=True)]
    assert world.org("C1").name in names and names[-1] == total


@pytest.mark.parametrize(
    "name", ["structure", "liaison-213", "meetings", "supervision", "admissions", "ratings"]
)
def test_every_report_is_listed_and_renders_as_page_excel_and_json(client, world, name):
    """Each registered report is on the index, and its page, workbook and API answer for a
    commune and for a cell (drill-down's last step)."""
    client.force_login(world.user("staff_c1"))
    assert (
        reverse("reports:report", args=[name])
        in client.get(reverse("reports:index")).content.decode()
    )
    for code in ("C1", "K1"):
        params = {"org": world.org(code).uuid, "from": "01/01/2025", "to": "31/12/2025"}
        page = client.get(reverse("reports:report", args=[name]), params)
        assert page.status_code == 200, (name, code)
        assert page.context["org"] == world.org(code)
        export = client.get(reverse("reports:export", args=[name]), params)
        assert export.status_code == 200
        openpyxl.load_workbook(io.BytesIO(export.content))
        api = client.get(
            f"/api/v1/reports/{name}",
            {"org": world.org(code).uuid, "from": "2025-01-01", "to": "2025-12-31"},
        )
        assert api.status_code == 200, (name, code, api.content[:300])


def test_a_date_that_cannot_be_read_is_said_and_the_period_shown(client, world):
    client.force_login(world.user("staff_c1"))
    page = client.get(
        reverse("reports:report", args=["meetings"]),
        {"org": world.org("C1").uuid, "from": "31/02/2025", "to": "31/12/2025"},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "“31/02/2025” không phải là ngày hợp lệ" in body
    assert "Đang hiển thị số liệu từ 01/12/2025 – 31/12/2025." in body
