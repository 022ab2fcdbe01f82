from django.urls import path

from lifecycle import views

app_name = "lifecycle"
urlpatterns = [
    path("members/<uuid:uuid>/", views.member_page, name="member"),
    path("members/<uuid:uuid>/decisions/new/", views.decision_new, name="decision_new"),
    path("members/<uuid:uuid>/card/new/", views.card_event_new, name="card_event_new"),
    path("members/<uuid:uuid>/badges/new/", views.badge_new, name="badge_new"),
    path(
        "members/<uuid:uuid>/interruptions/new/",
        views.interruption_new,
        name="interruption_new",
    ),
    path("organizations/<uuid:uuid>/strike-off/", views.strike_off, name="strike_off"),
    path("organizations/<uuid:uuid>/badges/", views.badges_due, name="badges_due"),
]
