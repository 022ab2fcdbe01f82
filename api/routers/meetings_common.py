"""What the meeting routers share: who sees how much of a meeting, and its JSON shapes.

A plain member (no role over the cell, only their own member record) reads the
meetings of their cell, but as a participant, not as its keeper: the votes, the
resolution and the aggregate counts (all read out at the meeting), their own
attendance row and absence request, never other members' rows or reasons.
"""

import datetime as dt
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from accounts.access import CAP_LEVEL, Cap, Level, Scope, get_organization
from api.errors import django_items
from audit.log import record_denied
from meetings import services
from meetings.models import OPEN_STATUSES, Meeting, Resolution, Speech, Task
from members.models import Member
from organizations.models import Organization

# Keys of Meeting.checks that name members by database id: shown as repeated_absences.
PRIVATE_CHECKS = {"consecutive_absences"}
# Ids beyond the database's bigint do not exist: a 404, not a database error.
MAX_ID = 2**63 - 1


def participant_only(scope: Scope, meeting: Meeting) -> bool:
    """True when the caller sees the meeting only as a member of the cell (or of its sheet)."""
    return scope.level_for(meeting.organization) < Level.READ


def can_manage(scope: Scope, meeting: Meeting) -> bool:
    return scope.meeting_level(meeting) >= CAP_LEVEL[Cap.MANAGE_MEMBERS]


def visible_org(scope: Scope, uuid) -> Organization:
    """An organization to filter by: one in scope, or the caller's own home cell."""
    try:
        if not scope.has_org_access and scope.self_member_id:
            raise Http404  # a plain member: straight to their own cell, no refusal logged
        return get_organization(scope, uuid)
    except Http404:
        if scope.self_member_id:
            own = Organization.objects.filter(
                uuid=uuid, home_members__pk=scope.self_member_id
            ).first()
            if own is not None:
                return own
            if not scope.has_org_access:
                record_denied("organization", uuid, "not_found")
        raise


def error_at(loc: tuple, message: str, code: str = "invalid") -> list[dict]:
    """One 422 item at an exact place in the request, e.g. ("body", "tasks", 2, "assignee")."""
    return django_items(ValidationError(message, code=code), prefix=loc)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A time without an offset is Vietnam time, as a secretary would write it."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


# Before 1906 the zone database gives Vietnam its local mean time, +07:06:30: an offset in
# seconds is not an ISO 8601 / RFC 3339 offset, so such a time is shown at +07:00 (a meeting
# "in 219" can be typed; the answer must still be a valid date-time).
UTC7 = dt.timezone(dt.timedelta(hours=7))


def local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    shown = timezone.localtime(value)
    if shown.utcoffset().seconds % 60:
        shown = value.astimezone(UTC7)
    return shown


def member_ref(member: Member | None) -> dict | None:
    if member is None:
        return None
    return {"uuid": member.uuid, "full_name": member.person.full_name}


def resolution_label(res: Resolution | None) -> str | None:
    if res is None:
        return None
    return res.symbol or res.summary or res.get_kind_display()


def summary_counts(rows) -> dict:
    s = services.attendance_summary(rows)
    return {
        **{k: v for k, v in s.items() if not isinstance(v, list)},
        **{k: len(v) for k, v in s.items() if isinstance(v, list)},
    }


def meeting_out(m: Meeting) -> dict:
    return {
        "uuid": m.uuid,
        "organization": {"uuid": m.organization.uuid, "name": m.organization.name},
        "kind": m.kind,
        "status": m.status,
        "title": str(m.display_title),
        "topic": m.topic,
        "period_year": m.period_year,
        "period_month": m.period_month,
        "scheduled_at": local(m.scheduled_at),
        "place": m.place,
        "started_at": local(m.started_at),
        "ended_at": local(m.ended_at),
    }


def vote_out(v) -> dict:
    return {
        "id": v.pk,
        "motion": v.motion,
        "eligible": v.eligible,
        "yes": v.yes,
        "no": v.no,
        "abstain": v.abstain,
        "adopted": v.adopted,
        "percent": v.percent,
    }


def task_out(t: Task) -> dict:
    return {
        "id": t.pk,
        "description": t.description,
        "assignee": member_ref(t.assignee),
        "assignee_group": t.assignee_group,
        "due_date": t.due_date,
        "status": t.status,
        "result": t.result,
    }


def resolution_out(res: Resolution, tasks) -> dict:
    return {
        "kind": res.kind,
        "number": res.number,
        "symbol": res.symbol,
        "summary": res.summary,
        "assessment": res.assessment,
        "directions": res.directions,
        "vote": res.vote_id,
        "tasks": [task_out(t) for t in tasks],
    }


