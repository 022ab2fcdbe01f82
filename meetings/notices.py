"""Notices and reminders by e-mail to the cell's members and the upper-level cadre following the cell.

Sent in the site's language with Django's mail (console backend in development).
Every sending is recorded as a Notice row: the evidence that members were told.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from meetings import services
from meetings.models import Meeting, MeetingStatus, Notice, NoticeKind, SupervisorAssignment
from members.models import ACTIVE_STATUSES, Member, Membership

SITE_URL = getattr(settings, "CHIBO_SITE_URL", "http://127.0.0.1:8000")


def recipients(meeting: Meeting) -> tuple[list, list[str]]:
    """(users to e-mail, names of people who have no e-mail address)."""
    day = meeting.local_date
    member_ids = list(
        Membership.objects.on(day)
        .filter(organization_id=meeting.organization_id, member__status__in=ACTIVE_STATUSES)
        .values_list("member_id", flat=True)
    )
    users = list(
        get_user_model()
        .objects.filter(member_id__in=member_ids, is_active=True)
        .select_related("member__person")
    )
    supervisors = SupervisorAssignment.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        organization_id=meeting.organization_id,
        valid_from__lte=day,
    ).values_list("user_id", flat=True)
    users += list(
        get_user_model()
        .objects.filter(pk__in=supervisors, is_active=True)
        .exclude(pk__in=[u.pk for u in users])
    )
    with_email = [u for u in users if u.email]
    without = sorted({u.display_name() for u in users if not u.email})

    covered = {u.member_id for u in users}
    without += sorted(
        Member.objects.filter(pk__in=member_ids)
        .exclude(pk__in=covered)
        .values_list("person__full_name", flat=True)
    )
    return with_email, without


def _send(meeting: Meeting, kind: str, user=None) -> Notice:
    to, without = recipients(meeting)
    with translation.override(settings.LANGUAGE_CODE):
        ctx = {
            "meeting": meeting,
            "cell": meeting.organization,
            "kind": kind,
            "url": SITE_URL + meeting.get_absolute_url(),
            "when": timezone.localtime(meeting.scheduled_at),
            "agenda": list(meeting.agenda.all()),
            "documents": list(meeting.documents.all()),
        }
        subject = render_to_string("emails/meeting-notice-subject.txt", ctx).strip()
        body = render_to_string("emails/meeting-notice-body.txt", ctx)
    send_mass_mail([(subject, body, None, [u.email]) for u in to], fail_silently=False)
    return Notice.objects.create(
        province_id=meeting.province_id,
        meeting=meeting,
        kind=kind,
        sent_by=user,
        recipients=[u.email for u in to],
        without_email=without,
    )


def send_notice(meeting: Meeting, user=None) -> Notice:
    """The notice: e-mail everyone, then mark the meeting notice-sent (the service checks the state)."""
    services.mark_notice_sent(meeting, user=user)
    return _send(meeting, NoticeKind.NOTICE, user)


def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind of meetings starting in the next 24 hours, once each (run hourly by cron)."""
    now = now or timezone.now()
    due = (
        Meeting.objects.filter(
            status__in=(MeetingStatus.NOTICE_SENT, MeetingStatus.PREPARED),
            scheduled_at__gt=now,
            scheduled_at__lte=now + dt.timedelta(hours=24),
        )
        .exclude(notices__kind=NoticeKind.REMINDER)
        .select_related("organization")
    )
    n = 0
    for meeting in due:
        _send(meeting, NoticeKind.REMINDER)
        n += 1
    return n
