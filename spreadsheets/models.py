"""Background import and export jobs, with the progress the user watches."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class JobKind(models.TextChoices):
    IMPORT_ORGANIZATIONS = "import_organizations", _("Import organizations")
    IMPORT_MEMBERS = "import_members", _("Import members")
    EXPORT_MEMBERS = "export_members", _("Export members")
    EXPORT_ORGANIZATIONS = "export_organizations", _("Export organizations")
    # oversight/tasks.py: the monthly report on attending cell meetings (DOCX or XLSX).
    EXPORT_VISIT_REPORT = "export_visit_report", _("Report on attending cell meetings")
    # reports/tasks.py: the monthly or annual summary of every report (DOCX).
    EXPORT_REPORT_SUMMARY = "export_report_summary", _("Summary report (Word)")


class Job(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=32, choices=JobKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # Inputs: the uploaded file (imports) or the list filters (exports).
    source = models.FileField(upload_to="jobs/in/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # Progress: rows done out of total; phase is a short message for the user.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    phase = models.CharField(max_length=200, blank=True)
    # Outcome.
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    result = models.FileField(upload_to="jobs/out/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Last sign of life from the worker: a RUNNING job whose heartbeat is old was
    # killed with its process, and is closed as FAILED rather than left spinning.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Who runs it (spreadsheets.worker): "host:pid:process start" of the worker process, so a
    # worker starting on the same host can tell at once that the process is gone; and the
    # lease, a token drawn at each start: only the run holding it may finish the job, and an
    # import's rows commit together with that check (a run presumed dead cannot write).
    worker = models.CharField(max_length=100, blank=True)
    lease = models.UUIDField(null=True, blank=True)
    # Runs started: a job interrupted by its worker dying is run again up to a bound.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="job_user_created")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("spreadsheets:job", args=[self.uuid])

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def is_import(self) -> bool:
        return self.kind in (JobKind.IMPORT_MEMBERS, JobKind.IMPORT_ORGANIZATIONS)

    def set_progress(self, done: int, total: int | None = None, phase: str | None = None):
        self.done = done
        self.heartbeat_at = timezone.now()
        fields = ["done", "heartbeat_at"]
        if total is not None:
            self.total = total
            fields.append("total")
        if phase is not None:
            self.phase = phase
            fields.append("phase")
        Job.objects.filter(pk=self.pk).update(**{f: getattr(self, f) for f in fields})

    def holds_lease(self) -> bool:
        """Whether this run still owns the job; locks its row until the transaction ends.

        Called inside the transaction that finishes the job: on PostgreSQL the lock makes
        a worker's recovery wait for that transaction, then see the job finished.
        """
        return (
            Job.objects.select_for_update()
            .filter(pk=self.pk, status=JobStatus.RUNNING, lease=self.lease)
            .exists()
        )
