from django.urls import path

from admissions import views

app_name = "admissions"
urlpatterns = [
    path("org/<uuid:uuid>/", views.pipeline, name="pipeline"),
    path("org/<uuid:uuid>/new/", views.create, name="create"),
    path("org/<uuid:uuid>/targets/", views.targets, name="targets"),
    path("org/<uuid:uuid>/targets/edit/", views.targets_edit, name="targets_edit"),
    path("org/<uuid:uuid>/recognition/", views.recognition_due, name="recognition_due"),
    path("member/<uuid:uuid>/probation/", views.open_probation, name="open_probation"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    # One POST address (and URL name) per step, so each is declared with its own capability
    # in the authorization matrix.
    *(path(f"<uuid:uuid>/{name}/", views.act, {"step": name}, name=name) for name in views.STEPS),
]
