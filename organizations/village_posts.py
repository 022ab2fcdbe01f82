"""Village posts held by party members and others: record a new holder, end a post.

Each function validates everything first and writes in one transaction; a ValidationError
carries a message the user can act on and nothing is written when one is raised.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from members.models import Member
from organizations.models import PostTenure, Village, VillagePost, subtree_q


def eligible_members(village: Village):
    """Active members who may hold a post of the village: those whose home cell lies in the
    village's commune, and those who live in the village."""
    return Member.objects.active().filter(
        subtree_q(village.commune.path, "organization__")
        | Q(person__residence_village_id=village.pk)
    )


def _lock(village: Village) -> Village:
    # Serializes two staff recording a holder of the same village at once.
    return Village.objects.select_for_update().get(pk=village.pk)


@transaction.atomic
def record_holder(
    village: Village,
    title: str,
    valid_from: dt.date,
    *,
    member: Member | None = None,
    holder_name: str = "",
    how: str = PostTenure.ELECTED,
) -> VillagePost:
    """A new holder of `title` in the village from `valid_from`. The current holder, when
    they took office before that day, is ended the day before; any other overlap is refused."""
    village = _lock(village)
    if member is not None and not eligible_members(village).filter(pk=member.pk).exists():
        raise ValidationError(
            {
                "member": _(
                    "%(name)s is not an active party member of %(commune)s or living in the "
                    "village."
                )
                % {"name": member.person.full_name, "commune": village.commune.name}
            }
        )
    post = VillagePost(
        village=village,
        title=title,
        member=member,
        holder_name="" if member else holder_name.strip(),
        how=how,
        valid_from=valid_from,
    )
    current = (
        VillagePost.objects.filter(
            village=village, title=title, valid_to__isnull=True, valid_from__lt=valid_from
        )
        .order_by("-valid_from")
        .first()
    )
    if current is not None:
        current.valid_to = valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    # Any other overlap is refused here, and the transaction undoes the ending above.
    post.full_clean(exclude=["province"])
    post.save()
    return post


@transaction.atomic
def end_post(post: VillagePost, on: dt.date) -> VillagePost:
    """The holder leaves the post on `on` (the last day they hold it)."""
    post = VillagePost.objects.select_for_update().get(pk=post.pk)
    if post.valid_to is not None:
        raise ValidationError(_("This post has already ended."))
    if on < post.valid_from:
        raise ValidationError(
            {
                "valid_to": _("The post cannot end before it started (%(start)s).")
                % {"start": post.valid_from.strftime("%d/%m/%Y")}
            }
        )
    post.valid_to = on
    post.save(update_fields=["valid_to"])
    return post
