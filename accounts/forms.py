from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment, User
from accounts.security import confirmed_device
from organizations.forms import date_field


class RoleAssignmentForm(forms.Form):
    """Give a role on an organization to an existing account or to a new one."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("An existing account, or a new one to create."),
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, required=False, help_text=_("Only for a new account.")
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Only for a new account: at least 10 characters."),
    )
    role = forms.ChoiceField(label=_("Role"))
    valid_from = date_field(_("From"), initial=timezone.localdate)
    valid_to = date_field(_("To"), required=False)

    def __init__(self, *args, org, allowed_roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        self.fields["role"].choices = [(r.value, r.label) for r in allowed_roles]

    def clean(self):
        data = super().clean()
        username = (data.get("username") or "").strip()
        self.user = User.objects.filter(username=username).first()
        if self.user is None:
            if not data.get("full_name"):
                self.add_error("full_name", _("Give the full name for the new account."))
            pw = data.get("password")
            if not pw:
                self.add_error("password", _("Give an initial password for the new account."))
            else:
                try:
                    validate_password(pw)
                except forms.ValidationError as e:
                    self.add_error("password", e)
        if (
            data.get("valid_to")
            and data.get("valid_from")
            and data["valid_to"] < data["valid_from"]
        ):
            self.add_error("valid_to", _("The end date is before the start date."))
        return data

    def save(self) -> RoleAssignment:
        data = self.cleaned_data
        user = self.user
        if user is None:
            first, _sep, last = data["full_name"].strip().rpartition(" ")
            user = User.objects.create_user(
                username=data["username"].strip(),
                password=data["password"],
                first_name=last,
                last_name=first,
            )
        ra = RoleAssignment(
            user=user,
            role=data["role"],
            organization=self.org,
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
        )
        ra.full_clean()
        ra.save()
        return ra


class CodeForm(forms.Form):
    """The second step of the sign-in: a code of the authenticator app, or a backup code."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The 6 digits shown by your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none"}
        ),
    )


class ConfirmForm(forms.Form):
    """Confirm who you are before a sensitive action: the password, and the code when the
    account has an authenticator."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        required=False,
        help_text=_("The 6 digits shown by your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = confirmed_device(user)
        if self.device is None:
            del self.fields["code"]
        else:
            self.fields["code"].required = True
