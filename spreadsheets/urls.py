from django.urls import path

from spreadsheets import views

app_name = "spreadsheets"
urlpatterns = [
    path("", views.index, name="index"),
    path("templates/members.xlsx", views.template_members, name="template_members"),
    path(
        "templates/organizations.xlsx", views.template_organizations, name="template_organizations"
    ),
    path("import/members/", views.import_members, name="import_members"),
    path("import/organizations/", views.import_organizations, name="import_organizations"),
    path("export/members/", views.export_members, name="export_members"),
    path("export/organizations/", views.export_organizations, name="export_organizations"),
    path("jobs/<uuid:uuid>/", views.job_detail, name="job"),
    path("jobs/<uuid:uuid>/status/", views.job_status, name="job_status"),
    path("jobs/<uuid:uuid>/download/", views.job_download, name="job_download"),
]
