"""Receivers of Django's login signals and of account deactivation (connected in apps.py)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save

from accounts import security
from accounts.models import User


def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        security.start_session(request, user)


def on_logout(sender, request, user, **kwargs):
    if request is not None:
        security.forget_session(request)


def on_user_saved(sender, instance, created, **kwargs):
    # A deactivated account is signed out everywhere at once (Django would refuse it on the
    # next request anyway; this also empties the account's list of sessions).
    if not created and not instance.is_active:
        security.end_sessions(instance)


def connect():
    user_logged_in.connect(on_login, dispatch_uid="accounts.start_session")
    user_logged_out.connect(on_logout, dispatch_uid="accounts.forget_session")
    post_save.connect(on_user_saved, sender=User, dispatch_uid="accounts.end_sessions_inactive")
