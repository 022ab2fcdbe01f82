"""Who the caller is: their account, roles and own member record."""

from django.utils import timezone
from ninja import Router

from accounts.models import RoleAssignment
from api.auth import scope_of
from api.schemas import Error, MeOut

router = Router(tags=["me"])


@router.get(
    "/me",
    response={200: MeOut, 401: Error},
    operation_id="get_me",
    summary="The calling user",
    description=(
        "Username, name, every role assignment (with its organization and period, and "
        "whether it is in force today) and the user's own party member record, if linked."
    ),
)
def me(request):
    user = request.user
    today = timezone.localdate()
    roles = (
        RoleAssignment.objects.filter(user=user)
        .select_related("organization")
        .order_by("-valid_from", "pk")
    )
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "member": user.member.uuid if user.member_id else None,
        "is_admin": scope_of(request).is_admin,
        "roles": [
            {
                "role": r.role,
                "role_label": r.get_role_display(),
                "organization": r.organization.uuid if r.organization_id else None,
                "organization_name": r.organization.name if r.organization_id else "",
                "valid_from": r.valid_from,
                "valid_to": r.valid_to,
                "active": r.valid_from <= today and (r.valid_to is None or r.valid_to >= today),
            }
            for r in roles
        ],
    }
