"""Visits to cells: the supervisor's schedule (Lịch dự sinh hoạt), registering for a meeting,
the visit and its report, cancelling; the visits of a committee's cells this quarter against the
visit rule, a cell's visits, and the rule's form. Rules: oversight/services.py."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import Cap, get_organization, get_visit, visit_can
from lib.forms import apply_validation_error
from lib.text import vn_date
from meetings.models import OPEN_STATUSES, Meeting, MeetingStatus
from organizations.models import Organization, subtree_q
from organizations.selectors import ancestors
from oversight import following, services
from oversight.forms import CancelForm, PlanDateForm, PolicyForm, ReportForm
from oversight.models import Visit, VisitKind, VisitStatus
from quality import services as quality_services

# The schedule shows meetings from a month back (to report on one just attended) to two ahead.
SCHEDULE_BACK = dt.timedelta(days=30)
SCHEDULE_AHEAD = dt.timedelta(days=60)


def committee_or_404(request, uuid, cap: Cap = Cap.VIEW) -> Organization:
    org = get_organization(request.scope, uuid, cap)
    if org.is_cell:
        raise Http404
    return org


def cell_or_404(request, uuid, cap: Cap = Cap.VIEW) -> Organization:
    org = get_organization(request.scope, uuid, cap)
    if not org.is_cell:
        raise Http404
    return org


def _quarter(request) -> tuple[int, int]:
    year, quarter = services.quarter_of(timezone.localdate())
    try:
        y = int(request.GET.get("year", year))
        q = int(request.GET.get("quarter", quarter))
    except ValueError:
        return year, quarter
    if 2000 <= y <= 2100 and q in (1, 2, 3, 4):
        return y, q
    return year, quarter


def _meeting_for_visit(request, uuid) -> tuple[Meeting, list]:
    """A meeting the user may visit: they follow its cell on its day or hold a role above it.
    A meeting they see but may not visit is a 403; one they do not see, a 404."""
    meeting = Meeting.objects.select_related("organization").filter(uuid=uuid).first()
    if meeting is None:
        raise Http404
    ways = following.ways(request.user, meeting.organization, meeting.local_date)
    if ways:
        return meeting, ways
    if request.scope.meetings().filter(pk=meeting.pk).exists():
        raise PermissionDenied
    raise Http404


def _sees_meeting(scope, meeting) -> bool:
    return meeting is not None and scope.meetings().filter(pk=meeting.pk).exists()


def _score_links(scope, user, meeting) -> dict:
    """The meeting's quality score (the quality part's), and whether this user may confirm it
    (quality.services.may_confirm): a link to its page, never a second scoring form here."""
    out = {"score": None, "may_confirm": False, "score_url": None}
    if meeting is None:
        return out
    # The reverse one-to-one raises an AttributeError subclass when there is no score.
    out["score"] = getattr(meeting, "quality", None)
    out["may_confirm"] = bool(quality_services.may_confirm(scope, user, meeting))
    for name in ("quality:confirm", "quality:score"):
        try:
            out["score_url"] = reverse(name, args=[meeting.uuid])
            break
        except NoReverseMatch:
            continue
    return out


# ---- the supervisor's schedule ----------------------------------------------------------------


@never_cache
@login_required
def schedule(request):
    """The meetings of the cells the user follows, a month back and two ahead, with their
    registration or report; their own visits."""
    today = timezone.localdate()
    first, last = today - SCHEDULE_BACK, today + SCHEDULE_AHEAD
    followed = following.followed_cells(request.user, first, last)
    meetings = list(
        Meeting.objects.filter(
            organization_id__in=followed,
            kind__in=services.VISITABLE_KINDS,
            scheduled_at__date__gte=first,
            scheduled_at__date__lte=last,
        )
        .exclude(status__in=(MeetingStatus.CANCELLED, MeetingStatus.POSTPONED))
        .select_related("organization")
        .order_by("scheduled_at")
    )
    visits = list(
        Visit.objects.filter(visitor=request.user)
        .select_related("cell", "meeting", "group")
        .order_by("-planned_on", "-pk")[:50]
    )
    mine = {v.meeting_id: v for v in visits if v.meeting_id and v.status != VisitStatus.CANCELLED}
    for m in meetings:
        m.my_visit = mine.get(m.pk)
        m.ways = sorted(VisitKind(k).label for k in followed.get(m.organization_id, ()))
        day = m.local_date
        m.can_register = m.my_visit is None and day >= today and m.status in OPEN_STATUSES
        m.can_report = m.my_visit is None and day <= today
    cells = {c.pk: c for c in Organization.objects.filter(pk__in=followed).order_by("sort_key")}
    return render(
        request,
        "oversight/schedule.html",
        {
            "today": today,
            "upcoming": [m for m in meetings if m.local_date >= today],
            "recent": [m for m in meetings if m.local_date < today][::-1],
            "visits": visits,
            "followed": [
                (c, sorted(VisitKind(k).label for k in followed[pk])) for pk, c in cells.items()
            ],
        },
    )


@login_required
@require_POST
def register(request, uuid):
    """Đăng ký dự: plan a visit to a meeting on the user's schedule."""
    meeting, ways = _meeting_for_visit(request, uuid)
    try:
        visit = services.plan_visit(meeting.organization, request.user, meeting=meeting)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect("oversight:schedule")
    messages.success(
        request,
        _("You are registered to attend %(cell)s on %(date)s.")
        % {"cell": meeting.organization.name, "date": vn_date(visit.planned_on)},
    )
    return redirect("oversight:schedule")


