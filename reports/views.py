"""Report pages: the list of reports, one report for an organization and a period, its XLSX.

The organization comes from `?org=<uuid>` and loads through accounts.access (outside the
caller's scope: 404); without it, the first organization of the caller's scope. A cell
secretary's scope is their cell, so they see only its figures.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import Cap, get_organization
from organizations.selectors import ancestors, scope_roots
from reports.charts import bar_chart
from reports.periods import PRESETS, Period, parse_date
from reports.registry import all_reports, get_report
from reports.xlsx import xlsx_response


def _require_org_access(request):
    if not request.scope.has_org_access:
        raise Http404


@login_required
def index(request):
    _require_org_access(request)
    return render(
        request,
        "reports/index.html",
        {"reports": all_reports(), "roots": scope_roots(request.scope)},
    )


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
def report(request, name):
    report, org, period = _load(request, name)
    result = report.compute(org, period)
    charts = [
        (g, bar_chart(g.title, [(i.label, i.value) for i in g.items], f"chart-{g.key}"))
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
@require_GET
def export(request, name):
    report, org, period = _load(request, name, Cap.EXPORT)
    return xlsx_response(report.compute(org, period))
