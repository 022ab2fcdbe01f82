from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import security_views, token_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/code/", security_views.two_factor_verify, name="two_factor_verify"),
    path("2fa/setup/", security_views.two_factor_setup, name="two_factor_setup"),
    path(
        "2fa/backup-codes/",
        security_views.backup_codes_regenerate,
        name="backup_codes_regenerate",
    ),
    path("confirm/", security_views.confirm, name="confirm"),
    path("sessions/end-others/", security_views.end_other_sessions, name="end_other_sessions"),
    path("password/", security_views.PasswordChangeView.as_view(), name="password_change"),
    path("", views.profile, name="profile"),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/new/", token_views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("roles/<uuid:uuid>/", views.org_roles, name="org_roles"),
    path("roles/<uuid:uuid>/<int:pk>/end/", views.end_role, name="end_role"),
]
