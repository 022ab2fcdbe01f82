from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    # Before "<slug:name>/": no report is called "summary-docx".
    path("summary-docx/", views.summary_docx, name="summary_docx"),
    path("<slug:name>/", views.report, name="report"),
    path("<slug:name>/xlsx/", views.export, name="export"),
]
