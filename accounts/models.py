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


# ---- account security: backup codes and the sessions a user has open ------------------------

BACKUP_CODE_COUNT = 10
# 10 characters from a 31-letter alphabet without look-alikes (0/O, 1/I/L): about 50 bits each.
BACKUP_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BACKUP_CODE_LENGTH = 10


def normalize_backup_code(raw: str) -> str:
    """What a person types ("abcd-efgh-jk", with spaces or dashes) → the stored form."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def _backup_code_digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


class BackupCode(models.Model):
    """A single-use recovery code for the second factor. Only a salted SHA-256 is stored:
    the ten codes appear once, on the page that creates them (50 random bits each, so a fast
    hash is enough; a slow one would make checking ten of them take seconds)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="backup_codes")
    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("backup code")
        verbose_name_plural = _("backup codes")

    def __str__(self):
        return f"{self.user} – {'used' if self.used_at else 'unused'}"

    @classmethod
    def regenerate(cls, user: User) -> list[str]:
        """Replace every code of the user by BACKUP_CODE_COUNT new ones; return them (shown once)."""
        codes = [
            "".join(secrets.choice(BACKUP_CODE_ALPHABET) for _i in range(BACKUP_CODE_LENGTH))
            for _n in range(BACKUP_CODE_COUNT)
        ]
        rows = []
        for code in codes:
            salt = secrets.token_hex(16)
            rows.append(cls(user=user, salt=salt, code_hash=_backup_code_digest(salt, code)))
        cls.objects.filter(user=user).delete()
        cls.objects.bulk_create(rows)
        return [f"{c[:5]}-{c[5:]}" for c in codes]

    @classmethod
    def use(cls, user: User, raw: str) -> bool:
        """Spend one unused code of the user matching `raw`. True once per code, then never."""
        code = normalize_backup_code(raw)
        if len(code) != BACKUP_CODE_LENGTH:
            return False
        for row in cls.objects.filter(user=user, used_at__isnull=True):
            if secrets.compare_digest(row.code_hash, _backup_code_digest(row.salt, code)):
                # The conditional UPDATE is the single-use guarantee: of two requests racing
                # with the same code, only one changes the row.
                return bool(
                    cls.objects.filter(pk=row.pk, used_at__isnull=True).update(
                        used_at=timezone.now()
                    )
                )
        return False


class UserSession(models.Model):
    """A signed-in browser session of a user (written at login), so the account page can list
    them and a deactivation, exit or transfer can end them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"{self.user} – {self.created_at:%Y-%m-%d %H:%M}"
