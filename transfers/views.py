"""Transfer pages: start one from a member's page, the lists per organization, the transfer
page with the form of its next step, and one small POST view per step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import Cap, get_member, get_organization, get_transfer, transfer_can
from audit import log as audit_log
from dues import services as dues_services
from lib.downloads import docx_response
from lib.forms import apply_validation_error
from organizations import selectors as org_selectors
from transfers import documents, services
from transfers.forms import (
    CELL_MATCHES,
    CancelForm,
    CompleteOfficialForm,
    IncomingForm,
    LetterForm,
    ReceiveForm,
    ReturnForm,
    StartForm,
    cell_matches,
)
from transfers.models import OPEN_STATUSES, TransferKind, TransferStatus

TABS = ("outgoing", "incoming", "overdue")
LIST_LIMIT = 200


@never_cache
@login_required
def org_list(request, uuid):
    """Transfers out of and into an organization's subtree, and the overdue ones: counts and a list."""
    scope = request.scope
    org = get_organization(scope, uuid)
    today = timezone.localdate()
    base = scope.transfers()
    querysets = {
        "outgoing": base.outgoing(org),
        "incoming": base.incoming(org),
        "overdue": base.touching(org).overdue(today),
    }
    tab = request.GET.get("tab")
    if tab not in TABS:
        tab = "outgoing"
    counts = {
        name: qs.open().count() if name != "overdue" else qs.count()
        for name, qs in querysets.items()
    }
    transfers = list(
        querysets[tab]
        .select_related("from_org", "to_org")
        .order_by("-started_on", "-pk")[:LIST_LIMIT]
    )
    can_receive = org.is_cell and org.is_active and scope.can(Cap.MANAGE_STRUCTURE, org)
    return render(
        request,
        "transfers/list.html",
        {
            "org": org,
            "ancestors": org_selectors.ancestors(org) + [org],
            "tab": tab,
            "tabs": [(name, counts[name]) for name in TABS],
            "transfers": transfers,
            "limit": LIST_LIMIT,
            "today": today,
            "can_record_incoming": can_receive,
        },
    )


