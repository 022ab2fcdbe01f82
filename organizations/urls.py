from django.urls import path

from organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("new-province/", views.create_province, name="create_province"),
    path("villages/", views.village_list, name="villages"),
    path("villages/new/", views.village_create, name="village_create"),
    path("villages/<uuid:uuid>/", views.village_edit, name="village_edit"),
    path("villages/<uuid:uuid>/posts/new/", views.village_post_add, name="village_post_add"),
    path("villages/<uuid:uuid>/posts/end/", views.village_post_end, name="village_post_end"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/children/", views.children, name="children"),
    path("<uuid:uuid>/new/", views.create_child, name="create_child"),
    path("<uuid:uuid>/edit/", views.edit, name="edit"),
    path("<uuid:uuid>/rename/", views.rename, name="rename"),
    path("<uuid:uuid>/move/", views.move, name="move"),
    path("<uuid:uuid>/split/", views.split, name="split"),
    path("<uuid:uuid>/merge/", views.merge, name="merge"),
    path("<uuid:uuid>/dissolve/", views.dissolve, name="dissolve"),
    path("<uuid:uuid>/villages/", views.villages, name="villages_edit"),
    path("<uuid:uuid>/members/", views.org_members, name="members"),
]
