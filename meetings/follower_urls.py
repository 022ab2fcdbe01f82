"""A cell's higher-committee followers (included by meetings/urls.py at /meetings/)."""

from django.urls import path

from meetings import follower_views

urlpatterns = [
    path("cells/<uuid:uuid>/followers/", follower_views.cell_followers, name="cell_followers"),
    path(
        "cells/<uuid:uuid>/followers/end/",
        follower_views.end_cell_follower,
        name="cell_follower_end",
    ),
]
