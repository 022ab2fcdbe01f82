"""The meeting page and its state transitions (one small POST view per transition)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import Cap, Level, get_meeting
from meetings import followers, notices, services
from meetings.forms import (
    AbsenceForm,
    DocumentForm,
    EndForm,
    PostponeForm,
    PrepareForm,
    ReasonForm,
    SpeechForm,
    StartForm,
    VoteForm,
    now_local,
)
from meetings.models import (
    OPEN_STATUSES,
    AbsenceRequest,
    Attendance,
    Meeting,
    MeetingStatus,
    Resolution,
    Speech,
    Step,
    Task,
)
from members.models import ACTIVE_STATUSES, Member, Membership, MembershipKind
from organizations import selectors as org_selectors
from organizations.models import CELL_KINDS
from ratings.models import MemberReview


def cell_members(meeting: Meeting):
    """Members who may chair, speak or be given tasks: the meeting's roster, or the cell's current members."""
    ids = list(meeting.attendance.values_list("member_id", flat=True))
    qs = (
        Member.objects.filter(pk__in=ids)
        if ids
        else Member.objects.filter(organization=meeting.organization, status__in=ACTIVE_STATUSES)
    )
    return list(qs.select_related("person").order_by("person__sort_key"))


def meeting_context(request, meeting: Meeting) -> dict:
    """Everything the meeting page shows, in a fixed number of queries."""
    scope = request.scope
    level = scope.meeting_level(meeting)
    manages = level >= Level.CELL
    reads_cell = scope.level_for(meeting.organization) >= Level.READ
    attendance = list(
        meeting.attendance.select_related("member__person").order_by("member__person__sort_key")
    )
    preview = not attendance and meeting.status in OPEN_STATUSES
    if preview:
        # Before the opening there is no sheet yet: show who is expected on the day.
        summary = services.attendance_summary(
            [
                Attendance(
                    member=r["member"],
                    roster_kind=r["roster_kind"],
                    status=r["status"],
                    reason=r["reason"],
                    member_status=r["member"].status,
                )
                for r in services.expected_roster(meeting)
            ]
        )
    else:
        summary = services.attendance_summary(attendance)
    agenda = list(
        meeting.agenda.select_related("presenter__person", "reviews").prefetch_related(
            Prefetch("speeches", queryset=Speech.objects.select_related("speaker__person"))
        )
    )
    proposed = not agenda and meeting.status in OPEN_STATUSES
    if proposed:
        # Not saved until the meeting is prepared, announced or opened: a preview.
        agenda = services.proposed_agenda(meeting)
    review_tasks = {}
    reviewed = [a.reviews_id for a in agenda if a.reviews_id]
    if reviewed:
        for t in Task.objects.filter(resolution_id__in=reviewed).select_related("assignee__person"):
            review_tasks.setdefault(t.resolution_id, []).append(t)
    for item in agenda:
        item.review_tasks = review_tasks.get(item.reviews_id, [])
    steps = [
        (value, label, [a for a in agenda if a.step == value]) for value, label in Step.choices
    ]
    resolution = (
        Resolution.objects.filter(meeting=meeting)
        .select_related("vote")
        .prefetch_related(
            Prefetch("tasks", queryset=Task.objects.select_related("assignee__person"))
        )
        .first()
    )
    own = scope.self_member_id
    documents = list(meeting.documents.all())
    absence = list(meeting.absence_requests.select_related("member__person", "decided_by"))
    if not manages:
        absence = [a for a in absence if a.member_id == own]
        attendance_shown = (
            [a for a in attendance if a.member_id == own] if not reads_cell else attendance
        )
    else:
        attendance_shown = attendance
    checks = (
        meeting.checks
        if meeting.is_locked
        else services.compute_checks(
            meeting,
            attendance=attendance,
            documents=documents,
            speeches=[s for a in agenda if a.pk for s in a.speeches.all()],
        )
    )
    return {
        "meeting": meeting,
        "org": meeting.organization,
        "ancestors": org_selectors.ancestors(meeting.organization) + [meeting.organization],
        "manages": manages,
        "reads_cell": reads_cell,
        "summary": summary,
        "roster_preview": preview,
        "attendance": attendance_shown,
        "steps": steps,
        "agenda_proposed": proposed,
        "votes": list(meeting.votes.all()),
        "resolution": resolution,
        "documents": documents,
        "guests": list(meeting.guests.all()),
        "absence_requests": absence,
        "notices": list(meeting.notices.all()[:5]) if manages else [],
        "amendments": list(meeting.amendments.select_related("user")) if reads_cell else [],
        "committee_meetings": list(meeting.prepared_by.all()),
        # Who from the committees above is notified of this meeting (meetings/notices.py).
        "followers": [
            a.user
            for a in followers.in_force(meeting.organization, meeting.local_date)
            .select_related("user")
            .order_by("valid_from", "pk")
        ],
        "checks": checks,
        "is_open": meeting.status in OPEN_STATUSES,
        "own_member_id": own,
        "can_request_absence": (
            own is not None
            and meeting.status in OPEN_STATUSES
            and meeting.status != MeetingStatus.IN_PROGRESS
            and not any(a.member_id == own for a in absence)
            and Member.objects.filter(pk=own, organization_id=meeting.organization_id).exists()
        ),
    }


@never_cache
@login_required
def my_meetings(request):
    """Upcoming and recent meetings of the user's own cell and the cells they manage; their open tasks."""
    scope = request.scope
    today = timezone.localdate()
    qs = scope.meetings().filter(
        scheduled_at__date__gte=today - timezone.timedelta(days=45),
        scheduled_at__date__lte=today + timezone.timedelta(days=60),
    )
    if scope.has_org_access and not scope.is_admin:
        qs = qs.filter(
            Q(organization__in=scope.organizations(Level.CELL))
            | Q(organization__home_members__pk=scope.self_member_id or 0)
        )
    meetings = list(qs.select_related("organization").order_by("scheduled_at")[:100])
    tasks = []
    reviews = []
    if scope.self_member_id:
        tasks = list(
            Task.objects.filter(assignee_id=scope.self_member_id)
            .select_related("resolution__meeting")
            .order_by("status", "due_date")[:50]
        )
        # The member's own annual and quarterly reviews: where they self-review or dispute.
        reviews = list(
            MemberReview.objects.filter(member_id=scope.self_member_id)
            .select_related("cycle")
            .order_by("-cycle__year", "-cycle__quarter")[:6]
        )
        for r in reviews:
            r.level_label = r.cycle.level_name(r.decided_level)
    return render(
        request,
        "meetings/mine.html",
        {
            "meetings": meetings,
            "tasks": tasks,
            "reviews": reviews,
            "today": today,
            "own_cell": own_cell(scope, today),
        },
    )


