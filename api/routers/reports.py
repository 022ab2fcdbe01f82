"""Reports (reports/registry.py): one operation for every report, by name."""

from typing import Annotated

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router
from pydantic import WithJsonSchema

from accounts.access import get_organization
from api.auth import scope_of
from api.schemas import Error, ValidationErrors
from api.schemas_reports import ReportFilters, ReportOut
from chibo.replicas import replica_reads
from organizations.selectors import scope_roots
from reports.periods import Period
from reports.registry import all_reports, get_report, report_options

router = Router(tags=["reports"])

# The names are listed in the document; an unknown one is still a 404, like an unknown page.
ReportName = Annotated[
    str, WithJsonSchema({"type": "string", "enum": [r.name for r in all_reports()]})
]


@router.get(
    "/reports/{report_name}",
    response={200: ReportOut, 401: Error, 404: Error, 422: ValidationErrors},
    operation_id="get_report",
    summary="A statistical report for an organization and a period",
    by_alias=True,
    description=(
        "Raw counts and rates (numbers) of the report `report_name` for the organization `org` and "
        "its direct children. Reports: "
        + ", ".join(f"`{r.name}`" for r in all_reports())
        + ". `from`/`to` default to this month; a missing `org` is the caller's first "
        "organization. Outside the caller's scope, or an unknown report: 404. A report's own "
        "parameters go in the query string too: `campaigns` reads `campaign` (a campaign's "
        "uuid; all the campaigns seen at the organization by default)."
    ),
)
@replica_reads
def get_report_json(request, report_name: ReportName, filters: Query[ReportFilters]):
    scope = scope_of(request)
    if not scope.has_org_access:
        raise Http404
    report = get_report(report_name)
    if filters.org:
        org = get_organization(scope, filters.org)
    else:
        roots = scope_roots(scope)
        if not roots:
            raise Http404
        org = roots[0]
    data = {}
    if filters.from_:
        data["from"] = filters.from_.isoformat()
    if filters.to:
        data["to"] = filters.to.isoformat()
    period = Period.parse(data, timezone.localdate())
    return report.compute(org, period, **report_options(report, request.GET)).as_json()
