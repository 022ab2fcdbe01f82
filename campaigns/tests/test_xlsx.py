"""The month sheet through Excel: the template lists the sheet's rows with what is recorded;
an import is saved all or nothing, with a message per bad row."""

import datetime as dt
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import CampaignResult

SEPT = dt.date(2025, 9, 1)


def url(campaign, org):
    return reverse("campaigns:sheet_xlsx", args=[campaign.uuid, org.uuid]) + "?month=2025-09"


def workbook(rows) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã", "Tổ chức", "Tiền", "Gạo", "Số người", "Ghi chú"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("kq.xlsx", out.getvalue())


def test_the_template_lists_the_rows_with_what_is_recorded(client, world, campaign):
    k1 = world.org("K1")
    CampaignResult.objects.create(
        province=world.org("P1"), campaign=campaign, organization=k1, month=SEPT, amount_vnd=5
    )
    client.force_login(world.user("staff_c1"))
    r = client.get(url(campaign, world.org("C1")))
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))[1:]
    assert [(row[0], row[2]) for row in rows] == [("C1", None), ("K1", 5), ("K2", None)]


def test_an_import_saves_every_row(client, world, campaign):
    client.force_login(world.user("staff_c1"))
    upload = workbook([["K1", "x", 4400000, 19741.5, 25, "Tết"], ["k2", None, "1.000.000"]])
    r = client.post(url(campaign, world.org("C1")), {"month": "2025-09", "file": upload})
    assert r.status_code == 302
    got = {
        r.organization.code: (r.amount_vnd, float(r.rice_kg), r.beneficiaries, r.note)
        for r in CampaignResult.objects.select_related("organization")
    }
    assert got == {"K1": (4400000, 19741.5, 25, "Tết"), "K2": (1000000, 0.0, 0, "")}


def test_a_bad_row_imports_nothing_and_names_the_rows(client, world, campaign):
    client.force_login(world.user("staff_c1"))
    upload = workbook([["K1", "", 100], ["K9", "", 5], ["K3", "", 5]])
    r = client.post(url(campaign, world.org("C1")), {"month": "2025-09", "file": upload})
    assert r.status_code == 400
    body = r.content.decode()
    assert "Dòng 3" in body and "K9" in body and "Dòng 4" in body
    assert not CampaignResult.objects.exists()
    upload = workbook([["K1", "", -100]])
    r = client.post(url(campaign, world.org("C1")), {"month": "2025-09", "file": upload})
    assert r.status_code == 400 and "Chi bộ thôn Đông: tiền không được âm." in r.content.decode()
    r = client.post(
        url(campaign, world.org("C1")),
        {"month": "2025-09", "file": SimpleUploadedFile("x.xlsx", b"not a workbook")},
    )
    assert r.status_code == 400 and not CampaignResult.objects.exists()


def test_a_secretary_cannot_import_into_the_commune(client, world, campaign):
    client.force_login(world.user("secretary_k1"))
    upload = workbook([["K2", "", 100]])
    r = client.post(url(campaign, world.org("C1")), {"month": "2025-09", "file": upload})
    assert r.status_code == 404 and not CampaignResult.objects.exists()
