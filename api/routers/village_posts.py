"""Village posts (chức danh ở thôn): who is the village head and the head of the Front work
committee of a village, now and before. Reading follows the village page's visibility (the
communes in the caller's scope); recording a holder needs manage_structure on the village's
commune, like editing the village. The rules are organizations/village_posts.py's: a refused
body is a 422 with the reason and writes nothing.
"""

import datetime as dt
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from accounts.access import Cap
from api.auth import scope_of
from api.errors import ApiValidationError, django_items
from api.schemas import DATE, OPTIONAL_DATE, Error, Text, ValidationErrors
from members.models import MemberStatus
from organizations import village_posts
from organizations.models import PostTenure, Village, VillagePostTitle

router = Router(tags=["villages"])

READ_ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
PARTY_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)


class VillagePostOut(Schema):
    id: int
    title: VillagePostTitle = Field(
        description="village_head (trưởng thôn / tổ trưởng tổ dân phố) or front_head "
        "(trưởng Ban công tác Mặt trận)."
    )
    holder_name: str
    member: UUID | None = Field(description="The holder's member record, null for a non-member.")
    party_member: bool = Field(description="The holder is a probationary or official member.")
    how: PostTenure
    valid_from: dt.date = Field(description=DATE)
    valid_to: dt.date | None = Field(description="The last day in the post. " + OPTIONAL_DATE)


class VillagePostIn(Schema):
    title: VillagePostTitle
    member: UUID | None = Field(
        None,
        description="An active member of the commune's cells or living in the village, within "
        "the caller's scope. Give either member or holder_name.",
    )
    holder_name: Text(120) = Field("", description="The holder's name when not a party member.")
    how: PostTenure = PostTenure.ELECTED
    valid_from: dt.date = Field(
        description="The first day in the post; the current holder leaves it the day before. "
        + DATE
    )


def _village(scope, village_uuid: UUID, write: bool = False) -> Village:
    try:
        village = (
            Village.objects.filter(commune__in=scope.organizations())
            .select_related("commune")
            .get(uuid=village_uuid)
        )
    except Village.DoesNotExist as e:
        raise Http404 from e
    if write and not scope.can(Cap.MANAGE_STRUCTURE, village.commune):
        raise PermissionDenied
    return village


def _out(post) -> dict:
    return {
        "id": post.pk,
        "title": post.title,
        "holder_name": post.holder_name,
        "member": post.member.uuid if post.member else None,
        "party_member": bool(post.member and post.member.status in PARTY_STATUSES),
        "how": post.how,
        "valid_from": post.valid_from,
        "valid_to": post.valid_to,
    }


@router.get(
    "/villages/{village_uuid}/posts",
    response={200: list[VillagePostOut], **READ_ERRORS},
    operation_id="list_village_posts",
    summary="List a village's posts, current and past",
    description="The village heads and Front work-committee heads of the village, current "
    "ones first for each post, then the past holders, latest first.",
)
def list_village_posts(request, village_uuid: UUID):
    village = _village(scope_of(request), village_uuid)
    posts = village.posts.select_related("member").order_by("title", "-valid_from", "-pk")
    return [_out(p) for p in posts]


@router.post(
    "/villages/{village_uuid}/posts",
    response={201: VillagePostOut, **WRITE_ERRORS},
    operation_id="record_village_post",
    summary="Record a new holder of a village post",
    description="A party member (member) or a non-member (holder_name) holds the post from "
    "valid_from; the current holder, if they took office earlier, leaves it the day before. "
    "Overlapping periods, an inactive member or one outside the commune are a 422.",
)
def record_village_post(request, village_uuid: UUID, payload: VillagePostIn):
    scope = scope_of(request)
    village = _village(scope, village_uuid, write=True)
    member = None
    if payload.member and payload.holder_name:
        raise ApiValidationError(
            django_items(
                ValidationError(
                    {"holder_name": _("Choose a party member or write a name, not both.")}
                )
            )
        )
    if payload.member:
        member = (
            village_posts.eligible_members(village)
            .filter(pk__in=scope.members().values("pk"))
            .select_related("person")
            .filter(uuid=payload.member)
            .first()
        )
        if member is None:
            raise ApiValidationError(
                django_items(
                    ValidationError(
                        {
                            "member": _(
                                "Not an active party member of the commune or living in the "
                                "village."
                            )
                        }
                    )
                )
            )
    try:
        post = village_posts.record_holder(
            village,
            payload.title,
            payload.valid_from,
            member=member,
            holder_name=payload.holder_name,
            how=payload.how,
        )
    except ValidationError as e:
        raise ApiValidationError(django_items(e, default_field="valid_from")) from e
    return Status(201, _out(post))
