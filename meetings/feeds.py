"""iCalendar feeds: a secret address per user (their meetings) or per cell, for phone calendars.

Calendar apps cannot sign in, so the token in the address is the credential: long
and random (secrets.token_urlsafe), revocable, and checked against the owner's
access again on every fetch, so a feed stops showing a cell the day its owner
loses the role. Events carry times, places and links, never members' names.
"""

import datetime as dt
import functools
import secrets
import zoneinfo

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import Level, Scope
from meetings.calendar_views import readable_cell
from meetings.models import (
    MIN_MINUTES,
    CalendarFeed,
    Meeting,
    MeetingKind,
    MeetingStatus,
    SupervisorAssignment,
)
from organizations.models import CELL_KINDS, Organization

WINDOW = dt.timedelta(days=366)
# Planned length of an event when the meeting has not recorded its start and end.
DEFAULT_MINUTES = {**MIN_MINUTES, MeetingKind.COMMITTEE: 60}
# Cells offered in the feed page's list; beyond this, subscribe from the cell's calendar.
MAX_CELL_CHOICES = 300
NOT_HELD = (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_url(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("meetings:feed", args=[feed.token]))


# ---- what a feed contains -------------------------------------------------------------------


def _my_cells_q(user, scope: Scope) -> Q:
    """The cells of "my meetings": my own cell, the cells I lead, the cells I follow."""
    today = timezone.localdate()
    led = [g.organization_id for g in scope.grants if g.level == Level.CELL]
    q = Q(organization_id__in=led)
    if user.member_id:
        q |= Q(organization__home_members__pk=user.member_id)
    followed = SupervisorAssignment.objects.filter(user=user, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    return q | Q(organization_id__in=followed.values("organization_id"))


def feed_meetings(feed: CalendarFeed) -> list[Meeting] | None:
    """The feed's meetings (None when its owner may no longer read the cell)."""
    user = feed.user
    scope = Scope.for_user(user)
    # Starting from the owner's scope: a followed cell outside it shows nothing.
    qs = scope.meetings()
    if feed.organization_id:
        org = feed.organization
        own = user.member_id and user.member.organization_id == org.pk
        if scope.level_for(org) < Level.READ and not own:
            return None
        qs = qs.filter(organization_id=org.pk)
    else:
        qs = qs.filter(_my_cells_q(user, scope))
    now = timezone.now()
    return list(
        qs.filter(scheduled_at__gte=now - WINDOW, scheduled_at__lte=now + WINDOW)
        .select_related("organization")
        .order_by("scheduled_at")
    )


def _sequences(meetings) -> dict[int, int]:
    """SEQUENCE of each event: the number of recorded changes, so it grows when the time moves."""
    rows = (
        Meeting.history.filter(id__in=[m.pk for m in meetings])
        .values("id")
        .annotate(n=Count("history_id"))
    )
    return {r["id"]: r["n"] for r in rows}


@functools.cache
def _vtimezone() -> icalendar.Timezone:
    # Computed from the tz database once per process (~20 ms), then shared read-only.
    return icalendar.Timezone.from_tzid(settings.TIME_ZONE)


def build_calendar(request, meetings, name: str) -> bytes:
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Chibo//Lich sinh hoat chi bo//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add_component(_vtimezone())
    sequences = _sequences(meetings)
    stamp = timezone.now()
    for m in meetings:
        start = m.scheduled_at.astimezone(tz)
        if m.started_at and m.ended_at:
            start, end = m.started_at.astimezone(tz), m.ended_at.astimezone(tz)
        else:
            end = start + dt.timedelta(minutes=DEFAULT_MINUTES.get(m.kind, 90))
        event = icalendar.Event()
        event.add("uid", f"{m.uuid}@chibo")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", f"{m.get_kind_display()} – {m.organization.name}")
        if m.place:
            event.add("location", m.place)
        details = [t for t in (m.title, m.topic) if t]
        if m.status in NOT_HELD:
            details.append(m.get_status_display())
        if details:
            event.add("description", "\n".join(details))
        event.add("status", "CANCELLED" if m.status in NOT_HELD else "CONFIRMED")
        event.add("sequence", sequences.get(m.pk, 0))
        event.add("last-modified", m.updated_at)
        event.add("url", request.build_absolute_uri(m.get_absolute_url()))
        event.add("class", "PRIVATE")
        cal.add_component(event)
    return cal.to_ical()


@require_safe
def feed(request, token):
    """The .ics file. No sign-in: the token is the credential; unknown or revoked → 404."""
    if not token or len(token) > 64:
        raise Http404
    row = (
        CalendarFeed.objects.select_related("user", "user__member", "organization")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        raise Http404
    # Calendar apps send no useful language: the feed speaks the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        meetings = feed_meetings(row)
        if meetings is None:
            raise Http404
        name = (
            _("Meetings of %(cell)s") % {"cell": row.organization.name}
            if row.organization_id
            else _("My party meetings")
        )
        body = build_calendar(request, meetings, name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="chibo.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


# ---- the page where a user creates and revokes their feed addresses ---------------------------


def _cell_choices(request):
    scope = request.scope
    cells = list(
        scope.organizations()
        .filter(kind__in=CELL_KINDS, dissolved_on__isnull=True)
        .order_by("sort_key")
        .values_list("uuid", "name")[: MAX_CELL_CHOICES + 1]
    )
    if request.user.member_id:
        own = (
            Organization.objects.filter(home_members__pk=request.user.member_id)
            .values_list("uuid", "name")
            .first()
        )
        if own and own not in cells:
            cells.insert(0, own)
    return cells[:MAX_CELL_CHOICES], len(cells) > MAX_CELL_CHOICES


@login_required
def feeds(request):
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            try:
                row = user.calendar_feeds.get(
                    pk=int(request.POST.get("feed", "")), revoked_at__isnull=True
                )
            except (CalendarFeed.DoesNotExist, ValueError) as e:
                raise Http404 from e
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
            messages.success(
                request,
                _("The address is revoked: calendars using it no longer receive the meetings."),
            )
            return redirect("meetings:feeds")
        if action == "create":
            org = None
            if request.POST.get("org"):
                org = readable_cell(request, request.POST["org"])
            row = user.calendar_feeds.filter(organization=org, revoked_at__isnull=True).first()
            if row is None:
                row = CalendarFeed.objects.create(user=user, organization=org, token=new_token())
                messages.success(
                    request,
                    _(
                        "Your calendar address is ready. Add it to your phone's calendar; "
                        "keep it to yourself: anyone with it sees these meetings."
                    ),
                )
            return redirect(f"{reverse('meetings:feeds')}#feed-{row.pk}")
        messages.error(request, _("Choose what to do."))
        return redirect("meetings:feeds")
    rows = list(
        user.calendar_feeds.filter(revoked_at__isnull=True)
        .select_related("organization")
        .order_by("organization__sort_key", "-created_at")
    )
    for r in rows:
        r.url = feed_url(request, r)
        r.webcal = "webcal://" + r.url.split("://", 1)[1]
    cells, more = _cell_choices(request)
    return render(
        request,
        "meetings/calendar/feeds.html",
        {
            "feeds": rows,
            "has_mine": any(r.organization_id is None for r in rows),
            "cells": cells,
            "more_cells": more,
        },
    )
