"""Pages of the party tree: browse, search, detail, and structural changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import Cap, Level, get_organization
from accounts.models import RoleAssignment
from lib.forms import apply_validation_error
from lib.text import search_terms
from organizations import selectors, services, village_posts
from organizations.forms import (
    DissolveForm,
    EndVillagePostForm,
    MergeForm,
    MoveForm,
    OrganizationCreateForm,
    OrganizationEditForm,
    ProvinceCreateForm,
    RenameForm,
    SplitPartForm,
    VillageForm,
    VillagePostForm,
    VillagesForm,
)
from organizations.models import (
    ALLOWED_CHILDREN,
    CELL_KINDS,
    Organization,
    OrgKind,
    Village,
    subtree_q,
)


def _require_org_access(request):
    if not request.scope.has_org_access:
        raise Http404


@login_required
def tree(request):
    """The tree from the top of the user's scope, opened level by level; or search results."""
    _require_org_access(request)
    scope = request.scope
    q = request.GET.get("q", "").strip()
    if q:
        terms = search_terms(q)
        qs = scope.organizations()
        for t in terms:
            qs = qs.filter(search_text__contains=t)
        if request.GET.get("active", "1") == "1":
            qs = qs.filter(dissolved_on__isnull=True)
        page = Paginator(qs.order_by("sort_key", "path"), 50).get_page(request.GET.get("page"))
        parents = {
            o.path: o
            for o in Organization.objects.filter(
                path__in={r.path[: -Organization.steplen] for r in page if r.depth > 1}
            )
        }
        for r in page:
            r.parent_org = parents.get(r.path[: -Organization.steplen])
        return render(
            request,
            "organizations/search.html",
            {"q": q, "page": page, "querystring_base": f"q={q}&"},
        )
    roots = selectors.annotate(selectors.scope_roots(scope))
    return render(
        request, "organizations/tree.html", {"roots": roots, "can_add_province": scope.is_admin}
    )


@login_required
def children(request, uuid):
    """HTMX fragment: the children of a node, with counts and villages."""
    org = get_organization(request.scope, uuid)
    nodes = selectors.annotate(
        selectors.children(org, include_dissolved=request.GET.get("all") == "1")
    )
    return render(request, "organizations/_children.html", {"nodes": nodes, "parent": org})


@login_required
def detail(request, uuid):
    scope = request.scope
    org = get_organization(scope, uuid)
    [org] = selectors.annotate([org])
    kids = selectors.annotate(
        selectors.children(org, include_dissolved=request.GET.get("all") == "1")
    )
    events = list(org.events.select_related("user").prefetch_related("related")[:50])
    roles = list(
        RoleAssignment.objects.active()
        .filter(organization=org)
        .select_related("user", "user__member__person")
        .order_by("role")
    )
    return render(
        request,
        "organizations/detail.html",
        {
            "org": org,
            "ancestors": selectors.ancestors(org),
            "children": kids,
            "events": events,
            "roles": roles,
            "can_structure": scope.can(Cap.MANAGE_STRUCTURE, org),
            "can_members": scope.can(Cap.MANAGE_MEMBERS, org),
            "can_roles": scope.can(Cap.MANAGE_ROLES, org),
            "child_kinds": ALLOWED_CHILDREN[org.kind],
        },
    )


