"""Schedules, calendars, planning and iCalendar feeds (included by meetings/urls.py at /meetings/)."""

from django.urls import path

from meetings import calendar_views, feeds

urlpatterns = [
    path("cells/<uuid:uuid>/schedule/", calendar_views.cell_schedule, name="cell_schedule"),
    path("cells/<uuid:uuid>/calendar/", calendar_views.cell_calendar, name="cell_calendar"),
    path("cells/<uuid:uuid>/plan/", calendar_views.plan, name="plan"),
    path(
        "committees/<uuid:uuid>/schedule/",
        calendar_views.committee_schedule,
        name="committee_schedule",
    ),
    path(
        "committees/<uuid:uuid>/calendar/",
        calendar_views.committee_calendar,
        name="committee_calendar",
    ),
    path(
        "committees/<uuid:uuid>/calendar/print/",
        calendar_views.committee_yearly,
        name="committee_yearly",
    ),
    path("feeds/", feeds.feeds, name="feeds"),
    path("feeds/<str:token>.ics", feeds.feed, name="feed"),
]
