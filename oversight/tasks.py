"""The monthly report on attending cell meetings as a file, written in the background.

A spreadsheets Job of kind EXPORT_VISIT_REPORT: spreadsheets.tasks.run_job calls
`export_visit_report` in `manage.py run_worker` (inline under tests) and the user watches its
progress on the job page, then downloads the DOCX or XLSX. A province's report reads every
visit and every cell of the month, so it does not hold up a web request.
"""

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from accounts.access import Cap, get_organization
from oversight.board import Period
from oversight.report import build_report, filename, report_docx, report_xlsx
from spreadsheets.models import Job, JobKind

FORMATS = {"docx": report_docx, "xlsx": report_xlsx}


def new_job(user, org, period: Period, fmt: str, language: str) -> Job:
    """A queued job for the report of `org` for the month (start it with spreadsheets.tasks.start)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return Job.objects.create(
        kind=JobKind.EXPORT_VISIT_REPORT,
        user=user,
        province_id=org.province_id or org.pk,
        params={
            "language": language,
            "org": str(org.uuid),
            "year": period.year,
            "month": period.month,
            "format": fmt,
        },
    )


def export_visit_report(job: Job, scope) -> dict:
    """The job's handler: the user's scope is checked again, as when they asked."""
    org = get_organization(scope, job.params.get("org"), Cap.EXPORT)
    period = Period(int(job.params["year"]), int(job.params["month"]))
    fmt = job.params.get("format")
    write = FORMATS[fmt]
    job.set_progress(0, 0, _("Reading the visits and the cells"))
    report = build_report(org, period)
    job.set_progress(0, report.rows, _("Writing the file"))
    data = write(report, progress=job.set_progress)
    job.result.save(filename(report, fmt), ContentFile(data), save=False)
    job.set_progress(report.rows, report.rows)
    return {"rows": len(report.lines), "cells": report.n_cells, "format": fmt}
