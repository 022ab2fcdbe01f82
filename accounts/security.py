"""Sign-in security: the second factor, session timeouts, the sessions a user has open and
re-authentication before sensitive actions (goals S5–S7; docs/security-accounts.md).

The state of a signed-in browser lives in its session, under these keys:

- LOGIN_AT: when the password was accepted (the absolute timeout counts from it);
- SEEN_AT: the last request (the idle timeout), rewritten at most once a minute so that a
  page view does not turn into a session write;
- AUTH_AT: the last time the user proved who they are (password, and the code when they have
  an authenticator): `@recent_auth` views need it within CHIBO_REAUTH_MINUTES;
- SECOND_FACTOR: PENDING after the password when a code is still needed, VERIFIED once it
  was given. AccountSecurityMiddleware lets nothing else through until then.
"""

import datetime as dt
import time
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import Scope
from accounts.models import BackupCode, User, UserSession

LOGIN_AT = "sec_login_at"
SEEN_AT = "sec_seen_at"
AUTH_AT = "sec_auth_at"
SECOND_FACTOR = "sec_2fa"
PENDING = "pending"
VERIFIED = "verified"

# last_seen is written at most this often (seconds): the idle timeout is precise to a minute.
SEEN_RESOLUTION = 60


def idle_seconds() -> int:
    return settings.CHIBO_SESSION_IDLE_MINUTES * 60


def absolute_seconds() -> int:
    return settings.CHIBO_SESSION_ABSOLUTE_HOURS * 3600


def reauth_seconds() -> int:
    return settings.CHIBO_REAUTH_MINUTES * 60


# ---- the second factor -----------------------------------------------------------------------


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def second_factor_required(user, scope: Scope | None = None) -> bool:
    """Every role above plain member (secretary, deputy, committee, organization staff,
    administrator) needs the second factor; a member without a role does not."""
    if not settings.CHIBO_REQUIRE_2FA:
        return False
    scope = scope if scope is not None else Scope.for_user(user)
    return scope.has_org_access


def verify_totp(user, code: str, device: TOTPDevice | None = None) -> bool:
    """A 6-digit code of the user's authenticator (`device`: an unconfirmed one being
    enrolled). Accepted once: django-otp keeps the last time step used (`last_t`), and the
    device row is locked while it is checked so two requests with one code cannot both pass."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    with transaction.atomic():
        qs = TOTPDevice.objects.select_for_update().filter(user=user)
        found = (
            qs.filter(pk=device.pk).first()
            if device is not None
            else qs.filter(confirmed=True).order_by("-pk").first()
        )
        return found is not None and found.verify_token(code)


def verify_code(user, code: str) -> bool:
    """A code of the user's authenticator, or one of their backup codes (spent)."""
    compact = (code or "").strip().replace(" ", "")
    if compact.isdigit() and len(compact) == 6:
        return verify_totp(user, compact)
    return BackupCode.use(user, compact)


def code_throttled(user) -> bool:
    """True while django-otp makes the user wait after wrong codes (1, 2, 4, 8… seconds)."""
    device = confirmed_device(user)
    return device is not None and not device.verify_is_allowed()[0]


def after_password(request, user) -> str | None:
    """After the password was accepted (and Django logged the user in): the URL name of the
    step still needed — the code, or the enrolment — or None when the user may go on."""
    session = request.session
    if confirmed_device(user) is not None:
        session[SECOND_FACTOR] = PENDING
        return "accounts:two_factor_verify"
    session.pop(SECOND_FACTOR, None)
    if second_factor_required(user):
        return "accounts:two_factor_setup"
    return None


def mark_verified(request) -> None:
    """The second factor was given: a new session key (the privilege changed), recorded."""
    old_key = request.session.session_key
    request.session.cycle_key()
    UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)
    mark_session_verified(request.session)


def mark_session_verified(session) -> None:
    now = time.time()
    session[SECOND_FACTOR] = VERIFIED
    session[AUTH_AT] = now
    session.setdefault(LOGIN_AT, now)
    session.setdefault(SEEN_AT, now)


def pending_step(request) -> str | None:
    """Which page a signed-in session must go through before anything else, if any."""
    state = request.session.get(SECOND_FACTOR)
    if state == VERIFIED:
        return None
    if state == PENDING:
        return "accounts:two_factor_verify"
    if not second_factor_required(request.user, request.scope):
        return None
    if confirmed_device(request.user) is not None:
        # A device enrolled from another session: this one has not given a code yet.
        request.session[SECOND_FACTOR] = PENDING
        return "accounts:two_factor_verify"
    return "accounts:two_factor_setup"


# ---- sessions --------------------------------------------------------------------------------


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def start_session(request, user) -> None:
    """At every login (user_logged_in): the clocks, and the row of the account page's list."""
    session = request.session
    now = time.time()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session[AUTH_AT] = now
    if not session.session_key:
        session.save()
    cutoff = timezone.now() - dt.timedelta(seconds=absolute_seconds())
    UserSession.objects.filter(user=user, last_seen_at__lt=cutoff).delete()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "last_seen_at": timezone.now(),
        },
    )


def forget_session(request) -> None:
    """At logout (user_logged_out)."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def end_sessions(user, keep: str | None = None) -> int:
    """End every signed-in session of the user (all but `keep`); the number ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def end_sessions_of_member(member) -> int:
    """A member left the Party or transferred out: their account's sessions end, so whatever
    they see next is decided by a new sign-in."""
    user = User.objects.filter(member=member).first()
    return end_sessions(user) if user is not None else 0


def expired(session, now: float) -> bool:
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return False
    return now - seen_at > idle_seconds() or now - login_at > absolute_seconds()


def touch(request, now: float) -> None:
    """Start the clocks of a session that has none; move SEEN_AT on (once a minute at most)."""
    session = request.session
    if session.get(LOGIN_AT) is None:
        session[LOGIN_AT] = now
    seen_at = session.get(SEEN_AT)
    if seen_at is None or now - seen_at >= SEEN_RESOLUTION:
        session[SEEN_AT] = now
        if seen_at is not None and session.session_key:
            UserSession.objects.filter(session_key=session.session_key).update(
                last_seen_at=timezone.now()
            )


def end_expired(request):
    """Log out, say why, and send the browser to the login page (then back)."""
    logout(request)
    message = _("Your session has expired. Please sign in again.")
    login_url = reverse(settings.LOGIN_URL)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=401)
    messages.warning(request, message)
    target = login_url
    if request.method == "GET":
        target = f"{login_url}?{urlencode({'next': request.get_full_path()})}"
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)
