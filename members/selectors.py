"""The filtered member list, shared by the page, the export and the API."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from lib.text import search_terms
from lib.validators import mask_citizen_id
from lib.vn import KINH
from members.forms import age_band_bounds
from members.models import ACTIVE_STATUSES, Member, MemberStatus, Sex
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
    return qs.order_by("sort_key", "pk")  # the member row's copy: one index walk


LIST_FIELDS = (
    "uuid",
    "status",
    "person__full_name",
    "person__birth_date",
    "person__sex",
    "person__citizen_id",
    "organization__name",
)


@dataclass(slots=True)
class MemberRow:
    """One line of the member list, read as values: building 150 model instances (member,
    person, cell) for a 50-row page cost ten times the query itself (P6)."""

    uuid: object
    status: str
    full_name: str
    birth_date: date | None
    sex: str
    citizen_id: str
    cell_name: str

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.uuid])

    def get_status_display(self):
        return MemberStatus(self.status).label if self.status in MemberStatus.values else ""

    def get_sex_display(self):
        return Sex(self.sex).label if self.sex in Sex.values else self.sex

    @property
    def masked_citizen_id(self):
        return mask_citizen_id(self.citizen_id)


def list_rows(qs: QuerySet[Member]):
    """The list's columns as values (paginate this, then pass the page to `to_rows`)."""
    return qs.values_list(*LIST_FIELDS)


def to_rows(values) -> list[MemberRow]:
    return [MemberRow(*v) for v in values]
