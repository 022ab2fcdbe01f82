"""Inspection and supervision pages (kiểm tra, giám sát): an organization's page (the yearly
plan, the inspections it carries out with their counts, and those of it), the plan, a new
inspection, the inspection with the form of its next step, and one small POST view per step.

Who may do what: Cap.MANAGE_STRUCTURE on the committee carrying it out writes (the committee's
organization-board staff); Cap.VIEW on it reads. Readers of the organization inspected see it
too, except a member inspected through their own cell (accounts.access.Scope.inspections).
Anything else is a 404.
"""

import uuid as uuid_lib
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import (
    Cap,
    get_inspection,
    get_inspection_plan,
    get_organization,
)
from lib.forms import apply_validation_error
from organizations.selectors import ancestors
from oversight import services_inspections as services
from oversight.forms_inspections import (
    ConcludeForm,
    FollowUpDoneForm,
    FollowUpForm,
    InspectionForm,
    PlanForm,
    StartForm,
    SubjectField,
    subject_matches,
)
from oversight.models import FollowUp, InspectionKind, InspectionStatus

PAGE_SIZE = 50
SIDES = ("by", "of")
STATUS_FILTERS = ("planned", "in_progress", "concluded", "violations", "overdue")


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if services.FIRST_YEAR <= year <= today.year + services.YEARS_AHEAD else today.year


def _overdue_follow_ups(today):
    return FollowUp.objects.filter(inspection_id=OuterRef("pk")).overdue(today)


def _rows(qs, today):
    """The list's rows with their subject and the count of overdue follow-up items: one query."""
    return (
        qs.select_related("organization", "subject_org", "subject_member__person", "plan")
        .annotate(
            overdue_count=Count(
                "follow_ups",
                filter=Q(follow_ups__done_on__isnull=True, follow_ups__due_on__lt=today),
            )
        )
        .order_by("-planned_from", "-pk")
    )


def _can_write(scope, org) -> bool:
    return org.is_active and services.can_carry_out(org) and scope.can(Cap.MANAGE_STRUCTURE, org)


@never_cache
@login_required
def org_page(request, uuid):
    """The "Kiểm tra, giám sát" page of an organization: as the committee carrying them out
    (the year's plan, counts, the filtered list) or as the organization inspected."""
    scope = request.scope
    org = get_organization(scope, uuid)
    today = timezone.localdate()
    year = _year(request)
    carries_out = services.can_carry_out(org)
    side = request.GET.get("side")
    if side not in SIDES or not carries_out:
        # A cell's readers look first for the inspections of it; a party group inspects none.
        side = "of" if org.is_cell or not carries_out else "by"
    kind = request.GET.get("kind")
    kind = kind if kind in InspectionKind.values else ""
    status = request.GET.get("status")
    status = status if status in STATUS_FILTERS else ""

    visible = scope.inspections()
    base = visible.filter(organization=org) if side == "by" else visible.filter(subject_org=org)
    if kind:
        base = base.filter(kind=kind)
    in_year = base.filter(planned_from__year=year)
    counts = services.counts(in_year, FollowUp.objects.filter(inspection__in=base), today)
    if status == "overdue":
        # Overdue follow-up items count whatever the year the inspection was planned in.
        shown = base.filter(Exists(_overdue_follow_ups(today)))
    elif status == "violations":
        shown = in_year.filter(status=InspectionStatus.CONCLUDED, violation_found=True)
    elif status:
        shown = in_year.filter(status=status)
    else:
        shown = in_year
    page = Paginator(_rows(shown, today), PAGE_SIZE).get_page(request.GET.get("page"))

    chain = ancestors(org)
    plan = None
    if side == "by":
        plan = org.inspection_plans.filter(year=year).first()
    parent = chain[-1] if chain else None
    params = {"side": side, "year": year, "kind": kind, "status": status}
    return render(
        request,
        "oversight/inspections.html",
        {
            "org": org,
            "ancestors": chain,
            "side": side,
            "year": year,
            "kind": kind,
            "status": status,
            "kinds": InspectionKind.choices,
            "counts": counts,
            "page": page,
            "plan": plan,
            "today": today,
            "carries_out": carries_out,
            "can_write": side == "by" and _can_write(scope, org),
            # The committee above may plan an inspection of this organization from here.
            "parent_can_write": side == "of"
            and parent is not None
            and org.is_active
            and _can_write(scope, parent),
            "parent": parent,
            "querystring_base": urlencode({k: v for k, v in params.items() if v}) + "&",
            "filter_base": urlencode({k: v for k, v in params.items() if v and k != "status"}),
        },
    )


