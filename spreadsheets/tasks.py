"""The background task that runs an import or export job, and the recovery of jobs
whose worker died.

Runs in `manage.py run_worker` (django-tasks-db's db_worker, which first recovers the
jobs of dead workers; inline under tests). Whatever happens, the job ends SUCCEEDED or
FAILED with a message, never left RUNNING: a worker killed mid-job leaves the job to
the next worker that starts, which runs it again from the start (an import writes in
one transaction, which the database rolled back) or, after MAX_ATTEMPTS runs, closes it
as FAILED. See docs/excel.md, "When the worker stops mid-job".
"""

import datetime as dt
import functools
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.access import Scope
from audit import context as audit_context
from audit import log as audit_log
from audit.models import Action
from oversight.tasks import export_visit_report
from reports.tasks import export_report_summary
from spreadsheets import exporters, worker
from spreadsheets.import_members import MemberImport
from spreadsheets.import_orgs import OrgImport
from spreadsheets.models import Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

# A RUNNING job silent for this long lost its worker (the process was killed).
# Long enough for the write phase of the largest file, which runs in one
# transaction whose progress is not visible from outside. (A worker on the same
# host as the dead one does not wait: it sees the process is gone.)
STALE_AFTER = dt.timedelta(minutes=30)
# Runs of a job before a worker dying under it closes it as FAILED: a file that kills
# its worker (memory) must not take down every worker started after it.
MAX_ATTEMPTS = 3
# The task rows of django-tasks-db that run jobs.
RUN_JOB_PATH = "spreadsheets.tasks.run_job"


class LeaseLost(Exception):
    """This run no longer owns its job: a recovery gave the job to another run (its
    worker was presumed dead) or closed it. Raised in the transaction that would have
    finished the job, which it rolls back."""


class WorkerLost(Exception):
    """Recorded on the django-tasks-db row of a task whose worker died under it."""


def _importer(cls):
    def run(job, scope):
        importer = cls(job, scope)
        importer.finish = functools.partial(_finish, job)  # in the write transaction
        return importer.run()

    return run


HANDLERS = {
    JobKind.IMPORT_MEMBERS: _importer(MemberImport),
    JobKind.IMPORT_ORGANIZATIONS: _importer(OrgImport),
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


def _language(job: Job) -> str:
    return job.params.get("language") or settings.LANGUAGE_CODE


@task()
def run_job(job_id: int) -> str:
    job = Job.objects.select_related("user", "province").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return "skipped"  # deleted, or already picked up by another attempt
    now = timezone.now()
    lease = uuid.uuid4()
    # Only one run takes a queued job (this conditional update is the guard), and it
    # takes it with a fresh lease: whatever an older run of the job still does, it can
    # no longer finish it.
    started = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker=worker.identity(),
        lease=lease,
        attempts=F("attempts") + 1,
        phase="",  # (a job run again: not the message of its requeue any more)
    )
    if not started:
        return "skipped"
    job.refresh_from_db(fields=["status", "worker", "lease", "attempts", "started_at"])
    with translation.override(_language(job)):
        try:
            scope = Scope.for_user(job.user)
            # Entries written while the job runs (and the one below) name the job's user.
            with audit_context.acting(user=job.user, scope=scope):
                summary = HANDLERS[job.kind](job, scope)
                if job.status == JobStatus.RUNNING:  # not finished with an import's rows
                    _finish(job, summary)
        except LeaseLost:
            logger.warning("Job %s was taken over by another run; this one stops", job.uuid)
            return "superseded"
        except Exception:
            logger.exception("Job %s (%s) failed", job.uuid, job.kind)
            _close(
                job,
                _(
                    "The job stopped because of an unexpected error; nothing was changed. "
                    "Try again, and tell the administrator if it happens again."
                ),
            )
            return JobStatus.FAILED
        except BaseException:
            # The worker is stopping (a second SIGTERM, Ctrl-C): what the job wrote was
            # rolled back; the next worker runs it again.
            logger.warning("Job %s interrupted: the worker is stopping", job.uuid)
            requeue(job)
            raise
    return job.status


def _finish(job: Job, summary: dict) -> None:
    """Record the outcome, if this run still holds the job (else LeaseLost). For an
    import that wrote rows, this runs inside its write transaction."""
    with transaction.atomic():
        if not job.holds_lease():
            raise LeaseLost(job.uuid)
        job.summary = summary
        if summary.get("rejected"):
            job.status = JobStatus.FAILED
            job.phase = _("The file has errors; nothing was written.")
        else:
            _audit(job, summary)
            job.status = JobStatus.SUCCEEDED
            job.phase = _("Finished.")
            job.done = job.total = max(job.total, job.done)
        job.finished_at = job.heartbeat_at = timezone.now()
        job.save(update_fields=SAVED)


