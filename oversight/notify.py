"""Telling people about visits, by e-mail in the site's language (console backend in development).

* A visit is planned (or cancelled): the cell's secretary and deputy, so the cell expects its
  guest (12-HD: the upper-level member following the cell is notified of the meeting).
* A report is filed: the cell's secretary and deputy, and the organization-board staff of the
  nearest committee above the cell that has any.

The visitor themself is never e-mailed. Each sending is kept as a VisitNotice row (who was told,
who has no address); `emailed_at` stays empty when nobody has an address or the mail failed.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import CELL_ROLES, Role, RoleAssignment
from meetings.followers import committee_paths
from oversight.models import Visit, VisitNotice, VisitNoticeKind

SITE_URL = getattr(settings, "CHIBO_SITE_URL", "http://127.0.0.1:8000")
log = logging.getLogger(__name__)


def recipients(visit: Visit, kind: str) -> tuple[list, list[str]]:
    """(users to e-mail, names of those who have no e-mail address)."""
    roles = RoleAssignment.objects.active().filter(
        organization_id=visit.cell_id, role__in=CELL_ROLES
    )
    user_ids = set(roles.values_list("user_id", flat=True))
    if kind == VisitNoticeKind.REPORTED:
        staff = list(
            RoleAssignment.objects.active()
            .filter(organization__path__in=committee_paths(visit.cell), role=Role.ORG_STAFF)
            .values_list("user_id", "organization__path")
        )
        if staff:
            nearest = max(path for _u, path in staff)  # the deepest committee with staff
            user_ids |= {u for u, path in staff if path == nearest}
    user_ids.discard(visit.visitor_id)
    users = list(
        get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")
    )
    return [u for u in users if u.email], sorted(u.display_name() for u in users if not u.email)


def send(visit: Visit, kind: str) -> VisitNotice:
    to, without = recipients(visit, kind)
    with translation.override(settings.LANGUAGE_CODE):
        ctx = {
            "visit": visit,
            "kind": kind,
            "cell": visit.cell,
            "meeting": visit.meeting,
            "visitor": visit.visitor.display_name(),
            "url": SITE_URL + visit.get_absolute_url(),
        }
        subject = render_to_string("emails/visit-notice-subject.txt", ctx).strip()
        body = render_to_string("emails/visit-notice-body.txt", ctx)
    notice = VisitNotice(
        province_id=visit.province_id,
        visit=visit,
        kind=kind,
        recipients=[u.email for u in to],
        without_email=without,
    )
    if to:
        try:
            send_mass_mail([(subject, body, None, [u.email]) for u in to], fail_silently=False)
        except OSError:
            log.exception("visit %s: the %s e-mail failed", visit.pk, kind)
        else:
            notice.emailed_at = timezone.now()
    notice.save()
    return notice


def visit_planned(visit: Visit) -> VisitNotice:
    return send(visit, VisitNoticeKind.PLANNED)


def visit_reported(visit: Visit) -> VisitNotice:
    return send(visit, VisitNoticeKind.REPORTED)


def visit_cancelled(visit: Visit) -> VisitNotice:
    return send(visit, VisitNoticeKind.CANCELLED)
