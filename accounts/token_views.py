"""Personal API tokens: list, create (the token is shown once), revoke.

Only the token's SHA-256 is stored, so the page that shows a new token is the
only place it ever appears: that response must not be cached anywhere.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import ApiToken
from accounts.reauth import recent_auth

EXPIRY_CHOICES = [
    ("30", gettext_lazy("In 30 days")),
    ("90", gettext_lazy("In 90 days")),
    ("365", gettext_lazy("In one year")),
    ("", gettext_lazy("Never (revoke it when no longer needed)")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=80,
        help_text=gettext_lazy("What the token is for, e.g. “monthly report script”."),
    )
    expires_in = forms.ChoiceField(
        label=gettext_lazy("Expires"), choices=EXPIRY_CHOICES, required=False, initial="90"
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name


def _page(request, form):
    tokens = list(ApiToken.objects.filter(user=request.user).order_by("-created_at"))
    now = timezone.now()
    for t in tokens:
        if t.revoked_at:
            t.status, t.status_label = "revoked", _("Revoked")
        elif t.expires_at and t.expires_at <= now:
            t.status, t.status_label = "expired", _("Expired")
        else:
            t.status, t.status_label = "active", _("Active")
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": tokens,
            "form": form,
            "api_url": request.build_absolute_uri("/api/v1/"),
        },
    )


@never_cache
@login_required
def tokens(request):
    return _page(request, TokenForm())


@never_cache
@login_required
@recent_auth(methods=("POST",))
@require_http_methods(["GET", "POST"])
def token_create(request):
    if request.method == "GET":
        return redirect("accounts:tokens")
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    token, raw = ApiToken.issue(request.user, form.cleaned_data["name"])
    if form.cleaned_data["expires_in"]:
        token.expires_at = timezone.now() + dt.timedelta(days=int(form.cleaned_data["expires_in"]))
        token.save(update_fields=["expires_at"])
    response = render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    # The one response that holds the raw token: no cache, proxy or back button may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    try:
        token = ApiToken.objects.get(pk=pk, user=request.user)
    except ApiToken.DoesNotExist as e:
        raise Http404 from e
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
