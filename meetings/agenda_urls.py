"""A province's agenda templates (included by meetings/urls.py at /meetings/)."""

from django.urls import path

from meetings import agenda_views

urlpatterns = [
    path(
        "provinces/<uuid:uuid>/agenda-templates/",
        agenda_views.templates,
        name="agenda_templates",
    ),
    path(
        "provinces/<uuid:uuid>/agenda-templates/customize/",
        agenda_views.customize,
        name="agenda_template_customize",
    ),
    path(
        "provinces/<uuid:uuid>/agenda-templates/<int:pk>/",
        agenda_views.edit,
        name="agenda_template_edit",
    ),
    path(
        "provinces/<uuid:uuid>/agenda-templates/<int:pk>/delete/",
        agenda_views.delete,
        name="agenda_template_delete",
    ),
]
