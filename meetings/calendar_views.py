"""Schedules, the calendars of a cell and of a committee, and planning a meeting.

Calendars read a whole year in one query per kind of row (cells, meetings, rules),
whatever the number of cells, and classify each cell-month in Python: a committee
of 150 cells is 150 × 12 small dicts, not 1,800 queries.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.access import Cap, get_organization
from audit.log import record_denied
from lib.forms import apply_validation_error
from meetings import services
from meetings.calendar_forms import CommitteeScheduleForm, PlanForm, ScheduleForm
from meetings.models import (
    LOCKED_STATUSES,
    OPEN_STATUSES,
    REGULAR_KINDS,
    THEMATIC_KINDS,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ScheduleRule,
    Term,
)
from organizations.models import CELL_KINDS, CellType, Organization, subtree_q
from organizations.selectors import ancestors

# Rows of the committee grid per page: a commune or a province unit fits on one page,
# a whole province is paged.
GRID_PAGE_SIZE = 200
MAX_PRINT_YEARS = 6
NOT_HELD = (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)


# ---- the status of a meeting, and of a cell's month --------------------------------------


@dataclass(frozen=True)
class State:
    code: str
    symbol: str
    label: str


STATES = {
    s.code: s
    for s in (
        State("approved", "✓", gettext_lazy("Minutes approved")),
        State("held", "●", gettext_lazy("Held, minutes not yet approved")),
        State("planned", "○", gettext_lazy("Planned")),
        State("overdue", "?", gettext_lazy("Date passed, not recorded")),
        State("postponed", "↷", gettext_lazy("Postponed")),
        State("cancelled", "✕", gettext_lazy("Cancelled")),
        State("missing", "!", gettext_lazy("No regular meeting")),
        State("none", "·", gettext_lazy("Not planned yet")),
    )
}
# Which of a month's regular meetings speaks for it: the one that went furthest.
_RANK = {
    MeetingStatus.APPROVED: 0,
    MeetingStatus.ARCHIVED: 0,
    MeetingStatus.IN_PROGRESS: 1,
    MeetingStatus.NOTICE_SENT: 2,
    MeetingStatus.PREPARED: 2,
    MeetingStatus.PLANNED: 2,
    MeetingStatus.POSTPONED: 3,
    MeetingStatus.CANCELLED: 4,
}


def meeting_state(status: str, local_day: dt.date, today: dt.date) -> State:
    if status in LOCKED_STATUSES:
        return STATES["approved"]
    if status == MeetingStatus.IN_PROGRESS:
        return STATES["held"]
    if status in OPEN_STATUSES:
        return STATES["overdue" if local_day < today else "planned"]
    if status == MeetingStatus.POSTPONED:
        return STATES["postponed"]
    return STATES["cancelled"]


def state_html(state: State, url: str | None, tip: str) -> str:
    """A status as a symbol and a colour, its words for screen readers and on hover.

    Built with f-strings and the standard library's escape, not a template include or
    format_html: a 150-cell grid has 1,800 of them (includes cost ~0.5 s a page).
    Everything variable in it is escaped here.
    """
    tip = escape(tip)
    href = f' href="{escape(url)}"' if url else ""
    tag = "a" if url else "span"
    return (
        f'<{tag} class="cal-st st-{state.code}"{href} title="{tip}">'
        f'{state.symbol}<span class="sr"> {tip}</span></{tag}>'
    )


def month_state(rows: list[dict], year: int, month: int, today: dt.date):
    """(state, the meeting row that speaks for the month or None) from its regular meetings."""
    if rows:
        best = min(rows, key=lambda r: (_RANK.get(r["status"], 9), r["scheduled_at"]))
        return meeting_state(best["status"], best["day"], today), best
    return STATES["missing" if dt.date(year, month, 1) <= today else "none"], None


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _month(request) -> int | None:
    try:
        month = int(request.GET.get("month", ""))
    except ValueError:
        return None
    return month if 1 <= month <= 12 else None


def _cell(request, uuid, cap: Cap) -> Organization:
    org = get_organization(request.scope, uuid, cap)
    if not org.is_cell:
        raise Http404
    return org


def readable_cell(request, uuid) -> Organization:
    """A cell the user reads through a role, or their own cell as a plain member (else 404)."""
    member_id = request.scope.self_member_id
    if request.scope.has_org_access or not member_id:
        # A role: the scoped lookup (which records a refusal in the audit trail), then, rarely,
        # the user's own cell outside the role's subtree.
        try:
            return _cell(request, uuid, Cap.VIEW)
        except Http404:
            if not member_id:
                raise
    # A plain member reads only their own cell: no scoped lookup that would log a refusal.
    try:
        org = Organization.objects.filter(uuid=uuid, home_members__pk=member_id).first()
    except (ValidationError, ValueError) as e:
        raise Http404 from e
    if org is None or not org.is_cell:
        if not request.scope.has_org_access:  # a role's refusal was recorded by the loader
            record_denied("organization", uuid, "not_found")
        raise Http404
    return org


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


# ---- a cell's schedule ----------------------------------------------------------------


def _first_of_next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)


def _set_cell_schedule(cell, d: dict, today: dt.date, user):
    """Set the rule; with `generate`, plan its meetings to the end of the year: (n, end) or None."""
    services.set_schedule(
        cell,
        day_of_month=d["day_of_month"],
        time=d["time"],
        place=d["place"],
        valid_from=d["valid_from"],
        valid_to=d["valid_to"],
        user=user,
    )
    if not d["generate"]:
        return None
    start = max(d["valid_from"], today)
    end = dt.date(start.year, 12, 31)
    if d["valid_to"]:
        end = min(end, d["valid_to"])
    return (services.generate_regular_meetings(cell, start, end) if start <= end else 0), end


@login_required
def cell_schedule(request, uuid):
    cell = _cell(request, uuid, Cap.MANAGE_MEMBERS)
    today = timezone.localdate()
    rules = list(cell.schedule_rules.select_related("created_by").order_by("-valid_from"))
    current = next(
        (r for r in rules if r.valid_from <= today and (r.valid_to is None or r.valid_to >= today)),
        None,
    )
    if request.method == "POST":
        form = ScheduleForm(request.POST)
        if form.is_valid() and cell.is_active:
            d = form.cleaned_data
            try:
                # The rule and its meetings together: an error leaves neither.
                with transaction.atomic():
                    created = _set_cell_schedule(cell, d, today, request.user)
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(
                    request,
                    _("The schedule is saved: day %(day)s of each month at %(time)s, %(place)s.")
                    % {
                        "day": d["day_of_month"],
                        "time": d["time"].strftime("%H:%M"),
                        "place": d["place"].strip(),
                    },
                )
                if created is not None:
                    n, end = created
                    messages.success(
                        request,
                        ngettext(
                            "%(n)s regular meeting planned up to %(end)s.",
                            "%(n)s regular meetings planned up to %(end)s.",
                            n,
                        )
                        % {"n": n, "end": end.strftime("%d/%m/%Y")},
                    )
                return redirect("meetings:cell_schedule", uuid=cell.uuid)
        elif not cell.is_active:
            form.add_error(None, _("%(name)s has been dissolved.") % {"name": cell.name})
    else:
        initial = {"valid_from": _first_of_next_month(today), "generate": True}
        if current:
            initial.update(
                day_of_month=current.day_of_month, time=current.time, place=current.place
            )
        form = ScheduleForm(initial=initial)
    upcoming = list(
        cell.meetings.filter(
            kind__in=REGULAR_KINDS, status__in=OPEN_STATUSES, scheduled_at__gte=timezone.now()
        ).order_by("scheduled_at")[:3]
    )
    return render(
        request,
        "meetings/calendar/schedule.html",
        {
            "cell": cell,
            "ancestors": ancestors(cell),
            "form": form,
            "rules": rules,
            "current": current,
            "today": today,
            "upcoming": upcoming,
        },
    )


# ---- a committee's schedule for a term -------------------------------------------------------


def _active_cells(committee: Organization):
    # The same set as services.set_schedule_for_cells.
    return Organization.objects.filter(
        subtree_q(committee.path), kind__in=CELL_KINDS, dissolved_on__isnull=True
    )


def _current_term(org: Organization, today: dt.date) -> Term | None:
    return (
        Term.objects.filter(organization=org, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("-start_date")
        .first()
    )


@login_required
def committee_schedule(request, uuid):
    committee = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    today = timezone.localdate()
    cells = _active_cells(committee)
    n_cells = cells.count()
    if request.method == "POST":
        form = CommitteeScheduleForm(request.POST)
        if form.is_valid() and not n_cells:
            form.add_error(
                None, _("There is no active cell under %(name)s.") % {"name": committee.name}
            )
        if form.is_valid():
            d = form.cleaned_data
            try:
                created = services.set_schedule_for_cells(
                    committee,
                    day_of_month=d["day_of_month"],
                    time=d["time"],
                    place=d["place"],
                    valid_from=d["valid_from"],
                    valid_to=d["valid_to"],
                    user=request.user,
                )
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The schedule is set for %(cells)s cell from %(start)s to %(end)s.",
                        "The schedule is set for %(cells)s cells from %(start)s to %(end)s.",
                        n_cells,
                    )
                    % {
                        "cells": n_cells,
                        "start": d["valid_from"].strftime("%d/%m/%Y"),
                        "end": d["valid_to"].strftime("%d/%m/%Y"),
                    }
                    + " "
                    + ngettext(
                        "%(n)s regular meeting was planned.",
                        "%(n)s regular meetings were planned.",
                        created,
                    )
                    % {"n": created},
                )
                return redirect("meetings:committee_schedule", uuid=committee.uuid)
    else:
        term = _current_term(committee, today)
        initial = {"time": dt.time(19, 30)}
        if term:
            initial.update(valid_from=term.start_date, valid_to=term.end_date)
        else:
            initial.update(
                valid_from=_first_of_next_month(today), valid_to=dt.date(today.year + 1, 12, 31)
            )
        form = CommitteeScheduleForm(initial=initial)
    # What the cells follow today, grouped: "32 cells: day 5 at 19:30".
    in_force = list(
        ScheduleRule.objects.filter(organization__in=cells, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values("day_of_month", "time")
        .annotate(n=Count("organization", distinct=True))
        .order_by("-n", "day_of_month", "time")
    )
    without = n_cells - sum(r["n"] for r in in_force)
    return render(
        request,
        "meetings/calendar/committee_schedule.html",
        {
            "committee": committee,
            "ancestors": ancestors(committee),
            "form": form,
            "n_cells": n_cells,
            "in_force": in_force,
            "without": max(without, 0),
        },
    )


# ---- the calendar of a cell -----------------------------------------------------------------


@login_required
def cell_calendar(request, uuid):
    cell = readable_cell(request, uuid)
    scope = request.scope
    year = _year(request)
    today = timezone.localdate()
    meetings = list(
        scope.meetings()
        .filter(organization=cell, period_year=year)
        .select_related("prepares")
        .order_by("scheduled_at", "id")
    )
    by_month = defaultdict(list)
    for m in meetings:
        m.local = _local(m.scheduled_at)
        m.state = meeting_state(m.status, m.local.date(), today)
        by_month[m.period_month].append(m)
    quarters = []
    for q in range(1, 5):
        months = []
        for month in range(3 * q - 2, 3 * q + 1):
            rows = by_month.get(month, [])
            months.append(
                {
                    "month": month,
                    "meetings": rows,
                    "no_regular": not any(
                        m.kind in REGULAR_KINDS and m.status not in NOT_HELD for m in rows
                    ),
                    "past": dt.date(year, month, 1) <= today,
                }
            )
        thematic = any(
            m.kind in THEMATIC_KINDS and m.status not in NOT_HELD
            for mo in months
            for m in mo["meetings"]
        )
        quarters.append({"quarter": q, "months": months, "no_thematic": not thematic})
    return render(
        request,
        "meetings/calendar/cell_calendar.html",
        {
            "cell": cell,
            "ancestors": ancestors(cell) if scope.can(Cap.VIEW, cell) else [],
            "year": year,
            "quarters": quarters,
            "count": len(meetings),
            "can_manage": scope.can(Cap.MANAGE_MEMBERS, cell) and cell.is_active,
            "states": STATES.values(),
        },
    )


# ---- the calendar of a committee ------------------------------------------------------------


def _grid_cells(request, committee: Organization, start: dt.date, end: dt.date, cell_type=""):
    """The committee's cells that existed between the dates, grouped under their parent, sorted."""
    qs = (
        request.scope.organizations()
        .filter(subtree_q(committee.path), kind__in=CELL_KINDS)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start))
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
    )
    if cell_type:
        qs = qs.filter(cell_type=cell_type)
    cells = list(
        qs.only("id", "uuid", "name", "path", "sort_key", "cell_type", "kind", "dissolved_on")
    )
    step = Organization.steplen
    parent_paths = {c.path[:-step] for c in cells if c.pk != committee.pk}
    parents = {
        p.path: p
        for p in Organization.objects.filter(path__in=parent_paths).only(
            "id", "name", "path", "sort_key"
        )
    }
    for c in cells:
        c.parent = parents.get(c.path[:-step]) if c.pk != committee.pk else None
    cells.sort(
        key=lambda c: (
            c.parent is not None and c.parent.pk != committee.pk,
            c.parent.sort_key if c.parent else "",
            c.parent.path if c.parent else "",
            c.sort_key,
        )
    )
    return cells


