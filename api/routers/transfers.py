"""Transfers of party activity: the list, one transfer, and its steps (letter, receipt,
completion, cancel).

Each side sees the transfer (Scope.transfers) and acts on its own organization
(accounts.access.transfer_can, the pages' rule). Each step's body is checked by the page's
form, then the transfers.services function checks the transfer's state and raises
ValidationError (nothing written): both become a 422.

Starting one is the pages' too: the sending cell's managers start an outgoing transfer of a
member (manage_members on the member, transfers.views.start); the receiving committee
records an official transfer from outside the system (manage_structure on the receiving
cell, transfers.views.incoming_start).
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from accounts.access import Cap, get_member, get_organization, get_transfer, transfer_can
from api.auth import scope_of
from api.errors import ApiValidationError, django_items, form_items
from api.pagination import paginate
from api.routers.meetings_common import error_at, visible_org
from api.schemas import Error, ValidationErrors
from api.schemas_life import (
    CompleteIn,
    IncomingTransferIn,
    LetterIn,
    TransferCancelIn,
    TransferDetail,
    TransferFilters,
    TransferPage,
    TransferReceiveIn,
    TransferStartIn,
)
from transfers import services
from transfers.forms import (
    CancelForm,
    CompleteOfficialForm,
    IncomingForm,
    LetterForm,
    ReceiveForm,
    ReturnForm,
    StartForm,
)
from transfers.models import OPEN_STATUSES, Transfer, TransferKind, TransferStatus

router = Router(tags=["transfers"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
REFUSED = (
    " A body or a state the step does not allow is a 422 with the reason, and changes nothing."
)


def _ref(org) -> dict | None:
    return {"uuid": org.uuid, "name": org.name} if org is not None else None


def _item(t: Transfer, member_visible: bool) -> dict:
    return {
        "uuid": t.uuid,
        "member_name": t.member_name,
        "member": t.member.uuid if t.member_id and member_visible else None,
        "kind": t.kind,
        "reason": t.reason,
        "status": t.status,
        "from_org": _ref(t.from_org),
        "from_org_name": t.from_org_name,
        "to_org": _ref(t.to_org),
        "to_org_name": t.to_org_name,
        "trigger_date": t.trigger_date,
        "started_on": t.started_on,
        "start_due": t.start_due,
        "end_date": t.end_date,
    }


def _visible_members(scope, transfers) -> set[int]:
    """Members whose record the caller sees (the receiving side may see only the name)."""
    ids = {t.member_id for t in transfers if t.member_id}
    if not ids:
        return set()
    return set(scope.members().filter(pk__in=ids).values_list("pk", flat=True))


def _steps(scope, t: Transfer) -> list[str]:
    steps = []
    if t.status == TransferStatus.STARTED and transfer_can(scope, t, "issue"):
        steps.append("issue")
    elif t.status == TransferStatus.LETTER_ISSUED and transfer_can(scope, t, "receive"):
        steps.append("receive")
    elif t.status == TransferStatus.RECEIVED and transfer_can(scope, t, "complete"):
        steps.append("complete")
    cancellable = t.status in (TransferStatus.STARTED, TransferStatus.LETTER_ISSUED) or (
        t.status == TransferStatus.RECEIVED and t.kind == TransferKind.OFFICIAL
    )
    if cancellable and transfer_can(scope, t, "cancel"):
        steps.append("cancel")
    return steps


def _detail(scope, uuid) -> dict:
    t = get_transfer(scope, uuid)
    return {
        **_item(t, bool(_visible_members(scope, [t]))),
        **{
            f: getattr(t, f)
            for f in (
                "reason_detail",
                "letter_type",
                "letter_no",
                "register_no",
                "letter_issued_on",
                "letter_issued_by",
                "dues_paid_until",
                "present_due",
                "presented_on",
                "received_on",
                "effective_on",
                "ended_on",
                "cancelled_on",
                "cancel_reason",
                "note",
            )
        },
        "presented_late": t.presented_late(),
        "steps": _steps(scope, t),
    }


@router.get(
    "/transfers",
    response={200: TransferPage, **READ_ERRORS},
    operation_id="list_transfers",
    summary="List transfers of party activity",
    description=(
        "Transfers whose sending or receiving cell is within the caller's scope, latest "
        "first. `org` limits them to those out of or into an organization's subtree, and "
        "`direction` to outgoing, incoming or overdue (open, and started or presented late); "
        "`status` to one status or open."
    ),
)
def list_transfers(request, filters: Query[TransferFilters]):
    scope = scope_of(request)
    today = timezone.localdate()
    qs = scope.transfers()
    if filters.org:
        org = visible_org(scope, filters.org)
        qs = {
            "outgoing": qs.outgoing(org),
            "incoming": qs.incoming(org),
            "overdue": qs.touching(org).overdue(today),
            "all": qs.touching(org),
        }[filters.direction]
    elif filters.direction == "overdue":
        qs = qs.overdue(today)
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status != "all":
        qs = qs.filter(status=filters.status)
    qs = qs.select_related("from_org", "to_org", "member").order_by("-started_on", "-pk")
    transfers, meta = paginate(qs, filters)
    visible = _visible_members(scope, transfers)
    return {"items": [_item(t, t.member_id in visible) for t in transfers], **meta}


@router.post(
    "/transfers",
    response={201: TransferDetail, **WRITE_ERRORS},
    operation_id="start_transfer",
    summary="Start a transfer of party activity",
    description=(
        "The sending side starts the official or temporary transfer of `member` out of their "
        "home cell: to `to_org`, a cell of the member's province; to a cell of another "
        "province, `to_province` (uuid) with the cell's `to_code`; or to `to_org_name`, an "
        "organization outside the system. Needs the manage_members capability on the member "
        "(the home cell's secretary or deputy, or organization staff above). A member with a "
        "transfer in progress, or a body the rules refuse (dates, the kind's reasons and "
        "length, an unknown or dissolved receiving cell), is a 422 with the reason, and "
        "nothing is written."
    ),
)
def start_transfer(request, payload: TransferStartIn):
    scope = scope_of(request)
    member = get_member(scope, payload.member, Cap.MANAGE_MEMBERS)
    if member.transfers.filter(status__in=OPEN_STATUSES).exists():
        # The page shows no form then.
        message = _("This member already has a transfer in progress: finish or cancel it first.")
        raise ApiValidationError(error_at(("body", "member"), message, "transfer_in_progress"))
    data = _data(payload)
    del data["member"]
    form = StartForm(data, member=member)
    form.fields["to_org"].to_field_name = "uuid"
    form.fields["to_province"].to_field_name = "uuid"
    if not form.is_valid():
        raise ApiValidationError(form_items(form))
    d = form.cleaned_data
    try:
        transfer = services.start(  # the arguments transfers.views.start gives
            member,
            kind=d["kind"],
            reason=d["reason"],
            reason_detail=d["reason_detail"],
            trigger_date=d["trigger_date"],
            started_on=d["started_on"],
            end_date=d["end_date"],
            to_org=d["to_org"],
            to_org_name="" if d["to_org"] else d["to_org_name"],
            note=d["note"],
            user=request.user,
        )
    except ValidationError as e:
        # A cell named by province and code is refused where the client named it.
        fields = {"to_org": ("body", "to_code")} if payload.to_province else None
        raise ApiValidationError(django_items(e, default_field="member", fields=fields)) from e
    return Status(201, _detail(scope, transfer.uuid))


# Before /transfers/{transfer_uuid}: Django matches paths in order, and "incoming" would be
# taken for a transfer's uuid.
@router.post(
    "/transfers/incoming",
    response={201: TransferDetail, **WRITE_ERRORS},
    operation_id="record_incoming_transfer",
    summary="Record a transfer coming from outside the system",
    description=(
        "The receiving committee records an official transfer into `to_org` from an "
        "organization outside the system (the member has no record here yet: add them to the "
        "cell, then link the record when completing). Needs the manage_structure capability "
        "on the receiving cell. A body the rules refuse (not a cell, dates, a reason that is "
        "not an official transfer's) is a 422 with the reason, and nothing is written."
    ),
)
def record_incoming_transfer(request, payload: IncomingTransferIn):
    scope = scope_of(request)
    org = get_organization(scope, payload.to_org, Cap.MANAGE_STRUCTURE)
    data = _data(payload)
    del data["to_org"]
    form = IncomingForm(data)
    if not form.is_valid():
        raise ApiValidationError(form_items(form))
    try:
        transfer = services.start_incoming(org, user=request.user, **form.cleaned_data)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return Status(201, _detail(scope, transfer.uuid))


@router.get(
    "/transfers/{transfer_uuid}",
    response={200: TransferDetail, **READ_ERRORS},
    operation_id="get_transfer",
    summary="Read a transfer",
    description=(
        "The transfer with its letter, receipt, completion or cancellation, and the steps the "
        "caller may take now. The member's record is named only when the caller sees it."
    ),
)
def get_transfer_detail(request, transfer_uuid: UUID):
    return _detail(scope_of(request), transfer_uuid)


def _data(payload) -> dict:
    return {k: v for k, v in payload.model_dump(mode="json").items() if v is not None}


def _step(request, transfer_uuid, step, make_form, action) -> dict:
    scope = scope_of(request)
    transfer = get_transfer(scope, transfer_uuid, step)
    form = make_form(transfer)
    if not form.is_valid():
        raise ApiValidationError(form_items(form))
    try:
        action(transfer, user=request.user, **form.cleaned_data)
    except ValidationError as e:
        raise ApiValidationError(django_items(e)) from e
    return _detail(scope, transfer_uuid)


@router.post(
    "/transfers/{transfer_uuid}/issue",
    response={200: TransferDetail, **WRITE_ERRORS},
    operation_id="issue_transfer_letter",
    summary="Record the introduction letter",
    description=(
        "Started → letter issued. Needs the manage_structure capability on the sending cell "
        "(the committee above it issues the letter)." + REFUSED
    ),
)
def issue_letter(request, transfer_uuid: UUID, payload: LetterIn):
    return _step(
        request,
        transfer_uuid,
        "issue",
        lambda t: LetterForm(_data(payload), transfer=t),
        services.issue_letter,
    )


@router.post(
    "/transfers/{transfer_uuid}/receive",
    response={200: TransferDetail, **WRITE_ERRORS},
    operation_id="receive_transfer",
    summary="Record that the letter was received",
    description=(
        "Letter issued → received. Needs the manage_structure capability on the receiving "
        "cell (on the sending one when the receiver is outside the system)." + REFUSED
    ),
)
def receive(request, transfer_uuid: UUID, payload: TransferReceiveIn):
    return _step(
        request, transfer_uuid, "receive", lambda t: ReceiveForm(_data(payload)), services.receive
    )


@router.post(
    "/transfers/{transfer_uuid}/complete",
    response={200: TransferDetail, **WRITE_ERRORS},
    operation_id="complete_transfer",
    summary="Complete the transfer",
    description=(
        "Received → completed. An official transfer takes `effective_on` (and, coming from "
        "outside the system, the member's new record in `member`); a temporary one records "
        "the member's return with `ended_on`. Needs the manage_structure capability on the "
        "receiving cell; a temporary member's return may also be recorded by the sending "
        "cell's managers." + REFUSED
    ),
)
def complete(request, transfer_uuid: UUID, payload: CompleteIn):
    data = _data(payload)

    def make_form(t):
        if t.kind == TransferKind.TEMPORARY:
            return ReturnForm({k: v for k, v in data.items() if k == "ended_on"})
        form = CompleteOfficialForm({k: v for k, v in data.items() if k != "ended_on"}, transfer=t)
        if "member" in form.fields:
            form.fields["member"].to_field_name = "uuid"
        return form

    return _step(request, transfer_uuid, "complete", make_form, services.complete)


@router.post(
    "/transfers/{transfer_uuid}/cancel",
    response={200: TransferDetail, **WRITE_ERRORS},
    operation_id="cancel_transfer",
    summary="Cancel the transfer",
    description=(
        "A transfer not yet completed is cancelled, with the reason. Needs the manage_members "
        "capability on the sending cell, or manage_structure on the receiving one." + REFUSED
    ),
)
def cancel(request, transfer_uuid: UUID, payload: TransferCancelIn):
    return _step(
        request, transfer_uuid, "cancel", lambda t: CancelForm(_data(payload)), services.cancel
    )
