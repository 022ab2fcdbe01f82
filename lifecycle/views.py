"""The member's "status, card and badges" page, its forms, and two lists per organization.

Reading needs Cap.VIEW on the member (or the organization); recording a decision, a card event,
a badge or an interruption needs Cap.MANAGE_STRUCTURE: they are committee decisions. Outside
the user's scope everything is 404 (accounts.access).
"""

import datetime as dt
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.access import Cap, get_member, get_organization
from audit import log as audit_log
from dues.services import months_unpaid, paid_until
from lib.forms import apply_validation_error
from lifecycle import selectors, services
from lifecycle.forms import BadgeAwardForm, CardEventForm, DecisionForm, InterruptionForm
from lifecycle.models import ALLOWED_FROM, CardEventKind
from members.models import MemberStatus
from organizations.models import Organization
from organizations.selectors import ancestors

BADGE_PAGE = 200


def _member_url(member):
    return redirect("lifecycle:member", uuid=member.uuid)


@never_cache
@login_required
def member_page(request, uuid):
    scope = request.scope
    member = get_member(scope, uuid)
    today = timezone.localdate()
    decisions = list(member.status_decisions.select_related("deciding_organization"))
    card_events = list(member.card_events.all())
    awards = list(member.badge_awards.all())
    interruptions = list(member.interruptions.all())
    interrupted = sum(i.days for i in interruptions)
    start = member.party_age_start
    next_award = selectors.next_award_date(today)
    badge = None
    if start:
        awarded = max((a.years for a in awards), default=0)
        level = selectors.highest_badge(start, interrupted, next_award)
        if level and level > awarded:
            badge = {
                "years": level,
                "reached_on": selectors.badge_reached_on(start, level, interrupted),
                "on": next_award,
            }
    ended_ids = {d.ends_id for d in decisions if d.ends_id}
    # A temporary exemption or suspension whose period is over but not yet ended by a decision.
    overdue = [
        d
        for d in decisions
        if d.end_date
        and d.end_date < today
        and d.pk not in ended_ids
        and member.status in (MemberStatus.EXEMPT, MemberStatus.SUSPENDED)
    ]
    can_manage = scope.can(Cap.MANAGE_STRUCTURE, member.organization)
    audit_log.record_view(member, "lifecycle")
    return render(
        request,
        "lifecycle/member.html",
        {
            "member": member,
            "person": member.person,
            "decisions": decisions,
            "ended_ids": ended_ids,
            "overdue": overdue,
            "card_events": card_events,
            "card_state": services.card_state(member, card_events),
            "awards": awards,
            "interruptions": interruptions,
            "party_age": selectors.party_age(start, interrupted, today) if start else None,
            "badge_due": badge,
            "year": today.year,
            "absent_months": selectors.member_unexcused_months(member, today.year),
            # Dues not paid without reason count toward the same trigger (dues app).
            "unpaid_months": months_unpaid(member, today.year, today),
            "paid_until": paid_until(member),
            "strike_off_months": selectors.STRIKE_OFF_MONTHS,
            "can_manage": can_manage,
            "can_decide": can_manage
            and any(member.status in allowed for allowed in ALLOWED_FROM.values()),
            "can_view_cell": scope.can(Cap.VIEW, member.organization),
        },
    )


def _form_page(request, member, form, title, intro=""):
    return render(
        request,
        "lifecycle/form.html",
        {"member": member, "form": form, "title": title, "intro": intro},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request, uuid):
    member = get_member(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    cell = member.organization
    organizations = Organization.objects.filter(
        pk__in=[o.pk for o in ancestors(cell)] + [cell.pk]
    ).order_by("-depth")
    form = DecisionForm(
        request.POST or None,
        member=member,
        organizations=organizations,
        initial={"kind": request.GET.get("kind", "")},
    )
    if member.status == MemberStatus.LEFT:
        messages.error(request, _("This member has left the Party: no further status decision."))
        return _member_url(member)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.record_decision(member, **form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("Recorded: %(what)s.") % {"what": decision.get_kind_display()},
            )
            return _member_url(member)
    return _form_page(request, member, form, _("Record a status decision"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def card_event_new(request, uuid):
    member = get_member(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    state = services.card_state(member, member.card_events.all())
    form = CardEventForm(request.POST or None, state=state)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["kind"] == CardEventKind.ISSUE:
                services.issue_card(
                    member,
                    card_no=d["card_no"],
                    series=d["series"],
                    date=d["date"],
                    decision_no=d["decision_no"],
                    note=d["note"],
                )
            elif d["kind"] == CardEventKind.LOSS:
                services.report_card_loss(member, date=d["date"], note=d["note"])
            else:
                services.replace_card(
                    member,
                    card_no=d["card_no"],
                    series=d["series"],
                    date=d["date"],
                    decision_no=d["decision_no"],
                    note=d["note"],
                )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("The card register is updated."))
            return _member_url(member)
    return _form_page(request, member, form, _("Record a party card event"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def badge_new(request, uuid):
    member = get_member(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    initial = {"award_date": selectors.next_award_date(timezone.localdate())}
    if request.GET.get("years", "").isdigit():
        initial["years"] = int(request.GET["years"])
    form = BadgeAwardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.award_badge(member, **form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request, _("Recorded: the %(n)s-year party badge.") % {"n": award.years}
            )
            return _member_url(member)
    return _form_page(request, member, form, _("Record a party badge award"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def interruption_new(request, uuid):
    member = get_member(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    form = InterruptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_interruption(member, **form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("The interruption of party age is recorded."))
            return _member_url(member)
    return _form_page(
        request,
        member,
        form,
        _("Record an interruption of party age"),
        _("Periods without party activity do not count towards party age (tuổi đảng)."),
    )


# ---- per organization -------------------------------------------------------------------


@never_cache
@login_required
def strike_off(request, uuid):
    org = get_organization(request.scope, uuid)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 1990), today.year)
    return render(
        request,
        "lifecycle/strike_off.html",
        {
            "org": org,
            "ancestors": ancestors(org),
            "year": year,
            "prev_year": year - 1,
            "next_year": year + 1 if year < today.year else None,
            "flags": selectors.strike_off_flags(org, year),
            "months": selectors.STRIKE_OFF_MONTHS,
            "statuses": MemberStatus.choices,
        },
    )


@never_cache
@login_required
def badges_due(request, uuid):
    org = get_organization(request.scope, uuid)
    dates = selectors.award_dates_from(timezone.localdate())
    on = dates[0]
    try:
        wanted = dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        wanted = None
    if wanted in dates:
        on = wanted
    due = selectors.badges_due(org, on)
    # A province has thousands due on 3/2 or 19/5: a page of BADGE_PAGE rows, and the totals
    # per badge level on top for the award decision.
    page = Paginator(due, BADGE_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "lifecycle/badges_due.html",
        {
            "org": org,
            "ancestors": ancestors(org),
            "on": on,
            "dates": dates,
            "due": page.object_list,
            "page": page,
            "total": len(due),
            "per_badge": sorted(Counter(d.badge for d in due).items()),
            "querystring_base": f"on={on.isoformat()}&",
            "can_manage": request.scope.can(Cap.MANAGE_STRUCTURE, org),
        },
    )
