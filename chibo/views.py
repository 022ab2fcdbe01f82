from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from chibo import dashboard
from organizations import selectors


@never_cache
@login_required
def home(request):
    """Start page: the dashboard of what the user needs today, section by role (chibo/dashboard.py),
    then the organizations they oversee."""
    scope = request.scope
    if not scope.has_org_access and not scope.self_member_id:
        return render(request, "home_no_access.html")
    roots = selectors.scope_roots(scope) if scope.has_org_access else []
    dash = dashboard.build(request.user, scope, roots)
    return render(request, "home.html", {"roots": roots, "dash": dash})
