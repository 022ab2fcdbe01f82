"""Telling the other side of a liaison that it ended (the member moved, changed job, left the
Party…), as seed 004 describes: the LiaisonNotice row is the evidence, the e-mail goes to the
other side's staff (console backend in development), in the site's language.

Recipients: organization-board staff of the receiving committee, and the secretary and deputy
of the cell concerned on that side (the residence cell, or the workplace cell).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import CELL_ROLES, Role, RoleAssignment
from liaison.models import LiaisonNotice

SITE_URL = getattr(settings, "CHIBO_SITE_URL", "http://127.0.0.1:8000")
log = logging.getLogger(__name__)


def recipients(notice: LiaisonNotice) -> tuple[list, list[str]]:
    """(users to e-mail, names of those who have no e-mail address)."""
    liaison = notice.liaison
    to_residence = notice.to_org_id == liaison.residence_commune_id
    cell_id = liaison.residence_cell_id if to_residence else liaison.workplace_cell_id
    roles = RoleAssignment.objects.active().filter(
        Q(organization_id=notice.to_org_id, role=Role.ORG_STAFF)
        | Q(organization_id=cell_id, role__in=CELL_ROLES)
    )
    users = list(
        get_user_model()
        .objects.filter(pk__in=roles.values("user_id"), is_active=True)
        .order_by("username")
    )
    return [u for u in users if u.email], sorted(u.display_name() for u in users if not u.email)


def send(notice: LiaisonNotice) -> LiaisonNotice:
    """E-mail the notice; emailed_at stays empty when nobody has an address or the mail
    failed (logged): the change itself is already recorded."""
    to, without = recipients(notice)
    liaison = notice.liaison
    with translation.override(settings.LANGUAGE_CODE):
        ctx = {
            "notice": notice,
            "liaison": liaison,
            "member": liaison.member.person.full_name,
            "url": SITE_URL + liaison.get_absolute_url(),
        }
        subject = render_to_string("emails/liaison-notice-subject.txt", ctx).strip()
        body = render_to_string("emails/liaison-notice-body.txt", ctx)
    notice.recipients = [u.email for u in to]
    notice.without_email = without
    if to:
        try:
            send_mass_mail([(subject, body, None, [u.email]) for u in to], fail_silently=False)
        except OSError:
            log.exception("liaison notice %s: e-mail failed", notice.pk)
        else:
            notice.emailed_at = timezone.now()
    notice.save(update_fields=["recipients", "without_email", "emailed_at"])
    return notice
