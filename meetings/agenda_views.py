"""Agenda templates of a province: see what applies, customize, edit, delete.

Seeing needs `view` on the province, changing needs `manage_structure` (its organization
board). The editor is one plain form: adding, removing and moving an item re-renders the
form with the change (nothing is saved) so it works with a keyboard, on a phone and
without JavaScript; only "Save" writes, through meetings.agenda.save_template.
"""

from itertools import zip_longest

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import Cap, get_organization
from meetings import agenda
from meetings.models import AgendaTemplate, MeetingKind, Step
from organizations.forms import date_field
from organizations.models import CellType, Organization

CELL_TYPE_CHOICES = [("", gettext_lazy("Every cell type")), *CellType.choices]


class CustomizeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Meeting kind"), choices=MeetingKind.choices)
    cell_type = forms.ChoiceField(
        label=gettext_lazy("Cell type"), choices=CELL_TYPE_CHOICES, required=False
    )


class TemplateForm(forms.Form):
    cell_type = forms.ChoiceField(
        label=gettext_lazy("Cell type"),
        choices=CELL_TYPE_CHOICES,
        required=False,
        help_text=gettext_lazy(
            "A template for one cell type comes before the template for every cell type."
        ),
    )
    valid_from = date_field(
        gettext_lazy("Valid from"),
        help_text=gettext_lazy("Meetings held on or after this day are proposed this agenda."),
    )


def _province(request, uuid, cap: Cap) -> Organization:
    """A province in the user's scope (404 otherwise, or for any other organization)."""
    org = get_organization(request.scope, uuid)
    if org.depth != 1:
        raise Http404
    if not request.scope.can(cap, org):
        raise PermissionDenied
    return org


def _template(request, uuid, pk) -> tuple[Organization, AgendaTemplate]:
    province = _province(request, uuid, Cap.MANAGE_STRUCTURE)
    try:
        return province, AgendaTemplate.objects.get(province=province, pk=pk)
    except AgendaTemplate.DoesNotExist as e:
        raise Http404 from e


def _list_url(province, kind=None) -> str:
    url = reverse("meetings:agenda_templates", args=[province.uuid])
    return f"{url}#kind-{kind}" if kind else url


@never_cache
@login_required
def templates(request, uuid):
    province = _province(request, uuid, Cap.VIEW)
    can_edit = request.scope.can(Cap.MANAGE_STRUCTURE, province)
    return render(
        request,
        "meetings/agenda_templates/list.html",
        {
            "province": province,
            "kinds": agenda.overview(province, timezone.localdate()),
            "can_edit": can_edit,
            "customize_form": CustomizeForm() if can_edit else None,
        },
    )


@login_required
@require_POST
def customize(request, uuid):
    province = _province(request, uuid, Cap.MANAGE_STRUCTURE)
    form = CustomizeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a meeting kind and a cell type from the lists."))
        return redirect(_list_url(province))
    try:
        template = agenda.customize(
            province,
            form.cleaned_data["kind"],
            form.cleaned_data["cell_type"],
            timezone.localdate(),
        )
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect(_list_url(province))
    messages.success(
        request,
        _(
            "The province has its own template now, a copy of the one that applied. Change it and save."
        ),
    )
    return redirect("meetings:agenda_template_edit", uuid=province.uuid, pk=template.pk)


# ---- the editor --------------------------------------------------------------------------


def _posted_items(post) -> list[dict]:
    return [
        {"step": step or "", "title": title or ""}
        for step, title in zip_longest(post.getlist("step"), post.getlist("title"))
    ][: agenda.MAX_ITEMS + 1]


def _step_key(item: dict) -> int:
    return agenda.STEP_ORDER.get(item["step"], len(agenda.STEP_ORDER))


def _apply_action(items: list[dict], action: str, arg: str) -> tuple[list[dict], tuple]:
    """Add, remove or move one item; returns the items in step order and what gets the focus
    next (so a keyboard user can press the same button again)."""
    focus: tuple = ()
    moved = None
    if action == "add" and arg in agenda.STEP_ORDER and len(items) < agenda.MAX_ITEMS:
        moved = {"step": arg, "title": ""}
        items.append(moved)
        focus = ("title",)
    elif action in ("remove", "up", "down") and arg.isdigit() and int(arg) < len(items):
        n = int(arg)
        if action == "remove":
            focus = ("add", items.pop(n)["step"])
        else:
            moved, step = items[n], items[n]["step"]
            others = range(n - 1, -1, -1) if action == "up" else range(n + 1, len(items))
            other = next((m for m in others if items[m]["step"] == step), None)
            if other is not None:
                items[n], items[other] = items[other], items[n]
            focus = (action,)
    items.sort(key=_step_key)
    if moved is not None:
        focus = (*focus, next(n for n, i in enumerate(items) if i is moved))
    return items, focus


