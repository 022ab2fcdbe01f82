from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import security
from accounts.access import Cap, Level, get_organization
from accounts.forms import RoleAssignmentForm
from accounts.models import Role, RoleAssignment
from accounts.reauth import recent_auth
from accounts.security_views import profile_security_context
from organizations import selectors


class LoginView(auth_views.LoginView):
    """The password step. Wrong password, unknown user and inactive account get one message
    (Django's ModelBackend hashes a password for an unknown user too, so the time is the same);
    after CHIBO_LOGIN_FAILURE_LIMIT failures for one (username, IP) django-axes locks that pair
    (lockout_response). Then, when needed, the code or the authenticator enrolment."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)  # Django logs in: new session key, signals
        step = security.after_password(self.request, form.get_user())
        if step:
            return redirect(f"{reverse(step)}?{urlencode({'next': self.get_success_url()})}")
        return response


def lockout_response(request, original_response=None, credentials=None):
    """What django-axes answers once a (username, IP) pair is locked: the same page for an
    existing and an unknown username, with how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = ngettext(
        "Too many failed sign-in attempts. Wait %(n)d minute and try again, or contact "
        "the organization board.",
        "Too many failed sign-in attempts. Wait %(n)d minutes and try again, or contact "
        "the organization board.",
        minutes,
    ) % {"n": minutes}
    return render(
        request,
        "accounts/login.html",
        {"form": AuthenticationForm(request), "locked_message": message, "next": ""},
        status=429,
    )


@login_required
def profile(request):
    roles = (
        RoleAssignment.objects.filter(user=request.user)
        .select_related("organization")
        .order_by("-valid_from")
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "roles": roles,
            "today": timezone.localdate(),
            "can_audit": request.scope.can_anywhere(Cap.MANAGE_STRUCTURE),
            **profile_security_context(request),
        },
    )


def _allowed_roles(scope, org):
    """Staff may hand out any role but admin within their subtree; cell roles only on cells."""
    roles = [Role.ORG_STAFF, Role.COMMITTEE]
    if org.is_cell:
        roles = [Role.SECRETARY, Role.DEPUTY, Role.COMMITTEE]
    if scope.is_admin and org.depth == 1:
        roles = [Role.ORG_STAFF, Role.COMMITTEE]
    return roles


@login_required
@recent_auth(methods=("POST",))
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
@recent_auth
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