def _form_page(request, org, form, title, template="organizations/form.html", **extra):
    return render(
        request,
        template,
        {"org": org, "form": form, "title": title, "ancestors": selectors.ancestors(org), **extra},
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_child(request, uuid):
    parent = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    if not parent.is_active or not parent.allowed_child_kinds():
        raise Http404
    form = OrganizationCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organization(
                parent=parent, user=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": org.name})
            return redirect(org)
    return _form_page(request, parent, form, _("New unit under %(name)s") % {"name": parent.name})


@login_required
@require_http_methods(["GET", "POST"])
def create_province(request):
    """A new top-level organization: only system administrators add provinces."""
    if not request.scope.is_admin:
        raise Http404
    form = ProvinceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organization(
                parent=None, kind=OrgKind.PROVINCE, user=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": org.name})
            return redirect(org)
    return render(
        request,
        "organizations/form.html",
        {"form": form, "title": _("New province"), "ancestors": [], "org": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, uuid):
    org = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    form = OrganizationEditForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect(org)
    return _form_page(request, org, form, _("Edit %(name)s") % {"name": org.name})


def _structural(request, uuid, form_factory, action, title, success):
    org = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    if not org.is_active:
        raise Http404
    form = form_factory(org, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = action(org, form.cleaned_data)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, success(org))
            return redirect(result if isinstance(result, Organization) else org)
    return _form_page(request, org, form, title(org))


@login_required
@require_http_methods(["GET", "POST"])
def rename(request, uuid):
    return _structural(
        request,
        uuid,
        lambda org, data: RenameForm(data, initial={"name": org.name}),
        lambda org, d: services.rename(
            org, d["name"], d["effective_on"], request.user, d["decision"]
        ),
        lambda org: _("Rename %(name)s") % {"name": org.name},
        lambda org: _("The organization was renamed."),
    )


def _move_parents(scope, org):
    kinds = [k for k, allowed in ALLOWED_CHILDREN.items() if k and org.kind in allowed]
    return (
        scope.organizations(Level.STAFF)
        .filter(kind__in=kinds, dissolved_on__isnull=True, province_id=org.province_id)
        .exclude(subtree_q(org.path))
        .exclude(path=org.path[: -Organization.steplen])  # its current parent
        .order_by("path")
    )


@login_required
@require_http_methods(["GET", "POST"])
def move(request, uuid):
    scope = request.scope
    return _structural(
        request,
        uuid,
        lambda org, data: MoveForm(data, parents=_move_parents(scope, org)),
        lambda org, d: services.move(
            org, d["new_parent"], d["effective_on"], request.user, d["decision"]
        ),
        lambda org: _("Move %(name)s under another organization") % {"name": org.name},
        lambda org: _("%(name)s was moved.") % {"name": org.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def dissolve(request, uuid):
    return _structural(
        request,
        uuid,
        lambda org, data: DissolveForm(data),
        lambda org, d: services.dissolve(
            org, d["effective_on"], d["reason"], request.user, d["decision"]
        ),
        lambda org: _("Dissolve %(name)s") % {"name": org.name},
        lambda org: _("%(name)s was dissolved.") % {"name": org.name},
    )


def _merge_candidates(org):
    parent_path = org.path[: -Organization.steplen]
    return (
        Organization.objects.filter(
            subtree_q(parent_path), kind__in=CELL_KINDS, dissolved_on__isnull=True
        )
        .exclude(pk=org.pk)
        .order_by("sort_key")
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge(request, uuid):
    def action(org, d):
        if org.kind not in CELL_KINDS:
            raise ValidationError(
                _("Only cells are merged here; move the cells of a committee instead.")
            )
        return services.merge(
            list(d["sources"]), org, d["effective_on"], request.user, d["decision"]
        )

    return _structural(
        request,
        uuid,
        lambda org, data: MergeForm(data, candidates=_merge_candidates(org)),
        action,
        lambda org: _("Merge other cells into %(name)s") % {"name": org.name},
        lambda org: _("The cells were merged into %(name)s.") % {"name": org.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def split(request, uuid):
    """Split a cell: name the new cells, then say where each member and village goes."""
    org = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    if not org.is_active or org.kind not in CELL_KINDS:
        raise Http404
    try:
        n_parts = min(max(int(request.POST.get("parts") or request.GET.get("parts") or 2), 1), 6)
    except ValueError:
        n_parts = 2
    memberships = list(
        org.memberships.current()
        .select_related("member__person")
        .order_by("member__person__sort_key")
    )
    links = list(org.village_links.active().select_related("village"))
    data = request.POST if request.method == "POST" else None
    part_forms = [SplitPartForm(data, prefix=f"p{i}") for i in range(n_parts)]
    decision_form = DissolveForm(data, initial={"reason": "-"})
    decision_form.fields["reason"].required = False
    keep = request.POST.get("keep_original") == "on" if data is not None else True
    errors = []
    if data is not None:
        # Validate every form (no short-circuit) so all errors show at once.
        results = [f.is_valid() for f in part_forms] + [decision_form.is_valid()]
        valid = all(results)
        if valid:
            parts = [services.SplitPart(**f.cleaned_data) for f in part_forms]
            for ms in memberships:
                choice = request.POST.get(f"m{ms.member_id}", "")
                if choice.isdigit() and int(choice) < n_parts:
                    parts[int(choice)].member_ids.append(ms.member_id)
            for ln in links:
                choice = request.POST.get(f"v{ln.village_id}", "")
                if choice.isdigit() and int(choice) < n_parts:
                    parts[int(choice)].village_ids.append(ln.village_id)
            try:
                created = services.split(
                    org,
                    parts,
                    decision_form.cleaned_data["effective_on"],
                    keep_original=keep,
                    user=request.user,
                    decision=decision_form.cleaned_data["decision"],
                )
            except ValidationError as e:
                errors = e.messages
            else:
                messages.success(
                    request,
                    _("%(name)s was split into %(n)s cells.")
                    % {"name": org.name, "n": len(created)},
                )
                return redirect(org if keep else created[0])
    for ms in memberships:
        ms.choice = request.POST.get(f"m{ms.member_id}", "") if data is not None else ""
    for ln in links:
        ln.choice = request.POST.get(f"v{ln.village_id}", "") if data is not None else ""
    return render(
        request,
        "organizations/split.html",
        {
            "org": org,
            "ancestors": selectors.ancestors(org),
            "part_forms": part_forms,
            "decision_form": decision_form,
            "memberships": memberships,
            "links": links,
            "keep": keep,
            "errors": errors,
            "n_parts": n_parts,
            "part_range": range(n_parts),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def villages(request, uuid):
    """Choose the villages a cell covers (combined cells cover several)."""
    org = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    if not org.is_active or org.kind not in CELL_KINDS:
        raise Http404
    # Villages of the grassroots committee above the cell (its territory).
    anc = selectors.ancestors(org)
    territory = next(
        (a for a in reversed(anc) if a.kind in (OrgKind.GRASSROOTS_COMMITTEE,)),
        anc[-1] if anc else org,
    )
    candidates = (
        Village.objects.active().filter(subtree_q(territory.path, "commune__")).order_by("sort_key")
    )
    current = list(org.village_links.active().values_list("village_id", flat=True))
    form = VillagesForm(request.POST or None, candidates=candidates, initial={"villages": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_villages(
                org,
                list(form.cleaned_data["villages"]),
                form.cleaned_data["effective_on"],
                request.user,
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, _("The villages covered were updated."))
            return redirect(org)
    return _form_page(request, org, form, _("Villages covered by %(name)s") % {"name": org.name})


# ---- village registry ----------------------------------------------------------

VILLAGE_FILTERS = {  # lazy: translated per request, in the user's language
    "all": gettext_lazy("All"),
    "no_members": gettext_lazy("Villages with no party member"),
    "no_cell": gettext_lazy("Villages not covered by any cell"),
}


@login_required
def village_list(request):
    _require_org_access(request)
    scope = request.scope
    orgs = scope.organizations()
    show = request.GET.get("show", "all")
    qs = Village.objects.filter(commune__in=orgs).select_related("commune")
    if request.GET.get("include_past") != "1":
        qs = qs.filter(valid_to__isnull=True)
    if show == "no_members":
        from members.models import ACTIVE_STATUSES, Person

        living = Person.objects.filter(
            member__status__in=ACTIVE_STATUSES, residence_village__isnull=False
        )
        qs = qs.exclude(pk__in=living.values("residence_village_id"))
    elif show == "no_cell":
        from organizations.models import CellVillage

        qs = qs.exclude(pk__in=CellVillage.objects.active().values("village_id"))
    q = request.GET.get("q", "").strip()
    for t in search_terms(q):
        qs = qs.filter(search_text__contains=t)
    qs = qs.annotate(
        n_cells=Count("cell_links", filter=Q(cell_links__valid_to__isnull=True), distinct=True),
    ).order_by("commune__sort_key", "sort_key")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    can_add = scope.can_anywhere(Cap.MANAGE_STRUCTURE)
    return render(
        request,
        "organizations/villages.html",
        {
            "page": page,
            "show": show,
            "filters": VILLAGE_FILTERS,
            "q": q,
            "can_add": can_add,
            "querystring_base": f"show={show}&q={q}&",
        },
    )


def _communes(scope):
    return (
        scope.organizations(Level.STAFF)
        .filter(kind=OrgKind.GRASSROOTS_COMMITTEE, dissolved_on__isnull=True)
        .order_by("sort_key")
    )


@login_required
@require_http_methods(["GET", "POST"])
def village_create(request):
    scope = request.scope
    if not scope.can_anywhere(Cap.MANAGE_STRUCTURE):
        raise Http404
    form = VillageForm(request.POST or None, communes=_communes(scope))
    if request.method == "POST" and form.is_valid():
        village = form.save(commit=False)
        village.province_id = village.commune.province_id
        village.save()
        messages.success(request, _("%(name)s was added.") % {"name": village.name})
        return redirect("organizations:villages")
    return render(
        request, "organizations/village_form.html", {"form": form, "title": _("New village")}
    )


def _village_for_staff(request, uuid) -> Village:
    """The village if it lies in the caller's scope (else 404) and they may edit villages
    there (else 403): the organization board of its commune or above."""
    scope = request.scope
    try:
        village = (
            Village.objects.filter(commune__in=scope.organizations())
            .select_related("commune")
            .get(uuid=uuid)
        )
    except (Village.DoesNotExist, ValueError) as e:
        raise Http404 from e
    if not scope.can(Cap.MANAGE_STRUCTURE, village.commune):
        raise PermissionDenied
    return village


def _post_form(request, village, data=None):
    members = (
        village_posts.eligible_members(village)
        .filter(pk__in=request.scope.members().values("pk"))
        .select_related("person", "organization")
        .order_by("person__sort_key", "pk")
    )
    # Prefixed: the village's own form on the same page has a valid_from too.
    return VillagePostForm(data, members=members, prefix="post")


def _village_page(request, village, form=None, post_form=None, end_form=None, status=200):
    posts = list(
        village.posts.select_related("member__person", "member__organization").order_by(
            "title", F("valid_to").desc(nulls_first=True), "-valid_from", "-pk"
        )
    )
    return render(
        request,
        "organizations/village_form.html",
        {
            "form": form or VillageForm(instance=village, communes=_communes(request.scope)),
            "village": village,
            "title": village.name,
            "posts": posts,
            "post_form": post_form or _post_form(request, village),
            "end_form": end_form,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def village_edit(request, uuid):
    village = _village_for_staff(request, uuid)
    form = VillageForm(request.POST or None, instance=village, communes=_communes(request.scope))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect("organizations:villages")
    return _village_page(request, village, form=form)


@login_required
@require_POST
def village_post_add(request, uuid):
    """Record a new holder of a village post (the current one, if any, ends the day before)."""
    village = _village_for_staff(request, uuid)
    form = _post_form(request, village, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            post = village_posts.record_holder(
                village,
                d["title"],
                d["valid_from"],
                member=d["member"],
                holder_name=d["holder_name"],
                how=d["how"],
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("%(name)s was recorded as %(title)s.")
                % {"name": post.holder_name, "title": post.get_title_display()},
            )
            return redirect(reverse("organizations:village_edit", args=[village.uuid]) + "#posts")
    return _village_page(request, village, post_form=form, status=400)


@login_required
@require_POST
def village_post_end(request, uuid):
    """End a current post of the village on the day given (the holder's last day)."""
    village = _village_for_staff(request, uuid)
    form = EndVillagePostForm(request.POST, village=village)
    if form.is_valid():
        try:
            post = village_posts.end_post(form.cleaned_data["post"], form.cleaned_data["valid_to"])
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("%(name)s no longer holds the post of %(title)s.")
                % {"name": post.holder_name, "title": post.get_title_display()},
            )
            return redirect(reverse("organizations:village_edit", args=[village.uuid]) + "#posts")
    return _village_page(request, village, end_form=form, status=400)


@login_required
def org_members(request, uuid):
    """Shortcut from an organization page to the member list filtered to its subtree."""
    org = get_organization(request.scope, uuid)
    return redirect(f"/members/?org={org.uuid}")
