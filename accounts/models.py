"""Users, their roles on subtrees of the party tree, and personal API tokens."""

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Member
from organizations.models import CELL_KINDS, Organization


class User(AbstractUser):
    member = models.OneToOneField(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("party member record"),
        help_text=_("The member this account belongs to; gives access to their own record."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def display_name(self):
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    ORG_STAFF = "org_staff", _("Organization-board staff")
    COMMITTEE = "committee", _("Committee member (read only)")
    SECRETARY = "secretary", _("Cell secretary")
    DEPUTY = "deputy", _("Deputy cell secretary")


CELL_ROLES = (Role.SECRETARY, Role.DEPUTY)


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
        )


class RoleAssignment(models.Model):
    """A user holds a role over an organization and everything below it, for a period."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organization"),
        help_text=_("Empty only for system administrators."),
    )
    province = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_to = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        indexes = [models.Index(fields=["user", "valid_to"], name="role_user")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="admin", organization__isnull=True)
                | (~models.Q(role="admin") & models.Q(organization__isnull=False)),
                name="role_org_required_unless_admin",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="role_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organization or '*'}"

    def save(self, *args, **kwargs):
        self.province_id = self.organization.province_id if self.organization_id else None
        super().save(*args, **kwargs)

    def clean(self):
        if self.role == Role.ADMIN and self.organization_id:
            raise ValidationError(
                {"organization": _("A system administrator is not tied to one organization.")}
            )
        if self.role != Role.ADMIN and not self.organization_id:
            raise ValidationError({"organization": _("Choose the organization for this role.")})
        if (
            self.role in CELL_ROLES
            and self.organization_id
            and self.organization.kind not in CELL_KINDS
        ):
            raise ValidationError(
                {"organization": _("Secretaries and deputies are assigned to a cell.")}
            )
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})


TOKEN_PREFIX = "chibo_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], token_hash=hash_token(raw)
        )
        return token, raw

    @property
    def is_active(self):
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )
