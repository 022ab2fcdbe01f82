from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:name>/", views.report, name="report"),
    path("<slug:name>/xlsx/", views.export, name="export"),
]
