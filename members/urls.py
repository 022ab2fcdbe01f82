from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.create, name="create"),
    path("me/", views.me, name="me"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/register.docx", views.register_docx, name="register_docx"),
    path("<uuid:uuid>/edit/", views.edit, name="edit"),
    path("<uuid:uuid>/move/", views.move, name="move"),
    path("<uuid:uuid>/account/", views.account, name="account"),
]
