"""Meeting quality: the provinces' rubrics (versions by kind and date) and each meeting's score.

Who sees what (as quality/views.py): a rubric is read by everyone with a role in its province;
a new version needs the manage_structure capability on the province (its organization board).
A meeting's score is read by whoever reads the meeting; the cell's managers (manage_members on
the cell) self-score once the minutes are approved; the attending supervisor or the committee
above confirm (quality.services.may_confirm). Bodies go through the editor's forms and
quality.services, which raise ValidationError (nothing written): both become a 422.
"""

from decimal import Decimal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from accounts.access import Cap, Scope, get_meeting, get_rubric
from api.auth import scope_of
from api.errors import ApiValidationError, django_items, form_items
from api.pagination import paginate
from api.routers.meetings_common import error_at
from api.schemas import Error, ValidationErrors
from api.schemas_quality import (
    ConfirmIn,
    MeetingQualityOut,
    RubricDetail,
    RubricFilters,
    RubricPage,
    RubricVersionIn,
    SelfScoreIn,
)
from organizations.models import Organization
from quality import services
from quality.forms import CriterionFormSet, RubricForm
from quality.models import MeetingScore, QualityLevel, Rubric

router = Router(tags=["quality"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
REFUSED = " A body the rules refuse is a 422 with the reason, and changes nothing."


def _number(value) -> float | None:
    return float(value) if value is not None else None


def _rubrics(scope: Scope):
    """Rubrics of the provinces the caller works in (a role anywhere inside them)."""
    qs = Rubric.objects.all()
    if scope.is_admin:
        return qs
    provinces = {g.path[: Organization.steplen] for g in scope.grants}
    return qs.filter(province__path__in=provinces) if provinces else qs.none()


def _rubric_out(r: Rubric, scored: int) -> dict:
    return {
        "uuid": r.uuid,
        "province": {"uuid": r.province.uuid, "name": r.province.name},
        "kind": r.kind,
        "name": r.name,
        "source": r.source,
        "effective_from": r.effective_from,
        "total_points": _number(r.total_points),
        "good_from": _number(r.good_from),
        "fair_from": _number(r.fair_from),
        "average_from": _number(r.average_from),
        "year_good_min": r.year_good_min,
        "year_good_floor": r.year_good_floor,
        "year_fair_floor": r.year_fair_floor,
        "year_average_floor": r.year_average_floor,
        "preset": r.preset,
        "meetings_scored": scored,
    }


def _rubric_detail(scope: Scope, rubric: Rubric) -> dict:
    r = services.with_sheet(Rubric.objects.filter(pk=rubric.pk).select_related("province")).get()
    return {
        **_rubric_out(r, r.scores.count()),
        "groups": [
            {
                "name": g.name,
                "points": _number(sum((c.max_points for c in g.criteria.all()), Decimal(0))),
                "criteria": [
                    {
                        "id": c.pk,
                        "text": c.text,
                        "max_points": _number(c.max_points),
                        "required_for_top": c.required_for_top,
                        "auto_rule": c.auto_rule,
                        "auto_param": _number(c.auto_param),
                    }
                    for c in g.criteria.all()
                ],
            }
            for g in r.groups.all()
        ],
        "can_edit": scope.can(Cap.MANAGE_STRUCTURE, rubric.organization),
    }


@router.get(
    "/quality/rubrics",
    response={200: RubricPage, **READ_ERRORS},
    operation_id="list_quality_rubrics",
    summary="List meeting-quality rubrics",
    description=(
        "The versions of the rubrics of the provinces the caller works in, by kind and date "
        "(newest first); with `on`, only the version of each kind in force that day."
    ),
)
def list_rubrics(request, filters: Query[RubricFilters]):
    scope = scope_of(request)
    qs = _rubrics(scope).select_related("province").annotate(scored=Count("scores"))
    if filters.province:
        qs = qs.filter(province__uuid=filters.province)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.on:
        # The latest version of each province and kind that took effect by then.
        latest = {}
        for pk, province_id, kind in (
            qs.filter(effective_from__lte=filters.on)
            .order_by("effective_from")
            .values_list("pk", "province_id", "kind")
        ):
            latest[(province_id, kind)] = pk
        qs = qs.filter(pk__in=list(latest.values()))
    qs = qs.order_by("province__path", "kind", "-effective_from")
    items, meta = paginate(qs, filters)
    return {"items": [_rubric_out(r, r.scored) for r in items], **meta}


@router.get(
    "/quality/rubrics/{rubric_uuid}",
    response={200: RubricDetail, **READ_ERRORS},
    operation_id="get_quality_rubric",
    summary="Read a meeting-quality rubric",
    description=(
        "One version with its groups and criteria (their ids key the points of a score), the "
        "thresholds and the annual rule."
    ),
)
def get_rubric_detail(request, rubric_uuid: UUID):
    scope = scope_of(request)
    return _rubric_detail(scope, get_rubric(scope, rubric_uuid))


def _formset_data(payload: RubricVersionIn) -> tuple[dict, list[tuple[int, int]]]:
    """The body's criteria as the editor's rows (same form, same checks), and where each row
    sits in the body."""
    data, where = {}, []
    for gi, g in enumerate(payload.groups):
        for ci, c in enumerate(g.criteria):
            i = len(where)
            where.append((gi, ci))
            data[f"c-{i}-group"] = g.name
            data[f"c-{i}-text"] = c.text
            data[f"c-{i}-max_points"] = str(c.max_points)
            data[f"c-{i}-auto_rule"] = c.auto_rule
            data[f"c-{i}-auto_param"] = "" if c.auto_param is None else str(c.auto_param)
            if c.required_for_top:
                data[f"c-{i}-required_for_top"] = "on"
    data.update(
        {
            "c-TOTAL_FORMS": str(len(where)),
            "c-INITIAL_FORMS": "0",
            "c-MIN_NUM_FORMS": "0",
            "c-MAX_NUM_FORMS": "200",
        }
    )
    return data, where


@router.post(
    "/quality/rubrics/{rubric_uuid}/versions",
    response={201: RubricDetail, **WRITE_ERRORS},
    operation_id="create_quality_rubric_version",
    summary="Write a new version of a rubric",
    description=(
        "A new version of the rubric's kind, in force from a date after the last version's. "
        "The criteria must add up to the total (100 by default), the thresholds descend, and "
        "rate rules (attendance_rate, speakers_share) give their rate. Versions that have "
        "scored meetings never change: scores keep the version they were given under. Needs "
        "the manage_structure capability on the province." + REFUSED
    ),
)
def create_version(request, rubric_uuid: UUID, payload: RubricVersionIn):
    scope = scope_of(request)
    rubric = get_rubric(scope, rubric_uuid, Cap.MANAGE_STRUCTURE)
    header = payload.model_dump(mode="json", exclude={"groups"})
    form = RubricForm(header)
    rows, where = _formset_data(payload)
    formset = CriterionFormSet(rows, prefix="c")
    errors = [] if form.is_valid() else form_items(form)
    if not formset.is_valid():
        for (gi, ci), f in zip(where, formset.forms, strict=True):
            errors += form_items(f, prefix=("body", "groups", gi, "criteria", ci))
        for msg in formset.non_form_errors():
            errors += error_at(("body", "groups"), msg)
    if errors:
        raise ApiValidationError(errors)
    groups = []
    for (gi, _ci), f in zip(where, formset.forms, strict=True):
        if len(groups) <= gi:
            groups.append({"name": payload.groups[gi].name, "criteria": []})
        groups[gi]["criteria"].append(f.cleaned_data)
    try:
        saved = services.save_version(
            province=rubric.organization,
            kind=rubric.kind,
            data={**form.cleaned_data, "groups": groups},
            by=request.user,
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return Status(201, _rubric_detail(scope, saved))


# ---- meeting scores -----------------------------------------------------------------------------


def _user(u) -> dict | None:
    return {"username": u.username, "full_name": u.display_name()} if u is not None else None


def _quality(scope: Scope, request, meeting) -> dict:
    score = (
        MeetingScore.objects.filter(meeting=meeting)
        .select_related("self_by", "confirmed_by")
        .first()
    )
    rubric = services.rubric_for(meeting, score)
    problem = "" if score else (services.scoring_problem(meeting, rubric) or "")
    lines = {ln.criterion_id: ln for ln in score.lines.all()} if score else {}
    auto = services.evaluate_auto(meeting, rubric) if (not score and not problem) else {}
    out_lines = []
    if rubric is not None:
        for g in rubric.groups.all():
            for c in g.criteria.all():
                ln = lines.get(c.pk)
                a = (ln.auto_points, ln.auto_reason) if ln else auto.get(c.pk, (None, ""))
                out_lines.append(
                    {
                        "criterion": c.pk,
                        "group": g.name,
                        "text": c.text,
                        "max_points": _number(c.max_points),
                        "required_for_top": c.required_for_top,
                        "auto_rule": c.auto_rule,
                        "auto_points": _number(a[0]),
                        "auto_reason": a[1] or "",
                        "self_points": _number(ln.self_points) if ln else None,
                        "confirmed_points": _number(ln.confirmed_points) if ln else None,
                    }
                )
    final = score.final_level if score else ""
    return {
        "meeting": meeting.uuid,
        "rubric": {"uuid": rubric.uuid, "name": rubric.name} if rubric else None,
        "problem": problem,
        "status": score.status if score else "none",
        "self_total": _number(score.self_total) if score else None,
        "self_level": score.self_level if score else "",
        "self_by": _user(score.self_by) if score else None,
        "self_on": score.self_on if score else None,
        "confirmed_total": _number(score.confirmed_total) if score else None,
        "confirmed_level": score.confirmed_level if score else "",
        "confirmed_by": _user(score.confirmed_by) if score else None,
        "confirmed_on": score.confirmed_on if score else None,
        "confirmer_role": score.confirmer_role if score else "",
        "confirm_note": score.confirm_note if score else "",
        "final_level": final,
        "final_level_label": str(QualityLevel(final).label) if final else "",
        "lines": out_lines,
        "may_self_score": services.may_self_score(scope, meeting)
        and not problem
        and (score is None or score.status != "confirmed"),
        "may_confirm": services.may_confirm(scope, request.user, meeting) if score else None,
    }


def _points_fields(rubric) -> dict:
    """Where each criterion's errors sit in the body: points.<id>."""
    return {services.field_name(c.pk): ("body", "points", str(c.pk)) for c in rubric.all_criteria()}


@router.get(
    "/meetings/{meeting_uuid}/quality",
    response={200: MeetingQualityOut, **READ_ERRORS},
    operation_id="get_meeting_quality",
    summary="Read a meeting's quality score",
    description=(
        "The score sheet: every criterion of the rubric in force on the meeting's date, the "
        "automatic results with their reasons, the cell's self-score and the confirmation by "
        "the level above; `problem` says why a meeting cannot be scored yet (minutes not "
        "approved, no rubric, a kind that is not scored)."
    ),
)
def get_meeting_quality(request, meeting_uuid: UUID):
    scope = scope_of(request)
    return _quality(scope, request, get_meeting(scope, meeting_uuid))


@router.post(
    "/meetings/{meeting_uuid}/quality",
    response={200: MeetingQualityOut, **WRITE_ERRORS},
    operation_id="record_meeting_self_score",
    summary="Record the cell's self-score",
    description=(
        "The points of every criterion scored by hand (0 to its maximum, one decimal at most); "
        "automatic criteria keep their result. Possible once the minutes are approved, again "
        "until the level above confirms. Needs the manage_members capability on the cell." + REFUSED
    ),
)
def record_self_score(request, meeting_uuid: UUID, payload: SelfScoreIn):
    scope = scope_of(request)
    meeting = get_meeting(scope, meeting_uuid, Cap.MANAGE_MEMBERS)
    existing = MeetingScore.objects.filter(meeting=meeting).first()
    rubric = services.rubric_for(meeting, existing)
    problem = services.scoring_problem(meeting, rubric)
    if problem:
        raise ApiValidationError(error_at(("body",), problem))
    try:
        services.record_self_score(meeting, dict(payload.points), by=request.user)
    except ValidationError as e:
        raise ApiValidationError(django_items(e, fields=_points_fields(rubric))) from e
    return _quality(scope, request, meeting)


@router.post(
    "/meetings/{meeting_uuid}/quality/confirm",
    response={200: MeetingQualityOut, **WRITE_ERRORS},
    operation_id="confirm_meeting_quality",
    summary="Confirm a meeting's score",
    description=(
        "By the attending supervisor (following the cell on the meeting's day, or who visited "
        "the meeting) or the committee above the cell (manage_structure on it); never the "
        "cell's own managers. Without `points` nor `total` the self-score is confirmed as it "
        "is. The confirmed level becomes the final one; the self-score is kept." + REFUSED
    ),
)
def confirm(request, meeting_uuid: UUID, payload: ConfirmIn):
    scope = scope_of(request)
    meeting = get_meeting(scope, meeting_uuid)
    role = services.may_confirm(scope, request.user, meeting)
    if role is None:
        raise PermissionDenied
    score = MeetingScore.objects.filter(meeting=meeting).first()
    if score is None:
        message = _("The cell has not scored this meeting yet: nothing to confirm.")
        raise ApiValidationError(error_at(("body",), message))
    rubric = services.rubric_for(meeting, score)
    try:
        services.confirm_score(
            score,
            dict(payload.points) if payload.points is not None else None,
            by=request.user,
            role=role,
            note=payload.note,
            total=payload.total,
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e, fields=_points_fields(rubric))) from e
    return _quality(scope, request, meeting)
