"""A cell's higher-committee followers: who follows it (everyone who reads the cell), assign
one and end one (the committees above it: Cap.MANAGE_STRUCTURE). Rules: meetings/followers.py.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import Cap, get_organization
from lib.forms import apply_validation_error
from lib.text import sort_key
from meetings import followers
from organizations.forms import date_field
from organizations.models import Organization
from organizations.selectors import ancestors


class FollowerForm(forms.Form):
    user = forms.TypedChoiceField(
        label=gettext_lazy("Committee member"),
        coerce=int,
        help_text=gettext_lazy("People who hold a role in a committee above this cell."),
        error_messages={"invalid_choice": followers.NOT_ELIGIBLE},
    )
    valid_from = date_field(gettext_lazy("From"), initial=timezone.localdate)
    valid_to = date_field(
        gettext_lazy("To"),
        required=False,
        help_text=gettext_lazy("Leave empty while they follow the cell."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—"), *choices]


class EndFollowerForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    on = date_field(gettext_lazy("Last day"), initial=timezone.localdate)


def _cell(request, uuid, cap: Cap) -> Organization:
    cell = get_organization(request.scope, uuid, cap)
    if not cell.is_cell:
        raise Http404
    return cell


def _eligible(cell: Organization) -> dict[int, tuple]:
    """user id → (user, their active roles on the committees above the cell): one query."""
    out: dict[int, tuple] = {}
    for role in followers.eligible_roles(cell):
        out.setdefault(role.user_id, (role.user, []))[1].append(role)
    return out


def _choices(eligible: dict[int, tuple]) -> list[tuple[int, str]]:
    rows = []
    for user_id, (user, roles) in eligible.items():
        held = "; ".join(f"{r.get_role_display()}, {r.organization.name}" for r in roles)
        rows.append((sort_key(user.display_name(), given_name_first=True), user_id, user, held))
    rows.sort(key=lambda r: (r[0], r[2].username))
    return [(uid, f"{u.display_name()} ({u.username}) — {held}") for _k, uid, u, held in rows]


@never_cache
@login_required
def cell_followers(request, uuid):
    """The cell's followers, current and past; the form to assign one for those who may."""
    cell = _cell(request, uuid, Cap.VIEW)
    can_assign = request.scope.can(Cap.MANAGE_STRUCTURE, cell)
    if request.method == "POST" and not can_assign:
        raise PermissionDenied
    today = timezone.localdate()
    eligible = _eligible(cell)
    form = None
    if can_assign and cell.is_active:
        form = FollowerForm(request.POST or None, choices=_choices(eligible))
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            user = eligible[d["user"]][0]
            try:
                followers.assign_follower(
                    cell, user, d["valid_from"], d["valid_to"], by=request.user
                )
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(
                    request,
                    _("%(name)s now follows the cell from %(start)s.")
                    % {"name": user.display_name(), "start": d["valid_from"].strftime("%d/%m/%Y")},
                )
                return redirect("meetings:cell_followers", uuid=cell.uuid)
    elif request.method == "POST":
        messages.error(request, _("%(name)s has been dissolved.") % {"name": cell.name})
        return redirect("meetings:cell_followers", uuid=cell.uuid)
    assignments = list(
        cell.supervisors.select_related("user").order_by(
            F("valid_to").desc(nulls_first=True), "-valid_from", "pk"
        )
    )
    for a in assignments:
        a.roles = eligible.get(a.user_id, (None, []))[1]
        a.in_force = a.valid_from <= today and (a.valid_to is None or a.valid_to >= today)
        a.coming = a.valid_from > today
        if can_assign and (a.valid_to is None or a.valid_to >= today):
            a.end_form = EndFollowerForm(
                initial={"assignment": a.pk, "on": max(today, a.valid_from)},
                auto_id=f"end{a.pk}_%s",
            )
    return render(
        request,
        "meetings/followers.html",
        {
            "cell": cell,
            "ancestors": ancestors(cell),
            "assignments": assignments,
            "form": form,
            "can_assign": can_assign,
            "has_candidates": bool(eligible),
            "today": today,
        },
    )


@login_required
@require_POST
def end_cell_follower(request, uuid):
    """End one of the cell's assignments: its last day is the date given (today by default)."""
    cell = _cell(request, uuid, Cap.MANAGE_STRUCTURE)
    form = EndFollowerForm(request.POST)
    if not form.is_valid():
        for errs in form.errors.values():
            messages.error(request, " ".join(errs))
        return redirect("meetings:cell_followers", uuid=cell.uuid)
    assignment = (
        cell.supervisors.select_related("user").filter(pk=form.cleaned_data["assignment"]).first()
    )
    if assignment is None:
        raise Http404
    try:
        followers.end_follower(assignment, form.cleaned_data["on"], by=request.user)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    else:
        messages.success(
            request,
            _("%(name)s follows the cell until %(end)s.")
            % {
                "name": assignment.user.display_name(),
                "end": assignment.valid_to.strftime("%d/%m/%Y"),
            },
        )
    return redirect("meetings:cell_followers", uuid=cell.uuid)