def own_cell(scope, today):
    """The cell whose calendar the page links to: the member's home cell, else a cell they run."""
    if scope.self_member_id:
        home = (
            Membership.objects.on(today)
            .filter(member_id=scope.self_member_id, kind=MembershipKind.HOME)
            .select_related("organization")
            .first()
        )
        if home is not None:
            return home.organization
    if scope.has_org_access and not scope.is_admin:
        # A secretary without a member record runs one cell; a committee sees many: no link.
        cells = list(
            scope.organizations(Level.CELL).filter(kind__in=CELL_KINDS, dissolved_on__isnull=True)[
                :2
            ]
        )
        return cells[0] if len(cells) == 1 else None
    return None


@never_cache
@login_required
def detail(request, uuid):
    meeting = get_meeting(request.scope, uuid)
    ctx = meeting_context(request, meeting)
    if ctx["manages"] and meeting.status in OPEN_STATUSES:
        members = cell_members(meeting)
        ctx.update(
            prepare_form=PrepareForm(initial={"draft_resolution": meeting.draft_resolution}),
            start_form=StartForm(
                members=members,
                initial={
                    "started_at": meeting.started_at or now_local(),
                    "chair": meeting.chair_id,
                    "minutes_secretary": meeting.minutes_secretary_id,
                },
            ),
            end_form=EndForm(initial={"ended_at": meeting.ended_at or now_local()}),
            # Forms sharing a field name get their own ids: with the same id twice on the
            # page, a label would point at the other form's field.
            postpone_form=PostponeForm(auto_id="postpone_%s"),
            cancel_form=ReasonForm(auto_id="cancel_%s"),
            document_form=DocumentForm(),
            vote_form=VoteForm(),
        )
        # Opinions are recorded once the meeting is open, not while it is being prepared.
        in_session = meeting.status == MeetingStatus.IN_PROGRESS
        for _value, _label, items in ctx["steps"]:
            for item in items:
                if item.pk and in_session:  # one opinion form per agenda item
                    item.speech_form = SpeechForm(members=members, auto_id=f"item{item.pk}_%s")
    if ctx["can_request_absence"]:
        ctx["absence_form"] = AbsenceForm(auto_id="absence_%s")
    return render(request, "meetings/detail.html", ctx)


def _transition(request, uuid, action, success, form_class=None):
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errs)}" if label else " ".join(errs))
        return redirect(meeting)
    try:
        result = action(meeting, form.cleaned_data if form else {})
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect(meeting)
    messages.success(request, success)
    return redirect(result if isinstance(result, Meeting) else meeting)


