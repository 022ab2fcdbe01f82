"""Review and rating (QĐ 366-QĐ/TW, HD 43): cycles, members' reviews with the evidence panel,
and the collectives' ratings. (Admission targets: api/routers/admission_targets.py.)

Who sees what (as ratings/views.py): a cycle is seen by those who see its organization, or an
organization inside it (then only their part of it is counted); a member's review through its
cell, the member's current home cell, or by the member themself; a collective's review
through the collective. Who does what: opening and closing a cycle and the superior's decision
need manage_structure on the cycle's organization; the cell's proposal manage_members on the
member's cell; the self-review the member themself or their cell's managers; a collective's
rating its immediate superior (services.may_decide_org). Bodies go through the page's form,
then the service, which raises ValidationError (nothing written): both become a 422.
"""

from collections import Counter
from functools import reduce
from operator import or_
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from accounts.access import Cap, Scope, get_organization
from accounts.access import Level as Access
from api.auth import scope_of
from api.errors import ApiValidationError, django_items, form_items
from api.pagination import paginate
from api.routers.meetings_common import member_ref, visible_org
from api.schemas import Error, ValidationErrors
from api.schemas_ratings import (
    AnswerComplaintIn,
    ComplaintIn,
    CycleDetail,
    CycleFilters,
    CyclePage,
    DecideIn,
    DecideOrgIn,
    MemberReviewDetail,
    MemberReviewFilters,
    MemberReviewPage,
    OpenCycleIn,
    OrgReviewFilters,
    OrgReviewOut,
    OrgReviewPage,
    ProposeIn,
    SelfReviewIn,
)
from organizations.models import Organization, subtree_q
from ratings import selectors, services
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

