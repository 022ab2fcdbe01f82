from django.urls import include, path

from meetings import attendance_views, minutes_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.my_meetings, name="mine"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/prepare/", views.prepare, name="prepare"),
    path("<uuid:uuid>/notice/", views.send_notice, name="notice"),
    path("<uuid:uuid>/start/", views.start, name="start"),
    path("<uuid:uuid>/end/", views.end, name="end"),
    path("<uuid:uuid>/approve/", views.approve, name="approve"),
    path("<uuid:uuid>/archive/", views.archive, name="archive"),
    path("<uuid:uuid>/postpone/", views.postpone, name="postpone"),
    path("<uuid:uuid>/cancel/", views.cancel, name="cancel"),
    path("<uuid:uuid>/documents/", views.upload_document, name="upload_document"),
    path("<uuid:uuid>/absence/", views.request_absence, name="request_absence"),
    path("<uuid:uuid>/absence/<int:pk>/", views.decide_absence, name="decide_absence"),
    path("<uuid:uuid>/attendance/", attendance_views.sheet, name="attendance"),
    path("<uuid:uuid>/attendance/<int:member_id>/", attendance_views.mark, name="mark"),
    path("<uuid:uuid>/attendance/sync/", attendance_views.sync, name="attendance_sync"),
    path("<uuid:uuid>/guests/", attendance_views.add_guest, name="add_guest"),
    path("<uuid:uuid>/items/new/", minutes_views.add_item, name="add_item"),
    path("<uuid:uuid>/items/<int:pk>/", minutes_views.edit_item, name="edit_item"),
    path("<uuid:uuid>/items/<int:pk>/speeches/", minutes_views.add_speech, name="add_speech"),
    path("<uuid:uuid>/votes/", minutes_views.add_vote, name="add_vote"),
    path("<uuid:uuid>/resolution/", minutes_views.resolution, name="resolution"),
    path("tasks/<int:pk>/", minutes_views.task, name="task"),
    # Calendars, schedules, planning and iCalendar feeds: meetings/calendar_urls.py
    path("", include("meetings.calendar_urls")),
    # DOCX/PDF minutes and resolutions, the minutes book: meetings/document_urls.py
    path("", include("meetings.document_urls")),
    # A province's agenda templates: meetings/agenda_urls.py
    path("", include("meetings.agenda_urls")),
    # A cell's higher-committee followers (notified of its meetings): meetings/follower_urls.py
    path("", include("meetings.follower_urls")),
]