@login_required
@require_POST
def prepare(request, uuid):
    return _transition(
        request,
        uuid,
        lambda m, d: services.prepare(m, draft_resolution=d["draft_resolution"], user=request.user),
        _("The meeting is prepared: the agenda and the draft resolution are recorded."),
        PrepareForm,
    )


@login_required
@require_POST
def send_notice(request, uuid):
    def action(m, d):
        sent = notices.send_notice(m, user=request.user)
        messages.info(
            request,
            _("Notice e-mailed to %(n)s people; %(k)s have no e-mail address.")
            % {"n": len(sent.recipients), "k": len(sent.without_email)},
        )
        return m

    return _transition(request, uuid, action, _("The notice was sent."))


@login_required
@require_POST
def start(request, uuid):
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    form = StartForm(request.POST, members=cell_members(meeting))
    if not form.is_valid():
        for errs in form.errors.values():
            messages.error(request, " ".join(errs))
        return redirect(meeting)
    d = form.cleaned_data
    try:
        if meeting.status == MeetingStatus.IN_PROGRESS:
            meeting.started_at, meeting.chair, meeting.minutes_secretary = (
                d["started_at"],
                d["chair"],
                d["minutes_secretary"],
            )
            meeting.save()
        else:
            services.start(
                meeting,
                started_at=d["started_at"],
                chair=d["chair"],
                minutes_secretary=d["minutes_secretary"],
                user=request.user,
            )
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect(meeting)
    messages.success(request, _("The meeting is open. Record the attendance."))
    return redirect("meetings:attendance", uuid=meeting.uuid)


@login_required
@require_POST
def end(request, uuid):
    return _transition(
        request,
        uuid,
        lambda m, d: services.end(m, ended_at=d["ended_at"]),
        _("The end time is recorded."),
        EndForm,
    )


@login_required
@require_POST
def approve(request, uuid):
    return _transition(
        request,
        uuid,
        lambda m, d: services.approve_minutes(m, user=request.user),
        _("The minutes are approved and locked."),
    )


@login_required
@require_POST
def archive(request, uuid):
    return _transition(
        request,
        uuid,
        lambda m, d: services.archive(m, user=request.user),
        _("The meeting is archived."),
    )


@login_required
@require_POST
def postpone(request, uuid):
    return _transition(
        request,
        uuid,
        lambda m, d: services.postpone(
            m, new_time=d["new_time"], reason=d["reason"], user=request.user
        ),
        _("The meeting is postponed; this is the new one."),
        PostponeForm,
    )


@login_required
@require_POST
def cancel(request, uuid):
    return _transition(
        request,
        uuid,
        lambda m, d: services.cancel(m, reason=d["reason"], user=request.user),
        _("The meeting is cancelled."),
        ReasonForm,
    )


@login_required
@require_POST
def upload_document(request, uuid):
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    if meeting.is_locked or meeting.status not in OPEN_STATUSES:
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        doc = form.save(commit=False)
        doc.meeting, doc.province_id, doc.posted_by = meeting, meeting.province_id, request.user
        doc.save()
        if doc.posted_late:
            messages.warning(
                request, _("Posted less than one day before the meeting: it is flagged as late.")
            )
        else:
            messages.success(request, _("The document is posted for the members."))
    else:
        for errs in form.errors.values():
            messages.error(request, " ".join(errs))
    return redirect(meeting)


# ---- absence requests ---------------------------------------------------------------


@login_required
@require_POST
def request_absence(request, uuid):
    meeting = get_meeting(request.scope, uuid)
    member_id = request.scope.self_member_id
    if (
        not member_id
        or not Member.objects.filter(pk=member_id, organization_id=meeting.organization_id).exists()
    ):
        raise PermissionDenied
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            services.request_absence(
                meeting, Member.objects.get(pk=member_id), form.cleaned_data["reason"]
            )
        except ValidationError as e:
            for m in e.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("Your request was sent to the cell secretary."))
    else:
        messages.error(request, _("Give the reason for your absence."))
    return redirect(meeting)


@login_required
@require_POST
def decide_absence(request, uuid, pk):
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    try:
        req = meeting.absence_requests.get(pk=pk)
    except AbsenceRequest.DoesNotExist as e:
        raise Http404 from e
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_absence(
            req, approve=approve, user=request.user, note=request.POST.get("note", "")[:300]
        )
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    else:
        messages.success(
            request, _("The request was approved.") if approve else _("The request was rejected.")
        )
    return redirect(meeting)
