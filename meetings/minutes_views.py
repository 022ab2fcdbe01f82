"""Minutes: agenda items with proceedings and conclusions, speeches, votes, the resolution and its tasks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import Cap, Level, get_meeting
from meetings import services
from meetings.forms import (
    AgendaItemForm,
    ResolutionForm,
    SpeechForm,
    TaskForm,
    TaskReportForm,
    TaskStatusForm,
    VoteForm,
)
from meetings.models import AgendaItem, MeetingStatus, Resolution, Speech, Task, TaskReport
from meetings.views import cell_members

TaskFormSet = formset_factory(TaskForm, extra=4, max_num=30)


def _require_writable(meeting, request):
    """Open meetings are edited freely; approved minutes only with a reason (an audited correction)."""
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED):
        raise PermissionDenied
    if meeting.is_locked and not request.POST.get("amend_reason", "").strip():
        raise ValidationError(_("These minutes are approved: give the reason for the correction."))


def _save_item(request, meeting, form, item_before=None):
    def apply():
        form.save()

    if meeting.is_locked:
        changes = [
            {
                "item": form.instance.title,
                "field": f,
                "from": str(item_before.get(f, "")),
                "to": str(form.cleaned_data.get(f, "")),
            }
            for f in form.changed_data
        ]
        services.amend(
            meeting,
            reason=request.POST.get("amend_reason", ""),
            changes=changes,
            apply=apply,
            user=request.user,
        )
    else:
        apply()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit_item(request, uuid, pk):
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    try:
        item = meeting.agenda.get(pk=pk)
    except AgendaItem.DoesNotExist as e:
        raise Http404 from e
    before = {f: getattr(item, f) for f in ("step", "title", "presenter_id", "notes", "conclusion")}
    form = AgendaItemForm(request.POST or None, instance=item, members=cell_members(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            _require_writable(meeting, request)
            _save_item(request, meeting, form, before)
        except ValidationError as e:
            form.add_error(None, e.messages)
        else:
            messages.success(request, _("The item is saved."))
            return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
    return render(
        request, "meetings/item_form.html", {"meeting": meeting, "form": form, "item": item}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def add_item(request, uuid):
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    form = AgendaItemForm(
        request.POST or None,
        members=cell_members(meeting),
        initial={"step": request.GET.get("step", "proceedings")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            _require_writable(meeting, request)
            item = form.save(commit=False)
            item.meeting, item.province_id = meeting, meeting.province_id
            last = meeting.agenda.filter(step=item.step).order_by("-order").first()
            item.order = (
                last.order
                if last
                else {"opening": 0, "proceedings": 100, "closing": 200}[item.step]
            ) + 10

            if meeting.is_locked:
                services.amend(
                    meeting,
                    reason=request.POST.get("amend_reason", ""),
                    changes=[{"added_item": item.title}],
                    apply=item.save,
                    user=request.user,
                )
            else:
                item.save()
        except ValidationError as e:
            form.add_error(None, e.messages)
        else:
            messages.success(request, _("The item is added."))
            return redirect(meeting)
    return render(
        request, "meetings/item_form.html", {"meeting": meeting, "form": form, "item": None}
    )


@login_required
@require_POST
def add_speech(request, uuid, pk):
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    try:
        item = meeting.agenda.get(pk=pk)
    except AgendaItem.DoesNotExist as e:
        raise Http404 from e
    form = SpeechForm(request.POST, members=cell_members(meeting))
    if not form.is_valid():
        for errs in form.errors.values():
            messages.error(request, " ".join(errs))
    else:
        try:
            _require_writable(meeting, request)
            speech = Speech(
                province_id=meeting.province_id,
                item=item,
                speaker=form.cleaned_data["speaker"],
                summary=form.cleaned_data["summary"].strip(),
            )
            if meeting.is_locked:
                services.amend(
                    meeting,
                    reason=request.POST.get("amend_reason", ""),
                    changes=[{"added_speech": speech.summary[:200]}],
                    apply=speech.save,
                    user=request.user,
                )
            else:
                speech.save()
        except ValidationError as e:
            for m in e.messages:
                messages.error(request, m)
        else:
            messages.success(
                request,
                _("The opinion of %(name)s is recorded.")
                % {"name": form.cleaned_data["speaker"].person.full_name},
            )
    return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")


@login_required
@require_POST
def add_vote(request, uuid):
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    form = VoteForm(request.POST)
    if not form.is_valid():
        for field, errs in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errs)}")
        return redirect(f"{meeting.get_absolute_url()}#votes")
    try:
        vote = services.record_vote(meeting, **form.cleaned_data)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    else:
        messages.success(
            request,
            _("Vote recorded: %(yes)s/%(eligible)s members approve (%(pct)s%%) — %(result)s.")
            % {
                "yes": vote.yes,
                "eligible": vote.eligible,
                "pct": vote.percent,
                "result": _("adopted") if vote.adopted else _("not adopted"),
            },
        )
    return redirect(f"{meeting.get_absolute_url()}#votes")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def resolution(request, uuid):
    """Write the resolution (or conclusion) and its tasks; then it is shown on the meeting page."""
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    if Resolution.objects.filter(meeting=meeting).exists():
        return redirect(f"{meeting.get_absolute_url()}#resolution")
    members = cell_members(meeting)
    votes = meeting.votes.all()
    data = request.POST or None
    form = ResolutionForm(
        data, votes=votes, initial={"directions": meeting.draft_resolution, "vote": votes.last()}
    )
    formset = TaskFormSet(data, prefix="t", form_kwargs={"members": members})
    if data:
        ok = [form.is_valid(), formset.is_valid()]
        if all(ok):
            tasks = [f.cleaned_data for f in formset if f.cleaned_data.get("description")]
            try:
                services.pass_resolution(
                    meeting,
                    vote=form.cleaned_data["vote"],
                    tasks=tasks,
                    **{
                        k: form.cleaned_data[k]
                        for k in ("kind", "summary", "assessment", "directions")
                    },
                )
            except ValidationError as e:
                form.add_error(None, e.messages)
            else:
                messages.success(
                    request, _("The resolution is recorded with %(n)s tasks.") % {"n": len(tasks)}
                )
                return redirect(f"{meeting.get_absolute_url()}#resolution")
    return render(
        request,
        "meetings/resolution_form.html",
        {"meeting": meeting, "form": form, "formset": formset},
    )


# ---- tasks -------------------------------------------------------------------------------


def _task_for(request, pk):
    """A task through its meeting's scope: 404 outside it. Returns (task, manages)."""
    try:
        task = Task.objects.select_related(
            "resolution__meeting__organization", "assignee__person"
        ).get(pk=pk)
    except Task.DoesNotExist as e:
        raise Http404 from e
    meeting = get_meeting(request.scope, task.resolution.meeting.uuid)
    manages = request.scope.meeting_level(meeting) >= Level.CELL
    if not manages and task.assignee_id != request.scope.self_member_id:
        raise Http404
    return task, manages


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def task(request, pk):
    task, manages = _task_for(request, pk)
    report_form = TaskReportForm(request.POST if "text" in request.POST else None)
    status_form = TaskStatusForm(
        request.POST if "status" in request.POST else None,
        initial={"status": task.status, "result": task.result},
    )
    if request.method == "POST":
        if "text" in request.POST and report_form.is_valid():
            TaskReport.objects.create(
                province_id=task.province_id,
                task=task,
                text=report_form.cleaned_data["text"],
                member_id=request.scope.self_member_id,
            )
            messages.success(request, _("Your progress report is recorded."))
            return redirect("meetings:task", pk=task.pk)
        if "status" in request.POST:
            if not manages:
                raise PermissionDenied
            if status_form.is_valid():
                services.update_task(
                    task,
                    status=status_form.cleaned_data["status"],
                    result=status_form.cleaned_data["result"],
                )
                messages.success(request, _("The task is updated."))
                return redirect("meetings:task", pk=task.pk)
    return render(
        request,
        "meetings/task.html",
        {
            "task": task,
            "manages": manages,
            "report_form": report_form,
            "status_form": status_form,
            "reports": list(task.reports.select_related("member__person")),
            "meeting": task.resolution.meeting,
        },
    )
