"""Writing a member's status decisions, card events, badge awards and party-age interruptions.

Each function validates everything first, raises ValidationError with a message a user can
act on, and writes in one transaction: nothing is written when one is raised.
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
from lib.validators import validate_card_no
from lifecycle.models import (
    ALLOWED_FROM,
    BADGE_YEARS,
    ENDS,
    EXIT_KINDS,
    GROUNDS,
    NEW_STATUS,
    WITH_END_DATE,
    BadgeAward,
    CardEvent,
    CardEventKind,
    DecisionKind,
    PartyAgeInterruption,
    StatusDecision,
)
from lifecycle.selectors import badge_reached_on, next_award_date
from members.models import LeftReason, Member, MemberStatus
from members.services import close_memberships
from organizations.models import Organization

LEFT_REASON = {
    DecisionKind.STRIKE_OFF: LeftReason.STRIKE_OFF,
    DecisionKind.EXPULSION: LeftReason.EXPULSION,
    DecisionKind.WITHDRAWAL: LeftReason.WITHDRAWAL,
    DecisionKind.DEATH: LeftReason.DEATH,
}


def open_period(member: Member, kinds) -> StatusDecision | None:
    """The member's latest decision of these kinds that no later decision has ended."""
    return (
        member.status_decisions.filter(kind__in=kinds, ended_by__isnull=True)
        .order_by("-effective_date", "-id")
        .first()
    )


def _check_dates(member: Member, kind: str, decision_date, effective_date, end_date, errors):
    today = timezone.localdate()
    if decision_date > today:
        errors["decision_date"] = _("The decision date is in the future.")
    if effective_date > today:
        errors["effective_date"] = _(
            "This date is in the future: record the decision on the day it takes effect."
        )
    elif kind == DecisionKind.DEATH:
        if effective_date > decision_date:
            errors["effective_date"] = _(
                "The date of death comes before the decision recording it."
            )
    elif effective_date < decision_date:
        errors["effective_date"] = _("A decision takes effect on or after the day it is made.")
    admitted = member.party_age_start
    if admitted and effective_date < admitted:
        errors.setdefault(
            "effective_date",
            _("This date is before the member's admission (%(day)s).") % {"day": vn_date(admitted)},
        )
    latest = member.status_decisions.order_by("-effective_date").first()
    if latest and effective_date < latest.effective_date:
        errors.setdefault(
            "effective_date",
            _("The member's last decision took effect on %(day)s; this one cannot come before it.")
            % {"day": vn_date(latest.effective_date)},
        )
    if kind in WITH_END_DATE:
        if not end_date:
            errors["end_date"] = _("Give the last day of the period.")
        elif end_date <= effective_date:
            errors["end_date"] = _("The period ends after it starts.")
    elif end_date:
        errors["end_date"] = _("Only a temporary exemption or a suspension has an end date.")


