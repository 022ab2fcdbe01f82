import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from spreadsheets import tasks
from spreadsheets.models import Job, JobKind, JobStatus
from spreadsheets.tests.conftest import member_file, member_row


def job_urls(job):
    return [
        reverse(f"spreadsheets:{n}", args=[job.uuid]) for n in ("job", "job_status", "job_download")
    ]


@pytest.fixture
def failed_import(login, upload, world):
    """A rejected import by staff_c1, with an error report."""
    client = login("staff_c1")
    _response, job = upload("members", member_file([member_row(cell_code="NOPE")]))
    client.logout()
    return job


def test_a_job_is_only_for_its_owner(client, failed_import, world):
    for other in ("staff_p1", "admin", "committee_c1"):
        client.force_login(world.user(other))
        for url in job_urls(failed_import):
            assert client.get(url).status_code == 404, (other, url)
    client.force_login(world.user("staff_c1"))
    for url in job_urls(failed_import):
        assert client.get(url).status_code == 200, url


def test_anonymous_users_are_sent_to_log_in(client, failed_import):
    for url in [reverse("spreadsheets:index"), *job_urls(failed_import)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:login")
        )
    response = client.post(reverse("spreadsheets:import_members"))
    assert response.status_code == 302


@pytest.mark.parametrize("user", ["member_k1", "nobody"])
def test_users_without_organization_access_get_404(login, user):
    client = login(user)
    assert client.get(reverse("spreadsheets:index")).status_code == 404
    assert client.post(reverse("spreadsheets:import_members")).status_code == 404
    assert client.post(reverse("spreadsheets:export_organizations")).status_code == 404


def test_a_committee_member_may_export_but_not_import(login, upload):
    client = login("committee_c1")
    body = client.get(reverse("spreadsheets:index")).content.decode()
    assert reverse("spreadsheets:import_members") not in body
    assert reverse("spreadsheets:import_organizations") not in body
    assert reverse("spreadsheets:export_members") in body
    response, job = upload("members", member_file([member_row()]))
    assert response.status_code == 403 and job is None


def test_the_index_lists_recent_jobs_and_the_forms_a_secretary_may_use(login, failed_import, world):
    client = login("secretary_k1")
    body = client.get(reverse("spreadsheets:index")).content.decode()
    assert reverse("spreadsheets:import_members") in body
    assert reverse("spreadsheets:import_organizations") not in body
    assert failed_import.get_absolute_url() not in body  # not their job
    client = login("staff_c1")
    assert (
        failed_import.get_absolute_url()
        in client.get(reverse("spreadsheets:index")).content.decode()
    )


def test_the_job_page_lists_errors_and_offers_the_error_report(login, failed_import):
    client = login("staff_c1")
    body = client.get(failed_import.get_absolute_url()).content.decode()
    assert "NOPE" in body and "Mã chi bộ" in body
    assert reverse("spreadsheets:job_download", args=[failed_import.uuid]) in body
    response = client.get(reverse("spreadsheets:job_download", args=[failed_import.uuid]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0][-2:] == ("Lỗi", "Dòng")
    assert (
        len(rows) == 2
        and rows[1][0] == "NOPE"
        and "[Mã chi bộ]" in rows[1][-2]
        and rows[1][-1] == 2
    )


def test_the_status_fragment_polls_until_the_job_is_finished(client, world):
    user = world.user("staff_p1")
    client.force_login(user)
    job = Job.objects.create(
        kind=JobKind.EXPORT_MEMBERS,
        user=user,
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now(),
    )
    job.set_progress(200, 800, "Đang ghi")
    body = client.get(reverse("spreadsheets:job_status", args=[job.uuid])).content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="25"' in body and "200 / 800" in body
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, summary={"rows": 800})
    body = client.get(reverse("spreadsheets:job_status", args=[job.uuid])).content.decode()
    assert "hx-trigger" not in body and 'value="100"' in body


def test_progress_is_saved_every_200_rows_not_every_row(login, upload, monkeypatch, world):
    calls = []
    real = Job.set_progress

    def record(self, done, total=None, phase=None):
        calls.append((done, total, phase is not None))
        real(self, done, total, phase)

    monkeypatch.setattr(Job, "set_progress", record)
    login("staff_p1")
    rows = [
        member_row(cell_code="NOPE", dossier_no=f"{400000 + i}TN", citizen_id="", card_no="")
        for i in range(450)
    ]
    _response, job = upload("members", member_file(rows))
    assert job.status == JobStatus.FAILED and job.summary["error_rows"] == 450
    assert calls == [
        (0, 0, True),
        (200, 450, False),
        (400, 450, False),  # reading
        (0, 450, True),
        (200, 450, False),
        (400, 450, False),  # checking
    ]


def test_set_progress_stores_done_total_phase_and_heartbeat(world):
    job = Job.objects.create(kind=JobKind.EXPORT_MEMBERS, user=world.user("staff_p1"))
    job.set_progress(50, 200, "Đang đọc")
    job.set_progress(100)
    job.refresh_from_db()
    assert (job.done, job.total, job.phase, job.percent) == (100, 200, "Đang đọc", 50)
    assert job.heartbeat_at is not None


def test_a_job_that_crashes_ends_failed_with_a_message(login, monkeypatch, world):
    def boom(job, scope):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(tasks.HANDLERS, JobKind.EXPORT_MEMBERS, boom)
    client = login("staff_p1")
    client.post(reverse("spreadsheets:export_members"))
    job = Job.objects.latest("created_at")
    assert job.status == JobStatus.FAILED and job.phase and "disk" not in job.phase
    assert job.finished_at is not None


def test_a_job_whose_worker_died_is_closed_when_someone_looks(login, world):
    client = login("staff_p1")
    job = Job.objects.create(
        kind=JobKind.EXPORT_MEMBERS,
        user=world.user("staff_p1"),
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(hours=2),
    )
    client.get(job.get_absolute_url())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.phase


def test_a_job_already_started_is_not_run_twice(world):
    job = Job.objects.create(
        kind=JobKind.EXPORT_MEMBERS, user=world.user("staff_p1"), status=JobStatus.SUCCEEDED
    )
    tasks.run_job.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and not job.result