def _sections(items: list[dict], item_errors: dict, focus: tuple) -> list[dict]:
    rows = []
    for n, item in enumerate(items):
        rows.append(
            {
                "n": n,
                "number": n + 1,
                "step": item["step"],
                "title": item["title"],
                "errors": item_errors.get(n, []),
                "focus": focus[0] if len(focus) == 2 and focus[1] == n else "",
            }
        )
    sections = []
    for value, label in Step.choices:
        section_rows = [r for r in rows if r["step"] == value]
        for r in section_rows:
            r["first"], r["last"] = r is section_rows[0], r is section_rows[-1]
            # A button that reached the end of its step is disabled: focus the other one.
            if (r["focus"] == "up" and r["first"]) or (r["focus"] == "down" and r["last"]):
                r["focus"] = "down" if r["focus"] == "up" else "up"
                if r["first"] and r["last"]:
                    r["focus"] = "title"
        sections.append(
            {
                "step": value,
                "label": label,
                "rows": section_rows,
                "focus_add": focus == ("add", value),
            }
        )
    return sections


def _split_errors(error: ValidationError, form: forms.Form) -> tuple[dict, list[str]]:
    """Item errors by index, and the list-wide ones; field errors go onto the form."""
    if not hasattr(error, "error_dict"):
        return {}, list(error.messages)
    item_errors, general = {}, []
    for key, errs in error.error_dict.items():
        texts = [m for e in errs for m in e.messages]
        if key.startswith("items."):
            item_errors[int(key.split(".", 1)[1])] = texts
        elif key in form.fields:
            form.add_error(key, texts)
        else:
            general += texts
    return item_errors, general


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, uuid, pk):
    province, template = _template(request, uuid, pk)
    item_errors, general, focus = {}, [], ()
    if request.method == "POST":
        items = _posted_items(request.POST)
        action, _sep, arg = request.POST.get("action", "save").partition(":")
        if action == "save":
            # In step order, as shown: error numbers then match the rows on the page.
            items.sort(key=_step_key)
            form = TemplateForm(request.POST)
            try:
                cleaned = agenda.validate_items(items)
            except ValidationError as e:
                item_errors, general = _split_errors(e, form)
            if form.is_valid() and not (item_errors or general):
                try:
                    agenda.save_template(
                        template,
                        items=cleaned,
                        cell_type=form.cleaned_data["cell_type"],
                        valid_from=form.cleaned_data["valid_from"],
                    )
                except ValidationError as e:
                    item_errors, general = _split_errors(e, form)
                else:
                    messages.success(request, _("The agenda template is saved."))
                    return redirect(_list_url(province, template.kind))
        else:
            # Not saved: the form comes back as typed, with the change, and no error shown.
            form = TemplateForm(
                initial={
                    "cell_type": request.POST.get("cell_type", ""),
                    "valid_from": request.POST.get("valid_from", ""),
                }
            )
            items, focus = _apply_action(items, action, arg)
    else:
        form = TemplateForm(
            initial={"cell_type": template.cell_type, "valid_from": template.valid_from}
        )
        items = [dict(i) for i in template.items]
    error_summary = [(n, n + 1, m) for n, errs in sorted(item_errors.items()) for m in errs]
    return render(
        request,
        "meetings/agenda_templates/edit.html",
        {
            "province": province,
            "template": template,
            "form": form,
            "sections": _sections(items, item_errors, focus),
            "steps": Step.choices,
            "general_errors": general,
            "error_summary": error_summary,
            "unsaved": request.method == "POST",
            "title_max": agenda.TITLE_MAX_LENGTH,
            "history": list(
                template.history.select_related("history_user").order_by("-history_date")[:10]
            ),
            "list_url": _list_url(province, template.kind),
        },
    )


@login_required
@require_POST
def delete(request, uuid, pk):
    province, template = _template(request, uuid, pk)
    kind = template.kind
    agenda.delete_template(template)
    messages.success(
        request,
        _(
            "The template is deleted. Meetings are proposed the national default again, "
            "unless another template of the province applies."
        ),
    )
    return redirect(_list_url(province, kind))
