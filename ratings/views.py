"""Review and rating pages: an organization's cycles and the form to open one, a cycle seen from
an organization inside it (members' reviews, counts per level against the cap, collectives),
and a member's review with the evidence panel and the form of each step.

Who may do what: opening and closing a cycle and the superior's decision need
Cap.MANAGE_STRUCTURE on the cycle's organization (the collective running the cycle is decided by
the committee above it); the cell proposal Cap.MANAGE_MEMBERS on the member's cell; the
self-review the member themself or their cell's managers. Out of scope → 404.
"""

from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import Cap, Level, get_organization
from audit import log as audit_log
from lib.downloads import docx_response
from lib.forms import apply_validation_error
from organizations.models import Organization, subtree_q
from organizations.selectors import ancestors
from ratings import documents, selectors, services
from ratings.forms import (
    AnswerComplaintForm,
    ComplaintForm,
    DecideForm,
    OpenCycleForm,
    ProposeForm,
    SelfReviewForm,
)
from ratings.models import (
    LEVELS_DESC,
    MemberReview,
    OrganizationReview,
    ReviewCycle,
    ReviewStatus,
)

PAGE_SIZE = 200
# The review page shows several step forms at once with the same field names (level, on,
# score): each gets its own ids so that every label points at its own field.
AUTO_ID = {key: f"{key}_%s" for key in ("self", "propose", "decide", "complain", "answer")}


def _prefixes(path: str) -> list[str]:
    step = Organization.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


# ---- an organization's cycles ------------------------------------------------------------


@never_cache
@login_required
def org_cycles(request, uuid):
    """The cycles that cover this organization (run by it or a committee above it) and those
    run inside it."""
    scope = request.scope
    org = get_organization(scope, uuid, Cap.VIEW)
    cycles = list(
        ReviewCycle.objects.filter(
            Q(organization__path__in=_prefixes(org.path)) | subtree_q(org.path, "organization__")
        )
        .select_related("organization")
        .order_by("-year", "-quarter", "organization__path")
    )
    for c in cycles:
        # Seen from this organization when it lies inside the cycle, else from the cycle's own.
        inside = org.path.startswith(c.organization.path)
        c.url = c.get_absolute_url(org if inside else None)
    return render(
        request,
        "ratings/org.html",
        {
            "org": org,
            "ancestors": ancestors(org),
            "cycles": cycles,
            "runs_reviews": org.kind in services.RUNS_REVIEWS,
            "can_open": org.kind in services.RUNS_REVIEWS
            and org.is_active
            and scope.can(Cap.MANAGE_STRUCTURE, org),
        },
    )


