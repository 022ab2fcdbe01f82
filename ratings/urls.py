from django.urls import path

from ratings import views

app_name = "ratings"
urlpatterns = [
    path("org/<uuid:uuid>/", views.org_cycles, name="org"),
    path("org/<uuid:uuid>/open/", views.open_cycle, name="open"),
    path("org/<uuid:uuid>/<uuid:cycle>/", views.cycle_page, name="cycle"),
    path("org/<uuid:uuid>/<uuid:cycle>/close/", views.close, name="close"),
    path("org/<uuid:uuid>/<uuid:cycle>/docx/", views.cycle_docx, name="cycle_docx"),
    path("review/<uuid:uuid>/", views.review_page, name="review"),
    path("review/<uuid:uuid>/docx/", views.review_docx, name="review_docx"),
    path("review/<uuid:uuid>/self/", views.self_review, name="self_review"),
    path("review/<uuid:uuid>/propose/", views.propose, name="propose"),
    path("review/<uuid:uuid>/decide/", views.decide, name="decide"),
    path("review/<uuid:uuid>/complain/", views.complain, name="complain"),
    path("review/<uuid:uuid>/answer/", views.answer_complaint, name="answer_complaint"),
    path("collective/<uuid:uuid>/decide/", views.decide_org, name="decide_org"),
]
