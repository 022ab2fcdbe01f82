"""Reading the audit trail: a person's accesses, and the filtered log of a subtree."""

import datetime as dt

from django.utils import timezone

from audit.models import ACCESS_ACTIONS, AuditEntry


def accesses_to(member):
    """Who read, exported or changed this member's record (newest first)."""
    return AuditEntry.objects.filter(member_id=member.pk, action__in=ACCESS_ACTIONS)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_entries(qs, data: dict):
    """The log filtered by the staff page's form (user name, action, local date range)."""
    if data.get("user"):
        qs = qs.filter(username=data["user"].strip())
    if data.get("action"):
        qs = qs.filter(action=data["action"])
    if data.get("date_from"):
        qs = qs.filter(created_at__gte=_start_of(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(created_at__lt=_start_of(data["date_to"] + dt.timedelta(days=1)))
    return qs
