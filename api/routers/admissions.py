"""Admission candidates: the list, one candidate, and one POST per step of the pipeline.

Each step is the page's own: the step's form (admissions/forms.py) checks the body, then its
admissions.services function, which raises ValidationError (nothing written) when the step is
not allowed; both become a 422. Who may take which step is the page's table
(admissions.views.STEPS): the cell's own steps need manage_members on the cell acting on the
record, the upper committee's (background check, decisions, removal) manage_structure.
Listing a new candidate and opening the record of a probationary member entered without one
are the pages' too (admissions.views.create, open_probation): manage_members on the cell.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from ninja import Query, Router, Status

from accounts.access import Cap, get_candidate, get_member, get_organization
from admissions import deadlines, services
from admissions.forms import PERSON_FIELDS, CandidateForm
from admissions.models import CLOSED_STAGES, OPEN_STAGES, Candidate, CandidateIntroducer
from admissions.views import STEPS
from api.auth import scope_of
from api.errors import ApiValidationError, django_items, form_items
from api.pagination import paginate
from api.routers.meetings_common import error_at, member_ref, visible_org
from api.schemas import Error, ValidationErrors
from api.schemas_life import (
    AdmissionDecisionIn,
    AdmissionVoteIn,
    CandidateDetail,
    CandidateFilters,
    CandidateIn,
    CandidatePage,
    CeremonyIn,
    CertificateIn,
    CheckIn,
    CloseIn,
    DossierIn,
    RecognitionDecisionIn,
    StrikeOffIn,
    SympathizerIn,
)
from organizations.models import subtree_q

router = Router(tags=["admissions"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
# Body schema per step; the step's own form names its fields the same.
BODIES = {
    "sympathizer": SympathizerIn,
    "certificate": CertificateIn,
    "dossier": DossierIn,
    "check": CheckIn,
    "vote": AdmissionVoteIn,
    "decision": AdmissionDecisionIn,
    "ceremony": CeremonyIn,
    "recognition_vote": AdmissionVoteIn,
    "recognition_decision": RecognitionDecisionIn,
    "strike_off": StrikeOffIn,
    "reject": CloseIn,
}
# Form fields that name a member: the API sends their uuid.
MEMBER_FIELDS = ("helper", "introducer_1", "introducer_2")


def _due(candidate, today) -> dict | None:
    due = deadlines.due_for(candidate, today)
    if due is None:
        return None
    return {
        "what": str(due.what),
        "due_on": due.due_on,
        "opens_on": due.opens_on,
        "overdue": due.overdue,
        "flagged": due.flagged,
    }


def _item(c: Candidate, today) -> dict:
    return {
        "uuid": c.uuid,
        "full_name": c.person.full_name,
        "organization": {"uuid": c.organization.uuid, "name": c.organization.name},
        "stage": c.stage,
        "stage_label": c.get_stage_display(),
        "stage_on": c.stage_on,
        "member": c.member.uuid if c.member_id else None,
        "due": _due(c, today),
    }


COPIED = [
    "listed_on",
    "recommended_by",
    "sympathizer_resolution_no",
    "sympathizer_on",
    "certificate_no",
    "certificate_on",
    "certificate_issuer",
    "applied_on",
    "personal_history_on",
    "union_introduction",
    "union_introduction_on",
    "checked_on",
    "checked_by",
    "decision_no",
    "decision_on",
    "decision_by",
    "decision_received_on",
    "ceremony_on",
    "ceremony_late_reason",
    "probation_end",
    "recognition_decision_no",
    "recognition_decision_on",
    "recognition_decision_by",
    "closed_on",
    "closed_at_stage",
    "closed_reason",
    "closed_decision_no",
]


def _detail(scope, uuid) -> dict:
    """The candidate with its introducers and votes: a fixed number of queries."""
    c = get_candidate(scope, uuid)
    c = (
        Candidate.objects.select_related(
            "organization", "person", "member__organization", "helper__person"
        )
        .prefetch_related(
            Prefetch(
                "introducers",
                queryset=CandidateIntroducer.objects.select_related("member__person").order_by(
                    "pk"
                ),
            ),
            "votes",
        )
        .get(pk=c.pk)
    )
    today = timezone.localdate()
    person = c.person
    manages = scope.can(Cap.MANAGE_MEMBERS, c.acting_cell)
    return {
        **_item(c, today),
        **{f: getattr(c, f) for f in COPIED},
        "person": {
            "full_name": person.full_name,
            "sex": person.sex,
            "birth_date": person.birth_date,
            "citizen_id": person.citizen_id if manages else person.masked_citizen_id,
        },
        "helper": member_ref(c.helper),
        "introducers": [
            {"member": member_ref(i.member), "known_since": i.known_since}
            for i in c.introducers.all()
        ],
        "votes": [
            {
                "kind": v.kind,
                "held_on": v.held_on,
                "votes_for": v.votes_for,
                "eligible": v.eligible,
                "resolution_no": v.resolution_no,
                "passed": v.passed,
            }
            for v in c.votes.all()
        ],
        "ceremony_deadline": (
            deadlines.ceremony_deadline(c.decision_received_on) if c.decision_received_on else None
        ),
        "steps": [
            s.name
            for s in STEPS.values()
            if c.stage in s.stages and scope.can(s.cap, c.acting_cell)
        ],
    }


@router.get(
    "/candidates",
    response={200: CandidatePage, **READ_ERRORS},
    operation_id="list_candidates",
    summary="List admission candidates",
    description=(
        "Admission candidates of the cells within the caller's scope (and, once admitted, of "
        "the member's current cell), by cell and name, with the next deadline. `org` limits "
        "them to a cell or a committee's subtree; `stage` to one stage, open (the default), "
        "closed or all."
    ),
)
def list_candidates(request, filters: Query[CandidateFilters]):
    scope = scope_of(request)
    qs = scope.candidates()
    if filters.org:
        qs = qs.filter(subtree_q(visible_org(scope, filters.org).path, "organization__"))
    if filters.stage == "open":
        qs = qs.filter(stage__in=OPEN_STAGES)
    elif filters.stage == "closed":
        qs = qs.filter(stage__in=CLOSED_STAGES)
    elif filters.stage != "all":
        qs = qs.filter(stage=filters.stage)
    qs = qs.select_related("person", "organization", "member").order_by(
        "organization__sort_key", "organization_id", "person__sort_key", "pk"
    )
    candidates, meta = paginate(qs, filters)
    today = timezone.localdate()
    return {"items": [_item(c, today) for c in candidates], **meta}


@router.get(
    "/candidates/{candidate_uuid}",
    response={200: CandidateDetail, **READ_ERRORS},
    operation_id="get_candidate",
    summary="Read an admission candidate",
    description=(
        "The candidate's stages with their dates, numbers and deciders, the introducers, "
        "the cell's votes (failed ones too), the next deadline and the steps the caller may "
        "take now. The citizen ID is masked unless the caller manages the cell."
    ),
)
def get_candidate_detail(request, candidate_uuid: UUID):
    return _detail(scope_of(request), candidate_uuid)


# Where the new-candidate form's person fields sit in the request body.
PERSON_PATHS = {f: ("body", "person", f) for f in PERSON_FIELDS}


def _in_person(items: list[dict]) -> list[dict]:
    """The form is flat; its person fields are sent (and reported) under `person`."""
    for item in items:
        if item["loc"][1:2] and item["loc"][1] in PERSON_FIELDS:
            item["loc"] = ["body", "person", *item["loc"][1:]]
            item["field"] = f"person.{item['field']}"
    return items


@router.post(
    "/candidates",
    response={201: CandidateDetail, **WRITE_ERRORS},
    operation_id="create_candidate",
    summary="List an outstanding non-member",
    description=(
        "A new person is listed as an outstanding non-member (quần chúng ưu tú) in `cell`, "
        "which develops them: the page's form, then admissions.services.create_candidate. "
        "Needs the manage_members capability on the cell (its secretary or deputy, or "
        "organization staff above). The citizen ID must not be another person's in the "
        "province; `cell` must be an active cell. A body the rules refuse is a 422 with the "
        "reason, and nothing is written."
    ),
)
def create_candidate(request, payload: CandidateIn):
    scope = scope_of(request)
    cell = get_organization(scope, payload.cell, Cap.MANAGE_MEMBERS)
    data = payload.model_dump(mode="json", exclude={"cell", "person"})
    form = CandidateForm({**payload.person.model_dump(mode="json"), **data})
    if not form.is_valid():
        raise ApiValidationError(_in_person(form_items(form)))
    try:
        candidate = services.create_candidate(
            person=form.save(commit=False),
            organization=cell,
            listed_on=form.cleaned_data["listed_on"],
            recommended_by=form.cleaned_data["recommended_by"],
            user=request.user,
        )
    except ValidationError as e:
        items = django_items(e, default_field="cell", fields=PERSON_PATHS)
        raise ApiValidationError(items) from e
    return Status(201, _detail(scope, candidate.uuid))


@router.post(
    "/members/{member_uuid}/probation",
    response={200: CandidateDetail, 201: CandidateDetail, **WRITE_ERRORS},
    operation_id="open_probation_record",
    summary="Open the pipeline record of a probationary member",
    description=(
        "For a probationary member entered or imported with their ceremony date but no "
        "candidacy, so the recognition is recorded here (admissions.services.open_probation): "
        "201 with the new record at stage probation, or 200 with the one the member already "
        "has. No body. Needs the manage_members capability on the member's home cell. A member "
        "who is not probationary, or has no ceremony date, is a 422, and nothing is written."
    ),
)
def open_probation(request, member_uuid: UUID):
    scope = scope_of(request)
    member = get_member(scope, member_uuid, Cap.MANAGE_MEMBERS)
    existed = Candidate.objects.filter(member=member).exists()
    try:
        candidate = services.open_probation(member, user=request.user)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return Status(200 if existed else 201, _detail(scope, candidate.uuid))


def _form_data(payload) -> dict:
    data = {}
    for name, value in payload.model_dump(mode="json").items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "1" if value else "0"
        data[name] = value
    return data


def _take_step(request, candidate_uuid: UUID, name: str, payload) -> dict:
    spec = STEPS[name]
    scope = scope_of(request)
    candidate = get_candidate(scope, candidate_uuid, spec.cap)
    if candidate.stage not in spec.stages:
        message = _("This step is not the next one any more: the candidate is at “%(stage)s”.") % {
            "stage": candidate.get_stage_display()
        }
        raise ApiValidationError(error_at(("body",), message, "wrong_stage"))
    form = spec.form(_form_data(payload), candidate=candidate)
    for field in MEMBER_FIELDS:
        if field in form.fields:
            form.fields[field].to_field_name = "uuid"
    if not form.is_valid():
        raise ApiValidationError(form_items(form))
    try:
        spec.service(candidate, **form.kwargs(), user=request.user)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return _detail(scope, candidate_uuid)


CAP_TEXT = {
    Cap.MANAGE_MEMBERS: "Needs the manage_members capability on the cell (its secretary or "
    "deputy, or organization staff above).",
    Cap.MANAGE_STRUCTURE: "Needs the manage_structure capability on the cell (organization "
    "staff of a committee above it): a cell does not decide on its own proposal.",
}


def _register(name: str):
    spec = STEPS[name]
    body = BODIES[name]

    def endpoint(request, candidate_uuid: UUID, payload: body):
        return _take_step(request, candidate_uuid, name, payload)

    endpoint.__name__ = f"candidate_{name}"
    stages = ", ".join(str(s) for s in spec.stages)
    with override("en"):  # the OpenAPI document is in English
        summary = str(spec.title)
    router.post(
        f"/candidates/{{candidate_uuid}}/{name}",
        response={200: CandidateDetail, **WRITE_ERRORS},
        operation_id=f"candidate_{name}",
        summary=summary,
        description=(
            f"From stage {stages}. {CAP_TEXT[spec.cap]} A body the step's rules refuse, or a "
            "candidate at another stage, is a 422 with the reason, and changes nothing."
        ),
    )(endpoint)


for _name in STEPS:
    _register(_name)
