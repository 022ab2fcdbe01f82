"""Signal receivers: sign-ins and sign-outs, and every save or delete of the project's rows.

Writes through bulk_create / bulk_update / queryset.update() fire no signal: the services that
use them write one entry per batch (audit.log.record_bulk).
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection
from django.db.models.signals import post_delete, post_save
from simple_history.models import HistoricalChanges
from simple_history.signals import post_create_historical_record

from audit.log import record
from audit.models import Action

# Rows that are bookkeeping or derived, not records anyone changes: the log itself, job
# progress, counters, and the summary tables rebuilt from the meetings.
SKIPPED = {
    "audit.AuditEntry",
    "spreadsheets.Job",
    "reports.CellMonth",
    "reports.CellYear",
    "meetings.DocumentSequence",
}
# Updates touching only these fields are not changes anyone made (Django's sign-in stamp).
NOISE_FIELDS = {"accounts.User": {"last_login"}}
# The foreign key that names the member a row is about.
MEMBER_FIELDS = ("member", "subject_member")

_audited: dict = {}  # model → name of its member field ("" if none)


def project_models() -> dict:
    """Models of the project's own apps (not Django's or third parties'), history tables and
    SKIPPED left out, each with the field naming the member it concerns."""
    base = Path(settings.BASE_DIR).resolve()
    venv = base / ".venv"
    out = {}
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if not path.is_relative_to(base) or path.is_relative_to(venv):
            continue
        for model in app.get_models():
            if issubclass(model, HistoricalChanges) or model._meta.label in SKIPPED:
                continue
            names = {f.name for f in model._meta.fields}
            out[model] = next(
                (
                    n
                    for n in MEMBER_FIELDS
                    if n in names
                    and model._meta.get_field(n).related_model._meta.label == "members.Member"
                ),
                "",
            )
    return out


def _blocked(execute, sql, params, many, context):
    raise RuntimeError("no query while describing a row for the audit trail")


def _repr(instance) -> str:
    """str(instance) when it needs no query (a __str__ reading a relation that is not loaded
    would cost one per entry), else the model and key."""
    try:
        with connection.execute_wrapper(_blocked):
            return str(instance)
    except Exception:
        return f"{instance._meta.verbose_name} #{instance.pk}"


def _member_id(model, instance):
    name = _audited[model]
    if name:
        return getattr(instance, f"{name}_id")
    if model._meta.label == "members.Member":
        return instance.pk
    if model._meta.label == "members.Person":
        # A person's details are part of their member record (one query, on a rare write).
        cached = instance._state.fields_cache.get("member")
        if cached is not None:
            return cached.pk
        from members.models import Member

        return Member.objects.filter(person_id=instance.pk).values_list("pk", flat=True).first()
    return None


def on_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if sender not in _audited or raw:
        return
    extra = {}
    if update_fields:
        fields = sorted(update_fields)
        if set(fields) <= NOISE_FIELDS.get(sender._meta.label, set()):
            return
        extra["fields"] = fields
    history_id = getattr(instance, "_audit_history_id", None)
    if history_id is not None:
        # django-simple-history keeps the values; the entry points at that row.
        extra["history_id"] = history_id
        instance._audit_history_id = None
    record(
        Action.CREATE if created else Action.UPDATE,
        instance,
        member_id=_member_id(sender, instance),
        object_repr=_repr(instance),
        extra=extra,
    )


def on_delete(sender, instance, **kwargs):
    if sender not in _audited:
        return
    extra = {}
    history_id = getattr(instance, "_audit_history_id", None)
    if history_id is not None:
        extra["history_id"] = history_id
    record(
        Action.DELETE,
        instance,
        member_id=_member_id(sender, instance),
        object_repr=_repr(instance),
        extra=extra,
    )


def on_history(sender, instance, history_instance, **kwargs):
    # Runs inside simple_history's own post_save/post_delete receiver, connected before ours.
    instance._audit_history_id = history_instance.pk


def on_login(sender, request, user, **kwargs):
    from accounts.access import Scope  # access imports audit.log; import here, once per login

    record(Action.LOGIN, user, user=user, scope=Scope.for_user(user), request=request)


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Action.LOGOUT, user, user=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the name typed: never the password (Django already masks it in `credentials`).
    username = str(credentials.get("username", ""))[:150]
    record(
        Action.LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=username,
        extra={"username": username},
        request=request,
    )


def connect():
    _audited.clear()
    _audited.update(project_models())
    # Per model, not for every sender: a post_delete listener on a model makes Django fetch
    # the rows of queryset.delete() before deleting them, which the other models are spared.
    for model in _audited:
        post_save.connect(on_save, sender=model, dispatch_uid=f"audit_save_{model._meta.label}")
        post_delete.connect(
            on_delete, sender=model, dispatch_uid=f"audit_delete_{model._meta.label}"
        )
    post_create_historical_record.connect(on_history, dispatch_uid="audit_on_history")
    user_logged_in.connect(on_login, dispatch_uid="audit_on_login")
    user_logged_out.connect(on_logout, dispatch_uid="audit_on_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_on_login_failed")
