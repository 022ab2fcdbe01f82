from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import Cap, Level, get_organization
from accounts.forms import RoleAssignmentForm
from accounts.models import Role, RoleAssignment
from organizations import selectors


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def profile(request):
    roles = (
        RoleAssignment.objects.filter(user=request.user)
        .select_related("organization")
        .order_by("-valid_from")
    )
    return render(request, "accounts/profile.html", {"roles": roles, "today": timezone.localdate()})


def _allowed_roles(scope, org):
    """Staff may hand out any role but admin within their subtree; cell roles only on cells."""
    roles = [Role.ORG_STAFF, Role.COMMITTEE]
    if org.is_cell:
        roles = [Role.SECRETARY, Role.DEPUTY, Role.COMMITTEE]
    if scope.is_admin and org.depth == 1:
        roles = [Role.ORG_STAFF, Role.COMMITTEE]
    return roles


@login_required
@require_http_methods(["GET", "POST"])
def org_roles(request, uuid):
    scope = request.scope
    org = get_organization(scope, uuid, Cap.MANAGE_ROLES)
    form = RoleAssignmentForm(
        request.POST or None, org=org, allowed_roles=_allowed_roles(scope, org)
    )
    if request.method == "POST" and form.is_valid():
        try:
            ra = form.save()
        except ValidationError as e:
            form.add_error(None, e.messages)
        else:
            messages.success(
                request,
                _("%(user)s is now %(role)s.")
                % {"user": ra.user.display_name(), "role": ra.get_role_display()},
            )
            return redirect("accounts:org_roles", uuid=org.uuid)
    assignments = (
        RoleAssignment.objects.filter(organization=org)
        .select_related("user")
        .order_by("valid_to", "role")
    )
    return render(
        request,
        "accounts/org_roles.html",
        {
            "org": org,
            "form": form,
            "assignments": assignments,
            "today": timezone.localdate(),
            "ancestors": selectors.ancestors(org),
        },
    )


@login_required
@require_POST
def end_role(request, uuid, pk):
    scope = request.scope
    org = get_organization(scope, uuid, Cap.MANAGE_ROLES)
    try:
        ra = RoleAssignment.objects.get(pk=pk, organization=org)
    except RoleAssignment.DoesNotExist as e:
        raise Http404 from e
    if ra.user_id == request.user.pk and scope.level_for(org) < Level.ADMIN:
        messages.error(request, _("You cannot end your own role; ask the level above."))
        return redirect("accounts:org_roles", uuid=org.uuid)
    today = timezone.localdate()
    ra.valid_to = max(today, ra.valid_from)
    ra.save()
    messages.success(request, _("The role was ended."))
    return redirect("accounts:org_roles", uuid=org.uuid)