def _close(job: Job, phase: str) -> bool:
    """Close a RUNNING job as FAILED, if this run still holds it."""
    now = timezone.now()
    closed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, lease=job.lease).update(
        status=JobStatus.FAILED, phase=phase, finished_at=now, heartbeat_at=now
    )
    if closed:
        job.status = JobStatus.FAILED
    return bool(closed)


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


# ---- recovery: jobs whose worker died ------------------------------------------------


def requeue(job: Job) -> str:
    """Give a job its worker lost another run from the start, or close it as FAILED once
    it has had MAX_ATTEMPTS runs. Only while the job is still RUNNING under the same
    lease: a job finished (or already recovered) meanwhile is left as it is.

    Returns "requeued", "failed" or "" (nothing done).
    """
    with translation.override(_language(job)), transaction.atomic():
        now = timezone.now()
        running_now = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, lease=job.lease)
        if job.attempts >= MAX_ATTEMPTS:
            closed = running_now.update(
                status=JobStatus.FAILED,
                finished_at=now,
                heartbeat_at=now,
                phase=_(
                    "The background worker stopped several times while running this job; "
                    "nothing was changed. Try again later, and tell the administrator if "
                    "it happens again."
                ),
            )
            return "failed" if closed else ""
        queued = running_now.update(
            status=JobStatus.QUEUED,
            lease=None,
            worker="",
            done=0,
            total=0,
            heartbeat_at=now,
            phase=_(
                "The background worker stopped while running this job; nothing it did "
                "was kept. The job will start again from the beginning."
            ),
        )
        if not queued:
            return ""
        # In the same transaction: a worker killed here leaves neither.
        run_job.enqueue(job.pk)
    logger.warning(
        "Job %s (%s) requeued after its worker stopped (run %s of %s)",
        job.uuid,
        job.kind,
        job.attempts,
        MAX_ATTEMPTS,
    )
    return "requeued"


def _task_job_id(task_row: DBTaskResult):
    args = (task_row.args_kwargs or {}).get("args") or [None]
    return args[0]


def _worker_gone(ident: str, last_sign, now) -> bool:
    gone = worker.is_gone(ident)
    if gone is not None:
        return gone  # a process of this host: its existence is the answer
    # Another host's (or unknown): presumed dead after STALE_AFTER of silence.
    return last_sign is None or last_sign < now - STALE_AFTER


def recover_jobs() -> dict:
    """Recover what dead workers left behind (`manage.py run_worker` calls this as it
    starts, before taking any task):

    - RUNNING jobs whose worker process is gone (this host), or silent for STALE_AFTER
      (another host): run again from the start, or FAILED after MAX_ATTEMPTS runs;
    - their django-tasks-db rows still RUNNING: closed as FAILED, so nothing shows them
      running and nothing runs them twice (a new row is queued for the new run);
    - QUEUED jobs without a task row waiting to run them (a worker died between taking
      the task and starting the job): queued again.

    Returns the counts: requeued, failed, tasks_closed, queued.
    """
    now = timezone.now()
    counts = {"requeued": 0, "failed": 0, "tasks_closed": 0, "queued": 0}
    running_tasks = list(
        DBTaskResult.objects.running()
        .filter(task_path=RUN_JOB_PATH)
        .only("id", "args_kwargs", "worker_ids", "started_at")
    )
    lost_jobs = set()
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        if not _worker_gone(job.worker, job.heartbeat_at, now):
            continue
        outcome = requeue(job)
        if outcome:
            counts[outcome] += 1
            lost_jobs.add(job.pk)
    # Task rows: of a dead process of this host; of a job just recovered; or, from another
    # host, of a job no longer running (the task row outlived it by STALE_AFTER). A task
    # row of another host whose job still runs is judged by the job's heartbeat, above.
    still_running = set(Job.objects.filter(status=JobStatus.RUNNING).values_list("pk", flat=True))
    lost_tasks = set()
    for t in running_tasks:
        gone = worker.is_gone(t.worker_ids[-1] if t.worker_ids else "")
        job_id = _task_job_id(t)
        if gone or job_id in lost_jobs:
            lost_tasks.add(t.pk)
        elif gone is None and job_id not in still_running:
            if t.started_at is None or t.started_at < now - STALE_AFTER:
                lost_tasks.add(t.pk)
    if lost_tasks:
        counts["tasks_closed"] = DBTaskResult.objects.filter(
            pk__in=lost_tasks, status=TaskResultStatus.RUNNING
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=(
                "The worker running this task stopped (killed or crashed); "
                "closed by manage.py run_worker as it started.\n"
            ),
        )
    waiting = {
        _task_job_id(t)
        for t in DBTaskResult.objects.filter(
            task_path=RUN_JOB_PATH, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).only("args_kwargs")
    }
    for job_id in Job.objects.filter(status=JobStatus.QUEUED).values_list("pk", flat=True):
        if job_id not in waiting:
            run_job.enqueue(job_id)
            counts["queued"] += 1
    if any(counts.values()):
        logger.warning("Recovered the jobs of stopped workers: %s", counts)
    return counts
