"""The summary report (reports/summary_docx.py) written in the background.

A spreadsheets Job of kind EXPORT_REPORT_SUMMARY: spreadsheets.tasks.run_job calls
`export_report_summary` in `manage.py run_worker` (inline under tests); the user watches one
progress step per report section on the job page, then downloads the DOCX. A province's
summary runs every report over thousands of units, so it does not hold up a web request.
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.access import Cap, get_organization
from meetings.documents import word
from meetings.documents.content import Table
from organizations.models import Organization
from reports.summary_docx import filename, summary_doc, summary_period
from spreadsheets.models import Job, JobKind


def new_job(user, org: Organization, kind: str, year: int, month: int | None, language: str):
    """A queued job for the summary (start it with spreadsheets.tasks.start).

    The request is checked first (ValueError with a translated message): a bad one creates
    no job."""
    period = summary_period(kind, year, month, timezone.localdate())
    return Job.objects.create(
        kind=JobKind.EXPORT_REPORT_SUMMARY,
        user=user,
        province_id=org.province_id or org.pk,
        params={
            "language": language,
            "org": str(org.uuid),
            "kind": kind,
            "year": year,
            "month": month if kind == "month" else None,
            "filename": filename(org, kind, period),
        },
    )


def export_report_summary(job: Job, scope) -> dict:
    """The job's handler: the user's scope is checked again, as when they asked."""
    org = get_organization(scope, job.params.get("org"), Cap.EXPORT)
    p = job.params
    today = timezone.localdate()
    period = summary_period(p["kind"], int(p["year"]), p.get("month"), today)
    doc = summary_doc(org, period, p["kind"], today=today, progress=job.set_progress)
    job.result.save(p["filename"], ContentFile(word.write([doc])), save=False)
    # "rows" for the job page ("N rows written"): the table rows of the document.
    rows = sum(len(block.rows) for block in doc.body if isinstance(block, Table))
    return {"sections": job.total, "rows": rows, "format": "docx"}
