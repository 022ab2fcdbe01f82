from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from organizations import selectors


@login_required
def home(request):
    """Start page: the organizations a user oversees, or their own record for plain members."""
    scope = request.scope
    if not scope.has_org_access:
        if request.user.member_id:
            return redirect("members:me")
        return render(request, "home_no_access.html")
    roots = selectors.annotate(selectors.scope_roots(scope))
    return render(request, "home.html", {"roots": roots})
