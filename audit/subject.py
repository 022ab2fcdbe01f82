"""Data-subject request (goal S12): everything stored about one person, and who accessed it.

The rows are found generically from the model metadata: every relation pointing at the member,
at their person row and (rows that are the account's own) at their user account, hidden ones
included, so django-simple-history's tables and any model added later come along without a
change here. Rows that exist only because of the person (their foreign key to them is
required: a candidacy, a residence liaison) bring their own related rows one level further
(the introducers and votes of the candidacy, the annual comments of the liaison).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid as uuid_lib
import zipfile
from decimal import Decimal

from django.db.models.fields.files import FieldFile
from django.utils import timezone
from simple_history.models import HistoricalChanges

from audit.models import AuditEntry

FORMAT = "chibo-subject-export/1"
# Never exported: secrets, and derived columns that only repeat the name.
SECRET_FIELDS = {"password", "token_hash", "search_text", "sort_key"}
ACCOUNT_FIELDS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "last_login",
    "date_joined",
    "member_id",
)


def value(v):
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, Decimal | uuid_lib.UUID):
        return str(v)
    if isinstance(v, FieldFile):
        return v.name or ""
    if isinstance(v, bytes | memoryview):
        return None
    return v


def row(obj, fields=None) -> dict:
    names = fields or [f.attname for f in obj._meta.concrete_fields if f.name not in SECRET_FIELDS]
    return {n: value(getattr(obj, n)) for n in names}


def reverse_relations(model) -> list:
    """Relations from other models to `model`, hidden ones (history tables, related_name "+")
    included; the audit log is exported on its own."""
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.auto_created
        and not rel.concrete
        and (rel.one_to_many or rel.one_to_one or rel.many_to_many)
        and rel.related_model is not AuditEntry
    ]


def rows_pointing_at(obj, rel):
    return rel.related_model._default_manager.filter(**{rel.field.name: obj}).order_by("pk")


def _owned(rel) -> bool:
    """A row that cannot exist without the person (required key to them, not a history row)."""
    return (
        not rel.field.many_to_many
        and not rel.field.null
        and not issubclass(rel.related_model, HistoricalChanges)
    )


def collect(member) -> dict[str, list[dict]]:
    """Rows about the member, keyed by model label; every related model has its key."""
    from accounts.models import User

    records: dict[str, list[dict]] = {}
    seen: set[tuple[str, object]] = set()

    def add(label, obj):
        if (label, obj.pk) in seen:
            return False
        seen.add((label, obj.pk))
        records.setdefault(label, []).append(row(obj))
        return True

    def walk(obj, relations, depth):
        for rel in relations:
            label = rel.related_model._meta.label
            records.setdefault(label, [])
            if label in ("accounts.User", "members.Member", "members.Person"):
                continue  # exported on their own (the account without its password)
            for found in rows_pointing_at(obj, rel):
                if add(label, found) and depth < 1 and _owned(rel):
                    walk(found, reverse_relations(type(found)), depth + 1)

    roots = [member.person, member]
    for root in roots:
        walk(root, reverse_relations(type(root)), 0)
        history = getattr(type(root), "history", None)
        if history is not None:  # the root's own history rows (their key is a plain column)
            label = history.model._meta.label
            for h in history.filter(id=root.pk).order_by("history_id"):
                add(label, h)
    user = User.objects.filter(member=member).first()
    if user is not None:
        # Rows that are the account's own (role assignments, tokens, jobs), not the rows its
        # holder recorded about others.
        own = [r for r in reverse_relations(User) if r.field.name == "user"]
        walk(user, own, 1)
    for rows in records.values():
        rows.sort(key=lambda r: str(r.get("id") or r.get("history_id") or ""))
    return records


def access_log(member) -> list[dict]:
    fields = ("created_at", "username", "role", "organization_name", "action", "object_type")
    out = []
    for e in AuditEntry.objects.filter(member_id=member.pk).order_by("id"):
        item = {f: value(getattr(e, f)) for f in fields}
        item["what"] = e.extra.get("what", "")
        out.append(item)
    return out


def document(member) -> dict:
    """The whole export as one JSON-ready dict."""
    from accounts.models import User

    user = User.objects.filter(member=member).first()
    return {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "member_uuid": str(member.uuid),
        "person": row(member.person),
        "member": row(member),
        "account": row(user, ACCOUNT_FIELDS) if user is not None else None,
        "records": collect(member),
        "access_log": access_log(member),
        "account_activity": [
            {"created_at": value(e.created_at), "action": e.action, "ip": e.ip}
            for e in AuditEntry.objects.filter(user_id=user.pk).order_by("id")
        ]
        if user is not None
        else [],
    }


def to_json(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode()


def to_zip(doc: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("subject.json", to_json(doc))
    return buf.getvalue()


def find_member(key: str):
    """A member by uuid or by citizen ID number (unique within a province: an ID found in two
    provinces is ambiguous, and the uuid must be used)."""
    from members.models import Member

    key = key.strip()
    try:
        return Member.objects.select_related("person").get(uuid=uuid_lib.UUID(key))
    except (ValueError, Member.DoesNotExist):
        pass
    found = list(Member.objects.select_related("person").filter(person__citizen_id=key)[:2])
    if len(found) == 1:
        return found[0]
    if found:
        raise Member.MultipleObjectsReturned(key)
    raise Member.DoesNotExist(key)