# ---- the yearly plan ---------------------------------------------------------------------


def _committee_for_writing(request, uuid):
    org = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    if not services.can_carry_out(org) or not org.is_active:
        raise Http404
    return org


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request, uuid):
    """Record the committee's programme of inspection and supervision for a year."""
    org = _committee_for_writing(request, uuid)
    form = PlanForm(request.POST or None, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.adopt_plan(org, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("The plan is recorded."))
            return redirect(plan)
    return render(
        request,
        "oversight/plan_form.html",
        {"org": org, "ancestors": ancestors(org), "form": form, "plan": None},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def plan_detail(request, uuid):
    """A plan: its number, date and content, and the inspections planned in it."""
    scope = request.scope
    plan = get_inspection_plan(scope, uuid)
    today = timezone.localdate()
    inspections = plan.inspections.all()
    return render(
        request,
        "oversight/plan.html",
        {
            "plan": plan,
            "org": plan.organization,
            "ancestors": ancestors(plan.organization),
            "rows": list(_rows(inspections, today)),
            "counts": services.counts(
                inspections, FollowUp.objects.filter(inspection__plan=plan), today
            ),
            "can_write": _can_write(scope, plan.organization),
            "today": today,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, uuid):
    plan = get_inspection_plan(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    initial = {f: getattr(plan, f) for f in ("year", "number", "approved_on", "summary")}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(plan)
    org = plan.organization
    return render(
        request,
        "oversight/plan_form.html",
        {"org": org, "ancestors": ancestors(org), "form": form, "plan": plan},
        status=400 if form.errors else 200,
    )


# ---- a new inspection ----------------------------------------------------------------------


def _initial_subject(scope, request):
    """?subject=org:<uuid> or member:<uuid> from a link (the organization's page)."""
    field = SubjectField(scope=scope, required=False)
    try:
        return field.clean(request.GET.get("subject", ""))
    except ValidationError:
        return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request, uuid):
    """Plan an inspection or supervision, within one of the committee's plans or outside."""
    scope = request.scope
    org = _committee_for_writing(request, uuid)
    initial = {"subject": _initial_subject(scope, request)}
    plan_uuid = request.GET.get("plan")
    if plan_uuid:
        plan = org.inspection_plans.filter(uuid=plan_uuid).first() if _is_uuid(plan_uuid) else None
        if plan is not None:
            initial["plan"] = plan.uuid
            if plan.year != timezone.localdate().year:
                initial["planned_from"] = timezone.localdate().replace(
                    year=plan.year, month=1, day=1
                )
    if "find_subject" in request.POST:
        # "Find" without JavaScript: show the matches, keep what was typed, save nothing.
        form = InspectionForm(initial=request.POST.dict(), committee=org, scope=scope)
        form.fields["subject"].widget.query = request.POST.get("subject_q", "")
    else:
        form = InspectionForm(request.POST or None, initial=initial, committee=org, scope=scope)
    if request.method == "POST" and "find_subject" not in request.POST and form.is_valid():
        d = form.cleaned_data
        try:
            inspection = services.create_inspection(
                org,
                kind=d["kind"],
                topic=d["topic"],
                planned_from=d["planned_from"],
                planned_to=d["planned_to"],
                plan=d["plan"],
                by=request.user,
                **form.subject_parts(),
            )
        except ValidationError as e:
            apply_validation_error(
                form, e, rename={"subject_org": "subject", "subject_member": "subject"}
            )
        else:
            messages.success(request, _("The inspection is planned."))
            return redirect(inspection)
    return render(
        request,
        "oversight/inspection_form.html",
        {"org": org, "ancestors": ancestors(org), "form": form},
        status=400 if form.errors else 200,
    )


def _is_uuid(value) -> bool:
    try:
        uuid_lib.UUID(str(value))
    except ValueError:
        return False
    return True


@never_cache
@login_required
def subjects(request, uuid):
    """The organizations and members matching what is typed in the subject box (HTMX)."""
    org = _committee_for_writing(request, uuid)
    query = request.GET.get("subject_q", "")[:100]
    selected = _initial_subject(request.scope, request)
    return render(
        request,
        "oversight/inspection_subject_choices.html",
        {"name": "subject", "query": query, **subject_matches(org, query, selected)},
    )


# ---- the inspection and its steps ----------------------------------------------------------


def _step_forms(scope, inspection) -> dict:
    if not _can_write(scope, inspection.organization):
        return {}
    if inspection.status == InspectionStatus.PLANNED:
        return {"start_form": StartForm()}
    if inspection.status == InspectionStatus.IN_PROGRESS:
        return {"conclude_form": ConcludeForm()}
    return {"follow_up_form": FollowUpForm(), "can_complete": True}


def _render_detail(request, inspection, forms=None, failed_follow_up=None):
    scope = request.scope
    today = timezone.localdate()
    forms = dict(forms or {})
    steps = _step_forms(scope, inspection)
    failed_done_form = forms.pop("done_form", None)
    follow_ups = list(inspection.follow_ups.all())
    for f in follow_ups:
        f.overdue = f.is_overdue(today)
        if steps.get("can_complete") and f.done_on is None:
            # One small form per open item; the one just refused comes back with its errors.
            f.done_form = (
                failed_done_form
                if f.pk == failed_follow_up and failed_done_form is not None
                else FollowUpDoneForm(prefix=f"done{f.pk}")
            )
    ctx = {
        "inspection": inspection,
        "org": inspection.organization,
        "ancestors": ancestors(inspection.organization),
        "follow_ups": follow_ups,
        "overdue_count": sum(f.overdue for f in follow_ups),
        "today": today,
        # The plan is the committee's: shown to its readers only (Scope.inspection_plans).
        "plan_visible": bool(inspection.plan_id) and scope.can(Cap.VIEW, inspection.organization),
        "member_visible": bool(inspection.subject_member_id)
        and scope.can(Cap.VIEW, inspection.subject_member.organization),
        "failed_follow_up": failed_follow_up,
        **steps,
        **forms,
    }
    refused = bool(forms) or failed_done_form is not None
    return render(request, "oversight/inspection.html", ctx, status=400 if refused else 200)


@never_cache
@login_required
def detail(request, uuid):
    return _render_detail(request, get_inspection(request.scope, uuid))


def _step(request, inspection, form_name, form, action, success, **extra):
    """Run one step on an inspection loaded for writing (404 outside the scope, 403 without
    the capability); a bad form or a refused step shows the page again with the errors."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e, rename=extra.pop("rename", None))
        else:
            messages.success(request, success)
            return redirect(inspection)
    extra.pop("rename", None)
    return _render_detail(request, inspection, {form_name: form}, **extra)


def _for_writing(request, uuid):
    inspection = get_inspection(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    if not inspection.organization.is_active:
        raise Http404
    return inspection


@login_required
@require_POST
def start(request, uuid):
    inspection = _for_writing(request, uuid)
    return _step(
        request,
        inspection,
        "start_form",
        StartForm(request.POST),
        lambda d: services.start_inspection(inspection, on=d["started_on"], by=request.user),
        _("The inspection is started."),
    )


@login_required
@require_POST
def conclude(request, uuid):
    inspection = _for_writing(request, uuid)
    return _step(
        request,
        inspection,
        "conclude_form",
        ConcludeForm(request.POST),
        lambda d: services.conclude_inspection(
            inspection,
            on=d["concluded_on"],
            number=d["conclusion_no"],
            conclusion=d["conclusion"],
            violation_found=d["violation_found"],
            by=request.user,
        ),
        _("The conclusion is recorded."),
    )


@login_required
@require_POST
def follow_up_add(request, uuid):
    inspection = _for_writing(request, uuid)
    return _step(
        request,
        inspection,
        "follow_up_form",
        FollowUpForm(request.POST),
        lambda d: services.add_follow_up(inspection, by=request.user, **d),
        _("The follow-up item is added."),
    )


@login_required
@require_POST
def follow_up_done(request, uuid, pk):
    inspection = _for_writing(request, uuid)
    follow_up = get_object_or_404(FollowUp, pk=pk, inspection=inspection)
    return _step(
        request,
        inspection,
        "done_form",
        FollowUpDoneForm(request.POST, prefix=f"done{follow_up.pk}"),
        lambda d: services.complete_follow_up(follow_up, by=request.user, **d),
        _("The follow-up item is recorded as done."),
        failed_follow_up=follow_up.pk,
    )
