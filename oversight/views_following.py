"""A committee's working groups (tổ công tác) and cross-attendance pairs (dự sinh hoạt chéo):
everyone who reads the committee sees them; its organization-board staff (Cap.MANAGE_STRUCTURE)
create, change and end them. Rules: oversight/following.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import Cap, get_working_group
from lib.forms import apply_validation_error
from lib.text import sort_key, vn_date
from organizations.selectors import ancestors
from oversight import following
from oversight.forms import CrossForm, EndCrossForm, GroupForm
from oversight.models import CrossAttendance, Visit
from oversight.views_visits import committee_or_404


def _period_flags(rows, today):
    for r in rows:
        r.in_force = r.valid_from <= today and (r.valid_to is None or r.valid_to >= today)
        r.coming = r.valid_from > today
    return rows


# ---- working groups ---------------------------------------------------------------------------


@never_cache
@login_required
def groups(request, uuid):
    committee = committee_or_404(request, uuid)
    today = timezone.localdate()
    rows = list(
        committee.working_groups.annotate(n_cells=Count("cells", distinct=True))
        .prefetch_related("members")
        .order_by(F("valid_to").desc(nulls_first=True), "name", "pk")
    )
    return render(
        request,
        "oversight/groups.html",
        {
            "org": committee,
            "ancestors": ancestors(committee),
            "groups": _period_flags(rows, today),
            "can_manage": request.scope.can(Cap.MANAGE_STRUCTURE, committee)
            and committee.is_active,
        },
    )


def _group_choices(committee):
    people: dict[int, tuple] = {}
    for role in following.group_member_roles(committee):
        people.setdefault(role.user_id, (role.user, []))[1].append(role)
    members = sorted(
        people.values(),
        key=lambda p: (sort_key(p[0].display_name(), given_name_first=True), p[0].username),
    )
    member_choices = [
        (
            u.pk,
            f"{u.display_name()} — "
            + "; ".join(f"{r.get_role_display()}, {r.organization.name}" for r in roles),
        )
        for u, roles in members
    ]
    cells = list(following.cells_below(committee))
    return member_choices, [(c.pk, c.name) for c in cells], {u.pk: u for u, _r in members}, cells


def _group_form(request, committee, group=None):
    member_choices, cell_choices, users, cells = _group_choices(committee)
    initial = None
    if group is not None:
        initial = {
            "name": group.name,
            "members": [u.pk for u in group.members.all()],
            "cells": [c.pk for c in group.cells.all()],
            "valid_from": group.valid_from,
            "valid_to": group.valid_to,
        }
        # People who left the committee stay visible on the group until removed.
        for u in group.members.all():
            if u.pk not in users:
                member_choices.append((u.pk, u.display_name()))
                users[u.pk] = u
    form = GroupForm(
        request.POST or None,
        initial=initial,
        member_choices=member_choices,
        cell_choices=cell_choices,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        by_pk = {c.pk: c for c in cells}
        kwargs = {
            "name": d["name"],
            "members": [users[pk] for pk in d["members"]],
            "cells": [by_pk[pk] for pk in d["cells"]],
            "valid_from": d["valid_from"],
            "valid_to": d["valid_to"],
            "by": request.user,
        }
        try:
            if group is None:
                group = following.create_group(committee, **kwargs)
            else:
                following.update_group(group, **kwargs)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request, _("The working group %(name)s is saved.") % {"name": group.name}
            )
            return form, group
    return form, None


@never_cache
@login_required
def group_create(request, uuid):
    committee = committee_or_404(request, uuid, Cap.MANAGE_STRUCTURE)
    if not committee.is_active:
        raise Http404
    form, saved = _group_form(request, committee)
    if saved is not None:
        return redirect(saved.get_absolute_url())
    return render(
        request,
        "oversight/group_form.html",
        {"org": committee, "ancestors": ancestors(committee), "form": form, "group": None},
    )


@never_cache
@login_required
def group_edit(request, uuid):
    group = get_working_group(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    committee = group.organization
    form, saved = _group_form(request, committee, group)
    if saved is not None:
        return redirect(saved.get_absolute_url())
    return render(
        request,
        "oversight/group_form.html",
        {"org": committee, "ancestors": ancestors(committee), "form": form, "group": group},
    )


@never_cache
@login_required
def group(request, uuid):
    g = get_working_group(request.scope, uuid)
    today = timezone.localdate()
    _period_flags([g], today)
    return render(
        request,
        "oversight/group.html",
        {
            "org": g.organization,
            "ancestors": ancestors(g.organization),
            "group": g,
            "members": list(g.members.order_by("last_name", "first_name", "username")),
            "cells": list(g.cells.order_by("sort_key", "pk")),
            "visits": list(
                Visit.objects.filter(group=g)
                .select_related("cell", "visitor")
                .order_by("-planned_on", "-pk")[:100]
            ),
            "can_manage": request.scope.can(Cap.MANAGE_STRUCTURE, g.organization),
        },
    )


# ---- cross-attendance -------------------------------------------------------------------------


def _cross_choices(committee):
    roles = list(following.secretary_roles(committee))
    visitor_choices = [
        (r.pk, f"{r.user.display_name()} — {r.get_role_display()}, {r.organization.name}")
        for r in roles
    ]
    cells = list(following.cells_below(committee))
    return visitor_choices, [(c.pk, c.name) for c in cells], {r.pk: r for r in roles}, cells


@never_cache
@login_required
def cross_list(request, uuid):
    committee = committee_or_404(request, uuid)
    today = timezone.localdate()
    can_manage = request.scope.can(Cap.MANAGE_STRUCTURE, committee) and committee.is_active
    pairs = list(
        CrossAttendance.objects.filter(organization=committee)
        .select_related("visitor", "from_cell", "cell")
        .order_by(F("valid_to").desc(nulls_first=True), "from_cell__sort_key", "pk")
    )
    for p in _period_flags(pairs, today):
        if can_manage and (p.valid_to is None or p.valid_to >= today):
            p.end_form = EndCrossForm(
                initial={"pair": p.pk, "on": max(today, p.valid_from)}, auto_id=f"end{p.pk}_%s"
            )
    return render(
        request,
        "oversight/cross.html",
        {
            "org": committee,
            "ancestors": ancestors(committee),
            "pairs": pairs,
            "can_manage": can_manage,
        },
    )


@never_cache
@login_required
def cross_create(request, uuid):
    committee = committee_or_404(request, uuid, Cap.MANAGE_STRUCTURE)
    if not committee.is_active:
        raise Http404
    visitor_choices, cell_choices, roles, cells = _cross_choices(committee)
    form = CrossForm(
        request.POST or None, visitor_choices=visitor_choices, cell_choices=cell_choices
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        role = roles[d["visitor"]]
        cell = next(c for c in cells if c.pk == d["cell"])
        try:
            following.create_cross(
                committee,
                visitor=role.user,
                from_cell=role.organization,
                cell=cell,
                valid_from=d["valid_from"],
                valid_to=d["valid_to"],
                by=request.user,
            )
        except ValidationError as e:
            apply_validation_error(form, e, rename={"from_cell": "visitor"})
        else:
            messages.success(
                request,
                _("%(name)s attends %(cell)s from %(date)s.")
                % {
                    "name": role.user.display_name(),
                    "cell": cell.name,
                    "date": vn_date(d["valid_from"]),
                },
            )
            return redirect("oversight:cross", uuid=committee.uuid)
    return render(
        request,
        "oversight/cross_form.html",
        {"org": committee, "ancestors": ancestors(committee), "form": form},
    )


@login_required
@require_POST
def cross_end(request, uuid):
    committee = committee_or_404(request, uuid, Cap.MANAGE_STRUCTURE)
    form = EndCrossForm(request.POST)
    if not form.is_valid():
        for errs in form.errors.values():
            messages.error(request, " ".join(errs))
        return redirect("oversight:cross", uuid=committee.uuid)
    pair = (
        CrossAttendance.objects.filter(organization=committee, pk=form.cleaned_data["pair"])
        .select_related("visitor", "cell")
        .first()
    )
    if pair is None:
        raise Http404
    try:
        following.end_cross(pair, form.cleaned_data["on"], by=request.user)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    else:
        messages.success(
            request,
            _("%(name)s attends %(cell)s until %(date)s.")
            % {
                "name": pair.visitor.display_name(),
                "cell": pair.cell.name,
                "date": vn_date(pair.valid_to),
            },
        )
    return redirect("oversight:cross", uuid=committee.uuid)
