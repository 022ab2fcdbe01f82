"""The background task that runs an import or export job.

Runs in `manage.py db_worker` (inline under tests). Whatever happens, the job
ends SUCCEEDED or FAILED with a message: never left RUNNING.
"""

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.access import Scope
from audit import context as audit_context
from audit import log as audit_log
from audit.models import Action
from oversight.tasks import export_visit_report
from reports.tasks import export_report_summary
from spreadsheets import exporters
from spreadsheets.import_members import MemberImport
from spreadsheets.import_orgs import OrgImport
from spreadsheets.models import Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

# A RUNNING job silent for this long lost its worker (the process was killed).
# Long enough for the write phase of the largest file, which runs in one
# transaction whose progress is not visible from outside.
STALE_AFTER = dt.timedelta(minutes=30)

HANDLERS = {
    JobKind.IMPORT_MEMBERS: lambda job, scope: MemberImport(job, scope).run(),
    JobKind.IMPORT_ORGANIZATIONS: lambda job, scope: OrgImport(job, scope).run(),
    JobKind.EXPORT_MEMBERS: exporters.export_members,
    JobKind.EXPORT_ORGANIZATIONS: exporters.export_organizations,
    JobKind.EXPORT_VISIT_REPORT: export_visit_report,
    JobKind.EXPORT_REPORT_SUMMARY: export_report_summary,
}

SAVED = [
    "status",
    "phase",
    "done",
    "total",
    "summary",
    "errors",
    "result",
    "finished_at",
    "heartbeat_at",
]


@task()
def run_job(job_id: int) -> str:
    job = Job.objects.select_related("user", "province").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return "skipped"  # deleted, or already picked up by another attempt
    now = timezone.now()
    started = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not started:
        return "skipped"
    job.status = JobStatus.RUNNING
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            scope = Scope.for_user(job.user)
            # Entries written while the job runs (and the one below) name the job's user.
            with audit_context.acting(user=job.user, scope=scope):
                summary = HANDLERS[job.kind](job, scope)
                if not summary.get("rejected"):
                    _audit(job, summary)
        except BaseException as e:
            logger.exception("Job %s (%s) failed", job.uuid, job.kind)
            job.status = JobStatus.FAILED
            job.phase = _(
                "The job stopped because of an unexpected error; nothing was changed. "
                "Try again, and tell the administrator if it happens again."
            )
            job.finished_at = job.heartbeat_at = timezone.now()
            job.save(update_fields=["status", "phase", "finished_at", "heartbeat_at"])
            if not isinstance(e, Exception):
                raise  # let the worker stop (KeyboardInterrupt, SystemExit)
            return job.status
        job.summary = summary
        if summary.get("rejected"):
            job.status = JobStatus.FAILED
            job.phase = _("The file has errors; nothing was written.")
        else:
            job.status = JobStatus.SUCCEEDED
            job.phase = _("Finished.")
            job.done = job.total = max(job.total, job.done)
        job.finished_at = job.heartbeat_at = timezone.now()
        job.save(update_fields=SAVED)
    return job.status


def _audit(job: Job, summary: dict) -> None:
    """One audit entry per finished job: an export with its row count and filters, or an
    import with its counts (its rows are written in bulk, without per-row signals)."""
    extra = {
        "job": str(job.uuid),
        "kind": job.kind,
        "count": summary.get("rows", 0),
        "filters": job.params.get("filters") or {},
        "org": job.params.get("org") or "",
    }
    if job.is_import:
        extra.update(created=summary.get("created", 0), updated=summary.get("updated", 0))
        action = Action.UPDATE if summary.get("updated") else Action.CREATE
    else:
        action = Action.EXPORT
    audit_log.record(action, job, object_repr=job.get_kind_display(), extra=extra)


def close_stale_jobs(jobs) -> int:
    """Mark RUNNING jobs whose worker went silent as FAILED (called when a user looks)."""
    limit = timezone.now() - STALE_AFTER
    return jobs.filter(status=JobStatus.RUNNING, heartbeat_at__lt=limit).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        phase=_(
            "The job stopped without finishing (the background worker was interrupted); "
            "nothing was changed. Please start it again."
        ),
    )


def start(job: Job) -> None:
    """Queue a saved job. If queuing itself fails, the job is closed as FAILED."""
    try:
        run_job.enqueue(job.pk)
    except Exception:
        logger.exception("Could not queue job %s", job.uuid)
        Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            phase=_("The job could not be queued; please try again later."),
        )