@transaction.atomic
def record_decision(
    member: Member,
    *,
    kind: str,
    decision_date: dt.date,
    effective_date: dt.date,
    deciding_organization: Organization,
    decision_no: str = "",
    end_date: dt.date | None = None,
    deciding_body: str = "",
    ground: str = "",
    reason: str = "",
) -> StatusDecision:
    """Record a status decision and apply it to the member.

    Exemption and suspension set the status EXEMPT / SUSPENDED and keep the status before
    them on the decision; ending them restores it. An exit sets LEFT with the reason and
    closes the member's open membership periods on the effective date.
    """
    member = (
        Member.objects.select_for_update(of=("self",)).select_related("person").get(pk=member.pk)
    )
    decision_no = (decision_no or "").strip()
    reason = (reason or "").strip()
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Choose a kind of decision.")})
    if member.status not in ALLOWED_FROM[kind]:
        raise ValidationError(_transition_message(member, kind))
    errors = {}
    _check_dates(member, kind, decision_date, effective_date, end_date, errors)
    if kind in EXIT_KINDS:
        if not decision_no:
            errors["decision_no"] = _("An exit from the Party needs the decision number.")
        if not reason:
            errors["reason"] = _("Give the reason stated in the decision.")
    allowed_grounds = GROUNDS.get(kind, ())
    if allowed_grounds:
        if ground not in allowed_grounds:
            errors["ground"] = _("Choose one of the grounds the rules name for this decision.")
    elif ground:
        ground = ""  # ends, suspension, expulsion, withdrawal, death: the reason says it
    if ground == "other" and not reason:
        errors["reason"] = _("Say what the other ground is.")
    if (
        deciding_organization.pk != member.organization_id
        and not member.organization.path.startswith(deciding_organization.path)
    ):
        errors["deciding_organization"] = _(
            "The deciding organization is the member's cell or a committee above it."
        )
    ended = None
    if kind in ENDS:
        ended = open_period(member, ENDS[kind])
        if ended and effective_date <= ended.effective_date:
            errors.setdefault(
                "effective_date",
                _("The period began on %(day)s; it ends after that.")
                % {"day": vn_date(ended.effective_date)},
            )
    if errors:
        raise ValidationError(errors)

    previous = member.status
    if kind in ENDS:
        # Restore the status before the period; members recorded as exempt or suspended
        # before this register existed have no decision: official if they were made official.
        if ended is not None:
            new_status = ended.previous_status
        else:
            new_status = (
                MemberStatus.OFFICIAL if member.official_date else MemberStatus.PROBATIONARY
            )
    else:
        new_status = NEW_STATUS[kind]
    decision = StatusDecision(
        province_id=member.province_id,
        member=member,
        kind=kind,
        decision_no=decision_no,
        decision_date=decision_date,
        effective_date=effective_date,
        end_date=end_date,
        deciding_organization=deciding_organization,
        deciding_body=(deciding_body or "").strip(),
        ground=ground,
        reason=reason,
        previous_status=previous,
        ends=ended,
    )
    member.status = new_status
    member.left_reason = LEFT_REASON.get(kind, "")
    member.status_date = effective_date
    label = decision.get_kind_display()
    note = f"{label}: {decision_no} {vn_date(decision_date)}" if decision_no else label
    member.status_note = note[:250]
    member.full_clean(validate_unique=False)
    decision.save()
    member.save()
    if kind in EXIT_KINDS:
        close_memberships(member, effective_date, member.get_left_reason_display())
        # The residence side of a QĐ 213 liaison is told the member left the Party.
        end_for_member(member, on=effective_date, reason=EndReason.LEFT_PARTY, note=note)
        # Their account is signed out everywhere (goal S7).
        end_sessions_of_member(member)
    return decision


def _transition_message(member: Member, kind: str) -> str:
    status = member.get_status_display()
    if member.status == MemberStatus.LEFT:
        return _("%(name)s has left the Party: no further status decision can be recorded.") % {
            "name": member.person.full_name
        }
    if kind in (DecisionKind.EXEMPTION, DecisionKind.TEMPORARY_EXEMPTION):
        return _("Only an official member can be exempted; %(name)s is “%(status)s”.") % {
            "name": member.person.full_name,
            "status": status,
        }
    if kind == DecisionKind.EXEMPTION_END:
        return _("%(name)s is not exempt from activities.") % {"name": member.person.full_name}
    if kind == DecisionKind.SUSPENSION:
        return _("%(name)s is already suspended.") % {"name": member.person.full_name}
    return _("%(name)s is not suspended.") % {"name": member.person.full_name}


# ---- party cards ------------------------------------------------------------------------


def card_state(member: Member, events) -> str:
    """'none', 'active' or 'lost', from the member's card number and events (newest first)."""
    if not member.card_no:
        return "none"
    for e in events:
        if e.card_no == member.card_no:
            return "lost" if e.kind == CardEventKind.LOSS else "active"
    return "active"


