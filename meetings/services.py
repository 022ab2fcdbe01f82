"""The meeting cycle's workflows: one named function per state transition.

Every function validates first and raises ValidationError with a message the user
can act on; nothing is written then. Transitions:

    planned → prepared → notice_sent → in_progress → approved (locked) → archived
    planned/prepared/notice_sent → postponed (a new planned meeting) | cancelled
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from audit.log import record_bulk
from audit.models import Action
from lib.validators import refuse_nul
from meetings import agenda as agenda_defaults
from meetings.models import (
    ABSENT_STATUSES,
    LOCKED_STATUSES,
    NOT_EXPECTED_STATUSES,
    OPEN_STATUSES,
    PRESENT_STATUSES,
    REGULAR_KINDS,
    THEMATIC_KINDS,
    AbsenceRequest,
    AbsenceStatus,
    AgendaItem,
    Amendment,
    Attendance,
    AttendanceStatus,
    AttendanceSync,
    DocumentSequence,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Resolution,
    ResolutionKind,
    RosterKind,
    ScheduleRule,
    Speech,
    Step,
    SyncOutcome,
    Task,
    TaskReport,
    TaskStatus,
    Term,
    Vote,
)
from members.models import ACTIVE_STATUSES, Membership, MembershipKind, MemberStatus
from organizations.models import CELL_KINDS, Organization, subtree_q
from reports import summary as summaries

CONSECUTIVE_ABSENCE_LIMIT = 3  # "absent more than 3 consecutive times in the year" (HD 12-2018)
ATTENDANCE_TARGET = 85  # percent, HD 12-2018 framework


def _require(meeting: Meeting, *statuses, action: str):
    if meeting.status not in statuses:
        raise ValidationError(
            _("This meeting is “%(status)s”: it cannot be %(action)s now.")
            % {"status": meeting.get_status_display(), "action": action}
        )


def _require_cell(org: Organization):
    if org.kind not in CELL_KINDS:
        raise ValidationError(
            _("Meetings are held by cells; %(name)s is not a cell.") % {"name": org.name}
        )
    if not org.is_active:
        raise ValidationError(_("%(name)s has been dissolved.") % {"name": org.name})


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


# ---- calendar ---------------------------------------------------------------------


def _valid_on(day: dt.date, end_field: str = "valid_to") -> Q:
    return Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": day})


def rule_on(org: Organization, day: dt.date) -> ScheduleRule | None:
    return (
        org.schedule_rules.filter(_valid_on(day), valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


@transaction.atomic
def set_schedule(
    org: Organization,
    *,
    day_of_month: int,
    time: dt.time,
    place: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    user=None,
) -> ScheduleRule:
    """A cell's schedule rule from `valid_from`; the previous open rule ends the day before."""
    _require_cell(org)
    if not 1 <= day_of_month <= 28:
        raise ValidationError(
            {"day_of_month": _("Choose a day between 1 and 28, so every month has it.")}
        )
    if valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    if not (place or "").strip():
        raise ValidationError({"place": _("Give the place.")})
    for old in org.schedule_rules.filter(_valid_on(valid_from)).filter(valid_from__lt=valid_from):
        old.valid_to = valid_from - dt.timedelta(days=1)
        old.save()
    org.schedule_rules.filter(valid_from__gte=valid_from).delete()
    return ScheduleRule.objects.create(
        province_id=org.province_id,
        organization=org,
        day_of_month=day_of_month,
        time=time,
        place=place.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=user,
    )


@transaction.atomic
def generate_regular_meetings(org: Organization, start: dt.date, end: dt.date) -> int:
    """Create the planned regular meetings of each month in [start, end] from the cell's rules.

    Months that already have a regular (or combined) meeting are left alone, so
    generating twice creates nothing more.
    """
    _require_cell(org)
    existing = set(
        org.meetings.filter(kind__in=REGULAR_KINDS)
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("period_year", "period_month")
    )
    rules = list(org.schedule_rules.order_by("-valid_from"))  # once: a term has a handful

    def rule_for(day):
        return next(
            (r for r in rules if r.valid_from <= day and (r.valid_to is None or r.valid_to >= day)),
            None,
        )

    created = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        if (year, month) not in existing:
            rule = rule_for(dt.date(year, month, 1)) or rule_for(dt.date(year, month, 28))
            if rule:
                day = dt.date(year, month, rule.day_of_month)
                if start <= day <= end:
                    created.append(
                        Meeting(
                            province_id=org.province_id,
                            organization=org,
                            kind=MeetingKind.REGULAR,
                            period_year=year,
                            period_month=month,
                            scheduled_at=_aware(day, rule.time),
                            place=rule.place,
                        )
                    )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    Meeting.objects.bulk_create(created)
    record_bulk(Meeting, Action.CREATE, len(created))
    return len(created)


