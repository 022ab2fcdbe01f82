from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("org/<uuid:uuid>/new/", views.campaign_create, name="create"),
    path("<uuid:uuid>/", views.campaign_detail, name="detail"),
    path("<uuid:uuid>/edit/", views.campaign_edit, name="edit"),
    path("<uuid:uuid>/sheet/<uuid:org_uuid>/", views.month_sheet, name="sheet"),
    path("<uuid:uuid>/sheet/<uuid:org_uuid>/xlsx/", views.sheet_xlsx, name="sheet_xlsx"),
]
