from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from chibo import dashboard, security
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


@csrf_exempt  # browsers post reports without a token, and nothing is changed
@require_POST
def csp_report(request):
    """Content-Security-Policy violation reports from browsers, logged (logger `chibo.csp`,
    a bounded number a minute) so that a page the policy breaks is noticed. Anonymous: a
    report can come from the login page. 204 whatever the outcome, but 400 for a body that is
    not a report and 413 for one over 16 KB."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > security.MAX_REPORT_BYTES:
        return HttpResponse(status=413)
    try:
        security.log_reports(request.body[: security.MAX_REPORT_BYTES])
    except (ValueError, UnicodeDecodeError, AttributeError, TypeError):
        return HttpResponse(status=400)
    return HttpResponse(status=204)
