"""Writing audit entries: one INSERT each, nothing read back.

Who, from where and as what come from the actor of audit.context (the request the
AuditMiddleware is handling, or the user a background job runs for). The role and the
organization are the user's highest role assignment, read from the request's scope, which
every view has already computed (the grants carry the role and the organization's name).
"""

from __future__ import annotations

from audit.context import USER_AGENT_LENGTH, current
from audit.models import Action, AuditEntry
from lib.bulk import insert_same

REPR_LENGTH = 200


def acting_as(scope) -> tuple[str, int | None, str]:
    """(role, organization id, organization name) of the user's highest role assignment."""
    if scope is None:
        return "", None, ""
    if scope.is_admin:
        return "admin", None, ""
    if scope.grants:
        # Highest level first, then the highest organization (the shortest path).
        g = min(scope.grants, key=lambda g: (-g.level, len(g.path), g.path))
        return g.role, g.organization_id, g.organization_name
    if scope.self_member_id:
        return "member", None, ""
    return "", None, ""


def describe(obj) -> tuple[str, str]:
    """(object type, object id): the model label and the public uuid, else the primary key."""
    public = getattr(obj, "uuid", None)
    return obj._meta.label_lower, str(public if public is not None else obj.pk)


def record(
    action: str,
    obj=None,
    *,
    member=None,
    member_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    extra: dict | None = None,
    user=None,
    scope=None,
    request=None,
    dry_run: bool = False,
) -> AuditEntry:
    """Write one entry. Explicit user/scope/request win over the current actor.
    `dry_run` builds the entry without saving it (the template of a bulk write)."""
    actor = current()
    if request is None and actor is not None:
        request = actor.request
    if user is None and actor is not None:
        user = actor.get_user()
    if user is not None and not user.is_authenticated:
        user = None
    if scope is None and actor is not None and user is not None:
        scope = actor.get_scope()
    role, org_id, org_name = acting_as(scope) if user is not None else ("", None, "")
    if obj is not None:
        object_type, object_id = object_type or describe(obj)[0], object_id or describe(obj)[1]
        if member is None and member_id is None and obj._meta.label == "members.Member":
            member_id = obj.pk
    if member is not None:
        member_id = member.pk
    meta = request.META if request is not None else {}
    entry = AuditEntry(
        action=action,
        user_id=user.pk if user is not None else None,
        username=user.get_username() if user is not None else "",
        role=role,
        organization_id=org_id,
        organization_name=org_name[:200],
        object_type=object_type[:100],
        # A requested id is whatever was typed in the address: a NUL byte in it made the
        # refusal's own entry a server error on PostgreSQL (chibo/tests/badinput).
        object_id=str(object_id).replace("\x00", "\ufffd")[:64],
        object_repr=str(object_repr)[:REPR_LENGTH],
        member_id=member_id,
        ip=meta.get("REMOTE_ADDR") or None,
        user_agent=meta.get("HTTP_USER_AGENT", "").replace("\x00", "\ufffd")[:USER_AGENT_LENGTH],
        extra=extra or {},
    )
    if not dry_run:
        entry.save()
    return entry


def record_view(member, what: str = "record", **extra) -> AuditEntry:
    """A member's record (page, API detail, document) was read."""
    return record(
        Action.VIEW,
        member,
        object_repr=member.person.full_name,
        extra={"what": what, **extra},
    )


def record_denied(kind: str, requested, reason: str) -> AuditEntry:
    """An object outside the user's scope (404) or above their level (403) was asked for.
    The user is told nothing more than the 404/403 they get anyway."""
    return record(
        Action.DENIED,
        object_type=kind,
        object_id=str(requested)[:64],
        extra={"reason": reason},
    )


def record_bulk(
    model, action: str, count: int, *, member=None, user=None, **extra
) -> AuditEntry | None:
    """One entry for a bulk write (bulk_create / bulk_update / queryset.update): no signal
    fires for those rows. Nothing is written for an empty batch. `user` when the service is
    told who acts (else the current request's or job's user)."""
    if not count:
        return None
    return record(
        action,
        object_type=model._meta.label_lower,
        member=member,
        user=user,
        extra={"bulk": True, "count": count, **extra},
    )


def record_members_exported(job, member_ids, what: str = "member_list") -> int:
    """One EXPORT entry per member written into a list export, so the export shows in each
    member's "who accessed my record" (one entry per job alone would not). The entries are
    identical but for the member: one prepared INSERT (COPY on PostgreSQL) for them all, as a
    province's export lists tens of thousands of members."""
    if not member_ids:
        return 0
    template = record(
        Action.EXPORT,
        job,
        object_repr=job.get_kind_display(),
        extra={"what": what, "job": str(job.uuid)},
        dry_run=True,
    )
    insert_same(AuditEntry, template, "member_id", list(member_ids))
    return len(member_ids)