@never_cache
@login_required
def start(request, uuid):
    """The sending side starts a transfer of one of its members."""
    member = get_member(request.scope, uuid, Cap.MANAGE_MEMBERS)
    open_transfer = member.transfers.filter(status__in=OPEN_STATUSES).first()
    form = StartForm(request.POST or None, member=member)
    if "find_cell" in request.POST:
        # "Find" without JavaScript: show the matching cells, keep what was typed, save nothing.
        form = StartForm(initial=request.POST.dict(), member=member)
        form.fields["to_org"].widget.query = request.POST.get("to_org_q", "")
    elif request.method == "POST" and open_transfer is None and form.is_valid():
        d = form.cleaned_data
        try:
            transfer = services.start(
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
            apply_validation_error(form, e)
        else:
            messages.success(request, _("The transfer is started."))
            return redirect(transfer)
    return render(
        request,
        "transfers/start.html",
        {
            "member": member,
            "form": form,
            "open_transfer": open_transfer,
            "ancestors": org_selectors.ancestors(member.organization) + [member.organization],
        },
    )


@never_cache
@login_required
def cells(request, uuid):
    """The cells matching what is typed in the receiving-cell box (HTMX fragment)."""
    member = get_member(request.scope, uuid, Cap.MANAGE_MEMBERS)
    form = StartForm(member=member)
    picker = form.fields["to_org"].widget
    selected = (
        form.fields["to_org"]
        .queryset.filter(
            pk=request.GET.get("to_org") if str(request.GET.get("to_org", "")).isdigit() else None
        )
        .first()
    )
    query = request.GET.get("to_org_q", "")[:100]
    return render(
        request,
        "transfers/_cell_choices.html",
        {
            "name": "to_org",
            "query": query,
            "matches": cell_matches(picker.cells, query, selected),
            "selected": selected,
            "limit": CELL_MATCHES,
        },
    )


@never_cache
@login_required
def incoming_start(request, uuid):
    """The receiving committee records an official transfer from outside the system."""
    org = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    form = IncomingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.start_incoming(org, user=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("The incoming transfer is recorded."))
            return redirect(transfer)
    return render(
        request,
        "transfers/incoming.html",
        {"org": org, "form": form, "ancestors": org_selectors.ancestors(org) + [org]},
    )


def _step_forms(request, transfer) -> dict:
    """The form of the next step the user may take, and the cancel form."""
    scope = request.scope
    forms = {}
    if transfer.status == TransferStatus.STARTED and transfer_can(scope, transfer, "issue"):
        # "Dues paid up to": from the dues the cell recorded, when it records them (editable).
        paid = dues_services.paid_until(transfer.member) if transfer.member_id else None
        forms["letter_form"] = LetterForm(transfer=transfer, initial={"dues_paid_until": paid})
    elif transfer.status == TransferStatus.LETTER_ISSUED and transfer_can(
        scope, transfer, "receive"
    ):
        forms["receive_form"] = ReceiveForm()
    elif transfer.status == TransferStatus.RECEIVED and transfer_can(scope, transfer, "complete"):
        if transfer.kind == TransferKind.TEMPORARY:
            forms["return_form"] = ReturnForm(initial={"ended_on": transfer.end_date})
        else:
            forms["complete_form"] = CompleteOfficialForm(transfer=transfer)
    cancellable = transfer.status in (TransferStatus.STARTED, TransferStatus.LETTER_ISSUED) or (
        transfer.status == TransferStatus.RECEIVED and transfer.kind == TransferKind.OFFICIAL
    )
    if cancellable and transfer_can(scope, transfer, "cancel"):
        forms["cancel_form"] = CancelForm(auto_id="cancel_%s")
    return forms


@never_cache
@login_required
def detail(request, uuid):
    transfer = get_transfer(request.scope, uuid)
    if transfer.member_id:
        audit_log.record_view(transfer.member, "transfer")
    return _render_detail(request, transfer)


def _render_detail(request, transfer, forms=None):
    scope = request.scope
    # The receiving side sees the name and the letter; the record only when it is in scope.
    member_visible = (
        transfer.member_id is not None and scope.members().filter(pk=transfer.member_id).exists()
    )
    ctx = {
        "transfer": transfer,
        "member_visible": member_visible,
        "presented_late": transfer.presented_late(),
        **_step_forms(request, transfer),
        **(forms or {}),
    }
    return render(request, "transfers/detail.html", ctx, status=400 if forms else 200)


def _step(request, transfer, form_name, form, action, success):
    """Run one step on a transfer loaded for it (get_transfer: 404 outside both sides, 403
    without the step's capability); a bad form or a refused transition shows the page again
    with the errors, nothing written."""
    if form.is_valid():
        try:
            action(transfer, form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, success)
            return redirect(transfer)
    return _render_detail(request, transfer, {form_name: form})


@login_required
@require_POST
def issue(request, uuid):
    transfer = get_transfer(request.scope, uuid, "issue")
    return _step(
        request,
        transfer,
        "letter_form",
        LetterForm(request.POST, transfer=transfer),
        lambda t, d: services.issue_letter(t, user=request.user, **d),
        _("The introduction letter is recorded."),
    )


@login_required
@require_POST
def receive(request, uuid):
    transfer = get_transfer(request.scope, uuid, "receive")
    return _step(
        request,
        transfer,
        "receive_form",
        ReceiveForm(request.POST),
        lambda t, d: services.receive(t, user=request.user, **d),
        _("The letter is received."),
    )


@login_required
@require_POST
def complete(request, uuid):
    transfer = get_transfer(request.scope, uuid, "complete")
    if transfer.kind == TransferKind.TEMPORARY:
        name, form = "return_form", ReturnForm(request.POST)
        success = _("The member's return is recorded.")
    else:
        name, form = "complete_form", CompleteOfficialForm(request.POST, transfer=transfer)
        success = _("The transfer is completed.")
    return _step(
        request,
        transfer,
        name,
        form,
        lambda t, d: services.complete(t, user=request.user, **d),
        success,
    )


@login_required
@require_POST
def cancel(request, uuid):
    transfer = get_transfer(request.scope, uuid, "cancel")
    return _step(
        request,
        transfer,
        "cancel_form",
        CancelForm(request.POST, auto_id="cancel_%s"),
        lambda t, d: services.cancel(t, user=request.user, **d),
        _("The transfer is cancelled."),
    )


@never_cache
@login_required
def sheet_docx(request, uuid):
    """The transfer data sheet (the introduction letter's data) as a Word file, for whoever
    sees the transfer's page."""
    transfer = get_transfer(request.scope, uuid)
    if transfer.member_id:
        audit_log.record_view(transfer.member, "transfer_docx")
    return docx_response(documents.transfer_docx(transfer), documents.filename(transfer))
