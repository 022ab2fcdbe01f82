"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json).

Same scope rules as the pages: every query starts from the caller's Scope, single
objects load through accounts.access, anything outside the scope is a 404.
No interactive docs page: ninja's loads its JavaScript from a CDN, and our users
are on closed networks; the OpenAPI document opens in any local viewer.
"""

from ninja import NinjaAPI

from api import errors
from api.auth import AUTH
from api.routers import (
    admission_targets,
    admissions,
    campaigns,
    inspections,
    liaison,
    lifecycle,
    me,
    meetings,
    meetings_records,
    meetings_tasks,
    members,
    organizations,
    oversight,
    quality,
    ratings,
    reports,
    transfers,
    village_posts,
    villages,
)

api = NinjaAPI(
    title="Chibo API",
    version="1",
    description=(
        "Party organizations, members, villages and the monthly meeting cycle (meetings, "
        "attendance, votes, resolutions, tasks), and the member's life: admission candidates, "
        "transfers of party activity, status decisions, party cards and badges, residence "
        "liaison, review and rating, and admission targets, within the caller's scope. "
        "Supervision: who follows which cell (assignments, working groups, cross-attendance), "
        "visits to cells with their reports, and the visits due per committee and quarter. "
        "Authenticate with a personal API token (`Authorization: Bearer chibo_…`, created "
        "under Account → Personal API tokens) or, from Chibo's own pages, the session "
        "(unsafe methods then need the X-CSRFToken header). Dates are ISO 8601 "
        "(YYYY-MM-DD). Messages follow Accept-Language (Vietnamese by default, or English). "
        "Anything outside the caller's scope answers 404, exactly like something that "
        "does not exist."
    ),
    auth=AUTH,
    docs_url=None,
    urls_namespace="api",
)
errors.install(api)
api.add_router("", me.router)
api.add_router("", organizations.router)
api.add_router("", members.router)
api.add_router("", villages.router)
api.add_router("", village_posts.router)
api.add_router("", meetings.router)
api.add_router("", meetings_records.router)
api.add_router("", meetings_tasks.router)
api.add_router("", admissions.router)
api.add_router("", transfers.router)
api.add_router("", lifecycle.router)
api.add_router("", liaison.router)
api.add_router("", ratings.router)
api.add_router("", admission_targets.router)
api.add_router("", inspections.router)
api.add_router("", oversight.router)
api.add_router("", quality.router)
api.add_router("", reports.router)
api.add_router("", campaigns.router)
