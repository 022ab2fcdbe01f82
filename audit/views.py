"""Audit pages: who accessed a member's record, the staff's log, the personal-data export."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import Cap, get_member
from accounts.reauth import recent_auth
from audit import selectors, subject
from audit.forms import AuditFilterForm
from audit.log import record
from audit.models import Action


@login_required
def mine(request):
    """The signed-in member's own "who viewed my record" page."""
    if not request.user.member_id:
        raise Http404
    return redirect("audit:accesses", uuid=request.user.member.uuid)


@never_cache
@login_required
def accesses(request, uuid):
    """Who read, exported or changed a member's record: for the member themself and for the
    organization-board staff above their cell (403 to other readers)."""
    scope = request.scope
    member = get_member(scope, uuid)
    is_self = member.pk == scope.self_member_id
    if not is_self and not scope.can(Cap.MANAGE_STRUCTURE, member.organization):
        raise PermissionDenied
    page = Paginator(selectors.accesses_to(member), settings.CHIBO_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "audit/accesses.html",
        {"member": member, "page": page, "is_self": is_self, "querystring_base": ""},
    )


@never_cache
@login_required
def log(request):
    """The audit log of the user's subtree (organization-board staff, administrators)."""
    scope = request.scope
    if not scope.can_anywhere(Cap.MANAGE_STRUCTURE):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.filter_entries(scope.audit_entries(), data)
    page = Paginator(qs, settings.CHIBO_PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "querystring_base": (urlencode(params) + "&") if params else "",
        },
    )


@never_cache
@login_required
@require_POST
@recent_auth
def subject_export(request, uuid):
    """Everything stored about the member, and who accessed it, as a zipped JSON document
    (goal S12). For organization-board staff above the member's cell; itself logged."""
    member = get_member(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    data = subject.to_zip(subject.document(member))
    log_entry = record(
        Action.DATA_EXPORT,
        member,
        object_repr=member.person.full_name,
        extra={"format": subject.FORMAT, "bytes": len(data)},
    )
    response = HttpResponse(data, content_type="application/zip")
    # No personal data in the file name: the member's public id and the entry's number.
    response["Content-Disposition"] = (
        f'attachment; filename="personal-data-{member.uuid}-{log_entry.pk}.zip"'
    )
    return response