@transaction.atomic
def set_schedule_for_cells(
    committee: Organization,
    *,
    day_of_month: int,
    time: dt.time,
    place: str,
    valid_from: dt.date,
    valid_to: dt.date,
    user=None,
) -> int:
    """A commune committee sets one schedule for all its active cells for a term, and plans the meetings."""
    cells = Organization.objects.filter(
        subtree_q(committee.path), kind__in=CELL_KINDS, dissolved_on__isnull=True
    )
    n = 0
    for cell in cells:
        set_schedule(
            cell,
            day_of_month=day_of_month,
            time=time,
            place=place,
            valid_from=valid_from,
            valid_to=valid_to,
            user=user,
        )
        n += generate_regular_meetings(cell, max(valid_from, timezone.localdate()), valid_to)
    return n


@transaction.atomic
def plan_meeting(
    org: Organization,
    *,
    kind: str,
    scheduled_at: dt.datetime,
    place: str = "",
    title: str = "",
    topic: str = "",
    prepares: Meeting | None = None,
    period: tuple[int, int] | None = None,
    user=None,
) -> Meeting:
    """Plan a meeting outside the generated calendar (thematic, committee, extraordinary, …)."""
    _require_cell(org)
    local = timezone.localtime(scheduled_at)
    year, month = period or (local.year, local.month)
    if kind == MeetingKind.COMMITTEE:
        if prepares is None:
            raise ValidationError(
                {"prepares": _("Choose the regular meeting this committee meeting prepares.")}
            )
        if prepares.organization_id != org.pk or prepares.kind not in REGULAR_KINDS:
            raise ValidationError(
                {"prepares": _("A committee meeting prepares a regular meeting of the same cell.")}
            )
        if scheduled_at >= prepares.scheduled_at:
            raise ValidationError(
                {
                    "scheduled_at": _(
                        "The committee meeting must come before the meeting it prepares."
                    )
                }
            )
        year, month = prepares.period_year, prepares.period_month
    elif prepares is not None:
        raise ValidationError(
            {"prepares": _("Only a cell-committee meeting prepares another meeting.")}
        )
    if kind == MeetingKind.THEMATIC and not (topic or "").strip():
        raise ValidationError({"topic": _("Give the topic of the thematic meeting.")})
    if (
        kind in REGULAR_KINDS
        and org.meetings.filter(kind__in=REGULAR_KINDS, period_year=year, period_month=month)
        .exclude(status__in=(MeetingStatus.CANCELLED, MeetingStatus.POSTPONED))
        .exists()
    ):
        raise ValidationError(
            _(
                "The cell already has its regular meeting for %(month)02d/%(year)s; plan a thematic or "
                "extraordinary meeting instead."
            )
            % {"month": month, "year": year}
        )
    return Meeting.objects.create(
        province_id=org.province_id,
        organization=org,
        kind=kind,
        scheduled_at=scheduled_at,
        place=place or "",
        title=title or "",
        topic=topic or "",
        prepares=prepares,
        period_year=year,
        period_month=month,
    )


# ---- preparation --------------------------------------------------------------------


def _previous_resolution(meeting: Meeting) -> Resolution | None:
    return (
        Resolution.objects.filter(
            meeting__organization_id=meeting.organization_id,
            meeting__kind__in=REGULAR_KINDS,
            meeting__scheduled_at__lt=meeting.scheduled_at,
            kind=ResolutionKind.RESOLUTION,
        )
        .exclude(meeting=meeting)
        .order_by("-meeting__scheduled_at")
        .first()
    )


def proposed_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The default agenda (unsaved), with the review of last month's resolution for a regular meeting."""
    items = agenda_defaults.template_items(
        meeting.province_id, meeting.kind, meeting.organization.cell_type, meeting.local_date
    )
    rows = [
        AgendaItem(
            province_id=meeting.province_id,
            meeting=meeting,
            step=i["step"],
            title=i["title"],
            order=(n + 1) * 10,
        )
        for n, i in enumerate(items)
    ]
    previous = _previous_resolution(meeting) if meeting.kind in REGULAR_KINDS else None
    if previous is not None:
        first_proceeding = next((r for r in rows if r.step == Step.PROCEEDINGS), None)
        order = first_proceeding.order - 5 if first_proceeding else 15
        rows.append(
            AgendaItem(
                province_id=meeting.province_id,
                meeting=meeting,
                step=Step.PROCEEDINGS,
                title=agenda_defaults.REVIEW_TITLE,
                order=order,
                reviews=previous,
            )
        )
    return sorted(rows, key=lambda r: r.order)