@never_cache
@login_required
def open_cycle(request, uuid):
    org = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    runs = org.kind in services.RUNS_REVIEWS
    today = timezone.localdate()
    form = OpenCycleForm(
        request.POST or None, initial={"year": today.year if today.month >= 10 else today.year - 1}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cycle = services.open_cycle(
                org,
                year=d["year"],
                quarter=d["quarter"],
                excellent_cap_percent=d["excellent_cap_percent"],
                cap_base=d["cap_base"],
                by=request.user,
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("The review of %(period)s is open: %(n)s members to rate.")
                % {
                    "period": cycle.period_label,
                    "n": cycle.member_reviews.exclude(status=ReviewStatus.EXCLUDED).count(),
                },
            )
            return redirect(cycle.get_absolute_url())
    return render(
        request,
        "ratings/open.html",
        {"org": org, "ancestors": ancestors(org), "form": form if runs else None},
    )


# ---- a cycle seen from an organization inside it --------------------------------------------


def _cycle_from(request, uuid, cycle_uuid):
    org = get_organization(request.scope, uuid, Cap.VIEW)
    try:
        cycle = ReviewCycle.objects.select_related("organization").get(uuid=cycle_uuid)
    except (ReviewCycle.DoesNotExist, ValidationError, ValueError) as e:
        raise Http404 from e
    if not org.path.startswith(cycle.organization.path):
        raise Http404
    return org, cycle


def _cell_counts(cycle, org):
    """Per cell of the subtree: reviews per status and level, and the cap; one grouped query.
    Also returns the rows for the collectives' suggestions."""
    grouped = (
        MemberReview.objects.filter(subtree_q(org.path, "cell__"), cycle=cycle)
        .values("cell_id", "cell__name", "cell__path", "status", "decided_level", "cell_level")
        .annotate(n=Count("pk"))
        .order_by("cell__path")
    )
    cells = {}
    rows = []
    for g in grouped:
        c = cells.setdefault(
            g["cell_id"],
            {
                "name": g["cell__name"],
                "total": 0,
                "excluded": 0,
                "decided": Counter(),
                "current": [],
            },
        )
        n = g["n"]
        c["total"] += n
        rows.append((g["cell__path"], g["status"], g["decided_level"], n))
        if g["status"] == ReviewStatus.EXCLUDED:
            c["excluded"] += n
            continue
        if g["decided_level"]:
            c["decided"][g["decided_level"]] += n
        c["current"] += [g["decided_level"] or g["cell_level"]] * n
    for c in cells.values():
        c["levels"] = [(lv, cycle.level_name(lv), c["decided"].get(lv, 0)) for lv in LEVELS_DESC]
        c["cap"] = services.cap_allowed(cycle, c["current"])
        c["over_cap"] = c["cap"] is not None and c["decided"].get("excellent", 0) > c["cap"]
    return list(cells.values()), rows


@never_cache
@login_required
def cycle_page(request, uuid, cycle):
    scope = request.scope
    org, cycle = _cycle_from(request, uuid, cycle)
    cells, rows = _cell_counts(cycle, org)
    reviews = (
        MemberReview.objects.filter(subtree_q(org.path, "cell__"), cycle=cycle)
        .select_related("member__person", "cell")
        .order_by("cell__path", "member__person__sort_key", "pk")
    )
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    collectives = list(
        OrganizationReview.objects.filter(subtree_q(org.path, "organization__"), cycle=cycle)
        .select_related("organization")
        .order_by("organization__path")
    )
    disciplined = services.disciplined_paths(
        cycle,
        MemberReview.objects.filter(subtree_q(org.path, "cell__"), cycle=cycle).values("member_id"),
    )
    for o in collectives:
        o.cycle = cycle
        o.computed = services.org_basis(o, rows, collectives, disciplined)
        o.suggested_name = cycle.level_name(o.computed["suggested"], "organization")
        o.decided_name = cycle.level_name(o.decided_level, "organization")
        o.may_decide = cycle.is_open and services.may_decide_org(scope, o)
    for r in page.object_list:
        r.names = {
            "self": cycle.level_name(r.self_level),
            "cell": cycle.level_name(r.cell_level),
            "decided": cycle.level_name(r.decided_level),
        }
    totals = defaultdict(int)
    for c in cells:
        for lv, _name, n in c["levels"]:
            totals[lv] += n
    return render(
        request,
        "ratings/cycle.html",
        {
            "org": org,
            "ancestors": ancestors(org),
            "cycle": cycle,
            "cells": cells,
            "page": page,
            "collectives": collectives,
            "totals": [(cycle.level_name(lv), totals[lv]) for lv in LEVELS_DESC],
            "levels": [(lv.value, cycle.level_name(lv, "organization")) for lv in LEVELS_DESC],
            "member_levels": [(lv.value, cycle.level_name(lv)) for lv in LEVELS_DESC],
            "today": timezone.localdate(),
            "can_close": cycle.is_open and scope.can(Cap.MANAGE_STRUCTURE, cycle.organization),
        },
    )


@never_cache
@login_required
def cycle_docx(request, uuid, cycle):
    """The report of the cycle (members and collectives per level) as a Word file, for the
    organization it is seen from: whoever sees the cycle page."""
    org, cycle = _cycle_from(request, uuid, cycle)
    return docx_response(
        documents.collective_docx(cycle, org), documents.cycle_filename(cycle, org)
    )


@login_required
@require_POST
def close(request, uuid, cycle):
    org, cycle = _cycle_from(request, uuid, cycle)
    if not request.scope.can(Cap.MANAGE_STRUCTURE, cycle.organization):
        raise PermissionDenied
    try:
        services.close_cycle(cycle, by=request.user)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    else:
        messages.success(
            request, _("The review of %(period)s is closed.") % {"period": cycle.period_label}
        )
    return redirect(cycle.get_absolute_url(org))


@login_required
@require_POST
def decide_org(request, uuid):
    scope = request.scope
    try:
        o = OrganizationReview.objects.select_related("cycle__organization", "organization").get(
            uuid=uuid
        )
    except (OrganizationReview.DoesNotExist, ValidationError, ValueError) as e:
        raise Http404 from e
    if scope.level_for(o.organization) < Level.READ:
        raise Http404
    if not services.may_decide_org(scope, o):
        raise PermissionDenied
    form = DecideForm(request.POST, cycle=o.cycle, subject="organization")
    target = o.cycle.get_absolute_url()
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.decide_org(o, level=d["level"], note=d["note"], on=d["on"], by=request.user)
        except ValidationError as e:
            for m in e.messages:
                messages.error(request, m)
        else:
            messages.success(
                request,
                _("%(org)s: %(level)s.")
                % {
                    "org": o.organization.name,
                    "level": o.cycle.level_name(d["level"], "organization"),
                },
            )
    else:
        for errs in form.errors.values():
            for m in errs:
                messages.error(request, m)
    return redirect(target)


# ---- a member's review -----------------------------------------------------------------------


def _load_review(scope, uuid) -> MemberReview:
    try:
        review = MemberReview.objects.select_related(
            "cycle__organization", "member__person", "member__organization", "cell"
        ).get(uuid=uuid)
    except (MemberReview.DoesNotExist, ValidationError, ValueError) as e:
        raise Http404 from e
    if (
        scope.level_for(review.cell) < Level.READ
        and scope.level_for(review.member.organization) < Level.READ
        and review.member_id != scope.self_member_id
    ):
        raise Http404
    return review


def _may(scope, review) -> dict:
    open_ = review.cycle.is_open
    managers = scope.can(Cap.MANAGE_MEMBERS, review.cell)
    return {
        "self": open_
        and (managers or review.member_id == scope.self_member_id)
        and review.status in (ReviewStatus.PENDING, ReviewStatus.SELF_REVIEWED),
        "propose": open_
        and managers
        and review.status in (ReviewStatus.SELF_REVIEWED, ReviewStatus.PROPOSED),
        "decide": open_
        and scope.can(Cap.MANAGE_STRUCTURE, review.cycle.organization)
        and review.status in (ReviewStatus.PROPOSED, ReviewStatus.DECIDED),
        # The member disputes the decision; the cell's managers may lodge it on their behalf
        # (many members are elderly and not online).
        "complain": open_
        and (managers or review.member_id == scope.self_member_id)
        and review.status == ReviewStatus.DECIDED,
        "answer": open_
        and scope.can(Cap.MANAGE_STRUCTURE, review.cycle.organization)
        and review.status == ReviewStatus.COMPLAINED,
    }


def _render_review(request, review, bound: dict | None = None):
    scope = request.scope
    bound = bound or {}
    cycle = review.cycle
    may = _may(scope, review)
    forms = {}
    if may["self"]:
        forms["self"] = bound.get("self") or SelfReviewForm(
            cycle=cycle,
            auto_id=AUTO_ID["self"],
            initial={
                "form_type": review.form_type,
                "results": review.results,
                "strengths": review.strengths,
                "shortcomings": review.shortcomings,
                "remedies": review.remedies,
                "self_level": review.self_level,
                "self_score": review.self_score,
            },
        )
    if may["propose"]:
        forms["propose"] = bound.get("propose") or ProposeForm(
            cycle=cycle,
            auto_id=AUTO_ID["propose"],
            initial={
                "level": review.cell_level or review.self_level,
                "score": review.score if review.score is not None else review.self_score,
                "votes_for": review.votes_for,
                "votes_eligible": review.votes_eligible,
                "comment": review.cell_comment,
            },
        )
    if may["decide"]:
        forms["decide"] = bound.get("decide") or DecideForm(
            cycle=cycle,
            auto_id=AUTO_ID["decide"],
            initial={
                "level": review.decided_level or review.cell_level,
                "note": review.decision_note,
            },
        )
    if may["complain"]:
        forms["complain"] = bound.get("complain") or ComplaintForm(auto_id=AUTO_ID["complain"])
    if may["answer"]:
        forms["answer"] = bound.get("answer") or AnswerComplaintForm(
            cycle=cycle,
            auto_id=AUTO_ID["answer"],
            initial={"level": review.decided_level, "score": review.score},
        )
    return render(
        request,
        "ratings/review.html",
        {
            "review": review,
            "cycle": cycle,
            "member": review.member,
            "evidence": selectors.evidence(cycle, [review.member_id])[review.member_id],
            "forms": forms,
            "names": {
                "self": cycle.level_name(review.self_level),
                "cell": cycle.level_name(review.cell_level),
                "decided": cycle.level_name(review.decided_level),
                "before": cycle.level_name(review.level_before_complaint),
            },
            "cycle_url": cycle.get_absolute_url(review.cell)
            if scope.level_for(review.cell) >= Level.READ
            else None,
            "history": list(
                review.history.select_related("history_user").order_by("-history_date")[:30]
            ),
        },
    )


@never_cache
@login_required
def review_page(request, uuid):
    review = _load_review(request.scope, uuid)
    audit_log.record_view(review.member, "rating", year=review.cycle.year)
    return _render_review(request, review)


@never_cache
@login_required
def review_docx(request, uuid):
    """The member's self-review on their form (2A/2B/2C) as a Word file, for whoever sees the
    review's page."""
    review = _load_review(request.scope, uuid)
    audit_log.record_view(review.member, "rating_docx", year=review.cycle.year)
    return docx_response(documents.self_review_docx(review), documents.review_filename(review))


def _step(request, uuid, key, form_class, act, done_message):
    review = _load_review(request.scope, uuid)
    scope = request.scope
    allowed = {
        "self": scope.can(Cap.MANAGE_MEMBERS, review.cell)
        or review.member_id == scope.self_member_id,
        "propose": scope.can(Cap.MANAGE_MEMBERS, review.cell),
        "decide": scope.can(Cap.MANAGE_STRUCTURE, review.cycle.organization),
        "complain": scope.can(Cap.MANAGE_MEMBERS, review.cell)
        or review.member_id == scope.self_member_id,
        "answer": scope.can(Cap.MANAGE_STRUCTURE, review.cycle.organization),
    }[key]
    if not allowed:
        raise PermissionDenied
    form = form_class(request.POST, cycle=review.cycle, auto_id=AUTO_ID[key])
    if form.is_valid():
        try:
            act(review, form.cleaned_data)
        except ValidationError as e:
            if not _may(scope, review)[key]:
                for m in e.messages:
                    messages.error(request, m)
                return redirect(review.get_absolute_url())
            apply_validation_error(form, e)
        else:
            messages.success(request, done_message)
            return redirect(review.get_absolute_url())
    review.refresh_from_db()
    return _render_review(request, review, {key: form})


@login_required
@require_POST
def self_review(request, uuid):
    def act(review, d):
        services.record_self_review(
            review,
            form_type=d["form_type"],
            results=d["results"],
            strengths=d["strengths"],
            shortcomings=d["shortcomings"],
            remedies=d["remedies"],
            self_level=d["self_level"],
            self_score=d.get("self_score"),
            by=request.user,
        )

    return _step(request, uuid, "self", SelfReviewForm, act, _("The self-review is recorded."))


@login_required
@require_POST
def propose(request, uuid):
    def act(review, d):
        services.propose(
            review,
            level=d["level"],
            score=d.get("score"),
            votes_for=d["votes_for"],
            votes_eligible=d["votes_eligible"],
            comment=d["comment"],
            on=d["on"],
            by=request.user,
        )

    return _step(request, uuid, "propose", ProposeForm, act, _("The cell's proposal is recorded."))


@login_required
@require_POST
def decide(request, uuid):
    def act(review, d):
        services.decide(review, level=d["level"], note=d["note"], on=d["on"], by=request.user)

    return _step(request, uuid, "decide", DecideForm, act, _("The decision is recorded."))


@login_required
@require_POST
def complain(request, uuid):
    def act(review, d):
        services.lodge_complaint(review, text=d["text"], on=d["on"], by=request.user)

    return _step(
        request,
        uuid,
        "complain",
        ComplaintForm,
        act,
        _("The complaint is recorded; the superior will answer it."),
    )


@login_required
@require_POST
def answer_complaint(request, uuid):
    def act(review, d):
        services.answer_complaint(
            review,
            level=d["level"],
            score=d.get("score"),
            answer=d["answer"],
            on=d["on"],
            by=request.user,
        )

    return _step(
        request,
        uuid,
        "answer",
        AnswerComplaintForm,
        act,
        _("The answer to the complaint is recorded."),
    )
