"""Template tags that put visits where users look for them: the meeting page (who from the level
above attends, register or report) and the "my meetings" page (the link to one's schedule)."""

from django import template
from django.utils import timezone

from meetings.models import OPEN_STATUSES
from oversight import following
from oversight.models import Visit, VisitStatus
from oversight.services import VISITABLE_KINDS

register = template.Library()


@register.simple_tag(takes_context=True)
def follows_cells(context) -> bool:
    """Does the signed-in user follow any cell (and so have a visit schedule)?"""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return following.follows_any(user) or Visit.objects.filter(visitor=user).exists()


@register.simple_tag(takes_context=True)
def meeting_visits(context, meeting) -> dict:
    """The visits to a meeting the user may see (all of them for the cell's readers, else their
    own), and whether they may register for it or report on it."""
    request = context["request"]
    user, scope = request.user, request.scope
    out = {
        "visits": [],
        "mine": None,
        "can_register": False,
        "can_report": False,
        "report_mine": False,
    }
    if meeting.kind not in VISITABLE_KINDS:
        return out
    qs = meeting.visits.exclude(status=VisitStatus.CANCELLED).select_related("visitor")
    reads = scope.level_for(meeting.organization) > 0
    visits = list(qs if reads else qs.filter(visitor=user))
    out["visits"] = visits
    out["mine"] = next((v for v in visits if v.visitor_id == user.pk), None)
    day, today = meeting.local_date, timezone.localdate()
    if out["mine"] is not None:
        out["report_mine"] = out["mine"].status == VisitStatus.PLANNED and day <= today
    elif meeting.status not in ("cancelled", "postponed"):
        if following.ways(user, meeting.organization, day):
            out["can_register"] = day >= today and meeting.status in OPEN_STATUSES
            out["can_report"] = day <= today
    return out