@transaction.atomic
def fill_agenda(meeting: Meeting) -> int:
    """Put the proposed agenda on a meeting that has none (at preparation, notice or opening)."""
    if meeting.agenda.exists():
        return 0
    rows = proposed_agenda(meeting)
    AgendaItem.objects.bulk_create(rows)
    record_bulk(AgendaItem, Action.CREATE, len(rows), meeting=str(meeting.uuid))
    return len(rows)


@transaction.atomic
def prepare(meeting: Meeting, *, draft_resolution: str = "", user=None) -> Meeting:
    """The cell committee agreed the agenda and the draft resolution: planned → prepared."""
    _require(meeting, MeetingStatus.PLANNED, action=_("marked as prepared"))
    fill_agenda(meeting)
    if meeting.kind in REGULAR_KINDS and not (draft_resolution or meeting.draft_resolution).strip():
        raise ValidationError(
            {"draft_resolution": _("Write the draft resolution the committee agreed.")}
        )
    meeting.draft_resolution = draft_resolution or meeting.draft_resolution
    meeting.status = MeetingStatus.PREPARED
    meeting.save()
    return meeting


@transaction.atomic
def mark_notice_sent(meeting: Meeting, *, user=None) -> Meeting:
    """Record that the notice went out: prepared (or planned) → notice sent. See meetings/notices.py."""
    _require(meeting, MeetingStatus.PLANNED, MeetingStatus.PREPARED, action=_("announced"))
    fill_agenda(meeting)
    meeting.status = MeetingStatus.NOTICE_SENT
    meeting.notice_sent_at = timezone.now()
    meeting.save()
    return meeting


# ---- absence requests -----------------------------------------------------------------


