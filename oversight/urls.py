from django.urls import path  # noqa: F401

app_name = "oversight"
urlpatterns = []

# Inspection and supervision (kiểm tra, giám sát): oversight/views_inspections.py.
from oversight import views_inspections as inspections  # noqa: E402

urlpatterns += [
    path("inspections/org/<uuid:uuid>/", inspections.org_page, name="inspections"),
    path("inspections/org/<uuid:uuid>/plans/new/", inspections.plan_create, name="plan_create"),
    path(
        "inspections/org/<uuid:uuid>/new/", inspections.inspection_create, name="inspection_create"
    ),
    path("inspections/org/<uuid:uuid>/subjects/", inspections.subjects, name="inspection_subjects"),
    path("inspections/plans/<uuid:uuid>/", inspections.plan_detail, name="plan"),
    path("inspections/plans/<uuid:uuid>/edit/", inspections.plan_edit, name="plan_edit"),
    path("inspections/<uuid:uuid>/", inspections.detail, name="inspection"),
    path("inspections/<uuid:uuid>/start/", inspections.start, name="inspection_start"),
    path("inspections/<uuid:uuid>/conclude/", inspections.conclude, name="inspection_conclude"),
    path("inspections/<uuid:uuid>/follow-ups/", inspections.follow_up_add, name="follow_up_add"),
    path(
        "inspections/<uuid:uuid>/follow-ups/<int:pk>/done/",
        inspections.follow_up_done,
        name="follow_up_done",
    ),
]

# Supervision and visits (dự sinh hoạt chi bộ): oversight/views_visits.py, views_following.py.
from oversight import views_following as following_views  # noqa: E402
from oversight import views_visits as visits  # noqa: E402

urlpatterns += [
    path("schedule/", visits.schedule, name="schedule"),
    path("meetings/<uuid:uuid>/register/", visits.register, name="register"),
    path("meetings/<uuid:uuid>/report/", visits.meeting_report, name="meeting_report"),
    path("visits/<uuid:uuid>/", visits.visit, name="visit"),
    path("visits/<uuid:uuid>/report/", visits.visit_report, name="visit_report"),
    path("visits/<uuid:uuid>/cancel/", visits.visit_cancel, name="visit_cancel"),
    path("cells/<uuid:uuid>/visits/", visits.cell_visits, name="cell_visits"),
    path("cells/<uuid:uuid>/visits/plan/", visits.cell_plan, name="cell_plan"),
    path("committees/<uuid:uuid>/visits/", visits.committee_visits, name="committee_visits"),
    path("committees/<uuid:uuid>/visit-rule/", visits.policy, name="policy"),
    path("committees/<uuid:uuid>/groups/", following_views.groups, name="groups"),
    path("committees/<uuid:uuid>/groups/new/", following_views.group_create, name="group_create"),
    path("groups/<uuid:uuid>/", following_views.group, name="group"),
    path("groups/<uuid:uuid>/edit/", following_views.group_edit, name="group_edit"),
    path("committees/<uuid:uuid>/cross/", following_views.cross_list, name="cross"),
    path("committees/<uuid:uuid>/cross/new/", following_views.cross_create, name="cross_create"),
    path("committees/<uuid:uuid>/cross/end/", following_views.cross_end, name="cross_end"),
]

# The compliance board and the monthly report on attending cell meetings: views_board.py.
from oversight import views_board as board  # noqa: E402

urlpatterns += [
    path("committees/<uuid:uuid>/board/", board.board, name="board"),
    path("committees/<uuid:uuid>/board/remind/", board.remind, name="board_remind"),
    path("committees/<uuid:uuid>/board/remind-all/", board.remind_all, name="board_remind_all"),
    path("committees/<uuid:uuid>/report/", board.report, name="report"),
    path("committees/<uuid:uuid>/report/export/", board.report_export, name="report_export"),
]
