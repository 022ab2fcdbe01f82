from django.urls import path

from liaison import views

app_name = "liaison"
urlpatterns = [
    path("org/<uuid:uuid>/", views.org_overview, name="org"),
    path("cells/<uuid:uuid>/", views.cell_page, name="cell"),
    path("members/<uuid:uuid>/introduce/", views.introduce, name="introduce"),
    path("members/<uuid:uuid>/exempt/", views.exempt, name="exempt"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/receive/", views.receive, name="receive"),
    path("<uuid:uuid>/exemption/", views.activity_exemption, name="activity_exemption"),
    path("<uuid:uuid>/end/", views.end, name="end"),
    path("<uuid:uuid>/comment/", views.comment, name="comment"),
    path("<uuid:uuid>/comment/form.docx", views.comment_docx, name="comment_docx"),
]
