"""The filtered member list, shared by the page, the export and the API."""

from django.db.models import QuerySet
from django.utils import timezone

from lib.text import search_terms
from lib.vn import KINH
from members.forms import age_band_bounds
from members.models import ACTIVE_STATUSES, Member
from organizations.models import Organization, subtree_q


def filter_members(scope, data: dict, org: Organization | None = None) -> QuerySet[Member]:
    """Members in the user's scope matching cleaned filter `data` (MemberFilterForm)."""
    qs = scope.members()
    if org is not None:
        qs = qs.filter(subtree_q(org.path, "organization__"))
    status = data.get("status") or "active"
    if status == "active":
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    elif status != "all":
        qs = qs.filter(status=status)
    for term in search_terms(data.get("q") or ""):
        qs = qs.filter(person__search_text__contains=term)
    if data.get("cell_type"):
        qs = qs.filter(organization__cell_type=data["cell_type"])
    if data.get("sex"):
        qs = qs.filter(person__sex=data["sex"])
    eth = data.get("ethnicity")
    if eth == "minority":
        qs = qs.exclude(person__ethnicity=KINH)
    elif eth:
        qs = qs.filter(person__ethnicity=eth)
    if data.get("age"):
        born_after, born_before = age_band_bounds(data["age"], timezone.localdate())
        if born_after:
            qs = qs.filter(person__birth_date__gt=born_after)
        if born_before:
            qs = qs.filter(person__birth_date__lte=born_before)
    if data.get("youth_union") in ("0", "1"):
        qs = qs.filter(person__youth_union=data["youth_union"] == "1")
    return qs.order_by("person__sort_key", "pk")
