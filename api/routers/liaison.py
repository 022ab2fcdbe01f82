"""Residence liaison (QĐ 213): the list, one liaison, an organization's rates, and the steps
(introduce or exempt a member, receive, exemption from activities, end, annual comment).

Each side sees the liaison (Scope.liaisons) and acts as liaison/views.py lets it: the workplace
(manage_structure on the workplace cell) introduces and exempts, the residence (manage_structure
on the commune) receives, either ends or marks an exemption from activities, the residence
cell's managers or the commune comment. Each step's body is checked by the page's form, then
the liaison.services function checks the state and raises ValidationError (nothing written):
both become a 422.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from accounts.access import Cap, get_liaison, get_member, get_organization
from api.auth import scope_of
from api.errors import ApiValidationError, django_items, form_items
from api.pagination import paginate
from api.routers.meetings_common import error_at, member_ref, visible_org
from api.schemas import Error, ValidationErrors
from api.schemas_liaison import (
    ActivityExemptionIn,
    CommentIn,
    ExemptIn,
    IntroduceIn,
    LiaisonDetail,
    LiaisonEndIn,
    LiaisonFilters,
    LiaisonPage,
    LiaisonRates,
    LiaisonReceiveIn,
    RatesFilters,
)
from liaison import services
from liaison.forms import (
    ActivityExemptionForm,
    CommentForm,
    EndForm,
    ExemptForm,
    IntroduceForm,
    ReceiveForm,
)
from liaison.models import (
    ACTIVITY_EXEMPTIONS,
    CRITERIA,
    INTRODUCED_STATUSES,
    OPEN_STATUSES,
    AnnualComment,
    LiaisonStatus,
    Overall,
    ResidenceLiaison,
    Side,
)
from members.models import Member
from organizations.models import subtree_q

router = Router(tags=["liaison"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
REFUSED = (
    " A body or a state the step does not allow is a 422 with the reason, and changes nothing."
)


def _ref(org) -> dict | None:
    return {"uuid": org.uuid, "name": org.name} if org is not None else None


def _year(value: int | None) -> int:
    return value or timezone.localdate().year


def _comment_of(year: int, **extra):
    return AnnualComment.objects.filter(liaison_id=OuterRef("pk"), year=year, **extra)


def _item(scope, r: ResidenceLiaison, overall: str | None) -> dict:
    # The residence side sees the liaison but not always the member's record (as the page).
    sees_member = scope.level_for(r.member.organization) > 0
    return {
        "uuid": r.uuid,
        "member_name": r.member.person.full_name,
        "member": r.member.uuid if sees_member else None,
        "status": r.status,
        "workplace_cell": _ref(r.workplace_cell),
        "residence_commune": _ref(r.residence_commune),
        "residence_cell": _ref(r.residence_cell),
        "introduced_on": r.introduced_on,
        "received_on": r.received_on,
        "exemption": r.exemption,
        "exempt_on": r.exempt_on,
        "ended_on": r.ended_on,
        "comment_overall": overall,
    }


# ---- who may do what: liaison/views.py _sides, _forms and the comment page ------------------


def _sides(scope, liaison) -> list[str]:
    sides = []
    if liaison.can_act_for_workplace(scope):
        sides.append(Side.WORKPLACE)
    if liaison.status != LiaisonStatus.EXEMPT and liaison.can_act_for_residence(scope):
        sides.append(Side.RESIDENCE)
    return sides


def _received(liaison) -> bool:
    return liaison.received_on is not None and liaison.status in (
        LiaisonStatus.RECEIVED,
        LiaisonStatus.ENDED,
    )


def _steps(scope, liaison, sides) -> list[str]:
    steps = []
    if liaison.status == LiaisonStatus.INTRODUCED and liaison.can_act_for_residence(scope):
        steps.append("receive")
    if liaison.status in INTRODUCED_STATUSES and sides:
        steps.append("activity_exemption")
    if liaison.is_open and sides:
        steps.append("end")
    if _received(liaison) and liaison.can_comment(scope):
        steps.append("comment")
    return steps


def _detail(scope, uuid) -> dict:
    liaison = get_liaison(scope, uuid)
    comments = list(liaison.comments.all())
    notices = list(liaison.notices.select_related("from_org", "to_org"))
    this_year = next((c for c in comments if c.year == timezone.localdate().year), None)
    sides = _sides(scope, liaison)
    village = liaison.residence_village
    return {
        **_item(scope, liaison, this_year.overall if this_year else None),
        "residence_village": village.name if village else None,
        "letter_no": liaison.letter_no,
        "exemption_reason": liaison.exemption_reason,
        "exempt_from_activities": liaison.exempt_from_activities,
        "end_reason": liaison.end_reason,
        "end_note": liaison.end_note,
        "ended_by_side": liaison.ended_by_side,
        "comments": [
            {
                "year": c.year,
                **{name: getattr(c, name) for name, _label in CRITERIA},
                "overall": c.overall,
                "other_comments": c.other_comments,
                "front_opinion": c.front_opinion,
                "front_head": c.front_head,
                "signed_by": c.signed_by,
                "commented_on": c.commented_on,
            }
            for c in comments
        ],
        "notices": [
            {
                "kind": n.kind,
                "from_org": _ref(n.from_org),
                "to_org": _ref(n.to_org),
                "event_on": n.event_on,
                "note": n.note,
                "created_at": n.created_at,
                "emailed_at": n.emailed_at,
            }
            for n in notices
        ],
        "sides": sides,
        "steps": _steps(scope, liaison, sides),
    }


# ---- reading --------------------------------------------------------------------------------


@router.get(
    "/liaisons",
    response={200: LiaisonPage, **READ_ERRORS},
    operation_id="list_liaisons",
    summary="List residence liaisons",
    description=(
        "Liaisons whose workplace cell, or residence commune or cell, is within the caller's "
        "scope, by member name. `org` limits them to an organization's subtree, as the "
        "workplace or the residence (`side`); `status` to one status, open or all; `comment` "
        "to the members due a comment on `year` and whether their cell commented. Each row "
        "carries the overall assessment of `year`'s comment."
    ),
)
def list_liaisons(request, filters: Query[LiaisonFilters]):
    scope = scope_of(request)
    year = _year(filters.year)
    qs = scope.liaisons()
    if filters.org:
        org = visible_org(scope, filters.org)
        workplace = subtree_q(org.path, "workplace_cell__")
        residence = services.residence_filter(org)
        qs = qs.filter(
            {"workplace": workplace, "residence": residence, "all": workplace | residence}[
                filters.side
            ]
        )
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.comment != "all":
        # The same lists as the organization page's: received, not exempt from activities.
        due = Q(status=LiaisonStatus.RECEIVED) & ~Q(exemption__in=ACTIVITY_EXEMPTIONS)
        qs = qs.filter(
            due
            & {
                "not_commented": ~Exists(_comment_of(year)),
                "commented": Exists(_comment_of(year)),
                "well": Exists(_comment_of(year, overall=Overall.GOOD)),
            }[filters.comment]
        )
    qs = (
        qs.select_related(
            "member__person",
            "member__organization",
            "workplace_cell",
            "residence_commune",
            "residence_cell",
        )
        .annotate(year_overall=Subquery(_comment_of(year).values("overall")[:1]))
        .order_by("member__person__sort_key", "pk")
    )
    rows, meta = paginate(qs, filters)
    return {"year": year, "items": [_item(scope, r, r.year_overall) for r in rows], **meta}


@router.get(
    "/liaisons/{liaison_uuid}",
    response={200: LiaisonDetail, **READ_ERRORS},
    operation_id="get_liaison",
    summary="Read a residence liaison",
    description=(
        "The liaison with its introduction, receipt, exemption or end, the residence cell's "
        "annual comments, the changes told to the other side, and the steps the caller may "
        "take now. The member's record is named only when the caller sees it."
    ),
)
def get_liaison_detail(request, liaison_uuid: UUID):
    return _detail(scope_of(request), liaison_uuid)


@router.get(
    "/organizations/{org_uuid}/liaison-rates",
    response={200: LiaisonRates, **READ_ERRORS},
    operation_id="get_liaison_rates",
    summary="An organization's residence-liaison rates",
    description=(
        "For `year` (this year by default), the organization as the workplace of the working "
        "members of its subtree (introduced, received, commented, commented well, with rates) "
        "and as the residence of the members introduced to it; `items` are its working "
        "members not yet introduced nor exempt, by name. Needs the view capability."
    ),
)
def get_liaison_rates(request, org_uuid: UUID, filters: Query[RatesFilters]):
    scope = scope_of(request)
    org = get_organization(scope, org_uuid, Cap.VIEW)
    year = _year(filters.year)
    members = Member.objects.filter(subtree_q(org.path, "organization__"))
    qs = (
        services.not_yet_introduced(members)
        .select_related("person__residence_village", "organization")
        .order_by("person__sort_key", "pk")
    )
    rows, meta = paginate(qs, filters)
    items = [
        {
            "member": member_ref(m),
            "cell": _ref(m.organization),
            "residence_village": m.person.residence_village.name
            if m.person.residence_village
            else None,
            "can_introduce": scope.can(Cap.MANAGE_STRUCTURE, m.organization),
        }
        for m in rows
    ]
    return {
        "organization": _ref(org),
        "year": year,
        "workplace": services.workplace_counts(org, year),
        "residence": services.residence_counts(org, year),
        "items": items,
        **meta,
    }


# ---- steps --------------------------------------------------------------------------------


def _data(payload) -> dict:
    return {k: v for k, v in payload.model_dump(mode="json").items() if v is not None}


def _run(form, action, fields: dict | None = None):
    if not form.is_valid():
        raise ApiValidationError(form_items(form))
    try:
        action(form.cleaned_data)
    except ValidationError as e:
        raise ApiValidationError(django_items(e, fields=fields)) from e


def _pk_of(orgs, value):
    """The forms choose organizations by id; the API names them by uuid. An unknown uuid
    stays as it is, and the form refuses it as not one of the choices."""
    return next((o.pk for o in orgs if str(o.uuid) == value), value)


def _member_step(request, member_uuid, make_form, act) -> dict:
    """Introduce and exempt (the workplace side): the member must be one to introduce, with
    no open liaison (as the page, which then shows no form)."""
    scope = scope_of(request)
    member = get_member(scope, member_uuid, Cap.MANAGE_STRUCTURE)
    why = services.why_not_eligible(member)
    if not why and services.open_liaisons().filter(member=member).exists():
        why = _("%(name)s already has an open liaison.") % {"name": member.person.full_name}
    if why:
        raise ApiValidationError(error_at(("body",), why))
    created = {}
    _run(make_form(member), lambda d: created.setdefault("liaison", act(member, d)))
    return _detail(scope, created["liaison"].uuid)


@router.post(
    "/members/{member_uuid}/liaison/introduce",
    response={201: LiaisonDetail, **WRITE_ERRORS},
    operation_id="introduce_member_to_residence",
    summary="Introduce a working member to their residence",
    description=(
        "A probationary or official member of a workplace cell, with no open liaison, is "
        "introduced to the commune or ward committee where they live (and, when their recorded "
        "village is covered by a cell of it, to that cell). Needs the manage_structure "
        "capability on the member's cell." + REFUSED
    ),
)
def introduce(request, member_uuid: UUID, payload: IntroduceIn):
    data = _data(payload)
    forms = {}

    def make_form(member):
        communes = list(services.communes(member.province_id))
        if "residence_commune" in data:
            data["residence_commune"] = _pk_of(communes, data["residence_commune"])
        form = IntroduceForm(data, communes=communes, province_id=member.province_id)
        form.fields["other_province"].to_field_name = "uuid"
        forms["introduce"] = form
        return form

    def act(member, d):
        commune = forms["introduce"].commune()
        # The page's proposal: the cell covering the member's recorded village, if in the commune.
        _commune, proposed = services.proposed_residence(member)
        inside = proposed is not None and (
            proposed.pk == commune.pk or proposed.path.startswith(commune.path)
        )
        return services.introduce(
            member,
            residence_commune=commune,
            residence_cell=proposed if inside else None,
            introduced_on=d["introduced_on"],
            letter_no=d["letter_no"],
            exemption=d["exemption"],
            exemption_reason=d["exemption_reason"],
            by=request.user,
        )

    return Status(201, _member_step(request, member_uuid, make_form, act))


@router.post(
    "/members/{member_uuid}/liaison/exempt",
    response={201: LiaisonDetail, **WRITE_ERRORS},
    operation_id="exempt_member_from_introduction",
    summary="Record a working member as not introduced",
    description=(
        "A case of HD 33 §1.2 (secret mission, combat readiness, …): the member is not "
        "introduced to their residence. Needs the manage_structure capability on the member's "
        "cell." + REFUSED
    ),
)
def exempt(request, member_uuid: UUID, payload: ExemptIn):
    return Status(
        201,
        _member_step(
            request,
            member_uuid,
            lambda member: ExemptForm(_data(payload)),
            lambda member, d: services.exempt(
                member, category=d["category"], reason=d["reason"], on=d["on"], by=request.user
            ),
        ),
    )


@router.post(
    "/liaisons/{liaison_uuid}/receive",
    response={200: LiaisonDetail, **WRITE_ERRORS},
    operation_id="receive_liaison",
    summary="Receive an introduced member",
    description=(
        "Introduced → received: the commune committee assigns the member to a village or "
        "residential cell of it. Needs the manage_structure capability on the residence "
        "commune." + REFUSED
    ),
)
def receive(request, liaison_uuid: UUID, payload: LiaisonReceiveIn):
    scope = scope_of(request)
    liaison = get_liaison(scope, liaison_uuid)
    if not liaison.can_act_for_residence(scope):
        raise PermissionDenied
    if liaison.status != LiaisonStatus.INTRODUCED:
        message = _("This member is not waiting for receipt.")
        raise ApiValidationError(error_at(("body",), message))
    cells = list(services.residence_cells(liaison.residence_commune))
    data = _data(payload)
    data["residence_cell"] = _pk_of(cells, data["residence_cell"])
    form = ReceiveForm(data, cells=cells)
    _run(
        form,
        lambda d: services.receive(
            liaison, residence_cell=form.cell(), received_on=d["received_on"], by=request.user
        ),
    )
    return _detail(scope, liaison_uuid)


@router.post(
    "/liaisons/{liaison_uuid}/activity_exemption",
    response={200: LiaisonDetail, **WRITE_ERRORS},
    operation_id="set_liaison_activity_exemption",
    summary="Mark or lift an exemption from activities at the residence",
    description=(
        "An introduced or received member exempt from routine activities and the annual "
        "comment (HD 33 §1.1), or, with an empty `exemption`, no longer. Needs the "
        "manage_structure capability on the workplace cell or the residence commune." + REFUSED
    ),
)
def activity_exemption(request, liaison_uuid: UUID, payload: ActivityExemptionIn):
    scope = scope_of(request)
    liaison = get_liaison(scope, liaison_uuid)
    if not _sides(scope, liaison):
        raise PermissionDenied
    _run(
        ActivityExemptionForm(_data(payload)),
        lambda d: services.set_activity_exemption(
            liaison, category=d["exemption"], reason=d["reason"], on=d["on"], by=request.user
        ),
        fields={"exemption_reason": ("body", "reason")},
    )
    return _detail(scope, liaison_uuid)


@router.post(
    "/liaisons/{liaison_uuid}/end",
    response={200: LiaisonDetail, **WRITE_ERRORS},
    operation_id="end_liaison",
    summary="End a residence liaison",
    description=(
        "The member moved, changed job, left the Party…: the liaison ends and the other side "
        "is told (a notice, and an e-mail to its staff); an exemption from introduction ends "
        "with no notice. Needs the manage_structure capability on the workplace cell or the "
        "residence commune." + REFUSED
    ),
)
def end(request, liaison_uuid: UUID, payload: LiaisonEndIn):
    scope = scope_of(request)
    liaison = get_liaison(scope, liaison_uuid)
    sides = _sides(scope, liaison)
    if not sides:
        raise PermissionDenied
    data = _data(payload)
    data.setdefault("side", sides[0])
    _run(
        EndForm(data, exempt=liaison.status == LiaisonStatus.EXEMPT, sides=sides),
        lambda d: services.end(
            liaison, on=d["on"], reason=d["reason"], side=d["side"], note=d["note"], by=request.user
        ),
    )
    return _detail(scope, liaison_uuid)


@router.post(
    "/liaisons/{liaison_uuid}/comment",
    response={201: LiaisonDetail, **WRITE_ERRORS},
    operation_id="comment_on_liaison",
    summary="Record the residence cell's annual comment",
    description=(
        "One comment per year on a received member, agreed with the village Front work "
        "committee: an answer (well, done, not_yet) per criterion and the overall assessment. "
        "Needs the manage_members capability on the residence cell, or manage_structure on the "
        "commune." + REFUSED
    ),
)
def comment(request, liaison_uuid: UUID, payload: CommentIn):
    scope = scope_of(request)
    liaison = get_liaison(scope, liaison_uuid)
    if not liaison.can_comment(scope):
        raise PermissionDenied
    if not _received(liaison):
        message = _("The residence cell comments on a member after receiving them.")
        raise ApiValidationError(error_at(("body",), message))
    form = CommentForm(_data(payload))
    _run(
        form,
        lambda d: services.record_comment(
            liaison,
            year=d["year"],
            answers=form.answers(),
            overall=d["overall"],
            commented_on=d["commented_on"],
            other_comments=d["other_comments"],
            front_opinion=d["front_opinion"],
            front_head=d["front_head"],
            signed_by=d["signed_by"],
            by=request.user,
        ),
    )
    return Status(201, _detail(scope, liaison_uuid))
