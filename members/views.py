"""Member pages: the searchable list, a member's record with its history, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.access import Cap, Level, get_member, get_organization
from audit import log as audit_log
from lib.downloads import docx_response
from members import documents, services
from members.forms import (
    CellChoiceForm,
    MemberAccountForm,
    MemberFilterForm,
    MemberForm,
    MoveForm,
    PersonForm,
    uniqueness_errors,
)
from members.history import member_history
from members.models import MembershipKind
from members.selectors import filter_members, list_rows, to_rows
from organizations import selectors as org_selectors
from organizations.models import CELL_KINDS, Village


def _list_org(request):
    uuid = request.GET.get("org")
    if not uuid:
        return None
    return get_organization(request.scope, uuid)


@never_cache
@login_required
def member_list(request):
    scope = request.scope
    if not scope.has_org_access:
        if request.user.member_id:
            return redirect("members:me")
        raise Http404
    org = _list_org(request)
    form = MemberFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = filter_members(scope, data, org)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))  # counts without the joins
    # start_index() is 0 when nothing matches: a slice from -1 raised ValueError, a server
    # error for any search that finds nobody (chibo/tests/badinput).
    start = max(page.start_index() - 1, 0)
    page.object_list = to_rows(list_rows(qs)[start : page.end_index()])
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "members/list.html",
        {
            "form": form,
            "page": page,
            "org": org,
            "ancestors": org_selectors.ancestors(org) if org else [],
            "querystring_base": (urlencode(params) + "&") if params else "",
            "export_query": urlencode(params),
            "can_add": org is not None
            and org.is_cell
            and org.is_active
            and scope.can(Cap.MANAGE_MEMBERS, org),
        },
    )


@login_required
def me(request):
    if not request.user.member_id:
        raise Http404
    return redirect("members:detail", uuid=request.user.member.uuid)


@never_cache
@login_required
def detail(request, uuid):
    scope = request.scope
    member = get_member(scope, uuid)
    temp_paths = [
        ms.organization.path
        for ms in member.memberships.all().select_related("organization")
        if ms.kind == MembershipKind.TEMPORARY and ms.end_date is None
    ]
    level = scope.member_level(member, temp_paths)
    show_full_id = level >= Level.CELL or member.pk == scope.self_member_id
    memberships = list(member.memberships.select_related("organization").order_by("-start_date"))
    audit_log.record_view(member, "page")
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "person": member.person,
            "memberships": memberships,
            "history": member_history(member, mask_ids=not show_full_id),
            "can_edit": level >= Level.CELL,
            "can_move": scope.can(Cap.MANAGE_STRUCTURE, member.organization) and member.is_active,
            "show_full_id": show_full_id,
            "is_self": member.pk == scope.self_member_id,
            "can_export_data": scope.can(Cap.MANAGE_STRUCTURE, member.organization),
            "ancestors": org_selectors.ancestors(member.organization) + [member.organization],
        },
    )


def _villages_for(org):
    """Villages a member of this cell may live in: those of its province."""
    return (
        Village.objects.active()
        .filter(province_id=org.province_id)
        .select_related("commune")
        .order_by("sort_key")
    )


def _check_unique(person_form, member_form, province_id, person=None, member=None):
    """Add per-province uniqueness errors to the forms; True when there are none."""
    errors = uniqueness_errors(
        getattr(person_form, "cleaned_data", {}),
        getattr(member_form, "cleaned_data", {}),
        province_id,
        person,
        member,
    )
    for field, message in errors.items():
        (person_form if field in person_form.fields else member_form).add_error(field, message)
    return not errors


def _apply_model_errors(forms_by_field, error: ValidationError):
    errors = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for field, errs in errors.items():
        target = next((f for f in forms_by_field if field in f.fields), forms_by_field[0])
        target.add_error(field if field in target.fields else None, errs)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    scope = request.scope
    if not scope.can_anywhere(Cap.MANAGE_MEMBERS):
        raise Http404
    cells = (
        scope.organizations(Level.CELL)
        .filter(kind__in=CELL_KINDS, dissolved_on__isnull=True)
        .order_by("sort_key")
    )
    initial_org = _list_org(request)
    data = request.POST or None
    cell_form = CellChoiceForm(
        data, cells=cells, initial={"organization": initial_org, "start_date": timezone.localdate()}
    )
    chosen = None
    if data and cell_form.is_valid():
        chosen = cell_form.cleaned_data["organization"]
    villages_org = chosen or initial_org or (cells.first() if cells.exists() else None)
    person_form = PersonForm(data, villages=_villages_for(villages_org) if villages_org else None)
    member_form = MemberForm(data)
    if data:
        # Validate everything, uniqueness included, so every problem shows at once.
        valid = all([cell_form.is_valid(), person_form.is_valid(), member_form.is_valid()])
        org = cell_form.cleaned_data.get("organization") if cell_form.is_valid() else None
        unique = _check_unique(person_form, member_form, org.province_id) if org else True
        if valid and unique:
            try:
                member = services.create_member(
                    person=person_form.save(commit=False),
                    member=member_form.save(commit=False),
                    organization=org,
                    start_date=cell_form.cleaned_data["start_date"],
                )
            except ValidationError as e:
                _apply_model_errors([person_form, member_form, cell_form], e)
            else:
                messages.success(
                    request, _("%(name)s was added.") % {"name": member.person.full_name}
                )
                return redirect(member)
    return render(
        request,
        "members/form.html",
        {
            "title": _("New member"),
            "sections": [
                (_("Cell"), cell_form),
                (_("Personal details"), person_form),
                (_("Party record"), member_form),
            ],
            "cancel": reverse("members:list"),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, uuid):
    member = get_member(request.scope, uuid, Cap.MANAGE_MEMBERS)
    person = member.person
    was_active = member.is_active  # before the form writes the posted status into it
    data = request.POST or None
    person_form = PersonForm(data, instance=person, villages=_villages_for(member.organization))
    member_form = MemberForm(data, instance=member)
    if data:
        valid = all([person_form.is_valid(), member_form.is_valid()])
        if _check_unique(person_form, member_form, member.province_id, person, member) and valid:
            try:
                services.save_member(
                    person_form.save(commit=False),
                    member_form.save(commit=False),
                    was_active=was_active,
                )
            except ValidationError as e:
                _apply_model_errors([person_form, member_form], e)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect(member)
    return render(
        request,
        "members/form.html",
        {
            "title": _("Edit %(name)s") % {"name": person.full_name},
            "sections": [(_("Personal details"), person_form), (_("Party record"), member_form)],
            "member": member,
            "cancel": member.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def move(request, uuid):
    """Move a member to another cell of the province (reorganization, not a transfer)."""
    scope = request.scope
    member = get_member(scope, uuid, Cap.MANAGE_MEMBERS)
    if not scope.can(Cap.MANAGE_STRUCTURE, member.organization) or not member.is_active:
        raise PermissionDenied
    cells = (
        scope.organizations(Level.STAFF)
        .filter(kind__in=CELL_KINDS, dissolved_on__isnull=True, province_id=member.province_id)
        .exclude(pk=member.organization_id)
        .order_by("sort_key")
    )
    form = MoveForm(request.POST or None, cells=cells)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_member(
                member,
                form.cleaned_data["organization"],
                form.cleaned_data["effective_on"],
                form.cleaned_data["note"],
            )
        except ValidationError as e:
            form.add_error(None, e.messages)
        else:
            messages.success(
                request,
                _("%(name)s now belongs to %(cell)s.")
                % {"name": member.person.full_name, "cell": form.cleaned_data["organization"].name},
            )
            return redirect(member)
    return render(
        request,
        "members/form.html",
        {
            "title": _("Move %(name)s to another cell") % {"name": member.person.full_name},
            "sections": [("", form)],
            "member": member,
            "cancel": member.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request, uuid):
    """Give a member their own login (the member role: their record only)."""
    member = get_member(request.scope, uuid, Cap.MANAGE_MEMBERS)
    existing = getattr(member, "user", None)
    form = MemberAccountForm(request.POST or None, member=member)
    if existing is None and request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(
            request,
            _("%(name)s can now log in as %(username)s.")
            % {"name": member.person.full_name, "username": user.username},
        )
        return redirect(member)
    return render(
        request, "members/account.html", {"member": member, "form": form, "existing": existing}
    )


@never_cache
@login_required
def register_docx(request, uuid):
    """The member's sheet of the member register (Mẫu 7-HSĐV) as a Word file, for whoever sees
    the member's page."""
    member = get_member(request.scope, uuid)
    audit_log.record_view(member, "register_docx")
    return docx_response(
        documents.register_docx(member, timezone.localdate()), documents.filename(member)
    )