@transaction.atomic
def request_absence(meeting: Meeting, member, reason: str) -> AbsenceRequest:
    if meeting.status not in OPEN_STATUSES or meeting.status == MeetingStatus.IN_PROGRESS:
        raise ValidationError(_("Absence is requested before the meeting starts."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for your absence.")})
    if AbsenceRequest.objects.filter(meeting=meeting, member=member).exists():
        raise ValidationError(_("You have already asked to be excused from this meeting."))
    return AbsenceRequest.objects.create(
        province_id=meeting.province_id, meeting=meeting, member=member, reason=reason.strip()
    )


@transaction.atomic
def decide_absence(
    req: AbsenceRequest, *, approve: bool, user=None, note: str = ""
) -> AbsenceRequest:
    if req.status != AbsenceStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if req.meeting.is_locked:
        raise ValidationError(_("The minutes of this meeting are approved; nothing can change."))
    req.status = AbsenceStatus.APPROVED if approve else AbsenceStatus.REJECTED
    req.decided_by, req.decided_at, req.decision_note = user, timezone.now(), note
    req.save()
    if approve:
        n = Attendance.objects.filter(meeting=req.meeting, member=req.member, status="").update(
            status=AttendanceStatus.ABSENT_EXCUSED, reason=req.reason
        )
        record_bulk(Attendance, Action.UPDATE, n, member=req.member, meeting=str(req.meeting.uuid))
    return req


# ---- the meeting itself -----------------------------------------------------------------


def expected_roster(meeting: Meeting) -> list[dict]:
    """Who belongs on the attendance sheet on the meeting day, with their preset status."""
    day = meeting.local_date
    cell = meeting.organization
    here = list(
        Membership.objects.on(day)
        .filter(organization=cell)
        .select_related("member__person")
        .filter(member__status__in=ACTIVE_STATUSES)
    )
    home_ids = [m.member_id for m in here if m.kind == MembershipKind.HOME]
    away = set(
        Membership.objects.on(day)
        .filter(member_id__in=home_ids, kind=MembershipKind.TEMPORARY)
        .exclude(organization=cell)
        .values_list("member_id", flat=True)
    )
    excused = dict(
        AbsenceRequest.objects.filter(meeting=meeting, status=AbsenceStatus.APPROVED).values_list(
            "member_id", "reason"
        )
    )
    rows = []
    for ms in here:
        status, reason = "", ""
        if ms.member.status == MemberStatus.EXEMPT:
            status = AttendanceStatus.EXEMPT
        elif ms.member_id in away and ms.kind == MembershipKind.HOME:
            status = AttendanceStatus.TRANSFERRED_OUT
        elif ms.member_id in excused:
            status, reason = AttendanceStatus.ABSENT_EXCUSED, excused[ms.member_id]
        rows.append(
            {
                "member": ms.member,
                "roster_kind": RosterKind.HOME
                if ms.kind == MembershipKind.HOME
                else RosterKind.TEMPORARY,
                "status": status,
                "reason": reason,
            }
        )
    return rows


@transaction.atomic
def build_roster(meeting: Meeting) -> int:
    """Create the attendance rows (once); members added to the cell later can be synced in."""
    if meeting.is_locked:
        return 0
    have = set(meeting.attendance.values_list("member_id", flat=True))
    rows = [
        Attendance(
            province_id=meeting.province_id,
            meeting=meeting,
            member=r["member"],
            roster_kind=r["roster_kind"],
            member_status=r["member"].status,
            status=r["status"],
            reason=r["reason"],
        )
        for r in expected_roster(meeting)
        if r["member"].pk not in have
    ]
    Attendance.objects.bulk_create(rows)
    record_bulk(Attendance, Action.CREATE, len(rows), meeting=str(meeting.uuid))
    if rows and meeting.status == MeetingStatus.IN_PROGRESS:
        summaries.recompute_for_meeting(meeting)  # the summary row, in this transaction
    return len(rows)


@transaction.atomic
def start(
    meeting: Meeting,
    *,
    started_at: dt.datetime | None = None,
    chair=None,
    minutes_secretary=None,
    user=None,
) -> Meeting:
    """The meeting opens: notice sent (or prepared/planned, for a late record) → in progress."""
    _require(
        meeting,
        MeetingStatus.PLANNED,
        MeetingStatus.PREPARED,
        MeetingStatus.NOTICE_SENT,
        action=_("started"),
    )
    fill_agenda(meeting)
    build_roster(meeting)
    meeting.started_at = started_at or timezone.now()
    meeting.chair = chair or meeting.chair
    meeting.minutes_secretary = minutes_secretary or meeting.minutes_secretary
    meeting.status = MeetingStatus.IN_PROGRESS
    meeting.save()
    summaries.recompute_for_meeting(meeting)  # the summary row, in this transaction
    return meeting


def _require_editable(meeting: Meeting):
    if meeting.is_locked:
        raise ValidationError(
            _("The minutes of this meeting are approved and locked; record a correction instead.")
        )
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED):
        raise ValidationError(_("This meeting was cancelled or postponed."))


@transaction.atomic
def record_attendance(meeting: Meeting, marks: dict[int, tuple[str, str]], *, user=None) -> int:
    """Set attendance for several members at once: {member_id: (status, reason)}."""
    _require_editable(meeting)
    valid = set(AttendanceStatus.values) | {""}
    rows = {a.member_id: a for a in meeting.attendance.all()}
    changed = []
    now = timezone.now()
    for member_id, (status, reason) in marks.items():
        refuse_nul(status, reason)  # raw POST values: PostgreSQL cannot store NUL
        if status not in valid:
            raise ValidationError(_("Unknown attendance status %(s)s.") % {"s": status})
        row = rows.get(member_id)
        if row is None:
            raise ValidationError(_("A member on the sheet is not on this meeting's roster."))
        if status == AttendanceStatus.ABSENT_EXCUSED and not (reason or "").strip():
            raise ValidationError(
                _("Give the reason of %(name)s's absence, or mark it as without reason.")
                % {"name": row.member.person.full_name}
            )
        if (row.status, row.reason) != (status, (reason or "").strip()):
            row.status, row.reason = status, (reason or "").strip()
            row.recorded_at, row.recorded_by = now, user
            changed.append(row)
    # One UPDATE per batch and one INSERT of history rows (who marked what, when), not a
    # save per row: a 40-member sheet was 87 queries.
    bulk_update_with_history(
        changed,
        Attendance,
        ["status", "reason", "recorded_at", "recorded_by"],
        batch_size=200,
        default_user=user,
        default_date=now,
    )
    record_bulk(Attendance, Action.UPDATE, len(changed), meeting=str(meeting.uuid))
    summaries.recompute_for_meeting(meeting)  # the summary row, in this transaction
    return len(changed)


@transaction.atomic
def mark_all_present(meeting: Meeting, *, user=None) -> int:
    """“All present”: every member not yet marked is present; exceptions are then changed one by one."""
    _require_editable(meeting)
    build_roster(meeting)
    blank = [a for a in meeting.attendance.select_related("member__person") if not a.status]
    return record_attendance(
        meeting, {a.member_id: (AttendanceStatus.PRESENT, "") for a in blank}, user=user
    )


SYNC_BATCH_LIMIT = 500  # marks in one request: a 200-member sheet marked twice over


@transaction.atomic
def sync_attendance(
    meeting: Meeting, marks: list[dict], *, user=None, client_now: dt.datetime | None = None
) -> list[dict]:
    """Apply the marks a phone queued while it was offline (docs/offline.md), in order.

    Each mark is {"id": UUID, "member": member UUID, "status", "reason", "at": datetime}.
    Nothing is lost and nothing doubled:
    - an id already applied is a replay (the answer was lost, the queue sent again): it
      changes nothing and writes no second history or audit entry;
    - when two marks for one member disagree, the later one wins by the time it was made,
      not by when it arrived: a mark older than the row's last one is "stale" and ignored;
    - the phone's clock may be wrong: `client_now` (its clock when it sent the batch) gives
      its offset, by which every `at` is corrected; no mark is dated after the server's now.
    A meeting that is approved, cancelled or postponed refuses every mark with the reason.

    Returns one result per mark, in order: {"id", "outcome", "message", "member",
    "status", "reason"} where outcome is applied, unchanged, stale, duplicate or refused
    and status/reason are the row as it now stands (for the sheet to show)."""
    now = timezone.now()
    try:
        _require_editable(meeting)
    except ValidationError as e:
        message = " ".join(e.messages)
        return [
            {
                "id": str(m["id"]),
                "outcome": "refused",
                "message": message,
                "member": str(m["member"]),
            }
            for m in marks
        ]
    offset = (now - client_now) if client_now else dt.timedelta(0)
    # The rows locked in one statement: two phones syncing the same sheet apply in turn, and
    # the second one sees the first one's marks and ids (PostgreSQL; SQLite writes one at a time).
    rows = {
        a.member.uuid: a
        for a in meeting.attendance.select_for_update(of=("self",))
        .select_related("member__person")
        .order_by("pk")
    }
    seen = {
        s.client_id: s
        for s in AttendanceSync.objects.filter(
            province_id=meeting.province_id, client_id__in=[m["id"] for m in marks]
        )
    }
    valid = set(AttendanceStatus.values) | {""}
    results, changed, touched, syncs = [], {}, {}, []
    for m in marks:
        result = {"id": str(m["id"]), "member": str(m["member"]), "message": ""}
        row = rows.get(m["member"])
        results.append((result, row))
        status, reason = m["status"], (m["reason"] or "").strip()[:300]
        if m["id"] in seen:
            result["outcome"] = "duplicate"
        elif row is None:
            result["outcome"] = "refused"
            result["message"] = _("A member on the sheet is not on this meeting's roster.")
        elif status not in valid or "\x00" in status + reason:
            result["outcome"] = "refused"
            result["message"] = _("Unknown attendance status %(s)s.") % {"s": status[:20]}
        elif status == AttendanceStatus.ABSENT_EXCUSED and not reason:
            result["outcome"] = "refused"
            result["message"] = _(
                "Give the reason of %(name)s's absence, or mark it as without reason."
            ) % {"name": row.member.person.full_name}
        else:
            at = min(m["at"] + offset, now)
            if row.recorded_at and at < row.recorded_at:
                outcome = SyncOutcome.STALE
            elif (row.status, row.reason) != (status, reason):
                row.status, row.reason = status, reason
                row.recorded_at, row.recorded_by = at, user
                changed[row.pk] = row
                outcome = SyncOutcome.APPLIED
            else:
                # The same mark again, made later: its time still counts, so that an older
                # mark arriving after it cannot overwrite it.
                row.recorded_at = at
                touched[row.pk] = row
                outcome = SyncOutcome.UNCHANGED
            result["outcome"] = outcome
            seen[m["id"]] = AttendanceSync(
                province_id=meeting.province_id,
                meeting=meeting,
                attendance=row,
                client_id=m["id"],
                marked_at=at,
                outcome=outcome,
                user=user,
            )
            syncs.append(seen[m["id"]])
    # One history row per changed member however many of its marks the batch held.
    bulk_update_with_history(
        list(changed.values()),
        Attendance,
        ["status", "reason", "recorded_at", "recorded_by"],
        batch_size=200,
        default_user=user,
        default_date=now,
    )
    only_time = [r for pk, r in touched.items() if pk not in changed]
    Attendance.objects.bulk_update(only_time, ["recorded_at"], batch_size=200)
    AttendanceSync.objects.bulk_create(syncs)
    record_bulk(Attendance, Action.UPDATE, len(changed), meeting=str(meeting.uuid), sync=True)
    if changed:
        summaries.recompute_for_meeting(meeting)  # the summary row, in this transaction
    # The rows as they stand after the whole batch (a later mark in it may have changed them).
    for result, row in results:
        if row is not None:
            result["status"], result["reason"] = row.status, row.reason
    return [result for result, _row in results]


def attendance_summary(rows) -> dict:
    """Counts for the minutes and the checks (brief §2.6, §7.2)."""
    home = [a for a in rows if a.roster_kind == RosterKind.HOME]
    temp = [a for a in rows if a.roster_kind == RosterKind.TEMPORARY]
    expected = [a for a in home if a.status not in NOT_EXPECTED_STATUSES]
    present = [a for a in expected if a.status in PRESENT_STATUSES]

    def n(lst, status):
        return sum(1 for a in lst if a.member_status == status)

    return {
        "total": len(home),
        "official": n(home, MemberStatus.OFFICIAL) + n(home, MemberStatus.EXEMPT),
        "probationary": n(home, MemberStatus.PROBATIONARY),
        "temporary": len(temp),
        "temporary_present": sum(1 for a in temp if a.status in PRESENT_STATUSES),
        "exempt": sum(1 for a in home if a.status == AttendanceStatus.EXEMPT),
        "transferred_out": sum(1 for a in home if a.status == AttendanceStatus.TRANSFERRED_OUT),
        "expected": len(expected),
        "present": len(present),
        "present_official": sum(1 for a in present if a.member_status == MemberStatus.OFFICIAL),
        "present_probationary": sum(
            1 for a in present if a.member_status == MemberStatus.PROBATIONARY
        ),
        "absent_excused": [a for a in expected if a.status == AttendanceStatus.ABSENT_EXCUSED],
        "absent_unexcused": [a for a in expected if a.status == AttendanceStatus.ABSENT_UNEXCUSED],
        "unmarked": [a for a in rows if not a.status],
        "rate": round(len(present) * 100 / len(expected), 1) if expected else None,
    }


def eligible_voters(meeting: Meeting) -> int:
    """Official members of the cell present: probationary members do not vote (Charter art. 3)."""
    return meeting.attendance.filter(
        roster_kind=RosterKind.HOME,
        member_status=MemberStatus.OFFICIAL,
        status__in=PRESENT_STATUSES,
    ).count()


@transaction.atomic
def record_vote(meeting: Meeting, *, motion: str, yes: int, no: int = 0, abstain: int = 0) -> Vote:
    _require(meeting, MeetingStatus.IN_PROGRESS, action=_("voted on"))
    eligible = eligible_voters(meeting)
    if eligible == 0:
        raise ValidationError(
            _("No official member is marked present: record attendance before voting.")
        )
    if min(yes, no, abstain) < 0:
        raise ValidationError(_("Vote counts cannot be negative."))
    if yes + no + abstain > eligible:
        raise ValidationError(
            _(
                "%(total)s votes were counted but only %(eligible)s official members present may vote."
            )
            % {"total": yes + no + abstain, "eligible": eligible}
        )
    if not (motion or "").strip():
        raise ValidationError({"motion": _("Say what was voted on.")})
    return Vote.objects.create(
        province_id=meeting.province_id,
        meeting=meeting,
        motion=motion.strip(),
        eligible=eligible,
        yes=yes,
        no=no,
        abstain=abstain,
    )


def current_term_start(org: Organization, day: dt.date) -> dt.date:
    """Start of the committee term covering `day`; without recorded terms, the calendar year."""
    term = (
        Term.objects.filter(_valid_on(day, "end_date"), organization=org, start_date__lte=day)
        .order_by("-start_date")
        .first()
    )
    return term.start_date if term else dt.date(day.year, 1, 1)


def next_number(org: Organization, doc_type: str, day: dt.date) -> int:
    """The next number of a document type in the organization's current term (row-locked)."""
    seq, _created = DocumentSequence.objects.select_for_update().get_or_create(
        organization=org,
        doc_type=doc_type,
        term_start=current_term_start(org, day),
        defaults={"province_id": org.province_id},
    )
    DocumentSequence.objects.filter(pk=seq.pk).update(last_number=F("last_number") + 1)
    seq.refresh_from_db()
    return seq.last_number


@transaction.atomic
def pass_resolution(
    meeting: Meeting,
    *,
    kind: str,
    summary: str,
    assessment: str,
    directions: str,
    vote: Vote | None,
    tasks: list[dict],
) -> Resolution:
    """The resolution (or conclusion) adopted by the vote, with its tasks."""
    _require(meeting, MeetingStatus.IN_PROGRESS, action=_("given a resolution"))
    if Resolution.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("This meeting already has its resolution; edit it instead."))
    if kind == ResolutionKind.RESOLUTION:
        if vote is None or vote.meeting_id != meeting.pk:
            raise ValidationError(_("A resolution is adopted by a vote: record the vote first."))
        if not vote.adopted:
            raise ValidationError(
                _(
                    "The vote did not adopt it: %(yes)s of %(eligible)s eligible members approved, "
                    "more than half are needed."
                )
                % {"yes": vote.yes, "eligible": vote.eligible}
            )
    for t in tasks:
        if not (t.get("description") or "").strip():
            raise ValidationError(_("Every task needs a description."))
        if not t.get("assignee") and not (t.get("assignee_group") or "").strip():
            raise ValidationError(_("Say who carries out each task: a member or a group."))
        if t.get("assignee") and t["assignee"].pk not in set(
            meeting.attendance.values_list("member_id", flat=True)
        ):
            raise ValidationError(_("Tasks are assigned to members of the cell."))
    number = (
        next_number(meeting.organization, "NQ", meeting.local_date)
        if kind == ResolutionKind.RESOLUTION
        else None
    )
    res = Resolution.objects.create(
        province_id=meeting.province_id,
        meeting=meeting,
        kind=kind,
        number=number,
        symbol=f"{number:02d}-NQ/CB" if number else "",
        summary=summary or "",
        assessment=assessment or "",
        directions=directions or "",
        vote=vote,
    )
    Task.objects.bulk_create(
        [
            Task(
                province_id=meeting.province_id,
                organization_id=meeting.organization_id,
                resolution=res,
                description=t["description"].strip(),
                assignee=t.get("assignee"),
                assignee_group=(t.get("assignee_group") or "").strip(),
                due_date=t.get("due_date"),
            )
            for t in tasks
        ]
    )
    record_bulk(Task, Action.CREATE, len(tasks), resolution=res.symbol)
    return res