def _check_card_no(member: Member, card_no: str, errors: dict) -> None:
    try:
        validate_card_no(card_no)
    except ValidationError as e:
        errors["card_no"] = e.messages[0]
        return
    if card_no == member.card_no:
        return
    taken = (
        Member.objects.filter(province_id=member.province_id, card_no=card_no)
        .exclude(pk=member.pk)
        .exists()
        or CardEvent.objects.filter(province_id=member.province_id, card_no=card_no)
        .exclude(member=member)
        .exists()
    )
    if taken:
        errors["card_no"] = _("This card number belongs to another member of the province.")


def _check_card_date(member: Member, day: dt.date, errors: dict) -> None:
    if day > timezone.localdate():
        errors["date"] = _("This date is in the future.")
        return
    last = member.card_events.order_by("-date", "-id").first()
    if last and day < last.date:
        errors["date"] = _(
            "The last card event was on %(day)s; this one cannot come before it."
        ) % {"day": vn_date(last.date)}


def _require_card_holder(member: Member) -> None:
    if member.status not in (MemberStatus.OFFICIAL, MemberStatus.EXEMPT, MemberStatus.SUSPENDED):
        raise ValidationError(
            _("Party cards are for official members still in the Party; %(name)s is “%(status)s”.")
            % {"name": member.person.full_name, "status": member.get_status_display()}
        )


@transaction.atomic
def issue_card(
    member: Member, *, card_no: str, series: str, date: dt.date, decision_no: str = "", note=""
) -> CardEvent:
    """Issue a member's first card (only official members have one, QĐ 24 §6.1)."""
    member = (
        Member.objects.select_for_update(of=("self",)).select_related("person").get(pk=member.pk)
    )
    _require_card_holder(member)
    card_no = (card_no or "").strip()
    if member.card_no:
        raise ValidationError(
            _("%(name)s already has card number %(no)s: record a loss or a reissue instead.")
            % {"name": member.person.full_name, "no": member.card_no}
        )
    errors = {}
    _check_card_no(member, card_no, errors)
    _check_card_date(member, date, errors)
    if member.official_date and date < member.official_date:
        errors.setdefault(
            "date",
            _("A card is issued once the member is official (%(day)s).")
            % {"day": vn_date(member.official_date)},
        )
    if not series:
        errors["series"] = _("Choose the card series.")
    if errors:
        raise ValidationError(errors)
    member.card_no = card_no
    member.save()
    return CardEvent.objects.create(
        province_id=member.province_id,
        member=member,
        kind=CardEventKind.ISSUE,
        card_no=card_no,
        series=series,
        date=date,
        decision_no=(decision_no or "").strip(),
        note=(note or "").strip(),
    )


@transaction.atomic
def report_card_loss(member: Member, *, date: dt.date, note: str = "") -> CardEvent:
    """Record that the member's card was lost or damaged (QĐ 24 §6.1: reported for reissue)."""
    member = (
        Member.objects.select_for_update(of=("self",)).select_related("person").get(pk=member.pk)
    )
    if member.status == MemberStatus.LEFT:
        raise ValidationError(_("This member has left the Party."))
    if not member.card_no:
        raise ValidationError(_("This member has no party card on record."))
    events = list(member.card_events.order_by("-date", "-id"))
    if card_state(member, events) == "lost":
        raise ValidationError(_("The loss of this card is already reported."))
    errors = {}
    _check_card_date(member, date, errors)
    if not (note or "").strip():
        errors["note"] = _("Say briefly how the card was lost or damaged.")
    if errors:
        raise ValidationError(errors)
    return CardEvent.objects.create(
        province_id=member.province_id,
        member=member,
        kind=CardEventKind.LOSS,
        card_no=member.card_no,
        date=date,
        note=note.strip(),
    )


