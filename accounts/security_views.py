"""Sign-in security pages: the code after the password, the authenticator enrolment, backup
codes, confirming the password before a sensitive action, the sessions list, the password.

Pages that show a secret (the enrolment key, backup codes) are never cached.
"""

import base64
import time
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import security
from accounts.forms import CodeForm, ConfirmForm
from accounts.models import BackupCode, UserSession
from accounts.reauth import auth_is_recent, recent_auth, safe_next


def _next(request, default=None) -> str:
    return safe_next(
        request,
        request.POST.get("next") or request.GET.get("next"),
        default or reverse(settings.LOGIN_REDIRECT_URL),
    )


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of the sign-in for a user with an authenticator."""
    next_url = _next(request)
    if security.pending_step(request) != "accounts:two_factor_verify":
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if security.code_throttled(request.user):
            form.add_error("code", _("Too many wrong codes. Wait a few seconds and try again."))
        elif security.verify_code(request.user, form.cleaned_data["code"]):
            security.mark_verified(request)
            return redirect(next_url)
        else:
            form.add_error("code", _("The code is not right, has expired or was already used."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


def _grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_svg(device: TOTPDevice) -> str:
    # Inline SVG drawn on the server: no script, no third-party service sees the secret.
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", svgclass="qr", title=_("QR code to scan")
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm one code; the
    ten backup codes are then shown once. Replacing an enrolled device needs its code first
    (a verified session) and the password again."""
    user = request.user
    next_url = _next(request)
    replacing = security.confirmed_device(user) is not None
    if replacing:
        if request.session.get(security.SECOND_FACTOR) != security.VERIFIED:
            return redirect(_with_next("accounts:two_factor_verify", next_url))
        if not auth_is_recent(request):
            return redirect(_with_next("accounts:confirm", request.get_full_path()))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by(
        "-pk"
    ).first() or TOTPDevice.objects.create(user=user, name="Chibo", confirmed=False)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = _("The 6 digits the app shows now.")
    if request.method == "POST" and form.is_valid():
        if security.verify_totp(user, form.cleaned_data["code"], device=device):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
                codes = BackupCode.regenerate(user)
            security.mark_verified(request)
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "next": next_url, "enrolled": True},
            )
        form.add_error("code", _("The code is not right or has expired. Try the next one."))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": _qr_svg(device),
            "secret": _grouped_secret(device),
            "replacing": replacing,
            "required": security.second_factor_required(user, request.scope),
        },
    )


@never_cache
@login_required
@recent_auth
@require_POST
def backup_codes_regenerate(request):
    """New backup codes (the old ones stop working), shown once."""
    if security.confirmed_device(request.user) is None:
        messages.error(request, _("Set up an authenticator app first."))
        return redirect("accounts:profile")
    codes = BackupCode.regenerate(request.user)
    return render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "next": reverse("accounts:profile"), "enrolled": False},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def confirm(request):
    """Confirm the password (and the code) before a sensitive action, then go back."""
    next_url = _next(request, reverse("accounts:profile"))
    form = ConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        # Through authenticate(): wrong passwords count towards the lockout like at login.
        checked = authenticate(
            request, username=request.user.get_username(), password=form.cleaned_data["password"]
        )
        if checked is None or checked.pk != request.user.pk:
            form.add_error("password", _("The password is not right."))
        elif form.device is not None and not security.verify_code(
            request.user, form.cleaned_data["code"]
        ):
            form.add_error("code", _("The code is not right, has expired or was already used."))
        else:
            request.session[security.AUTH_AT] = time.time()
            return redirect(next_url)
    return render(
        request,
        "accounts/confirm.html",
        {"form": form, "next": next_url, "action": reverse("accounts:confirm")},
    )


@login_required
@require_POST
def end_other_sessions(request):
    n = security.end_sessions(request.user, keep=request.session.session_key)
    messages.success(request, _("Signed out of %(n)d other session(s).") % {"n": n})
    return redirect("accounts:profile")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page (old password, new one twice, the validators of AUTH_PASSWORD_VALIDATORS).
    The other sessions end: whoever knew the old password is signed out everywhere."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # keeps this session, under a new key
        new_key = self.request.session.session_key
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)
        security.end_sessions(self.request.user, keep=new_key)
        self.request.session[security.AUTH_AT] = time.time()
        messages.success(self.request, _("Your password was changed."))
        return response


def profile_security_context(request) -> dict:
    """The account page's sign-in section: authenticator, backup codes left, sessions."""
    user = request.user
    device = security.confirmed_device(user)
    return {
        "device": device,
        "backup_left": BackupCode.objects.filter(user=user, used_at__isnull=True).count()
        if device
        else 0,
        "sessions": UserSession.objects.filter(user=user),
        "current_key": request.session.session_key,
        "second_factor_required": security.second_factor_required(user, request.scope),
        # A role, on a server with the second step turned off (the demo): say so, rather
        # than "optional for members".
        "second_factor_off": not settings.CHIBO_REQUIRE_2FA and request.scope.has_org_access,
    }