def report_task(task: Task, *, member_id: int | None, text: str) -> TaskReport:
    """A member's progress report on a task (the pages and the API both come here)."""
    if not (text or "").strip():
        raise ValidationError({"text": _("Write what has been done.")})
    return TaskReport.objects.create(
        province_id=task.province_id, task=task, member_id=member_id, text=text.strip()
    )


@transaction.atomic
def update_task(task: Task, *, status: str | None = None, result: str | None = None) -> Task:
    """The cell reviews a task: its status and result."""
    if status is not None:
        if status not in TaskStatus.values:
            raise ValidationError({"status": _("Unknown task status.")})
        task.status = status
    if result is not None:
        task.result = result.strip()
    task.save()  # one save: the history keeps who changed what
    return task


@transaction.atomic
def end(meeting: Meeting, *, ended_at: dt.datetime) -> Meeting:
    _require(meeting, MeetingStatus.IN_PROGRESS, action=_("closed"))
    if meeting.started_at and ended_at < meeting.started_at:
        raise ValidationError({"ended_at": _("The end time is before the start time.")})
    meeting.ended_at = ended_at
    meeting.save()
    return meeting


def consecutive_absences(meeting: Meeting) -> dict[int, int]:
    """For each member absent now: how many regular meetings in a row this year they missed."""
    absent_now = list(
        meeting.attendance.filter(status__in=ABSENT_STATUSES).values_list("member_id", flat=True)
    )
    if not absent_now or meeting.kind not in REGULAR_KINDS:
        return {}
    earlier = list(
        Attendance.objects.filter(
            member_id__in=absent_now,
            meeting__organization_id=meeting.organization_id,
            meeting__kind__in=REGULAR_KINDS,
            meeting__period_year=meeting.period_year,
            meeting__scheduled_at__lt=meeting.scheduled_at,
            meeting__status__in=(MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES),
        )
        .order_by("-meeting__scheduled_at")
        .values_list("member_id", "status")
    )
    streak = dict.fromkeys(absent_now, 1)
    broken = set()
    for member_id, status in earlier:
        if member_id in broken:
            continue
        if status in ABSENT_STATUSES:
            streak[member_id] += 1
        else:
            broken.add(member_id)
    return streak


