from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("me/", views.mine, name="mine"),
    path("members/<uuid:uuid>/accesses/", views.accesses, name="accesses"),
    path("members/<uuid:uuid>/personal-data/", views.subject_export, name="subject_export"),
]
