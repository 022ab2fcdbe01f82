"""The transfer of party activity, one function per transition (brief §5.3, §14.2 C).

started → letter issued → received → completed, or cancelled before it completes.
Each function checks the transition is allowed from the current status, validates
everything first (ValidationError with a message a user can act on), then writes in
one transaction. The membership periods change here:

- an official transfer completes: the home period in the sending cell closes the day
  before the effective date and a home period opens in the receiving cell that day
  (members.services.move_member; across provinces the member's tenant key moves too);
- a temporary transfer is received: a temporary period opens in the receiving cell (the
  member stays in the home cell's đảng số) and closes when the transfer completes (the
  member's return).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.security import end_sessions_of_member
from liaison.models import EndReason
from liaison.services import end_for_member
from lib.text import vn_date
from members.models import Member, Membership, MembershipKind, MemberStatus, Person
from members.services import close_memberships, move_member, move_memberships
from organizations.models import Organization
from oversight.models import Inspection, InspectionStatus
from transfers.models import (
    LETTER_FOR_KIND,
    OFFICIAL_ONLY_REASONS,
    OPEN_STATUSES,
    TEMPORARY_ONLY_REASONS,
    LetterType,
    Transfer,
    TransferKind,
    TransferReason,
    TransferStatus,
    temporary_window_error,
)

ONE_DAY = dt.timedelta(days=1)


# Why a residence liaison ends when an official transfer completes.
LIAISON_END = {
    TransferReason.RETIREMENT: EndReason.RETIRED,
    TransferReason.LOST_CAPACITY: EndReason.RETIRED,
    TransferReason.STUDY: EndReason.LONG_STUDY,
    TransferReason.RESIDENCE: EndReason.MOVED,
}


def _require(transfer: Transfer, *statuses):
    if transfer.status not in statuses:
        raise ValidationError(
            _("This cannot be done while the transfer is “%(status)s”.")
            % {"status": transfer.get_status_display()}
        )


def _not_future(day: dt.date, field: str, errors: dict):
    if day and day > timezone.localdate():
        errors.setdefault(field, _("This date is in the future."))


def _check_cell(org: Organization, field: str, errors: dict):
    if not org.is_cell:
        errors[field] = _("%(name)s is not a cell; members belong to a cell.") % {"name": org.name}
    elif not org.is_active:
        errors[field] = _("%(name)s has been dissolved.") % {"name": org.name}


def _check_kind(kind, reason, trigger_date, end_date, errors: dict):
    if kind == TransferKind.OFFICIAL:
        if reason in TEMPORARY_ONLY_REASONS:
            errors["reason"] = _("Full-time study in the country is a temporary transfer.")
        if end_date:
            errors["end_date"] = _("An official transfer has no end date.")
    else:
        if reason in OFFICIAL_ONLY_REASONS:
            errors["reason"] = _("This reason ends the old attachment: make an official transfer.")
        if not end_date:
            errors["end_date"] = _("Give the date the temporary transfer ends.")
        elif trigger_date:
            message = temporary_window_error(reason, trigger_date, end_date)
            if message:
                errors["end_date"] = message


@transaction.atomic
def _check_not_under_inspection(member: Member):
    """A member being inspected is not transferred officially until the conclusion (brief
    §5.3, QĐ 29: "members under inspection… not transferred"). A temporary move (study, a
    posting of a few months) is still possible [I]."""
    open_ = (
        Inspection.objects.filter(subject_member=member, status=InspectionStatus.IN_PROGRESS)
        .select_related("organization")
        .first()
    )
    if open_ is not None:
        raise ValidationError(
            _(
                "%(name)s is being inspected by %(org)s (since %(date)s): an official transfer "
                "waits for the conclusion."
            )
            % {
                "name": member.person.full_name,
                "org": open_.organization.name,
                "date": vn_date(open_.started_on or open_.planned_from),
            }
        )


def start(
    member: Member,
    *,
    kind: str,
    reason: str,
    trigger_date: dt.date,
    started_on: dt.date,
    to_org: Organization | None = None,
    to_org_name: str = "",
    end_date: dt.date | None = None,
    reason_detail: str = "",
    note: str = "",
    user=None,
) -> Transfer:
    """Start the transfer of a member from their home cell (the sending side)."""
    errors = {}
    to_org_name = to_org_name.strip()
    if not member.is_active:
        raise ValidationError(_("Only an active member's party activity is transferred."))
    if member.transfers.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(
            _("This member already has a transfer in progress: finish or cancel it first.")
        )
    if kind == TransferKind.OFFICIAL:
        _check_not_under_inspection(member)
    home = member.organization
    if to_org is None and not to_org_name:
        errors["to_org"] = _(
            "Choose the receiving cell, or name the organization outside the system."
        )
    elif to_org is not None and to_org_name:
        errors["to_org_name"] = _(
            "Either a cell in the system or an organization outside it, not both."
        )
    elif to_org is not None:
        _check_cell(to_org, "to_org", errors)
        if to_org.pk == home.pk:
            errors["to_org"] = _("The receiving cell is the member's own cell.")
    _check_kind(kind, reason, trigger_date, end_date, errors)
    _not_future(started_on, "started_on", errors)
    if kind == TransferKind.TEMPORARY and to_org is not None:
        if member.memberships.filter(
            organization=to_org, kind=MembershipKind.TEMPORARY, end_date__isnull=True
        ).exists():
            errors["to_org"] = _("The member is already attached to this cell.")
    if errors:
        raise ValidationError(errors)
    transfer = Transfer(
        province_id=member.province_id,
        member=member,
        member_name=member.person.full_name,
        kind=kind,
        reason=reason,
        reason_detail=reason_detail,
        from_org=home,
        to_org=to_org,
        to_org_name="" if to_org else to_org_name,
        trigger_date=trigger_date,
        started_on=started_on,
        end_date=end_date,
        note=note,
        created_by=user,
    )
    transfer.compute_dues()
    transfer.save()
    return transfer


@transaction.atomic
def start_incoming(
    to_org: Organization,
    *,
    member_name: str,
    from_org_name: str,
    reason: str,
    trigger_date: dt.date,
    started_on: dt.date,
    reason_detail: str = "",
    note: str = "",
    user=None,
) -> Transfer:
    """Record an official transfer coming from an organization outside the system.

    The member has no record here yet: the receiving side records the letter, receives
    it, creates the member in the receiving cell (Thêm đảng viên) and links the record
    when completing. A temporary attachment from outside is not handled: the member's
    home record would be elsewhere.
    """
    errors = {}
    member_name, from_org_name = member_name.strip(), from_org_name.strip()
    if not member_name:
        errors["member_name"] = _("Give the member's full name as on the letter.")
    if not from_org_name:
        errors["from_org_name"] = _("Name the sending organization.")
    _check_cell(to_org, "to_org", errors)
    _check_kind(TransferKind.OFFICIAL, reason, trigger_date, None, errors)
    _not_future(started_on, "started_on", errors)
    if errors:
        raise ValidationError(errors)
    transfer = Transfer(
        province_id=to_org.province_id,
        member_name=member_name,
        kind=TransferKind.OFFICIAL,
        reason=reason,
        reason_detail=reason_detail,
        from_org_name=from_org_name,
        to_org=to_org,
        trigger_date=trigger_date,
        started_on=started_on,
        note=note,
        created_by=user,
    )
    transfer.compute_dues()
    transfer.save()
    return transfer


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@transaction.atomic
def issue_letter(
    transfer: Transfer,
    *,
    letter_type: str,
    letter_no: str,
    issued_on: dt.date,
    issued_by: str,
    dues_paid_until: dt.date,
    register_no: str = "",
    user=None,
) -> Transfer:
    """Record the introduction letter issued by the committee above the sending cell."""
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    _require(transfer, TransferStatus.STARTED)
    errors = {}
    if letter_type != LetterType.OTHER and letter_type != LETTER_FOR_KIND[transfer.kind]:
        errors["letter_type"] = _(
            "An official transfer uses the 10-box letter, a temporary one the 8-box letter."
        )
    if not letter_no.strip():
        errors["letter_no"] = _("Give the letter's number.")
    if not issued_by.strip():
        errors["issued_by"] = _("Name the committee that issued the letter.")
    if issued_on < transfer.started_on:
        errors["issued_on"] = _("The letter cannot be issued before the transfer was started.")
    _not_future(issued_on, "issued_on", errors)
    if dues_paid_until and _first_of_month(dues_paid_until) > _first_of_month(issued_on):
        errors["dues_paid_until"] = _("Dues cannot be paid beyond the month the letter is issued.")
    if errors:
        raise ValidationError(errors)
    transfer.letter_type = letter_type
    transfer.letter_no = letter_no.strip()
    transfer.register_no = register_no.strip()
    transfer.letter_issued_on = issued_on
    transfer.letter_issued_by = issued_by.strip()
    transfer.dues_paid_until = _first_of_month(dues_paid_until) if dues_paid_until else None
    transfer.status = TransferStatus.LETTER_ISSUED
    transfer.compute_dues()
    transfer.save()
    return transfer


@transaction.atomic
def receive(
    transfer: Transfer, *, presented_on: dt.date, received_on: dt.date, user=None
) -> Transfer:
    """The receiving committee takes the letter: presented on, received (confirmed) on.

    A temporary transfer into a cell of the system opens the temporary period here.
    """
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("to_org")
        .get(pk=transfer.pk)
    )
    _require(transfer, TransferStatus.LETTER_ISSUED)
    errors = {}
    if presented_on < transfer.letter_issued_on:
        errors["presented_on"] = _("The letter cannot be presented before it was issued.")
    if received_on < presented_on:
        errors["received_on"] = _("The letter is received on or after the day it is presented.")
    _not_future(presented_on, "presented_on", errors)
    _not_future(received_on, "received_on", errors)
    temporary_here = transfer.kind == TransferKind.TEMPORARY and transfer.to_org_id
    if temporary_here and not errors:
        _check_cell(transfer.to_org, "received_on", errors)
    if errors:
        raise ValidationError(errors)
    transfer.presented_on = presented_on
    transfer.received_on = received_on
    transfer.received_by = user
    transfer.status = TransferStatus.RECEIVED
    transfer.save()
    if temporary_here:
        Membership.objects.create(
            province_id=transfer.to_org.province_id,
            member_id=transfer.member_id,
            organization=transfer.to_org,
            kind=MembershipKind.TEMPORARY,
            start_date=received_on,
            note=_("Temporary transfer from %(org)s") % {"org": transfer.sender_name},
        )
    return transfer


def _check_free_in_province(member: Member, province_id: int):
    """Dossier, card and citizen ID numbers are unique per province: check the receiving one."""
    person = member.person
    if Member.objects.filter(province_id=province_id, dossier_no=member.dossier_no).exists():
        raise ValidationError(
            _("The receiving province already has a member with dossier number %(no)s.")
            % {"no": member.dossier_no}
        )
    if (
        member.card_no
        and Member.objects.filter(province_id=province_id, card_no=member.card_no).exists()
    ):
        raise ValidationError(
            _("The receiving province already has a member with card number %(no)s.")
            % {"no": member.card_no}
        )
    if (
        person.citizen_id
        and Person.objects.filter(province_id=province_id, citizen_id=person.citizen_id).exists()
    ):
        raise ValidationError(
            _("The receiving province already has a person with this citizen ID number.")
        )


def _note(transfer: Transfer) -> str:
    return _("Transfer of party activity: %(from)s → %(to)s") % {
        "from": transfer.sender_name,
        "to": transfer.receiver_name,
    }


@transaction.atomic
def complete(
    transfer: Transfer,
    *,
    effective_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    member: Member | None = None,
    user=None,
) -> Transfer:
    """Finish the transfer.

    Official: the member's periods switch on `effective_on` (to outside the system: they
    close the day before). Temporary: the member returns; the temporary period ends on
    `ended_on`. An official transfer from outside the system links `member`, the record
    the receiving side created in the receiving cell.
    """
    transfer = (
        # of=self: PostgreSQL cannot lock the nullable side of the outer joins (to_org, member).
        Transfer.objects.select_for_update(of=("self",))
        .select_related("from_org", "to_org", "member__person", "member__organization")
        .get(pk=transfer.pk)
    )
    _require(transfer, TransferStatus.RECEIVED)
    if transfer.kind == TransferKind.TEMPORARY:
        _complete_temporary(transfer, ended_on)
    else:
        _complete_official(transfer, effective_on, member)
        if transfer.member_id:
            # The member left the workplace cell: an open residence liaison ends and the
            # residence side is told (QĐ 213); the new workplace introduces them afresh.
            end_for_member(
                transfer.member,
                on=effective_on or timezone.localdate(),
                reason=LIAISON_END.get(transfer.reason, EndReason.CHANGED_JOB),
                note=str(transfer.get_reason_display()),
                by=user,
            )
            # The member's account is signed out everywhere: its next sign-in sees the
            # member where they are now (goal S7).
            end_sessions_of_member(transfer.member)
    transfer.completed_by = user
    transfer.status = TransferStatus.COMPLETED
    transfer.save()
    return transfer


def _complete_temporary(transfer: Transfer, ended_on: dt.date | None):
    if ended_on is None:
        raise ValidationError({"ended_on": _("Give the last day the member was attached.")})
    errors = {}
    if ended_on < transfer.received_on:
        errors["ended_on"] = _("The attachment cannot end before the member was received.")
    _not_future(ended_on, "ended_on", errors)
    if errors:
        raise ValidationError(errors)
    transfer.ended_on = ended_on
    if transfer.to_org_id:
        periods = Membership.objects.filter(
            member_id=transfer.member_id,
            organization_id=transfer.to_org_id,
            kind=MembershipKind.TEMPORARY,
            end_date__isnull=True,
        )
        for ms in periods:
            ms.end_date = max(ended_on, ms.start_date)
            ms.note = _("Returned to %(org)s") % {"org": transfer.sender_name}
            ms.save()


def _complete_official(transfer: Transfer, effective_on: dt.date | None, member: Member | None):
    if effective_on is None:
        raise ValidationError({"effective_on": _("Give the date the transfer takes effect.")})
    errors = {}
    if effective_on < transfer.presented_on:
        errors["effective_on"] = _(
            "The transfer cannot take effect before the letter was presented."
        )
    _not_future(effective_on, "effective_on", errors)
    if errors:
        raise ValidationError(errors)
    transfer.effective_on = effective_on
    note = _note(transfer)
    if transfer.member_id is None:
        _link_incoming_member(transfer, member)
        return
    member = transfer.member
    if not member.is_active:
        raise ValidationError(_("The member is no longer active; cancel the transfer instead."))
    home = member.memberships.home().current().first()
    if home is None:
        raise ValidationError(_("The member has no current home cell to move from."))
    if effective_on <= home.start_date:
        raise ValidationError(
            {
                "effective_on": _(
                    "The member's period in the sending cell starts on %(day)s; "
                    "the transfer takes effect after it."
                )
                % {"day": home.start_date.strftime("%d/%m/%Y")}
            }
        )
    if transfer.to_org_id is None:
        # Out of the system: the periods here end the day before; the record stays for history,
        # marked transferred so it leaves the cell's lists and counts.
        close_memberships(member, effective_on - ONE_DAY, note)
        member.status, member.status_date = MemberStatus.TRANSFERRED, effective_on
        member.save(update_fields=["status", "status_date"])
        return
    to_org = transfer.to_org
    errors = {}
    _check_cell(to_org, "effective_on", errors)
    if errors:
        raise ValidationError(errors)
    if to_org.province_id == member.province_id:
        move_member(member, to_org, effective_on, note)
        return
    # Across provinces: move_member refuses (a move is within a province), so move the home
    # period here and re-key the member, the person and the transfer to the new province.
    _check_free_in_province(member, to_org.province_id)
    move_memberships([home], to_org, effective_on, note)
    Person.objects.filter(pk=member.person_id).update(province_id=to_org.province_id)
    transfer.province_id = to_org.province_id


def _link_incoming_member(transfer: Transfer, member: Member | None):
    if member is None:
        raise ValidationError(
            {"member": _("Choose the member's record: add the member to the receiving cell first.")}
        )
    if member.organization_id != transfer.to_org_id:
        raise ValidationError({"member": _("The member's record is not in the receiving cell.")})
    if member.transfers.exclude(pk=transfer.pk).filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError({"member": _("This member has another transfer in progress.")})
    transfer.member = member


@transaction.atomic
def cancel(transfer: Transfer, *, reason: str, user=None) -> Transfer:
    """Cancel a transfer that has not changed any period yet."""
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    _require(
        transfer, TransferStatus.STARTED, TransferStatus.LETTER_ISSUED, TransferStatus.RECEIVED
    )
    if transfer.status == TransferStatus.RECEIVED and transfer.kind == TransferKind.TEMPORARY:
        raise ValidationError(
            _("The member is already attached to the receiving cell: record their return instead.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the transfer is cancelled.")})
    transfer.cancelled_on = timezone.localdate()
    transfer.cancel_reason = reason.strip()
    transfer.status = TransferStatus.CANCELLED
    transfer.save()
    return transfer