@never_cache
@login_required
def meeting_report(request, uuid):
    """Report on a meeting attended without registering first: the visit and its report at once."""
    meeting, ways = _meeting_for_visit(request, uuid)
    existing = (
        Visit.objects.filter(meeting=meeting, visitor=request.user)
        .exclude(status=VisitStatus.CANCELLED)
        .first()
    )
    if existing is not None:
        return redirect("oversight:visit_report", uuid=existing.uuid)
    probe = Visit(
        province_id=meeting.province_id,
        cell=meeting.organization,
        meeting=meeting,
        planned_on=meeting.local_date,
        kind=ways[0].kind,
    )
    rubric = services.rubric_for(probe)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                visit = services.plan_visit(
                    meeting.organization, request.user, meeting=meeting, send=False
                )
                services.report_visit(visit, **d, by=request.user)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("Your visit report is filed."))
            return redirect(visit.get_absolute_url())
    return render(
        request,
        "oversight/visit_report.html",
        {
            "form": form,
            "visit": None,
            "meeting": meeting,
            "cell": meeting.organization,
            "way": ways[0],
            "rubric": rubric,
            "sees_meeting": _sees_meeting(request.scope, meeting),
            **_score_links(request.scope, request.user, meeting),
        },
    )


# ---- one visit --------------------------------------------------------------------------------


@never_cache
@login_required
def visit(request, uuid):
    v = get_visit(request.scope, uuid)
    scope = request.scope
    return render(
        request,
        "oversight/visit.html",
        {
            "visit": v,
            "cell": v.cell,
            "ancestors": ancestors(v.cell) if scope.can(Cap.VIEW, v.cell) else [],
            "sees_meeting": _sees_meeting(scope, v.meeting),
            "can_report": visit_can(scope, v, "report"),
            "can_cancel": visit_can(scope, v, "cancel"),
            "cancel_form": CancelForm(),
            "notices": list(v.notices.all()) if scope.can(Cap.VIEW, v.cell) else [],
            **_score_links(scope, request.user, v.meeting),
        },
    )


@never_cache
@login_required
def visit_report(request, uuid):
    """The visitor files (or corrects) the report of a visit."""
    v = get_visit(request.scope, uuid, "report")
    rubric = services.rubric_for(v)
    initial = {
        "reported_on": v.reported_on or timezone.localdate(),
        "observed_total": v.observed_total,
        "observed_level": v.observed_level,
        "strengths": v.strengths,
        "shortcomings": v.shortcomings,
        "recommendations": v.recommendations,
    }
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_visit(v, **form.cleaned_data, by=request.user)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("Your visit report is filed."))
            return redirect(v.get_absolute_url())
    return render(
        request,
        "oversight/visit_report.html",
        {
            "form": form,
            "visit": v,
            "meeting": v.meeting,
            "cell": v.cell,
            "rubric": rubric,
            "sees_meeting": _sees_meeting(request.scope, v.meeting),
            **_score_links(request.scope, request.user, v.meeting),
        },
    )


