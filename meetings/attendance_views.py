"""The attendance screen: from the paper sheet or live, phone-first, keyboard-friendly.

"All present" first, then the exceptions. Each change saves on its own and the counts above
update; without JavaScript the whole sheet is one form. With it, static/js/attendance-offline.js
queues each change on the phone and sends the queue to `sync`: a change made while the network
is down waits there and goes when it is back (docs/offline.md).
"""

import datetime as dt
import json
import math
import uuid as uuidlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import Cap, get_meeting
from lib.validators import refuse_nul
from meetings import services
from meetings.models import AttendanceStatus, Guest, MeetingStatus

# The statuses offered on every row; exempt and "elsewhere" only where the roster preset them.
COMMON = [
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
    AttendanceStatus.ABSENT_EXCUSED,
    AttendanceStatus.ABSENT_UNEXCUSED,
]
# Lazy: translated per request, in the user's language (not once at import).
SHORT = {
    AttendanceStatus.PRESENT: gettext_lazy("Present"),
    AttendanceStatus.LATE: gettext_lazy("Late"),
    AttendanceStatus.LEFT_EARLY: gettext_lazy("Left early"),
    AttendanceStatus.ABSENT_EXCUSED: gettext_lazy("Excused"),
    AttendanceStatus.ABSENT_UNEXCUSED: gettext_lazy("Unexcused"),
    AttendanceStatus.EXEMPT: gettext_lazy("Exempt"),
    AttendanceStatus.TRANSFERRED_OUT: gettext_lazy("Elsewhere"),
}


def _rows(meeting):
    rows = list(
        meeting.attendance.select_related("member__person").order_by(
            "roster_kind", "member__person__sort_key"
        )
    )
    for r in rows:
        choices = list(COMMON)
        if r.status in (AttendanceStatus.EXEMPT, AttendanceStatus.TRANSFERRED_OUT):
            choices.append(r.status)
        r.choices = [(c, SHORT[c]) for c in choices]
    return rows


def _context(meeting, **extra):
    rows = _rows(meeting)
    return {
        "meeting": meeting,
        "rows": rows,
        "summary": services.attendance_summary(rows),
        "guests": list(meeting.guests.all()),
        "locked": meeting.is_locked,
        **extra,
    }


def _editable(meeting):
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED):
        raise PermissionDenied


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sheet(request, uuid):
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    _editable(meeting)
    if not meeting.is_locked:
        services.build_roster(meeting)
    if request.method == "POST":
        marks = {}
        for key, value in request.POST.items():
            if key.startswith("s_") and key[2:].isdigit():
                member_id = int(key[2:])
                marks[member_id] = (value, request.POST.get(f"r_{member_id}", "")[:300])
        try:
            if request.POST.get("all_present"):
                n = services.mark_all_present(meeting, user=request.user)
                messages.success(
                    request,
                    _("%(n)s members marked present. Now change the exceptions.") % {"n": n},
                )
            elif meeting.is_locked:
                _amend_attendance(request, meeting, marks)
                messages.success(request, _("The correction is recorded."))
            else:
                n = services.record_attendance(meeting, marks, user=request.user)
                messages.success(request, _("Attendance saved (%(n)s changes).") % {"n": n})
        except ValidationError as e:
            for m in e.messages:
                messages.error(request, m)
            return render(
                request, "meetings/attendance.html", _context(meeting, posted=marks), status=200
            )
        return redirect("meetings:attendance", uuid=meeting.uuid)
    return render(request, "meetings/attendance.html", _context(meeting))


def _amend_attendance(request, meeting, marks):
    rows = {a.member_id: a for a in meeting.attendance.select_related("member__person")}
    changes = [
        {
            "member": rows[mid].member.person.full_name,
            "from": rows[mid].status,
            "to": status,
            "reason": reason,
        }
        for mid, (status, reason) in marks.items()
        if mid in rows and (rows[mid].status, rows[mid].reason) != (status, reason.strip())
    ]
    if any(s not in AttendanceStatus.values for s, _r in marks.values()):
        raise ValidationError(_("Unknown attendance status."))
    # Raw POST values: PostgreSQL cannot store NUL in text (chibo/tests/badinput).
    refuse_nul(*(r for _s, r in marks.values()), request.POST.get("amend_reason", ""))

    def apply():
        for mid, (status, reason) in marks.items():
            row = rows.get(mid)
            if row and (row.status, row.reason) != (status, reason.strip()):
                row.status, row.reason, row.recorded_by = status, reason.strip(), request.user
                row.save()

    services.amend(
        meeting,
        reason=request.POST.get("amend_reason", ""),
        changes=changes,
        apply=apply,
        user=request.user,
    )