@transaction.atomic
def replace_card(
    member: Member,
    *,
    date: dt.date,
    series: str,
    card_no: str = "",
    decision_no: str = "",
    note: str = "",
) -> CardEvent:
    """Reissue a card (after a loss, damage or the 2025 exchange); the number may change."""
    member = (
        Member.objects.select_for_update(of=("self",)).select_related("person").get(pk=member.pk)
    )
    _require_card_holder(member)
    if not member.card_no:
        raise ValidationError(_("This member has no card yet: issue one first."))
    card_no = (card_no or "").strip() or member.card_no
    errors = {}
    _check_card_no(member, card_no, errors)
    _check_card_date(member, date, errors)
    if not series:
        errors["series"] = _("Choose the card series.")
    if errors:
        raise ValidationError(errors)
    member.card_no = card_no
    member.save()
    return CardEvent.objects.create(
        province_id=member.province_id,
        member=member,
        kind=CardEventKind.REPLACEMENT,
        card_no=card_no,
        series=series,
        date=date,
        decision_no=(decision_no or "").strip(),
        note=(note or "").strip(),
    )


# ---- badges and party age ---------------------------------------------------------------


def interruption_days(member: Member) -> int:
    return sum(member.interruptions.values_list("days", flat=True))


@transaction.atomic
def award_badge(
    member: Member,
    *,
    years: int,
    award_date: dt.date,
    decision_no: str,
    badge_no: str = "",
    note: str = "",
) -> BadgeAward:
    """Record a party badge. The member must have reached the party age on the award date;
    a member who died is awarded posthumously; those who were struck off, expelled or
    withdrew are not awarded."""
    member = (
        Member.objects.select_for_update(of=("self",)).select_related("person").get(pk=member.pk)
    )
    posthumous = False
    if member.status == MemberStatus.LEFT:
        if member.left_reason != LeftReason.DEATH:
            raise ValidationError(
                _("%(name)s has left the Party (%(reason)s): no badge is awarded.")
                % {"name": member.person.full_name, "reason": member.get_left_reason_display()}
            )
        posthumous = True
    errors = {}
    if years not in BADGE_YEARS:
        errors["years"] = _("Choose one of the badge levels.")
    elif member.badge_awards.filter(years=years).exists():
        errors["years"] = _("This badge has already been awarded to the member.")
    decision_no = (decision_no or "").strip()
    if not decision_no:
        errors["decision_no"] = _("Give the number of the award decision.")
    today = timezone.localdate()
    if award_date > max(today, next_award_date(today)):
        errors["award_date"] = _(
            "The award date is later than the next award occasion (%(day)s)."
        ) % {"day": vn_date(next_award_date(today))}
    start = member.party_age_start
    if not start:
        errors["years"] = _("The member's admission date is not recorded: party age is unknown.")
    elif "years" not in errors:
        reached = badge_reached_on(start, years, interruption_days(member))
        if reached > award_date:
            errors["award_date"] = _(
                "The member reaches %(years)s years of party age on %(day)s, after this date."
            ) % {"years": years, "day": vn_date(reached)}
    if errors:
        raise ValidationError(errors)
    return BadgeAward.objects.create(
        province_id=member.province_id,
        member=member,
        years=years,
        award_date=award_date,
        decision_no=decision_no,
        badge_no=(badge_no or "").strip(),
        posthumous=posthumous,
        note=(note or "").strip(),
    )


@transaction.atomic
def add_interruption(
    member: Member, *, start_date: dt.date, end_date: dt.date, note: str
) -> PartyAgeInterruption:
    """Record a period that does not count towards the member's party age."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    errors = {}
    if end_date < start_date:
        errors["end_date"] = _("The period ends after it starts.")
    elif end_date > timezone.localdate():
        errors["end_date"] = _("This date is in the future.")
    start = member.party_age_start
    if start and start_date < start:
        errors["start_date"] = _("This date is before the member's admission (%(day)s).") % {
            "day": vn_date(start)
        }
    if not (note or "").strip():
        errors["note"] = _("Say what the interruption was, with its decision if any.")
    if (
        not errors
        and member.interruptions.filter(start_date__lte=end_date, end_date__gte=start_date).exists()
    ):
        errors["start_date"] = _("This period overlaps another recorded interruption.")
    if errors:
        raise ValidationError(errors)
    return PartyAgeInterruption.objects.create(
        province_id=member.province_id,
        member=member,
        start_date=start_date,
        end_date=end_date,
        note=note.strip(),
    )
