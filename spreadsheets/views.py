"""Excel pages: templates, uploads, exports, and the job page with its progress."""

import io
import os

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import CAP_LEVEL, Cap, get_organization
from accounts.reauth import recent_auth
from members.forms import MemberFilterForm
from organizations.models import Organization
from spreadsheets import tasks
from spreadsheets.columns import (
    MEMBER_COLUMNS,
    MEMBER_GUIDE,
    ORG_COLUMNS,
    ORG_GUIDE,
    member_choice_maps,
    org_choice_maps,
)
from spreadsheets.forms import ImportForm
from spreadsheets.models import Job, JobKind, JobStatus
from spreadsheets.xlsx import DATA_SHEET_NAMES, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RECENT_JOBS = 15
ERRORS_SHOWN = 200
IMPORTS = {
    "members": (JobKind.IMPORT_MEMBERS, Cap.IMPORT),
    "organizations": (JobKind.IMPORT_ORGANIZATIONS, Cap.MANAGE_STRUCTURE),
}


def _require_org_access(request):
    if not request.scope.has_org_access:
        raise Http404


def _provinces(scope, cap: Cap):
    """Provinces in which the user holds `cap` somewhere: the province an import is keyed by."""
    provinces = Organization.objects.filter(depth=1).order_by("sort_key")
    if scope.is_admin:
        return provinces
    org_ids = [g.organization_id for g in scope.grants if g.level >= CAP_LEVEL[cap]]
    return provinces.filter(
        pk__in=Organization.objects.filter(pk__in=org_ids).values("province_id")
    )


def _import_forms(request, bound: dict | None = None):
    scope = request.scope
    forms = {}
    for name, (_kind, cap) in IMPORTS.items():
        if scope.can_anywhere(cap):
            forms[name] = (bound or {}).get(name) or ImportForm(
                provinces=_provinces(scope, cap), prefix=name
            )
    return forms


def _index(request, bound=None, status=200):
    jobs = Job.objects.filter(user=request.user)
    tasks.close_stale_jobs(jobs)
    return render(
        request,
        "spreadsheets/index.html",
        {
            "forms": _import_forms(request, bound),
            "jobs": jobs[:RECENT_JOBS],
            "can_export": request.scope.can_anywhere(Cap.EXPORT),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def index(request):
    _require_org_access(request)
    return _index(request)


def _template_response(columns, name, guide, maps, filename):
    wb = template_workbook(columns, name, guide, maps)
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def template_members(request):
    if not request.scope.can_anywhere(Cap.IMPORT):
        raise Http404
    return _template_response(
        MEMBER_COLUMNS,
        DATA_SHEET_NAMES["members"],
        MEMBER_GUIDE,
        member_choice_maps(),
        "mau-nhap-dang-vien.xlsx",
    )


@login_required
@require_GET
def template_organizations(request):
    if not request.scope.can_anywhere(Cap.MANAGE_STRUCTURE):
        raise Http404
    return _template_response(
        ORG_COLUMNS,
        DATA_SHEET_NAMES["organizations"],
        ORG_GUIDE,
        org_choice_maps(),
        "mau-nhap-to-chuc-dang.xlsx",
    )


def _start_import(request, name):
    _require_org_access(request)
    kind, cap = IMPORTS[name]
    if not request.scope.can_anywhere(cap):
        raise PermissionDenied  # sees the Excel page, but may not import
    form = ImportForm(
        request.POST, request.FILES, provinces=_provinces(request.scope, cap), prefix=name
    )
    if not form.is_valid():
        return _index(request, bound={name: form}, status=400)
    upload = form.cleaned_data["file"]
    job = Job.objects.create(
        kind=kind,
        user=request.user,
        province=form.cleaned_data["province"],
        source=upload,
        original_name=os.path.basename(upload.name)[:200],
        params={"language": request.LANGUAGE_CODE},
    )
    tasks.start(job)
    return redirect(job)


@login_required
@require_POST
def import_members(request):
    return _start_import(request, "members")


@login_required
@require_POST
def import_organizations(request):
    return _start_import(request, "organizations")


def _start_export(request, kind, params):
    _require_org_access(request)
    scope = request.scope
    if not scope.can_anywhere(Cap.EXPORT):
        raise Http404
    org = None
    if request.GET.get("org"):
        org = get_organization(scope, request.GET["org"], Cap.EXPORT)
    job = Job.objects.create(
        kind=kind,
        user=request.user,
        province_id=org.province_id if org else None,
        params={"language": request.LANGUAGE_CODE, "org": str(org.uuid) if org else None, **params},
    )
    tasks.start(job)
    return redirect(job)


@login_required
@recent_auth
@require_POST
def export_members(request):
    """Export the member list as filtered on its page (the query string is the list's)."""
    form = MemberFilterForm(request.GET)
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v and k != "org"}
    return _start_export(request, JobKind.EXPORT_MEMBERS, {"filters": filters})


@login_required
@recent_auth
@require_POST
def export_organizations(request):
    return _start_export(request, JobKind.EXPORT_ORGANIZATIONS, {})


def _own_job(request, uuid) -> Job:
    _require_org_access(request)
    # Only the owner: anyone else, administrators included, gets a 404.
    job = Job.objects.filter(uuid=uuid, user=request.user).first()
    if job is None:
        raise Http404
    tasks.close_stale_jobs(Job.objects.filter(pk=job.pk))
    job.refresh_from_db()
    return job


def _job_context(job):
    errors = job.errors or []
    return {
        "job": job,
        "errors": errors[:ERRORS_SHOWN],
        "error_count": (job.summary or {}).get("error_count", len(errors)),
        "errors_cut": len(errors) > ERRORS_SHOWN
        or (job.summary or {}).get("error_count", 0) > ERRORS_SHOWN,
    }


@never_cache
@login_required
@require_GET
def job_detail(request, uuid):
    job = _own_job(request, uuid)
    return render(request, "spreadsheets/job.html", _job_context(job))


@never_cache
@login_required
@require_GET
def job_status(request, uuid):
    """The polled fragment; once the job is finished it renders without the poll."""
    job = _own_job(request, uuid)
    return render(request, "spreadsheets/_job_status.html", _job_context(job))


def download_name(job: Job) -> str:
    day = timezone.localtime(job.created_at).strftime("%d-%m-%Y")
    if job.kind == JobKind.EXPORT_MEMBERS:
        return f"dang-vien-{day}.xlsx"
    if job.kind == JobKind.EXPORT_ORGANIZATIONS:
        return f"to-chuc-dang-{day}.xlsx"
    if job.kind == JobKind.EXPORT_VISIT_REPORT:
        p = job.params
        return f"bao-cao-du-sinh-hoat-chi-bo-{p['month']:02d}-{p['year']}.{p['format']}"
    if job.kind == JobKind.EXPORT_REPORT_SUMMARY:
        return job.params["filename"]
    stem = os.path.splitext(job.original_name or "tep")[0]
    return f"loi-{stem}.xlsx"


@never_cache
@login_required
@require_GET
def job_download(request, uuid):
    job = _own_job(request, uuid)
    if not job.result or job.status not in (JobStatus.SUCCEEDED, JobStatus.FAILED):
        raise Http404
    try:
        fh = job.result.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    name = download_name(job)
    content_type = DOCX if name.endswith(".docx") else XLSX
    return FileResponse(fh, as_attachment=True, filename=name, content_type=content_type)
