"""The admission pipeline's transitions: one function per step (see admissions/models.py).

Each function checks that the step is the next one for the candidate's stage, that its date
is not in the future and not before the previous stage's date, and the step's own rules; it
raises ValidationError with a message the user can act on, and then writes nothing. Writes
happen in one transaction.

Sources (brief §5.1–5.2, §5.9): Charter art. 3–5; QĐ 24-QĐ/TW 2021 §3–4; HD 01-HD/TW 2021.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions import deadlines
from admissions.models import (
    CANDIDATE_STAGES,
    INTRODUCER_MONTHS,
    PROBATION_STAGES,
    RECOGNITION_FAILED_VOTES_LIMIT,
    Candidate,
    CandidateIntroducer,
    CellVote,
    Stage,
    UnionIntroduction,
    VoteKind,
    add_months,
)
from audit.log import record_bulk
from audit.models import Action
from lib.text import vn_date
from members.models import (
    ADMISSION_MIN_AGE,
    LeftReason,
    Member,
    Membership,
    MembershipKind,
    MemberStatus,
    Person,
)
from members.services import close_memberships, create_member
from organizations.models import Organization


def _require(candidate: Candidate, *stages, action: str):
    if candidate.stage not in stages:
        raise ValidationError(
            _("This candidate is at the stage “%(stage)s”: %(action)s is not the next step.")
            % {"stage": candidate.get_stage_display(), "action": action}
        )


def _check_date(field: str, value: dt.date | None, after: dt.date | None, after_what: str):
    """Not empty, not in the future, not before `after` (the previous stage's date)."""
    if value is None:
        raise ValidationError({field: _("Give the date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    if after is not None and value < after:
        raise ValidationError(
            {
                field: _("This date is before %(what)s (%(date)s).")
                % {"what": after_what, "date": vn_date(after)}
            }
        )


def _require_text(field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _advance(candidate: Candidate, stage: Stage, on: dt.date, fields: list[str]):
    candidate.stage = stage
    candidate.stage_on = on
    candidate.save(update_fields=[*fields, "stage", "stage_on", "updated_at"])


def official_member_count(cell: Organization, day: dt.date) -> int:
    """Official members whose home is the cell on `day` (the vote's largest denominator)."""
    return (
        Membership.objects.on(day)
        .filter(organization=cell, kind=MembershipKind.HOME, member__status=MemberStatus.OFFICIAL)
        .count()
    )


def _check_vote(candidate: Candidate, on: dt.date, votes_for: int, eligible: int):
    if eligible < 1:
        raise ValidationError({"eligible": _("A vote needs at least one official member.")})
    if votes_for < 0 or votes_for > eligible:
        raise ValidationError(
            {"votes_for": _("The votes in favour cannot exceed the official members.")}
        )
    cell = candidate.acting_cell
    official = official_member_count(cell, on)
    if eligible > official:
        raise ValidationError(
            {
                "eligible": _(
                    "%(cell)s had %(n)s official members on %(date)s; only they vote "
                    "(probationary members do not)."
                )
                % {"cell": cell.name, "n": official, "date": vn_date(on)}
            }
        )


# ---- listing ------------------------------------------------------------------------


@transaction.atomic
def create_candidate(
    *,
    person: Person,
    organization: Organization,
    listed_on: dt.date,
    recommended_by: str = "",
    user=None,
) -> Candidate:
    """List an outstanding non-member (quần chúng ưu tú) in the cell that develops them.

    `person` may be new (it is saved here) or an existing person who is not a member."""
    if not organization.is_cell:
        raise ValidationError(
            _("Candidates are developed by a cell; %(name)s is not a cell.")
            % {"name": organization.name}
        )
    if not organization.is_active:
        raise ValidationError(_("%(name)s has been dissolved.") % {"name": organization.name})
    _check_date("listed_on", listed_on, person.birth_date, _("the date of birth"))
    person.province_id = organization.province_id
    person.full_clean(validate_unique=False, validate_constraints=False)
    if person.citizen_id:
        taken = Person.objects.filter(
            province_id=organization.province_id, citizen_id=person.citizen_id
        ).exclude(pk=person.pk)
        if taken.exists():
            raise ValidationError(
                {
                    "citizen_id": _(
                        "Another person in this province has this citizen ID: "
                        "a member, or a candidate already listed."
                    )
                }
            )
    if person.pk:
        if Member.objects.filter(person=person).exists():
            raise ValidationError(_("This person is already a party member."))
        if Candidate.objects.open().filter(person=person).exists():
            raise ValidationError(_("This person is already a candidate."))
    person.save()
    return Candidate.objects.create(
        province_id=organization.province_id,
        organization=organization,
        person=person,
        stage=Stage.LISTED,
        stage_on=listed_on,
        listed_on=listed_on,
        recommended_by=(recommended_by or "").strip(),
        created_by=user,
    )


@transaction.atomic
def make_sympathizer(
    candidate: Candidate, *, resolution_no: str, on: dt.date, helper: Member, user=None
) -> Candidate:
    """The cell's resolution puts the person on the sympathizer list (cảm tình Đảng) and
    assigns an official member of the cell to help them."""
    _require(candidate, Stage.LISTED, action=_("the sympathizer resolution"))
    _check_date("on", on, candidate.listed_on, _("the listing"))
    resolution_no = _require_text(
        "resolution_no", resolution_no, _("Give the number of the cell's resolution.")
    )
    if helper is None:
        raise ValidationError({"helper": _("Choose the official member who helps.")})
    if helper.organization_id != candidate.organization_id or helper.status != (
        MemberStatus.OFFICIAL
    ):
        raise ValidationError(
            {"helper": _("The helping member must be an official member of the cell.")}
        )
    candidate.sympathizer_resolution_no = resolution_no
    candidate.sympathizer_on = on
    candidate.helper = helper
    _advance(
        candidate,
        Stage.SYMPATHIZER,
        on,
        ["sympathizer_resolution_no", "sympathizer_on", "helper"],
    )
    return candidate


@transaction.atomic
def record_certificate(
    candidate: Candidate, *, number: str, on: dt.date, issuer: str, user=None
) -> Candidate:
    """The certificate of the Party-awareness class (lớp bồi dưỡng nhận thức về Đảng)."""
    _require(candidate, Stage.SYMPATHIZER, action=_("the class certificate"))
    _check_date("on", on, candidate.sympathizer_on, _("the sympathizer resolution"))
    candidate.certificate_no = _require_text("number", number, _("Give the certificate number."))
    candidate.certificate_issuer = _require_text(
        "issuer", issuer, _("Say who issued the certificate.")
    )
    candidate.certificate_on = on
    _advance(
        candidate, Stage.TRAINED, on, ["certificate_no", "certificate_on", "certificate_issuer"]
    )
    return candidate


@transaction.atomic
def record_dossier(
    candidate: Candidate,
    *,
    applied_on: dt.date,
    personal_history_on: dt.date,
    introducers: list[tuple[Member, dt.date]],
    union_introduction: str = "",
    union_introduction_on: dt.date | None = None,
    user=None,
) -> Candidate:
    """The application, the personal history and the introducers (Charter art. 4.1).

    Two official members introduce; or the Youth Union (Trade Union) executive committee and
    one official member. Each introducer is official on the application date and has worked
    or lived with the applicant for at least 12 months by then."""
    _require(candidate, Stage.TRAINED, action=_("the application dossier"))
    _check_date("applied_on", applied_on, candidate.certificate_on, _("the class certificate"))
    _check_date(
        "personal_history_on",
        personal_history_on,
        candidate.certificate_on,
        _("the class certificate"),
    )
    if union_introduction not in UnionIntroduction.values:
        raise ValidationError({"union_introduction": _("Choose a union or none.")})
    if union_introduction:
        _check_date(
            "union_introduction_on",
            union_introduction_on,
            candidate.certificate_on,
            _("the class certificate"),
        )
    else:
        union_introduction_on = None
    wanted = 1 if union_introduction else 2
    introducers = [(m, since) for m, since in introducers if m is not None]
    if len(introducers) != wanted:
        raise ValidationError(
            {
                "introducers": _(
                    "Two official members introduce the applicant, or the union's executive "
                    "committee and one official member."
                )
            }
        )
    if len({m.pk for m, _since in introducers}) != len(introducers):
        raise ValidationError({"introducers": _("The two introducers must be different members.")})
    latest_start = add_months(applied_on, -INTRODUCER_MONTHS)
    for member, since in introducers:
        name = member.person.full_name
        if member.province_id != candidate.province_id:
            raise ValidationError(
                {"introducers": _("%(name)s is not in this province.") % {"name": name}}
            )
        official_on = member.official_date
        if member.status != MemberStatus.OFFICIAL or not official_on or official_on > applied_on:
            raise ValidationError(
                {
                    "introducers": _(
                        "%(name)s is not an official member on the application date; "
                        "introducers must be official members."
                    )
                    % {"name": name}
                }
            )
        if since is None or since > latest_start:
            raise ValidationError(
                {
                    "introducers": _(
                        "%(name)s must have worked or lived with the applicant for at least "
                        "12 months before the application (since %(date)s or earlier)."
                    )
                    % {"name": name, "date": vn_date(latest_start)}
                }
            )
    candidate.applied_on = applied_on
    candidate.personal_history_on = personal_history_on
    candidate.union_introduction = union_introduction
    candidate.union_introduction_on = union_introduction_on
    candidate.introducers.all().delete()
    CandidateIntroducer.objects.bulk_create(
        CandidateIntroducer(candidate=candidate, member=m, known_since=since)
        for m, since in introducers
    )
    record_bulk(CandidateIntroducer, Action.CREATE, len(introducers), candidate=str(candidate.uuid))
    _advance(
        candidate,
        Stage.DOSSIER,
        max(applied_on, personal_history_on),
        ["applied_on", "personal_history_on", "union_introduction", "union_introduction_on"],
    )
    return candidate


@transaction.atomic
def record_background_check(candidate: Candidate, *, on: dt.date, by: str, user=None) -> Candidate:
    """The background check of the applicant and their relatives is complete."""
    _require(candidate, Stage.DOSSIER, action=_("the background check"))
    _check_date("on", on, candidate.stage_on, _("the application dossier"))
    candidate.checked_by = _require_text("by", by, _("Say who carried out the check."))
    candidate.checked_on = on
    _advance(candidate, Stage.CHECKED, on, ["checked_on", "checked_by"])
    return candidate


def admission_vote_passes(votes_for: int, eligible: int) -> bool:
    """At least two thirds of the cell's official members approve (Charter art. 4.3: "khi
    được ít nhất hai phần ba số đảng viên chính thức trong chi bộ tán thành"). The brief
    marks this threshold unverified (§5.1) and gives "more than half" for resolutions in
    general (§5.9); the Charter's own text for admission is two thirds, which also matches
    §5.2 ("the cell votes … same as for admission", 2/3 for recognition)."""
    return votes_for * 3 >= eligible * 2


def recognition_vote_passes(votes_for: int, eligible: int) -> bool:
    """At least two thirds of the cell's official members (QĐ 24 §4.2)."""
    return votes_for * 3 >= eligible * 2


def _last_vote(candidate: Candidate, kind: VoteKind) -> CellVote | None:
    return candidate.votes.filter(kind=kind).order_by("-held_on", "-pk").first()


@transaction.atomic
def record_admission_vote(
    candidate: Candidate,
    *,
    on: dt.date,
    votes_for: int,
    eligible: int,
    resolution_no: str = "",
    user=None,
) -> CellVote:
    """The cell considers the applicant and votes. Passed: the cell proposes the admission
    to the upper committee. Not passed: the vote is kept and the candidate stays checked."""
    _require(candidate, Stage.CHECKED, action=_("the cell's vote"))
    last = _last_vote(candidate, VoteKind.ADMISSION)
    _check_date(
        "on",
        on,
        last.held_on if last else candidate.checked_on,
        _("the previous vote") if last else _("the background check"),
    )
    birth = candidate.person.birth_date
    if (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day) < (
        ADMISSION_MIN_AGE * 12
    ):
        raise ValidationError(
            {"on": _("The applicant is under 18 on this date; the cell considers from 18.")}
        )
    _check_vote(candidate, on, votes_for, eligible)
    passed = admission_vote_passes(votes_for, eligible)
    vote = CellVote.objects.create(
        candidate=candidate,
        kind=VoteKind.ADMISSION,
        held_on=on,
        votes_for=votes_for,
        eligible=eligible,
        resolution_no=(resolution_no or "").strip(),
        passed=passed,
        created_by=user,
    )
    if passed:
        _advance(candidate, Stage.VOTED, on, [])
    return vote


@transaction.atomic
def record_admission_decision(
    candidate: Candidate,
    *,
    number: str,
    on: dt.date,
    by: str,
    received_on: dt.date,
    user=None,
) -> Candidate:
    """The competent upper committee's admission decision, and when the cell received it
    (the ceremony's 30 working days count from then)."""
    _require(candidate, Stage.VOTED, action=_("the admission decision"))
    _check_date("on", on, candidate.stage_on, _("the cell's vote"))
    _check_date("received_on", received_on, on, _("the decision"))
    candidate.decision_no = _require_text("number", number, _("Give the decision number."))
    candidate.decision_by = _require_text("by", by, _("Say which committee decided."))
    candidate.decision_on = on
    candidate.decision_received_on = received_on
    _advance(
        candidate,
        Stage.DECIDED,
        received_on,
        ["decision_no", "decision_by", "decision_on", "decision_received_on"],
    )
    return candidate


@transaction.atomic
def record_ceremony(
    candidate: Candidate, *, on: dt.date, dossier_no: str, late_reason: str = "", user=None
) -> Member:
    """The admission ceremony: the person becomes a probationary member of the cell.

    Later than 30 working days after the decision was received, the cell reports the reason
    to the committee above (QĐ 24 §4.1): the reason is then required and kept."""
    _require(candidate, Stage.DECIDED, action=_("the admission ceremony"))
    _check_date("on", on, candidate.decision_received_on, _("receiving the decision"))
    late_reason = (late_reason or "").strip()
    last_day = deadlines.ceremony_deadline(candidate.decision_received_on)
    if on > last_day and not late_reason:
        raise ValidationError(
            {
                "late_reason": _(
                    "The ceremony is later than 30 working days after the decision was "
                    "received (last day %(date)s): give the reason reported to the committee "
                    "above."
                )
                % {"date": vn_date(last_day)}
            }
        )
    dossier_no = (dossier_no or "").strip().upper()
    if Member.objects.filter(province_id=candidate.province_id, dossier_no=dossier_no).exists():
        raise ValidationError(
            {
                "dossier_no": _("Another member of this province has dossier number %(n)s.")
                % {"n": dossier_no}
            }
        )
    if Member.objects.filter(person_id=candidate.person_id).exists():
        raise ValidationError(_("This person is already a party member."))
    member = create_member(
        person=candidate.person,
        member=Member(
            dossier_no=dossier_no,
            admission_decision_date=candidate.decision_on,
            ceremony_date=on,
            status=MemberStatus.PROBATIONARY,
            status_date=on,
            status_note=_("Admission decision %(n)s of %(date)s")
            % {"n": candidate.decision_no, "date": vn_date(candidate.decision_on)},
        ),
        organization=candidate.organization,
        start_date=on,
        note=_("Admitted"),
    )
    candidate.member = member
    candidate.ceremony_on = on
    candidate.ceremony_late_reason = late_reason if on > last_day else ""
    _advance(candidate, Stage.PROBATION, on, ["member", "ceremony_on", "ceremony_late_reason"])
    return member


def _require_probationary(candidate: Candidate) -> Member:
    member = candidate.member
    if member is None or member.status != MemberStatus.PROBATIONARY:
        raise ValidationError(
            _("%(name)s is no longer a probationary member.") % {"name": candidate.person.full_name}
        )
    return member


@transaction.atomic
def record_recognition_vote(
    candidate: Candidate,
    *,
    on: dt.date,
    votes_for: int,
    eligible: int,
    resolution_no: str = "",
    user=None,
) -> CellVote:
    """The cell's vote on recognising the probationary member as official, after the 12
    months. It passes with two thirds of the official members; after 3 votes without two
    thirds the case goes to the upper committee (QĐ 24 §4.2)."""
    _require(candidate, Stage.PROBATION, action=_("the recognition vote"))
    _require_probationary(candidate)
    end = candidate.probation_end
    last = _last_vote(candidate, VoteKind.RECOGNITION)
    _check_date(
        "on",
        on,
        max(end, last.held_on) if last else end,
        _("the previous vote") if last and last.held_on > end else _("the end of probation"),
    )
    _check_vote(candidate, on, votes_for, eligible)
    passed = recognition_vote_passes(votes_for, eligible)
    vote = CellVote.objects.create(
        candidate=candidate,
        kind=VoteKind.RECOGNITION,
        held_on=on,
        votes_for=votes_for,
        eligible=eligible,
        resolution_no=(resolution_no or "").strip(),
        passed=passed,
        created_by=user,
    )
    if passed:
        _advance(candidate, Stage.RECOGNITION_VOTED, on, [])
    elif (
        candidate.votes.filter(kind=VoteKind.RECOGNITION, passed=False).count()
        >= RECOGNITION_FAILED_VOTES_LIMIT
    ):
        _advance(candidate, Stage.REFERRED, on, [])
    return vote


@transaction.atomic
def record_recognition_decision(
    candidate: Candidate, *, number: str, on: dt.date, by: str, user=None
) -> Member:
    """The upper committee recognises the member as official as of the end of the 12 months
    of probation, even when the vote or the decision came later (QĐ 24 §4.2)."""
    _require(
        candidate,
        Stage.RECOGNITION_VOTED,
        Stage.REFERRED,
        action=_("the recognition decision"),
    )
    member = _require_probationary(candidate)
    _check_date("on", on, candidate.stage_on, _("the cell's vote"))
    number = _require_text("number", number, _("Give the decision number."))
    by = _require_text("by", by, _("Say which committee decided."))
    member.status = MemberStatus.OFFICIAL
    member.official_date = candidate.probation_end
    member.status_date = candidate.probation_end
    member.status_note = _("Recognition decision %(n)s of %(date)s") % {
        "n": number,
        "date": vn_date(on),
    }
    member.full_clean(validate_unique=False, validate_constraints=False)
    member.save()
    candidate.recognition_decision_no = number
    candidate.recognition_decision_on = on
    candidate.recognition_decision_by = by
    _advance(
        candidate,
        Stage.OFFICIAL,
        on,
        ["recognition_decision_no", "recognition_decision_on", "recognition_decision_by"],
    )
    return member


@transaction.atomic
def strike_off(candidate: Candidate, *, number: str, on: dt.date, reason: str, user=None) -> Member:
    """Removal from the probationary list (xóa tên trong danh sách đảng viên dự bị), decided
    by the upper committee: the member leaves the Party and their memberships close."""
    _require(candidate, *PROBATION_STAGES, action=_("the removal from the probationary list"))
    member = _require_probationary(candidate)
    _check_date("on", on, candidate.stage_on, _("the current stage"))
    number = _require_text("number", number, _("Give the decision number."))
    reason = _require_text("reason", reason, _("Give the reason."))
    member.status = MemberStatus.LEFT
    member.left_reason = LeftReason.PROBATION_REMOVED
    member.status_date = on
    member.status_note = f"{number}: {reason}"[:250]
    member.full_clean(validate_unique=False, validate_constraints=False)
    member.save()
    close_memberships(member, on, member.get_left_reason_display())
    candidate.closed_on = on
    candidate.closed_at_stage = candidate.stage
    candidate.closed_reason = reason
    candidate.closed_decision_no = number
    _advance(
        candidate,
        Stage.STRUCK_OFF,
        on,
        ["closed_on", "closed_at_stage", "closed_reason", "closed_decision_no"],
    )
    return member


@transaction.atomic
def close_candidacy(
    candidate: Candidate, *, withdrawn: bool, on: dt.date, reason: str, user=None
) -> Candidate:
    """Take the person off the list (by the cell's resolution), or record that they withdrew,
    at any stage before the ceremony."""
    _require(candidate, *CANDIDATE_STAGES, action=_("taking the candidate off the list"))
    _check_date("on", on, candidate.stage_on, _("the current stage"))
    candidate.closed_reason = _require_text("reason", reason, _("Give the reason."))
    candidate.closed_on = on
    candidate.closed_at_stage = candidate.stage
    _advance(
        candidate,
        Stage.WITHDRAWN if withdrawn else Stage.REJECTED,
        on,
        ["closed_on", "closed_at_stage", "closed_reason"],
    )
    return candidate


@transaction.atomic
def open_probation(member: Member, *, user=None) -> Candidate:
    """A record for a probationary member admitted before this pipeline was used (entered or
    imported with their ceremony date), so the cell can record the recognition here."""
    if member.status != MemberStatus.PROBATIONARY or not member.ceremony_date:
        raise ValidationError(_("Only a probationary member with a ceremony date has one."))
    existing = Candidate.objects.filter(member=member).first()
    if existing is not None:
        return existing
    return Candidate.objects.create(
        province_id=member.province_id,
        organization=member.organization,
        person=member.person,
        member=member,
        stage=Stage.PROBATION,
        stage_on=member.ceremony_date,
        decision_on=member.admission_decision_date,
        ceremony_on=member.ceremony_date,
        created_by=user,
    )
