"""Minutes and resolutions as DOCX/PDF, and the cell's minutes book (included by meetings/urls.py)."""

from django.urls import path

from meetings import document_views as views

urlpatterns = [
    path("<uuid:uuid>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("<uuid:uuid>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<uuid:uuid>/resolution.docx", views.resolution_docx, name="resolution_docx"),
    path("<uuid:uuid>/resolution.pdf", views.resolution_pdf, name="resolution_pdf"),
    path("cells/<uuid:uuid>/minutes-book/", views.minutes_book, name="minutes_book"),
    path("cells/<uuid:uuid>/minutes-book/pdf/", views.minutes_book_pdf, name="minutes_book_pdf"),
]