def compute_checks(meeting: Meeting, *, attendance=None, documents=None, speeches=None) -> dict:
    """The checks of HD 12-2018 / HD 42-2025, as data for the meeting page and later reports.

    Rows the caller already loaded may be passed in, to save their queries.
    """
    rows = list(meeting.attendance.all()) if attendance is None else attendance
    summary = attendance_summary(rows)
    duration = meeting.duration_minutes
    minimum = meeting.min_minutes
    docs = list(meeting.documents.all()) if documents is None else documents
    late_docs = [d.title for d in docs if d.posted_late]
    streaks = consecutive_absences(meeting)
    quarter_months = range((meeting.quarter - 1) * 3 + 1, meeting.quarter * 3 + 1)
    thematic = Meeting.objects.filter(
        organization_id=meeting.organization_id,
        kind__in=THEMATIC_KINDS,
        period_year=meeting.period_year,
        period_month__in=quarter_months,
        status__in=(MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES),
    ).exists()
    committee = meeting.prepared_by.filter(
        status__in=(MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES)
    ).exists()
    if speeches is None:
        speakers = set(
            Speech.objects.filter(item__meeting=meeting).values_list("speaker_id", flat=True)
        )
    else:
        speakers = {s.speaker_id for s in speeches}
    return {
        "duration_minutes": duration,
        "min_minutes": minimum,
        "duration_ok": None if duration is None or minimum is None else duration >= minimum,
        "expected": summary["expected"],
        "present": summary["present"],
        "attendance_rate": summary["rate"],
        "attendance_ok": summary["rate"] is not None and summary["rate"] > ATTENDANCE_TARGET,
        "absent_excused": len(summary["absent_excused"]),
        "absent_unexcused": len(summary["absent_unexcused"]),
        "consecutive_absences": {
            str(k): v for k, v in streaks.items() if v > CONSECUTIVE_ABSENCE_LIMIT
        },
        "committee_meeting_held": committee,
        "documents": len(docs),
        "documents_late": late_docs,
        "documents_ok": bool(docs) and not late_docs,
        "thematic_this_quarter": thematic,
        "speakers": len(speakers),
        "speakers_share": round(len(speakers) * 100 / summary["present"], 1)
        if summary["present"]
        else None,
        "has_resolution": Resolution.objects.filter(meeting=meeting).exists(),
    }


