"""The compliance board of a committee, its reminders, and the monthly report on attending
cell meetings (issue 5 items 4 and 5).

Readers of the committee (Cap.VIEW) see the board and the report; its organization-board staff
(Cap.MANAGE_STRUCTURE) send reminders. Anything outside the user's scope is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from accounts.access import Cap, get_organization
from accounts.reauth import recent_auth
from meetings.calendar_views import STATES
from organizations.models import CellType, Organization
from organizations.selectors import ancestors
from oversight.board import PAGE_SIZE, Period, Problem, build_board, regroup, send_reminders
from oversight.report import build_report
from oversight.tasks import FORMATS, new_job
from spreadsheets import tasks as job_tasks

UNREACHABLE_SHOWN = 10


def _filters(params) -> tuple[str, str]:
    cell_type = params.get("type", "")
    if cell_type not in CellType.values:
        cell_type = ""
    problem = params.get("problem", "")
    if problem not in ("any", *Problem.LABELS):
        problem = ""
    return cell_type, problem


def _query(period: Period, cell_type: str = "", problem: str = "", page=None) -> str:
    params = {"year": period.year, "month": period.month}
    if cell_type:
        params["type"] = cell_type
    if problem:
        params["problem"] = problem
    if page and str(page) != "1":
        params["page"] = page
    return urlencode(params)


def _month_choices():
    return range(1, 13)


def _labels(period: Period) -> dict:
    """The words every row repeats, translated once rather than 200 times a page."""
    return {
        "regular": _("Regular meeting"),
        "minutes": _("Minutes"),
        "thematic": _("Thematic, Q%(q)s") % {"q": period.quarter},
        "visits": _("Visits, Q%(q)s") % {"q": period.quarter},
        "quality": _("Quality"),
        "todo": _("To do"),
        "dissolved": _("dissolved"),
        "approved": pgettext("board", "approved"),
        "not_approved": pgettext("board", "not approved"),
        "held": pgettext("board", "held"),
        "planned": pgettext("board", "planned"),
        "overdue": pgettext("board", "date passed, not recorded"),
        "none": pgettext("board", "none"),
        "not_yet": pgettext("board", "not yet"),
        "not_enough": pgettext("board", "not enough"),
        "not_visited": pgettext("board", "not visited"),
        "reported_required": _("reported / required"),
        "remind": _("Remind"),
        "no_email": _("no e-mail"),
    }


@login_required
def board(request, uuid):
    scope = request.scope
    committee = get_organization(scope, uuid)
    today = timezone.localdate()
    period = Period.parse(request.GET, today)
    cell_type, problem = _filters(request.GET)
    result = build_board(committee, period, cell_type=cell_type, today=today)
    rows = result.filtered(problem)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = regroup(list(page.object_list))
    return render(
        request,
        "oversight/board.html",
        {
            "committee": committee,
            "org": committee,
            "ancestors": ancestors(committee),
            "board": result,
            "period": period,
            "today": today,
            "due": period.quarter_due(today),
            "rows": shown,
            "page": page,
            "grouped": result.grouped,
            "totals": result.totals,
            "cell_type": cell_type,
            "cell_types": CellType.choices,
            "problem": problem,
            "problems": [(k, str(v)) for k, v in Problem.LABELS.items()],
            "month_choices": _month_choices(),
            "labels": _labels(period),
            "states": STATES.values(),
            "querystring_base": _query(period, cell_type, problem) + "&",
            "month_query": _query(period),
            "previous": _query(period.previous, cell_type, problem),
            "next": _query(period.next, cell_type, problem),
            "can_remind": scope.can(Cap.MANAGE_STRUCTURE, committee),
        },
    )


def _back(committee: Organization, params) -> str:
    period = Period.parse(params, timezone.localdate())
    cell_type, problem = _filters(params)
    url = reverse("oversight:board", args=[committee.uuid])
    return f"{url}?{_query(period, cell_type, problem, params.get('page'))}"


def _announce(request, sent) -> None:
    if sent.reminders:
        messages.success(
            request,
            ngettext(
                "%(n)s e-mail sent about %(cells)s cell.",
                "%(n)s e-mails sent about %(cells)s cells.",
                len(sent.reminders),
            )
            % {"n": sent.emails, "cells": len(sent.reminders)},
        )
        without = sorted({name for r in sent.reminders for name in r.without_email})
        if without:
            messages.warning(
                request,
                _("No e-mail address for: %(names)s. Remind them another way.")
                % {"names": ", ".join(without[:UNREACHABLE_SHOWN])},
            )
    if sent.unreachable:
        shown = sent.unreachable[:UNREACHABLE_SHOWN]
        text = "; ".join(f"{cell.name} ({', '.join(topics)})" for cell, topics in shown)
        more = len(sent.unreachable) - len(shown)
        if more:
            text += " " + ngettext("and %(n)s more cell", "and %(n)s more cells", more) % {
                "n": more
            }
        messages.warning(
            request,
            _(
                "Nobody is responsible to remind for: %(cells)s. Give the cell a secretary, or "
                "assign a committee member to follow it."
            )
            % {"cells": text},
        )
    if not sent.reminders and not sent.unreachable:
        messages.info(request, _("There is nothing to remind of."))


def _cell_below(scope, committee: Organization, uuid) -> Organization:
    """A cell in the committee's subtree (or the committee itself, a cell), else 404."""
    cell = get_organization(scope, uuid, Cap.MANAGE_STRUCTURE)
    if not cell.is_cell or not cell.path.startswith(committee.path):
        raise Http404
    return cell


