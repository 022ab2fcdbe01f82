from django.urls import path

from dues import views

app_name = "dues"
urlpatterns = [
    path("cells/<uuid:uuid>/", views.cell_dues, name="cell"),
    path("cells/<uuid:uuid>/month/", views.month_sheet, name="month"),
    path("cells/<uuid:uuid>/mark/", views.mark, name="mark"),
]
