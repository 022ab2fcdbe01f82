"""Report pages: the list of reports, one report for an organization and a period, its XLSX.

The organization comes from `?org=<uuid>` and loads through accounts.access (outside the
caller's scope: 404); without it, the first organization of the caller's scope. A cell
secretary's scope is their cell, so they see only its figures.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import Cap, get_organization
from accounts.reauth import recent_auth
from chibo.replicas import replica_reads
from organizations.selectors import ancestors, scope_roots
from reports.charts import bar_chart
from reports.forms import SummaryForm
from reports.periods import PRESETS, Period, parse_date
from reports.registry import all_reports, get_report, report_options
from reports.tasks import new_job
from reports.xlsx import xlsx_response
from spreadsheets import tasks as job_tasks


def _require_org_access(request):
    if not request.scope.has_org_access:
        raise Http404


def _summary_orgs(request, uuid, roots=None):
    """The organizations the summary form offers: the current one (`org`, loaded through the
    scope with the export capability: outside it, 404) first, then the scope's roots."""
    roots = scope_roots(request.scope) if roots is None else roots
    current = get_organization(request.scope, uuid, Cap.EXPORT) if uuid else None
    return [current] + [r for r in roots if r.pk != current.pk] if current else roots


def _index(request, form=None, orgs=None, status=200):
    roots = scope_roots(request.scope)
    orgs = _summary_orgs(request, request.GET.get("org"), roots) if orgs is None else orgs
    return render(
        request,
        "reports/index.html",
        {
            "reports": all_reports(),
            "roots": roots,
            "summary_form": form or SummaryForm(orgs=orgs),
        },
        status=status,
    )


@login_required
def index(request):
    _require_org_access(request)
    return _index(request)


@login_required
@recent_auth
@require_POST
def summary_docx(request):
    """Start the monthly or annual summary (DOCX) in the background; the job page shows its
    progress and the download. Bad input: the page again with the message, and no job."""
    _require_org_access(request)
    orgs = _summary_orgs(request, request.POST.get("org"))
    if not orgs:
        raise Http404
    form = SummaryForm(request.POST, orgs=orgs)
    if not form.is_valid():
        return _index(request, form, orgs, status=400)
    data = form.cleaned_data
    # Without a choice, the first organization (as on the report pages).
    org = next((o for o in orgs if str(o.uuid) == data["org"]), orgs[0])
    month = data.get("month") if data["kind"] == "month" else None
    job = new_job(request.user, org, data["kind"], data["year"], month, request.LANGUAGE_CODE)
    job_tasks.start(job)
    return redirect(job)


def _load(request, name, cap=Cap.VIEW):
    _require_org_access(request)
    report = get_report(name)
    uuid = request.GET.get("org")
    if uuid:
        org = get_organization(request.scope, uuid, cap)
    else:
        roots = scope_roots(request.scope)
        if not roots:
            raise Http404
        org = get_organization(request.scope, roots[0].uuid, cap)
    period = Period.parse(request.GET, timezone.localdate())
    return report, org, period


@login_required
@require_GET
@replica_reads
def report(request, name):
    report, org, period = _load(request, name)
    result = report.compute(org, period, **report_options(report, request.GET))
    charts = [
        (
            g,
            bar_chart(g.title, [(i.label, i.value) for i in g.items], f"chart-{g.key}")
            if g.chart
            else "",
        )
        for g in result.groups
    ]
    chart_col = next((c for c in result.columns if c.key == report.chart_column), None)
    units_chart = (
        bar_chart(
            f"{chart_col.label} — {org.name}",
            [(r.label, r.values.get(chart_col.key, 0)) for r in result.rows],
            "chart-units",
        )
        if chart_col and result.rows
        else ""
    )
    # A date that cannot be read is said, not silently replaced: the page shows which period
    # it fell back to.
    period_errors = [
        _("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 05/01/2025.") % {"value": value}
        for value in (request.GET.get("from", ""), request.GET.get("to", ""))
        if value.strip() and parse_date(value) is None
    ]
    return render(
        request,
        "reports/report.html",
        {
            "period_errors": period_errors,
            "report": report,
            "result": result,
            "org": org,
            "ancestors": ancestors(org),
            "period": period,
            "presets": PRESETS,
            "charts": charts,
            "units_chart": units_chart,
            "chart_col": chart_col,
            "rows": [(r, r.cells(result.columns)) for r in result.rows],
            "total_cells": result.total.cells(result.columns),
            "can_export": request.scope.can(Cap.EXPORT, org),
        },
    )


@login_required
@recent_auth
@require_GET
@replica_reads
def export(request, name):
    report, org, period = _load(request, name, Cap.EXPORT)
    return xlsx_response(report.compute(org, period, **report_options(report, request.GET)))
