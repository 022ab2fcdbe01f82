from django.urls import path

from quality import views

app_name = "quality"
urlpatterns = [
    path("provinces/<uuid:uuid>/", views.rubrics, name="rubrics"),
    path("provinces/<uuid:uuid>/presets/", views.install_preset, name="install_preset"),
    path("rubrics/<uuid:uuid>/", views.rubric, name="rubric"),
    path("rubrics/<uuid:uuid>/edit/", views.rubric_edit, name="rubric_edit"),
    path("meetings/<uuid:uuid>/", views.score, name="score"),
    path("meetings/<uuid:uuid>/self/", views.self_score, name="self_score"),
    path("meetings/<uuid:uuid>/confirm/", views.confirm, name="confirm"),
    path("meetings/<uuid:uuid>/preview/", views.preview, name="preview"),
    path("cells/<uuid:uuid>/year/", views.cell_year, name="cell_year"),
]