@login_required
@require_POST
def remind(request, uuid):
    """Remind those responsible for one cell's problems (the "Nhắc việc" button of a row)."""
    scope = request.scope
    committee = get_organization(scope, uuid, Cap.MANAGE_STRUCTURE)
    cell = _cell_below(scope, committee, request.POST.get("cell"))
    today = timezone.localdate()
    period = Period.parse(request.POST, today)
    # The cell's row alone: the same rules as on the board, without reading the whole area.
    result = build_board(cell, period, today=today)
    result.committee = committee
    _announce(request, send_reminders(result, result.rows, by=request.user))
    return redirect(_back(committee, request.POST))


@login_required
@require_POST
def remind_all(request, uuid):
    """Remind those responsible for every cell with a problem on the board as filtered."""
    committee = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    today = timezone.localdate()
    period = Period.parse(request.POST, today)
    cell_type, problem = _filters(request.POST)
    result = build_board(committee, period, cell_type=cell_type, today=today)
    sent = send_reminders(result, result.filtered(problem or "any"), by=request.user)
    _announce(request, sent)
    return redirect(_back(committee, request.POST))


@login_required
def report(request, uuid):
    scope = request.scope
    org = get_organization(scope, uuid)
    today = timezone.localdate()
    period = Period.parse(request.GET, today)
    result = build_report(org, period, today=today)
    return render(
        request,
        "oversight/report.html",
        {
            "org": org,
            "committee": org,
            "ancestors": ancestors(org),
            "report": result,
            "period": period,
            "month_choices": _month_choices(),
            "previous": _query(period.previous),
            "next": _query(period.next),
            "month_query": _query(period),
            "can_export": scope.can(Cap.EXPORT, org),
        },
    )


@login_required
@recent_auth
@require_POST
def report_export(request, uuid):
    """Write the report as DOCX or XLSX in the background; the job page shows the progress."""
    org = get_organization(request.scope, uuid, Cap.EXPORT)
    fmt = request.POST.get("format", "")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Choose DOCX or XLSX."))
    period = Period.parse(request.POST, timezone.localdate())
    job = new_job(request.user, org, period, fmt, request.LANGUAGE_CODE)
    job_tasks.start(job)
    return redirect(job)
