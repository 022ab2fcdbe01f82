"""The quality level badge and the meeting page's panel (one query: the meeting's score)."""

from django import template

from quality.models import MeetingScore, QualityLevel
from quality.services import RUBRIC_KIND, may_self_score

register = template.Library()


@register.filter
def quality_label(level: str) -> str:
    """good → Tốt (the level's name in the active language); "" stays empty."""
    return QualityLevel(level).label if level in QualityLevel.values else ""


@register.inclusion_tag("quality/_level.html")
def quality_badge(level: str, prefix: str = ""):
    return {"level": level, "prefix": prefix}


@register.inclusion_tag("quality/_panel.html", takes_context=True)
def quality_panel(context, meeting):
    """The "quality" panel of a meeting page: the final level and both totals, the link to the
    score sheet. Nothing for kinds of meeting that are not scored."""
    if meeting.kind not in RUBRIC_KIND:
        return {"show": False}
    request = context["request"]
    score = MeetingScore.objects.filter(meeting=meeting).first()
    return {
        "show": True,
        "meeting": meeting,
        "score": score,
        "may_self": score is None and meeting.is_locked and may_self_score(request.scope, meeting),
    }


@register.simple_tag
def attach_quality_levels(quarters) -> str:
    """Give each meeting of a cell calendar (quarters → months → meetings) its final quality
    level as `quality_level`; renders nothing. One query, and none when no meeting has
    approved minutes (only those are scored)."""
    meetings = [m for q in quarters for mo in q["months"] for m in mo["meetings"]]
    locked = [m.pk for m in meetings if m.is_locked]
    levels = {}
    if locked:
        levels = dict(
            MeetingScore.objects.filter(meeting_id__in=locked).values_list(
                "meeting_id", "final_level"
            )
        )
    for m in meetings:
        m.quality_level = levels.get(m.pk, "")
    return ""