@login_required
@require_POST
def visit_cancel(request, uuid):
    v = get_visit(request.scope, uuid, "cancel")
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect(v.get_absolute_url())
    try:
        services.cancel_visit(v, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("The visit is cancelled."))
    return redirect(v.get_absolute_url())


# ---- a committee's cells, a cell ---------------------------------------------------------------


@never_cache
@login_required
def committee_visits(request, uuid):
    """Visits to the committee's cells in a quarter against the visit rule: per cell, required,
    reported, missing; then the visits themselves."""
    committee = committee_or_404(request, uuid)
    year, quarter = _quarter(request)
    first, last = services.quarter_bounds(year, quarter)
    due = services.visits_due(committee, year, quarter)
    due.sort(key=lambda d: (d.missing == 0, d.cell.sort_key))
    visits = list(
        Visit.objects.filter(
            subtree_q(committee.path, "cell__"), planned_on__gte=first, planned_on__lte=last
        )
        .select_related("cell", "visitor", "meeting")
        .order_by("planned_on", "pk")
    )
    prev_q = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    next_q = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return render(
        request,
        "oversight/visits_committee.html",
        {
            "org": committee,
            "ancestors": ancestors(committee),
            "year": year,
            "quarter": quarter,
            "first": first,
            "last": last,
            "prev_q": prev_q,
            "next_q": next_q,
            "due": due,
            "visited": sum(1 for d in due if d.done),
            "complete": sum(1 for d in due if d.missing == 0),
            "required": services.visits_required(committee, last),
            "visits": visits,
            "can_manage": request.scope.can(Cap.MANAGE_STRUCTURE, committee),
        },
    )


@never_cache
@login_required
def cell_visits(request, uuid):
    """Every visit to a cell, latest first, and this quarter against the rule; those who
    follow the cell may plan a visit on a day without a meeting."""
    cell = cell_or_404(request, uuid)
    return _cell_visits_page(request, cell)


@login_required
@require_POST
def cell_plan(request, uuid):
    """Plan a visit to the cell on a date (no meeting): the cell's page with the error, or
    back to it with the visit planned."""
    cell = cell_or_404(request, uuid)
    if not following.ways(request.user, cell, timezone.localdate()):
        raise PermissionDenied
    form = PlanDateForm(request.POST)
    if form.is_valid():
        try:
            visit = services.plan_visit(
                cell, request.user, planned_on=form.cleaned_data["planned_on"]
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("You are registered to attend %(cell)s on %(date)s.")
                % {"cell": cell.name, "date": vn_date(visit.planned_on)},
            )
            return redirect(visit.get_absolute_url())
    return _cell_visits_page(request, cell, form)


def _cell_visits_page(request, cell, plan_form=None):
    today = timezone.localdate()
    year, quarter = services.quarter_of(today)
    first, last = services.quarter_bounds(year, quarter)
    visits = list(
        cell.visits.select_related("visitor", "meeting", "group").order_by("-planned_on", "-pk")[
            :200
        ]
    )
    done = sum(
        1 for v in visits if v.status == VisitStatus.REPORTED and first <= v.planned_on <= last
    )
    return render(
        request,
        "oversight/visits_cell.html",
        {
            "org": cell,
            "ancestors": ancestors(cell),
            "visits": visits,
            "year": year,
            "quarter": quarter,
            "required": services.visits_required(cell, last),
            "done": done,
            "plan_form": plan_form
            or (PlanDateForm() if following.ways(request.user, cell, today) else None),
        },
    )


@never_cache
@login_required
def policy(request, uuid):
    """The committee's visit rule: its history and the form to set it from a date."""
    committee = committee_or_404(request, uuid, Cap.MANAGE_STRUCTURE)
    today = timezone.localdate()
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.set_policy(
                committee, d["visits_per_quarter"], d["effective_from"], by=request.user
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("From %(date)s each cell is to be visited at least %(n)s times a quarter.")
                % {"date": vn_date(d["effective_from"]), "n": d["visits_per_quarter"]},
            )
            return redirect("oversight:committee_visits", uuid=committee.uuid)
    return render(
        request,
        "oversight/policy.html",
        {
            "org": committee,
            "ancestors": ancestors(committee),
            "form": form,
            "policies": list(committee.visit_policies.all()),
            "required": services.visits_required(committee, today),
            "own": services.policy_in_force(committee, today),
        },
    )