@login_required
@require_POST
def mark(request, uuid, member_id):
    """HTMX: save one row; returns the row and the counts (out of band)."""
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    _editable(meeting)
    if meeting.is_locked:
        raise PermissionDenied
    status = request.POST.get(f"s_{member_id}", "")
    reason = request.POST.get(f"r_{member_id}", "")[:300]
    error = ""
    try:
        services.record_attendance(meeting, {member_id: (status, reason)}, user=request.user)
    except ValidationError as e:
        error = " ".join(e.messages)
    rows = _rows(meeting)
    row = next((r for r in rows if r.member_id == member_id), None)
    if row is None:
        raise Http404
    return render(
        request,
        "meetings/_attendance_row_update.html",
        {
            "meeting": meeting,
            "r": row,
            "summary": services.attendance_summary(rows),
            "error": error,
            "posted_status": status if error else None,
            "posted_reason": reason,
        },
    )


@login_required
@require_POST
def add_guest(request, uuid):
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    if meeting.is_locked:
        raise PermissionDenied
    name = request.POST.get("name", "").strip()[:120]
    title = request.POST.get("title", "").strip()[:200]
    if not name:
        messages.error(request, _("Give the guest's name."))
    elif "\x00" in name + title:
        # Raw POST values: PostgreSQL cannot store NUL in text (chibo/tests/badinput).
        messages.error(request, ProhibitNullCharactersValidator.message)
    else:
        Guest.objects.create(
            province_id=meeting.province_id,
            meeting=meeting,
            name=name,
            title=title,
            is_supervisor=request.POST.get("is_supervisor") == "on",
        )
        messages.success(request, _("%(name)s is recorded as a guest.") % {"name": name})
    return redirect("meetings:attendance", uuid=meeting.uuid)


def _when(value) -> dt.datetime:
    """A phone's time in milliseconds since 1970 (JavaScript's Date.now())."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError("not a time")
    return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)


def _parse_marks(body: bytes) -> tuple[list[dict], dt.datetime]:
    """The queue a phone sent: {"sent_at": ms, "marks": [{"id", "member", "status",
    "reason", "at"}]}. Raises ValueError on anything else."""
    data = json.loads(body.decode("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("marks"), list):
        raise ValueError("no marks")
    if len(data["marks"]) > services.SYNC_BATCH_LIMIT:
        raise ValueError("too many marks")
    marks = []
    for m in data["marks"]:
        if not isinstance(m, dict):
            raise ValueError("not a mark")
        status, reason = m.get("status", ""), m.get("reason", "")
        if not isinstance(status, str) or not isinstance(reason, str):
            raise ValueError("not text")
        marks.append(
            {
                "id": uuidlib.UUID(str(m.get("id"))),
                "member": uuidlib.UUID(str(m.get("member"))),
                "status": status[:20],
                "reason": reason[:300],
                "at": _when(m.get("at")),
            }
        )
    return marks, _when(data.get("sent_at"))


@login_required
@require_POST
def sync(request, uuid):
    """JSON: the sheet's queue of marks, applied in order, each once (services.sync_attendance).
    Answers each mark's outcome and the counts, for the sheet to show."""
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    try:
        marks, client_now = _parse_marks(request.body)
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError, OSError):
        return JsonResponse({"error": _("The marks sent could not be read.")}, status=400)
    results = services.sync_attendance(meeting, marks, user=request.user, client_now=client_now)
    rows = _rows(meeting)
    summary = render_to_string(
        "meetings/_attendance_summary.html",
        {"summary": services.attendance_summary(rows)},
        request=request,
    )
    return JsonResponse({"results": results, "summary_html": summary})
