"""Helpers for the spreadsheet tests: workbooks built in memory, uploads, valid rows."""

import datetime as dt
import functools
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spreadsheets.columns import MEMBER_COLUMNS, ORG_COLUMNS, member_choice_maps, org_choice_maps
from spreadsheets.models import Job

MEMBER_HEADERS = {c.key: c.header for c in MEMBER_COLUMNS}
ORG_HEADERS = {c.key: c.header for c in ORG_COLUMNS}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx_bytes(headers: list[str], rows: list[list], sheet="Đảng viên") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for n, r in enumerate(rows, start=2):
        ws.append(r)
        # (Only the cells just written: ws.max_row walks every cell, quadratic on big files.)
        for col, value in enumerate(r, start=1):
            if isinstance(value, str) and value.startswith("="):
                # text that looks like a formula, not a formula
                ws.cell(row=n, column=col).data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload_file(content: bytes, name="tep.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@functools.cache
def _maps():
    return {**member_choice_maps(), **org_choice_maps()}


def label(key, code):
    return _maps()[key].label(code)


def member_row(**values) -> dict:
    """A valid new official member of K1 (by column key); override any value."""
    row = {
        "cell_code": "K1",
        "full_name": "Đỗ Minh Khôi",
        "sex": label("sex", "M"),
        "birth_date": "05/05/1990",
        "ethnicity": "Kinh",
        "religion": "",
        "native_place": "Xã An Bình",
        "residence": "Thôn Đông",
        "citizen_id": "001090123456",
        "phone": "0912345678",
        "general_education": label("general_education", "upper_secondary"),
        "political_theory": label("political_theory", "trung_cap"),
        "qualification": label("qualification", "dai_hoc"),
        "qualification_detail": "Kế toán",
        "youth_union": "Không",
        "dossier_no": "100001TN",
        "card_no": "12345678",
        "admission_decision_date": "10/02/2015",
        "ceremony_date": dt.date(2015, 3, 1),
        "official_date": "02/03/2016",
        "status": label("status", "official"),
        "left_reason": "",
        "status_date": "",
        "status_note": "",
        "start_date": "02/03/2016",
    }
    row.update(values)
    return row


def member_file(rows: list[dict]) -> bytes:
    keys = list(rows[0])
    return xlsx_bytes([MEMBER_HEADERS[k] for k in keys], [[r.get(k) for k in keys] for r in rows])


def org_row(**values) -> dict:
    row = {
        "code": "K9",
        "name": "Chi bộ thôn Nam",
        "kind": label("kind", "cell"),
        "cell_type": label("cell_type", "village"),
        "parent_code": "C1",
        "founded_on": "01/01/2020",
        "villages": "",
    }
    row.update(values)
    return row


def org_file(rows: list[dict]) -> bytes:
    keys = list(rows[0])
    return xlsx_bytes(
        [ORG_HEADERS[k] for k in keys],
        [[r.get(k) for k in keys] for r in rows],
        sheet="Tổ chức đảng",
    )


@pytest.fixture
def upload(client):
    """upload("members", bytes) → (response, the job created or None)."""

    def _upload(kind: str, content: bytes, name="tep.xlsx", **extra):
        before = set(Job.objects.values_list("pk", flat=True))
        url = reverse(f"spreadsheets:import_{kind}")
        response = client.post(url, {f"{kind}-file": upload_file(content, name), **extra})
        job = Job.objects.exclude(pk__in=before).first()
        if job is not None:
            job.refresh_from_db()
        return response, job

    return _upload