router = Router(tags=["ratings"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
REFUSED = (
    " A body the rules refuse, or a step the review's state does not allow, is a 422 with the "
    "reason, and changes nothing."
)
# The steps of a member's review, the statuses each may be taken from, as the review page.
STEP_STATUSES = {
    "self-review": (ReviewStatus.PENDING, ReviewStatus.SELF_REVIEWED),
    "propose": (ReviewStatus.SELF_REVIEWED, ReviewStatus.PROPOSED),
    "decide": (ReviewStatus.PROPOSED, ReviewStatus.DECIDED),
    "complain": (ReviewStatus.DECIDED,),
    "answer-complaint": (ReviewStatus.COMPLAINED,),
}


def _ref(org) -> dict:
    return {"uuid": org.uuid, "name": org.name}


def _name(cycle: ReviewCycle, level: str, subject: str = "member") -> str:
    """The level's name in the cycle (a lazy label when the cycle has none stored)."""
    return str(cycle.level_name(level, subject))


def _number(value) -> float | None:
    return float(value) if value is not None else None


# ---- what the caller sees (the pages' rules, as querysets) ----------------------------------


def _read_paths(scope: Scope) -> list[str]:
    """The roots of the subtrees the caller reads (roles at read level or above)."""
    return [g.path for g in scope.grants if g.level >= Access.READ]


def _subtrees_q(paths: list[str], prefix: str) -> Q | None:
    return reduce(or_, (subtree_q(p, prefix) for p in paths)) if paths else None


def _granted_q(scope: Scope, prefix: str) -> Q | None:
    """The subtrees the caller reads as a filter on `prefix`; None when they have none. Not for
    administrators, who see everything."""
    return _subtrees_q(_read_paths(scope), prefix)


def _prefixes(path: str) -> list[str]:
    step = Organization.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def _cycles(scope: Scope):
    """Cycles run by an organization the caller sees, or covering one (a secretary sees the
    review of their cell, run by the committee above it)."""
    qs = ReviewCycle.objects.all()
    if scope.is_admin:
        return qs
    inside = _granted_q(scope, "organization__")
    if inside is None:
        return qs.none()
    above = {prefix for path in _read_paths(scope) for prefix in _prefixes(path)}
    return qs.filter(inside | Q(organization__path__in=above))


def _get_cycle(scope: Scope, uuid) -> ReviewCycle:
    try:
        return _cycles(scope).select_related("organization").get(uuid=uuid)
    except (ReviewCycle.DoesNotExist, ValidationError, ValueError) as e:
        raise Http404 from e


def _member_reviews(scope: Scope):
    """Reviews seen through their cell or the member's home cell, and the caller's own."""
    qs = MemberReview.objects.all()
    if scope.is_admin:
        return qs
    conditions = [
        q for q in (_granted_q(scope, "cell__"), _granted_q(scope, "member__organization__")) if q
    ]
    if scope.self_member_id:
        conditions.append(Q(member_id=scope.self_member_id))
    return qs.filter(reduce(or_, conditions)) if conditions else qs.none()


def _get_review(scope: Scope, uuid) -> MemberReview:
    try:
        return (
            _member_reviews(scope)
            .select_related("cycle__organization", "member__person", "member__organization", "cell")
            .get(uuid=uuid)
        )
    except (MemberReview.DoesNotExist, ValidationError, ValueError) as e:
        raise Http404 from e


def _org_reviews(scope: Scope):
    qs = OrganizationReview.objects.all()
    if scope.is_admin:
        return qs
    q = _granted_q(scope, "organization__")
    return qs.filter(q) if q is not None else qs.none()


def _in_part(qs, scope: Scope, cycle: ReviewCycle, prefix: str):
    """The rows of a cycle the caller sees: all of them when they see the cycle's organization,
    else those of the organizations in their scope."""
    if scope.level_for(cycle.organization) >= Access.READ:
        return qs, "cycle"
    return qs.filter(_granted_q(scope, prefix)), "part"


# ---- cycles ----------------------------------------------------------------------------------


def _levels(cycle) -> list[dict]:
    return [
        {
            "level": lv,
            "member_name": _name(cycle, lv),
            "organization_name": _name(cycle, lv, "organization"),
        }
        for lv in LEVELS_DESC
    ]


def _cycle_ref(c: ReviewCycle) -> dict:
    return {
        "uuid": c.uuid,
        "organization": _ref(c.organization),
        "year": c.year,
        "quarter": c.quarter,
        "period_label": str(c.period_label),
    }


def _cycle_item(c: ReviewCycle) -> dict:
    return {
        **_cycle_ref(c),
        "rule_set": c.rule_set,
        "rule_set_label": c.get_rule_set_display(),
        "scored": c.is_scored,
        "status": c.status,
        "excellent_cap_percent": c.excellent_cap_percent,
        "cap_base": c.cap_base,
        "cap_base_label": c.get_cap_base_display(),
        "opened_on": c.opened_on,
        "closed_on": c.closed_on,
        "levels": _levels(c),
    }


def _cycle_detail(scope: Scope, cycle: ReviewCycle) -> dict:
    """The cycle with its counts (the cycle page's): two grouped queries."""
    reviews, part = _in_part(MemberReview.objects.filter(cycle=cycle), scope, cycle, "cell__")
    collectives, _part = _in_part(
        OrganizationReview.objects.filter(cycle=cycle), scope, cycle, "organization__"
    )
    grouped = (
        reviews.values(
            "cell_id",
            "cell__uuid",
            "cell__name",
            "cell__path",
            "status",
            "decided_level",
            "cell_level",
        )
        .annotate(n=Count("pk"))
        .order_by("cell__path")
    )
    statuses, proposed, decided = Counter(), Counter(), Counter()
    cells = {}
    for g in grouped:
        n = g["n"]
        statuses[g["status"]] += n
        c = cells.setdefault(
            g["cell_id"],
            {
                "cell": {"uuid": g["cell__uuid"], "name": g["cell__name"]},
                "total": 0,
                "excluded": 0,
                "decided": Counter(),
                "current": [],
            },
        )
        c["total"] += n
        if g["status"] == ReviewStatus.EXCLUDED:
            c["excluded"] += n
            continue
        if g["decided_level"]:
            c["decided"][g["decided_level"]] += n
            decided[g["decided_level"]] += n
        elif g["status"] == ReviewStatus.PROPOSED:
            proposed[g["cell_level"]] += n
        c["current"] += [g["decided_level"] or g["cell_level"]] * n
    cell_rows = []
    for c in cells.values():
        cap = services.cap_allowed(cycle, c.pop("current"))
        c["cap"] = cap
        c["over_cap"] = cap is not None and c["decided"].get("excellent", 0) > cap
        c["decided"] = dict(c["decided"])
        cell_rows.append(c)
    orgs = collectives.aggregate(
        total=Count("pk"), decided=Count("pk", filter=~Q(decided_level=""))
    )
    return {
        **_cycle_item(cycle),
        "scope": part,
        "statuses": [
            {"status": s, "label": str(s.label), "count": statuses.get(s, 0)} for s in ReviewStatus
        ],
        "level_counts": [
            {
                "level": lv,
                "name": _name(cycle, lv),
                "proposed": proposed.get(lv, 0),
                "decided": decided.get(lv, 0),
            }
            for lv in LEVELS_DESC
        ],
        "cells": cell_rows,
        "collectives": {"total": orgs["total"], "decided": orgs["decided"]},
        "steps": ["close"]
        if cycle.is_open and scope.can(Cap.MANAGE_STRUCTURE, cycle.organization)
        else [],
    }


@router.get(
    "/review-cycles",
    response={200: CyclePage, **READ_ERRORS},
    operation_id="list_review_cycles",
    summary="List review cycles",
    description=(
        "The annual and quarterly reviews run by an organization the caller sees, or covering "
        "one (a cell's secretary sees the review its committee runs), latest first. Filters: "
        "`org` (the cycles covering it and those run inside it), `year`, `quarter` (0 for the "
        "annual reviews), `status`."
    ),
)
def list_review_cycles(request, filters: Query[CycleFilters]):
    scope = scope_of(request)
    qs = _cycles(scope)
    if filters.org:
        org = visible_org(scope, filters.org)
        qs = qs.filter(
            Q(organization__path__in=_prefixes(org.path)) | subtree_q(org.path, "organization__")
        )
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.quarter == 0:
        qs = qs.filter(quarter__isnull=True)
    elif filters.quarter:
        qs = qs.filter(quarter=filters.quarter)
    if filters.status != "all":
        qs = qs.filter(status=filters.status)
    qs = qs.select_related("organization").order_by(
        "-year", F("quarter").desc(nulls_first=True), "organization__path", "pk"
    )
    rows, meta = paginate(qs, filters)
    return {"items": [_cycle_item(c) for c in rows], **meta}


@router.get(
    "/review-cycles/{cycle_uuid}",
    response={200: CycleDetail, **READ_ERRORS},
    operation_id="get_review_cycle",
    summary="Read a review cycle",
    description=(
        "The cycle with its rules, the names of its levels, and its counts: member reviews per "
        "status and per level, each cell's decided levels against the cap on the top level, "
        "and the collectives decided. A caller who sees only part of the cycle (a cell's "
        "secretary) gets the counts of that part (`scope`: part)."
    ),
)
def get_review_cycle(request, cycle_uuid: UUID):
    scope = scope_of(request)
    return _cycle_detail(scope, _get_cycle(scope, cycle_uuid))


def _data(payload, exclude=()) -> dict:
    return {
        k: v
        for k, v in payload.model_dump(mode="json").items()
        if v is not None and k not in exclude
    }


def _run(form, action):
    if not form.is_valid():
        raise ApiValidationError(form_items(form))
    try:
        action(form.cleaned_data)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e


@router.post(
    "/review-cycles",
    response={201: CycleDetail, **WRITE_ERRORS},
    operation_id="open_review_cycle",
    summary="Open a review cycle",
    description=(
        "Opens the review of a year (or, under QĐ 366, a quarter) for an organization's "
        "subtree: a review per member (those not rated keep a row with the reason) and one "
        "per collective. The rules and the level names in force that year are copied onto the "
        "cycle. Needs the manage_structure capability on the organization." + REFUSED
    ),
)
def open_review_cycle(request, payload: OpenCycleIn):
    scope = scope_of(request)
    org = get_organization(scope, payload.organization, Cap.MANAGE_STRUCTURE)
    opened = {}

    def act(d):
        opened["cycle"] = services.open_cycle(
            org,
            year=d["year"],
            quarter=d["quarter"],
            excellent_cap_percent=d["excellent_cap_percent"],
            cap_base=d["cap_base"],
            by=request.user,
        )

    _run(OpenCycleForm(_data(payload, exclude=("organization",))), act)
    return Status(201, _cycle_detail(scope, opened["cycle"]))


@router.post(
    "/review-cycles/{cycle_uuid}/close",
    response={200: CycleDetail, **WRITE_ERRORS},
    operation_id="close_review_cycle",
    summary="Close a review cycle",
    description=(
        "Once every member and collective is decided (or not rated); nothing changes "
        "afterwards. Needs the manage_structure capability on the cycle's organization." + REFUSED
    ),
)
def close_review_cycle(request, cycle_uuid: UUID):
    scope = scope_of(request)
    cycle = _get_cycle(scope, cycle_uuid)
    if not scope.can(Cap.MANAGE_STRUCTURE, cycle.organization):
        raise PermissionDenied
    try:
        services.close_cycle(cycle, by=request.user)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return _cycle_detail(scope, cycle)


# ---- members' reviews --------------------------------------------------------------------


def _review_item(r: MemberReview) -> dict:
    cycle = r.cycle
    return {
        "uuid": r.uuid,
        "cycle": _cycle_ref(cycle),
        "member": member_ref(r.member),
        "cell": _ref(r.cell),
        "status": r.status,
        "status_label": r.get_status_display(),
        "form_type": r.form_type,
        "exclusion": r.exclusion,
        "self_level": r.self_level,
        "self_level_name": _name(cycle, r.self_level),
        "self_score": _number(r.self_score),
        "score": _number(r.score),
        "cell_level": r.cell_level,
        "cell_level_name": _name(cycle, r.cell_level),
        "decided_level": r.decided_level,
        "decided_level_name": _name(cycle, r.decided_level),
        "decided_on": r.decided_on,
    }


def _may(scope: Scope, review: MemberReview, step: str) -> bool:
    """Whether the caller acts for this step at all (the page's check before its form)."""
    managers = scope.can(Cap.MANAGE_MEMBERS, review.cell)
    if step in ("self-review", "complain"):
        return managers or review.member_id == scope.self_member_id
    if step == "propose":
        return managers
    return scope.can(Cap.MANAGE_STRUCTURE, review.cycle.organization)


def _steps(scope: Scope, review: MemberReview) -> list[str]:
    if not review.cycle.is_open:
        return []
    return [
        step
        for step, statuses in STEP_STATUSES.items()
        if review.status in statuses and _may(scope, review, step)
    ]


def _evidence(review: MemberReview) -> dict:
    e = selectors.evidence(review.cycle, [review.member_id])[review.member_id]
    comment = e.comment
    return {
        "meetings_expected": e.meetings_expected,
        "meetings_attended": e.meetings_attended,
        "attendance_percent": e.attendance_percent,
        "absent_excused": e.absent_excused,
        "absent_unexcused": e.absent_unexcused,
        "tasks_assigned": e.tasks_assigned,
        "tasks_done": e.tasks_done,
        "tasks_not_done": e.tasks_not_done,
        "residence_comment": {
            "year": comment.year,
            "overall": comment.overall,
            "overall_label": comment.get_overall_display(),
            "commented_on": comment.commented_on,
        }
        if comment
        else None,
        "decisions": [
            {
                "kind": d.kind,
                "kind_label": d.get_kind_display(),
                "decision_no": d.decision_no,
                "effective_date": d.effective_date,
            }
            for d in e.decisions
        ],
    }


def _review_detail(scope: Scope, r: MemberReview) -> dict:
    return {
        **_review_item(r),
        "exclusion_label": r.get_exclusion_display() if r.exclusion else "",
        "exclusion_note": r.exclusion_note,
        "results": r.results,
        "strengths": r.strengths,
        "shortcomings": r.shortcomings,
        "remedies": r.remedies,
        "self_reviewed_on": r.self_reviewed_on,
        "votes_for": r.votes_for,
        "votes_eligible": r.votes_eligible,
        "cell_comment": r.cell_comment,
        "proposed_on": r.proposed_on,
        "decision_note": r.decision_note,
        "complaint": r.complaint,
        "complained_on": r.complained_on,
        "complaint_answer": r.complaint_answer,
        "complaint_answered_on": r.complaint_answered_on,
        "level_before_complaint": r.level_before_complaint,
        "levels": _levels(r.cycle),
        "evidence": _evidence(r),
        "steps": _steps(scope, r),
    }


@router.get(
    "/member-reviews",
    response={200: MemberReviewPage, **READ_ERRORS},
    operation_id="list_member_reviews",
    summary="List members' reviews",
    description=(
        "Members' reviews seen through their cell or the member's home cell, and the caller's "
        "own, latest cycle first, then by cell and name. Filters: `cycle`, `cell` (its "
        "subtree), `status`, `member`. Levels are codes, each with its name in the cycle."
    ),
)
def list_member_reviews(request, filters: Query[MemberReviewFilters]):
    scope = scope_of(request)
    qs = _member_reviews(scope)
    if filters.cycle:
        qs = qs.filter(cycle__uuid=filters.cycle)
    if filters.cell:
        qs = qs.filter(subtree_q(visible_org(scope, filters.cell).path, "cell__"))
    if filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.member:
        qs = qs.filter(member__uuid=filters.member)
    qs = qs.select_related("cycle__organization", "member__person", "cell").order_by(
        "-cycle__year",
        F("cycle__quarter").desc(nulls_first=True),
        "cycle_id",
        "cell__path",
        "member__person__sort_key",
        "pk",
    )
    rows, meta = paginate(qs, filters)
    return {"items": [_review_item(r) for r in rows], **meta}


@router.get(
    "/member-reviews/{review_uuid}",
    response={200: MemberReviewDetail, **READ_ERRORS},
    operation_id="get_member_review",
    summary="Read a member's review",
    description=(
        "The self-review, the cell's proposal and vote, the superior's decision, the names of "
        "the cycle's levels, the evidence of the period (cell meetings attended, absences, "
        "tasks, the residence cell's comment, status decisions) and the steps the caller may "
        "take now."
    ),
)
def get_member_review(request, review_uuid: UUID):
    scope = scope_of(request)
    return _review_detail(scope, _get_review(scope, review_uuid))


def _review_step(request, review_uuid, step: str, make_form, act) -> dict:
    scope = scope_of(request)
    review = _get_review(scope, review_uuid)
    if not _may(scope, review, step):
        raise PermissionDenied
    _run(make_form(review.cycle), lambda d: act(review, d))
    return _review_detail(scope, review)


def _with_date(payload) -> dict:
    data = _data(payload)
    data.setdefault("on", timezone.localdate().isoformat())  # the forms' initial: today
    return data


@router.post(
    "/member-reviews/{review_uuid}/self-review",
    response={200: MemberReviewDetail, **WRITE_ERRORS},
    operation_id="record_self_review",
    summary="Record a member's self-review",
    description=(
        "Step 1, on form 2A/2B/2C: results of the tasks, strengths, shortcomings, remedies, the "
        "self-assessed level and (QĐ 366) score; it may be changed until the cell proposes. "
        "The member themself, or manage_members on their cell." + REFUSED
    ),
)
def record_self_review(request, review_uuid: UUID, payload: SelfReviewIn):
    def act(review, d):
        services.record_self_review(
            review,
            form_type=d["form_type"],
            results=d["results"],
            strengths=d["strengths"],
            shortcomings=d["shortcomings"],
            remedies=d["remedies"],
            self_level=d["self_level"],
            # Unscored cycles have no score field: a score sent is refused by the service.
            self_score=d.get("self_score", payload.self_score),
            by=request.user,
        )

    return _review_step(
        request,
        review_uuid,
        "self-review",
        lambda cycle: SelfReviewForm(_data(payload), cycle=cycle),
        act,
    )


@router.post(
    "/member-reviews/{review_uuid}/propose",
    response={200: MemberReviewDetail, **WRITE_ERRORS},
    operation_id="propose_member_level",
    summary="Record the cell's proposal",
    description=(
        "Step 2: the cell's review meeting votes on the level it proposes (more than half of "
        "the members entitled to vote), with the score under QĐ 366 (the level may not be above "
        "the score's band). Needs the manage_members capability on the member's cell." + REFUSED
    ),
)
def propose_member_level(request, review_uuid: UUID, payload: ProposeIn):
    def act(review, d):
        services.propose(
            review,
            level=d["level"],
            score=d.get("score", payload.score),
            votes_for=d["votes_for"],
            votes_eligible=d["votes_eligible"],
            comment=d["comment"],
            on=d["on"],
            by=request.user,
        )

    return _review_step(
        request,
        review_uuid,
        "propose",
        lambda cycle: ProposeForm(_with_date(payload), cycle=cycle),
        act,
    )


@router.post(
    "/member-reviews/{review_uuid}/decide",
    response={200: MemberReviewDetail, **WRITE_ERRORS},
    operation_id="decide_member_level",
    summary="Decide a member's level",
    description=(
        "Step 3: the superior decides (and may change its decision while the cycle is open). "
        "The top level must fit the cycle's cap within the cell; the refusal names the cap, "
        "its base and the count. Needs the manage_structure capability on the cycle's "
        "organization." + REFUSED
    ),
)
def decide_member_level(request, review_uuid: UUID, payload: DecideIn):
    def act(review, d):
        services.decide(review, level=d["level"], note=d["note"], on=d["on"], by=request.user)

    return _review_step(
        request,
        review_uuid,
        "decide",
        lambda cycle: DecideForm(_with_date(payload), cycle=cycle),
        act,
    )


@router.post(
    "/member-reviews/{review_uuid}/complain",
    response={200: MemberReviewDetail, **WRITE_ERRORS},
    operation_id="lodge_rating_complaint",
    summary="Dispute a decided level",
    description=(
        "The member (or manage_members on their cell, on their behalf) disputes the decided "
        "level while the cycle is open; the cycle cannot close before the answer." + REFUSED
    ),
)
def lodge_rating_complaint(request, review_uuid: UUID, payload: ComplaintIn):
    def act(review, d):
        services.lodge_complaint(review, text=d["text"], on=d["on"], by=request.user)

    return _review_step(
        request, review_uuid, "complain", lambda cycle: ComplaintForm(_with_date(payload)), act
    )


@router.post(
    "/member-reviews/{review_uuid}/answer-complaint",
    response={200: MemberReviewDetail, **WRITE_ERRORS},
    operation_id="answer_rating_complaint",
    summary="Answer a complaint about a level",
    description=(
        "The superior keeps the level or rates again (a new score when the cycle is scored; a "
        "new top level must fit the cap). Needs the manage_structure capability on the "
        "cycle's organization." + REFUSED
    ),
)
def answer_rating_complaint(request, review_uuid: UUID, payload: AnswerComplaintIn):
    def act(review, d):
        services.answer_complaint(
            review,
            level=d["level"],
            score=d.get("score", payload.score),
            answer=d["answer"],
            on=d["on"],
            by=request.user,
        )

    return _review_step(
        request,
        review_uuid,
        "answer-complaint",
        lambda cycle: AnswerComplaintForm(_with_date(payload), cycle=cycle),
        act,
    )


# ---- collectives' reviews ---------------------------------------------------------------------


def _org_items(scope: Scope, cycle: ReviewCycle, org_reviews: list, within=None) -> list:
    """The collectives with the basis of their suggested level (the cycle page's), computed from
    the cycle's reviews in the subtrees `within` (a list of paths; None: the whole cycle):
    three queries."""
    members = MemberReview.objects.filter(cycle=cycle)
    collectives = OrganizationReview.objects.filter(cycle=cycle)
    if within is not None:
        members = members.filter(_subtrees_q(within, "cell__"))
        collectives = collectives.filter(_subtrees_q(within, "organization__"))
    rows = [
        (g["cell__path"], g["status"], g["decided_level"], g["n"])
        for g in members.values("cell__path", "status", "decided_level")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    children = list(collectives.select_related("organization"))
    disciplined = services.disciplined_paths(cycle, members.values("member_id"))
    items = []
    for o in org_reviews:
        o.cycle = cycle
        basis = services.org_basis(o, rows, children, disciplined)
        suggested = basis["suggested"]
        items.append(
            {
                "uuid": o.uuid,
                "cycle": _cycle_ref(cycle),
                "organization": _ref(o.organization),
                "kind": o.organization.kind,
                "score": _number(o.score),
                "suggested_level": suggested,
                "suggested_level_name": _name(cycle, suggested, "organization"),
                "decided_level": o.decided_level,
                "decided_level_name": _name(cycle, o.decided_level, "organization"),
                "decided_on": o.decided_on,
                "decision_note": o.decision_note,
                "basis": basis,
                "may_decide": cycle.is_open and services.may_decide_org(scope, o),
            }
        )
    return items


@router.get(
    "/organization-reviews",
    response={200: OrgReviewPage, **READ_ERRORS},
    operation_id="list_organization_reviews",
    summary="List the collectives' reviews of a cycle",
    description=(
        "The collectives of `cycle` the caller sees, in tree order, each with the level its "
        "members' and sub-collectives' results suggest and the counts behind it, the level "
        "decided, and whether the caller may decide it (`may_decide`). `status`: decided, "
        "undecided or all."
    ),
)
def list_organization_reviews(request, filters: Query[OrgReviewFilters]):
    scope = scope_of(request)
    cycle = _get_cycle(scope, filters.cycle)
    qs = _org_reviews(scope).filter(cycle=cycle)
    if filters.status == "decided":
        qs = qs.exclude(decided_level="")
    elif filters.status == "undecided":
        qs = qs.filter(decided_level="")
    qs = qs.select_related("organization").order_by("organization__path", "pk")
    rows, meta = paginate(qs, filters)
    # A caller who sees only part of the cycle has the suggestions of their organizations
    # computed from their part, which holds each one's whole subtree.
    within = None if scope.level_for(cycle.organization) >= Access.READ else _read_paths(scope)
    return {"items": _org_items(scope, cycle, rows, within), **meta}


@router.post(
    "/organization-reviews/{org_review_uuid}/decide",
    response={200: OrgReviewOut, **WRITE_ERRORS},
    operation_id="decide_organization_level",
    summary="Decide a collective's level",
    description=(
        "Once its members and its direct sub-collectives are decided, the immediate superior "
        "decides: the cycle's organization for the collectives inside it, the committee above "
        "for the organization running the cycle. The top level must fit the cap among the "
        "collectives of the same level. The suggestion and its counts are stored with the "
        "decision." + REFUSED
    ),
)
def decide_organization_level(request, org_review_uuid: UUID, payload: DecideOrgIn):
    scope = scope_of(request)
    try:
        o = (
            _org_reviews(scope)
            .select_related("cycle__organization", "organization")
            .get(uuid=org_review_uuid)
        )
    except OrganizationReview.DoesNotExist as e:
        raise Http404 from e
    if not services.may_decide_org(scope, o):
        raise PermissionDenied
    form = DecideForm(_with_date(payload), cycle=o.cycle, subject="organization")
    _run(
        form,
        lambda d: services.decide_org(
            o, level=d["level"], score=payload.score, note=d["note"], on=d["on"], by=request.user
        ),
    )
    return _org_items(scope, o.cycle, [o], [o.organization.path])[0]