@login_required
def committee_calendar(request, uuid):
    scope = request.scope
    committee = get_organization(scope, uuid)
    year, month = _year(request), _month(request)
    cell_type = request.GET.get("type", "")
    if cell_type not in CellType.values:
        cell_type = ""
    today = timezone.localdate()
    cells = _grid_cells(request, committee, dt.date(year, 1, 1), dt.date(year, 12, 31), cell_type)
    page = Paginator(cells, GRID_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    meetings = scope.meetings().filter(organization_id__in=[c.pk for c in rows], period_year=year)
    if month:
        meetings = meetings.filter(period_month=month)
    else:
        meetings = meetings.filter(kind__in=REGULAR_KINDS)
    # One query; the detail address is built from a template rather than reversed 1,800 times.
    url_of = reverse("meetings:detail", args=["00000000-0000-0000-0000-000000000000"])
    regular = defaultdict(list)
    others = defaultdict(list)
    for m in meetings.order_by("scheduled_at").values(
        "organization_id", "period_month", "status", "kind", "uuid", "scheduled_at", "place"
    ):
        local = _local(m["scheduled_at"])
        m["day"], m["local"] = local.date(), local
        m["url"] = url_of.replace("00000000-0000-0000-0000-000000000000", str(m["uuid"]))
        if m["kind"] in REGULAR_KINDS:
            regular[(m["organization_id"], m["period_month"])].append(m)
        elif month:
            m["kind_label"] = MeetingKind(m["kind"]).label
            m["state"] = meeting_state(m["status"], m["day"], today)
            others[m["organization_id"]].append(m)
    months = [month] if month else list(range(1, 13))
    totals = {mo: defaultdict(int) for mo in months}
    labels = {code: str(s.label) for code, s in STATES.items()}
    previous_parent = object()
    for c in rows:
        c.months = []
        for mo in months:
            state, meeting = month_state(regular.get((c.pk, mo), []), year, mo, today)
            if meeting:
                tip = f"{meeting['local']:%d/%m/%Y %H:%M}: {labels[state.code]}"
            else:
                tip = f"{mo:02d}/{year}: {labels[state.code]}"
            html = mark_safe(state_html(state, meeting and meeting["url"], tip))
            c.months.append({"month": mo, "state": state, "meeting": meeting, "html": html})
            totals[mo][state.code] += 1
        c.grid_html = mark_safe("".join(f"<td>{e['html']}</td>" for e in c.months))
        c.others = others.get(c.pk, [])
        c.group_start = c.parent != previous_parent
        previous_parent = c.parent
    grouped = any(c.parent is not None and c.parent.pk != committee.pk for c in rows)
    query = {"year": year, "type": cell_type}
    if month:
        query["month"] = month
    querystring = "&".join(f"{k}={v}" for k, v in query.items() if v) + "&"
    return render(
        request,
        "meetings/calendar/committee_calendar.html",
        {
            "committee": committee,
            "ancestors": ancestors(committee),
            "year": year,
            "month": month,
            "months": months,
            "month_choices": range(1, 13),
            "cell_type": cell_type,
            "cell_types": CellType.choices,
            "page": page,
            "rows": rows,
            "grouped": grouped,
            "totals": [
                {
                    "month": mo,
                    "done": totals[mo]["approved"] + totals[mo]["held"],
                    "missing": sum(
                        totals[mo][code]
                        for code in ("missing", "overdue", "cancelled", "postponed")
                    ),
                }
                for mo in months
            ],
            "n_cells": len(cells),
            "states": STATES.values(),
            "querystring_base": querystring,
            "can_schedule": scope.can(Cap.MANAGE_STRUCTURE, committee) and committee.is_active,
        },
    )


# ---- the printable yearly calendar of a committee's cells --------------------------------------


def _print_years(request, committee: Organization, today: dt.date) -> list[int]:
    if "year" in request.GET:
        first = _year(request)
        try:
            last = int(request.GET.get("to", first))
        except ValueError:
            last = first
    else:
        term = _current_term(committee, today)
        first = term.start_date.year if term else today.year
        last = term.end_date.year if term and term.end_date else first
    last = min(max(last, first), first + MAX_PRINT_YEARS - 1)
    return list(range(first, last + 1))


@login_required
def committee_yearly(request, uuid):
    """The yearly meeting calendar of the cells, for a year or a whole term, to print and sign."""
    committee = get_organization(request.scope, uuid)
    today = timezone.localdate()
    years = _print_years(request, committee, today)
    start, end = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    cells = _grid_cells(request, committee, start, end)
    ids = [c.pk for c in cells]
    rules = defaultdict(list)
    for r in ScheduleRule.objects.filter(organization_id__in=ids, valid_from__lte=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    ):
        rules[r.organization_id].append(r)
    held = {}
    for m in (
        request.scope.meetings()
        .filter(organization_id__in=ids, kind__in=REGULAR_KINDS, period_year__in=years)
        .exclude(status__in=NOT_HELD)
        .order_by("-scheduled_at")
        .values("organization_id", "period_year", "period_month", "scheduled_at")
    ):
        held[(m["organization_id"], m["period_year"], m["period_month"])] = _local(
            m["scheduled_at"]
        )

    def rule_on(cell_rules, day):
        return next(
            (
                r
                for r in sorted(cell_rules, key=lambda r: r.valid_from, reverse=True)
                if r.valid_from <= day and (r.valid_to is None or r.valid_to >= day)
            ),
            None,
        )

    tables = []
    for year in years:
        lines = []
        for c in cells:
            months = []
            for mo in range(1, 13):
                when = held.get((c.pk, year, mo))
                rule = rule_on(rules[c.pk], dt.date(year, mo, 1)) or rule_on(
                    rules[c.pk], dt.date(year, mo, 28)
                )
                if when:
                    months.append({"day": when.day, "time": when.time(), "rule": rule})
                elif rule:
                    months.append({"day": rule.day_of_month, "time": rule.time, "rule": rule})
                else:
                    months.append(None)
            rule = rule_on(rules[c.pk], dt.date(year, 12, 31)) or rule_on(
                rules[c.pk], dt.date(year, 1, 1)
            )
            for mo in months:
                if mo:
                    mo["other_time"] = rule is not None and mo["time"] != rule.time
            lines.append({"cell": c, "rule": rule, "months": months})
        tables.append({"year": year, "lines": lines})
    return render(
        request,
        "meetings/calendar/committee_yearly.html",
        {
            "committee": committee,
            "years": years,
            "tables": tables,
            "today": today,
            "month_numbers": range(1, 13),
        },
    )


# ---- planning a meeting ------------------------------------------------------------------------


@login_required
def plan(request, uuid):
    cell = _cell(request, uuid, Cap.MANAGE_MEMBERS)
    if request.method == "POST":
        form = PlanForm(request.POST, cell=cell)
        if form.is_valid():
            d = form.cleaned_data
            try:
                meeting = services.plan_meeting(
                    cell,
                    kind=d["kind"],
                    scheduled_at=d["scheduled_at"],
                    place=d["place"].strip(),
                    title=d["title"].strip(),
                    topic=d["topic"].strip(),
                    prepares=d["prepares"],
                    user=request.user,
                )
            except ValidationError as e:
                apply_validation_error(form, e, rename={"scheduled_at": "date"})
            else:
                messages.success(
                    request,
                    _("%(meeting)s is planned on %(when)s.")
                    % {
                        "meeting": meeting.display_title,
                        "when": _local(meeting.scheduled_at).strftime("%d/%m/%Y %H:%M"),
                    },
                )
                return redirect("meetings:detail", uuid=meeting.uuid)
    else:
        rule = services.rule_on(cell, timezone.localdate())
        initial = {"kind": request.GET.get("kind", MeetingKind.THEMATIC)}
        if rule:
            initial.update(time=rule.time, place=rule.place)
        form = PlanForm(initial=initial, cell=cell)
        if request.GET.get("prepares"):
            # "Plan its committee meeting" from a regular meeting: preselect it.
            try:
                form.initial["prepares"] = form.fields["prepares"].queryset.get(
                    uuid=request.GET["prepares"]
                )
                form.initial["kind"] = MeetingKind.COMMITTEE
            except (Meeting.DoesNotExist, ValidationError, ValueError):
                pass
    return render(
        request,
        "meetings/calendar/plan.html",
        {"cell": cell, "ancestors": ancestors(cell), "form": form},
    )