@transaction.atomic
def approve_minutes(meeting: Meeting, *, user=None) -> Meeting:
    """The minutes are read back and approved: in progress → approved. The record is then locked."""
    _require(meeting, MeetingStatus.IN_PROGRESS, action=_("approved"))
    problems = []
    if not meeting.started_at or not meeting.ended_at:
        problems.append(_("Record the start and end times."))
    if not meeting.chair_id or not meeting.minutes_secretary_id:
        problems.append(_("Name the chair and the minutes secretary."))
    unmarked = meeting.attendance.filter(status="").count()
    if unmarked:
        problems.append(_("%(n)s members on the sheet have no attendance mark.") % {"n": unmarked})
    if problems:
        raise ValidationError(problems)
    meeting.checks = compute_checks(meeting)
    meeting.minutes_number = next_number(meeting.organization, "BB", meeting.local_date)
    meeting.status = MeetingStatus.APPROVED
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = user
    meeting.save()
    summaries.recompute_for_meeting(meeting)  # the summary row, in this transaction
    return meeting


@transaction.atomic
def archive(meeting: Meeting, *, user=None) -> Meeting:
    _require(meeting, MeetingStatus.APPROVED, action=_("archived"))
    meeting.status = MeetingStatus.ARCHIVED
    meeting.save()
    summaries.recompute_for_meeting(meeting)  # the summary row, in this transaction
    return meeting


