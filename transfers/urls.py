from django.urls import path

from transfers import views

app_name = "transfers"
urlpatterns = [
    path("org/<uuid:uuid>/", views.org_list, name="org_list"),
    path("org/<uuid:uuid>/incoming/", views.incoming_start, name="incoming_start"),
    path("member/<uuid:uuid>/start/", views.start, name="start"),
    path("member/<uuid:uuid>/cells/", views.cells, name="cells"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/sheet.docx", views.sheet_docx, name="sheet_docx"),
    path("<uuid:uuid>/issue/", views.issue, name="issue"),
    path("<uuid:uuid>/receive/", views.receive, name="receive"),
    path("<uuid:uuid>/complete/", views.complete, name="complete"),
    path("<uuid:uuid>/cancel/", views.cancel, name="cancel"),
]
