"""The audit trail: one append-only row per login, denied access, view, export and change.

Entries are written once and never changed: save() refuses an existing row, delete() and the
queryset's update()/delete() raise, and a database trigger (audit/triggers.py, installed by the
migrations on SQLite and PostgreSQL) refuses UPDATE and DELETE from any client.

The references (user, organization, member) are plain ids without a database constraint and
with DO_NOTHING: an entry must outlive the user, member or organization it names, and an
ON DELETE SET NULL would be an UPDATE the trigger refuses. The texts beside them (username,
role, organization name, object repr) keep the entry readable after the row is gone.

Not keyed by province (docs/audit.md): an entry is about a user (a reference table), failed
logins and administrators' actions have no province, and re-keying rows on a move across
provinces would rewrite the log. On Citus it is a reference table like the users.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class Action(models.TextChoices):
    LOGIN = "login", pgettext_lazy("audit action", "Signed in")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Failed sign-in")
    LOGOUT = "logout", pgettext_lazy("audit action", "Signed out")
    DENIED = "denied", pgettext_lazy("audit action", "Access denied")
    VIEW = "view", pgettext_lazy("audit action", "Viewed")
    EXPORT = "export", pgettext_lazy("audit action", "Exported")
    CREATE = "create", pgettext_lazy("audit action", "Created")
    UPDATE = "update", pgettext_lazy("audit action", "Changed")
    DELETE = "delete", pgettext_lazy("audit action", "Deleted")
    DATA_EXPORT = "data_export", pgettext_lazy("audit action", "Personal data export")


# What a person sees in "who accessed my record": reads and writes of it, not logins.
ACCESS_ACTIONS = (
    Action.VIEW,
    Action.EXPORT,
    Action.CREATE,
    Action.UPDATE,
    Action.DELETE,
    Action.DATA_EXPORT,
)


# Where a member's record was read or exported (extra["what"]), in words, for "who accessed
# my record": the same read through the API or a Word sheet is worth telling apart.
WHAT_LABELS = {
    "page": _("the member page"),
    "api": _("the API"),
    "register_docx": _("the party member register sheet (Word)"),
    "transfer": _("a transfer"),
    "transfer_docx": _("the transfer data sheet (Word)"),
    "liaison": _("a residence liaison"),
    "liaison_docx": _("the residence liaison comment form (Word)"),
    "rating": _("an annual rating review"),
    "rating_docx": _("the annual self-review form (Word)"),
    "lifecycle": _("the membership history page"),
    "member_list": _("a party member list export (Excel)"),
}


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        # Refused before Django opens its transaction (an error inside would spoil the caller's).
        raise AppendOnlyError("Audit entries cannot be changed.")


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    # The user's highest role at the time and the organization it is held on.
    role = models.CharField(_("role"), max_length=16, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    organization_name = models.CharField(_("organization"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member concerned"),
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["member", "id"], name="audit_member"),
            models.Index(fields=["organization", "id"], name="audit_org"),
            models.Index(fields=["user", "id"], name="audit_user"),
            models.Index(fields=["created_at"], name="audit_time"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    @property
    def role_label(self) -> str:
        from accounts.models import Role

        if self.role == "member":
            return _("Party member")
        return Role(self.role).label if self.role in Role.values else self.role

    @property
    def what_label(self) -> str:
        what = (self.extra or {}).get("what", "") if isinstance(self.extra, dict) else ""
        return str(WHAT_LABELS.get(what, ""))

    @property
    def object_label(self) -> str:
        """What was touched, in words: the model's name, or the kind of page refused."""
        from django.apps import apps

        if "." in self.object_type:
            try:
                return str(apps.get_model(self.object_type)._meta.verbose_name)
            except (LookupError, ValueError):
                return self.object_type
        return self.object_type