@transaction.atomic
def postpone(meeting: Meeting, *, new_time: dt.datetime, reason: str, user=None) -> Meeting:
    """Postpone: this meeting is kept as postponed, a new planned one takes its month and content."""
    _require(
        meeting,
        MeetingStatus.PLANNED,
        MeetingStatus.PREPARED,
        MeetingStatus.NOTICE_SENT,
        action=_("postponed"),
    )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if new_time <= meeting.scheduled_at:
        raise ValidationError({"new_time": _("The new time must be after the planned one.")})
    new = Meeting.objects.create(
        province_id=meeting.province_id,
        organization_id=meeting.organization_id,
        kind=meeting.kind,
        title=meeting.title,
        topic=meeting.topic,
        period_year=meeting.period_year,
        period_month=meeting.period_month,
        scheduled_at=new_time,
        place=meeting.place,
        draft_resolution=meeting.draft_resolution,
    )
    meeting.agenda.update(meeting=new)
    meeting.documents.update(meeting=new)
    meeting.absence_requests.update(meeting=new)
    meeting.status = MeetingStatus.POSTPONED
    meeting.status_note = reason.strip()
    meeting.postponed_to = new
    meeting.save()
    summaries.recompute_for_meeting(meeting)  # the summary row, in this transaction
    return new


@transaction.atomic
def cancel(meeting: Meeting, *, reason: str, user=None) -> Meeting:
    _require(
        meeting,
        MeetingStatus.PLANNED,
        MeetingStatus.PREPARED,
        MeetingStatus.NOTICE_SENT,
        action=_("cancelled"),
    )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    meeting.status = MeetingStatus.CANCELLED
    meeting.status_note = reason.strip()
    meeting.save()
    summaries.recompute_for_meeting(meeting)  # the summary row, in this transaction
    return meeting


@transaction.atomic
def amend(meeting: Meeting, *, reason: str, changes: list[dict], apply, user=None) -> Amendment:
    """A correction to locked minutes: `apply()` performs it; the reason and the changes are recorded."""
    if not meeting.is_locked:
        raise ValidationError(
            _("Only approved minutes need a correction; edit the meeting directly.")
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the approved minutes are corrected.")})
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    apply()
    meeting.checks = compute_checks(meeting)
    meeting.save(update_fields=["checks", "updated_at"])
    summaries.recompute_for_meeting(meeting)  # the summary row, in this transaction
    return Amendment.objects.create(
        province_id=meeting.province_id,
        meeting=meeting,
        user=user,
        reason=reason.strip(),
        changes=changes,
    )