def absence_out(req) -> dict:
    return {
        "id": req.pk,
        "meeting": req.meeting.uuid,
        "member": member_ref(req.member),
        "reason": req.reason,
        "status": req.status,
        "created_at": local(req.created_at),
        "decided_at": local(req.decided_at),
        "decision_note": req.decision_note,
    }


def _repeated_absences(checks: dict) -> list[dict]:
    streaks = checks.get("consecutive_absences") or {}
    if not streaks:
        return []
    members = Member.objects.filter(pk__in=[int(k) for k in streaks]).select_related("person")
    return sorted(
        ({"member": member_ref(m), "count": streaks[str(m.pk)]} for m in members),
        key=lambda r: (-r["count"], r["member"]["full_name"]),
    )


def meeting_detail(scope: Scope, meeting_pk: int) -> dict:
    """The whole meeting in a fixed number of queries, whatever its size."""
    m = Meeting.objects.select_related(
        "organization",
        "chair__person",
        "minutes_secretary__person",
        "postponed_to",
        "prepares",
    ).get(pk=meeting_pk)
    only_own = participant_only(scope, m)
    level = scope.meeting_level(m)
    agenda = list(
        m.agenda.select_related("presenter__person", "reviews").prefetch_related(
            Prefetch("speeches", queryset=Speech.objects.select_related("speaker__person"))
        )
    )
    resolution = Resolution.objects.filter(meeting=m).first()
    tasks = (
        list(resolution.tasks.select_related("assignee__person").order_by("pk"))
        if resolution
        else []
    )
    requests = m.absence_requests.select_related("member__person")
    if only_own:
        requests = requests.filter(member_id=scope.self_member_id)
    checks = {k: v for k, v in (m.checks or {}).items() if k not in PRIVATE_CHECKS}
    return {
        **meeting_out(m),
        "draft_resolution": m.draft_resolution,
        "notice_sent_at": local(m.notice_sent_at),
        "minutes_approved_at": local(m.minutes_approved_at),
        "status_note": m.status_note,
        "postponed_to": m.postponed_to.uuid if m.postponed_to_id else None,
        "prepares": m.prepares.uuid if m.prepares_id else None,
        "duration_minutes": m.duration_minutes,
        "min_minutes": m.min_minutes,
        "chair": member_ref(m.chair),
        "minutes_secretary": member_ref(m.minutes_secretary),
        "checks": checks,
        "repeated_absences": [] if only_own else _repeated_absences(m.checks or {}),
        "counts": summary_counts(list(m.attendance.all())),
        "agenda": [
            {
                "step": i.step,
                "order": i.order,
                "title": i.title,
                "presenter": member_ref(i.presenter),
                "notes": i.notes,
                "conclusion": i.conclusion,
                "reviews": resolution_label(i.reviews),
                "speeches": [
                    {"speaker": member_ref(s.speaker), "summary": s.summary}
                    for s in i.speeches.all()
                ],
            }
            for i in agenda
        ],
        "votes": [vote_out(v) for v in m.votes.all()],
        "resolution": resolution_out(resolution, tasks) if resolution else None,
        "documents": [
            {
                "title": d.title,
                "kind": d.kind,
                "posted_at": local(d.posted_at),
                "posted_late": d.posted_late,
            }
            for d in m.documents.all()
        ],
        "absence_requests": [absence_out(r) for r in requests],
        "capabilities": [c.value for c in (Cap.VIEW, Cap.MANAGE_MEMBERS) if level >= CAP_LEVEL[c]],
    }


def attendance_sheet(scope: Scope, meeting: Meeting) -> dict:
    """The sheet; before it exists (an open meeting), who is expected on it, without writing."""
    rows = list(
        meeting.attendance.select_related("member__person").order_by(
            "roster_kind", "member__person__sort_key", "pk"
        )
    )
    built = bool(rows)
    if not built and meeting.status in OPEN_STATUSES:
        expected = services.expected_roster(meeting)
        people = Member.objects.select_related("person").in_bulk([r["member"].pk for r in expected])
        rows = sorted(
            (
                SimpleNamespace(
                    member=people[r["member"].pk],
                    roster_kind=r["roster_kind"],
                    member_status=r["member"].status,
                    status=r["status"],
                    reason=r["reason"],
                )
                for r in expected
            ),
            key=lambda a: (a.roster_kind, a.member.person.sort_key),
        )
    counts = summary_counts(rows)
    if participant_only(scope, meeting):
        rows = [a for a in rows if a.member.pk == scope.self_member_id]
    return {
        "roster_built": built,
        "items": [
            {
                "member": member_ref(a.member),
                "roster_kind": a.roster_kind,
                "member_status": a.member_status,
                "status": a.status,
                "reason": a.reason,
            }
            for a in rows
        ],
        "counts": counts,
    }
