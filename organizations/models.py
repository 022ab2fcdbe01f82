"""The tree of party organizations, the village registry, and structural history.

The tree is stored as a materialized path (django-treebeard MP_Node): a subtree
is one index range scan on `path`, never a recursive query. Every row carries
its province (the top-level organization) so the schema can later be
distributed by province.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from lib.text import normalize_name, search_text, sort_key

# Paths use treebeard's alphabet 0-9A-Z, 4 characters per level. Every path in
# the subtree of P lies in [P, P + "ZZZ…"], a range any btree index can serve
# under any collation (unlike LIKE 'P%' under a non-C PostgreSQL locale).
PATH_MAX = 255


def subtree_range(path: str) -> tuple[str, str]:
    return path, path + "Z" * (PATH_MAX - len(path))


def subtree_q(path: str, prefix: str = "") -> models.Q:
    """Q for "organization (reached through `prefix`) lies in the subtree at path"."""
    low, high = subtree_range(path)
    return models.Q(**{f"{prefix}path__gte": low, f"{prefix}path__lte": high})


class OrgKind(models.TextChoices):
    PROVINCE = "province", _("Provincial party organization")
    PROVINCE_UNIT = "province_unit", _("Party committee directly under the province")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots cell")
    PARTIAL_COMMITTEE = "partial_committee", _("Partial party committee")
    CELL = "cell", _("Affiliated cell")
    PARTY_GROUP = "party_group", _("Party group")


CELL_KINDS = (OrgKind.GRASSROOTS_CELL, OrgKind.CELL)
GRASSROOTS_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)

# Which kinds may sit directly under which (Party Charter arts. 21–24; since
# 1 July 2025 commune committees sit directly under the province).
ALLOWED_CHILDREN = {
    None: {OrgKind.PROVINCE},
    OrgKind.PROVINCE: {
        OrgKind.PROVINCE_UNIT,
        OrgKind.GRASSROOTS_COMMITTEE,
        OrgKind.GRASSROOTS_CELL,
    },
    OrgKind.PROVINCE_UNIT: {
        OrgKind.PROVINCE_UNIT,
        OrgKind.GRASSROOTS_COMMITTEE,
        OrgKind.GRASSROOTS_CELL,
    },
    OrgKind.GRASSROOTS_COMMITTEE: {OrgKind.PARTIAL_COMMITTEE, OrgKind.CELL},
    OrgKind.PARTIAL_COMMITTEE: {OrgKind.CELL},
    OrgKind.GRASSROOTS_CELL: {OrgKind.PARTY_GROUP},
    OrgKind.CELL: {OrgKind.PARTY_GROUP},
    OrgKind.PARTY_GROUP: set(),
}


class CellType(models.TextChoices):
    VILLAGE = "village", _("Village")
    RESIDENTIAL = "residential", _("Residential group")
    AGENCY = "agency", _("Government agency")
    PUBLIC_SERVICE = "public_service", _("Public-service unit")
    SCHOOL = "school", _("School")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Non-state enterprise")
    ARMY = "army", _("Army")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other")


RESIDENTIAL_CELL_TYPES = (CellType.VILLAGE, CellType.RESIDENTIAL)


class OrganizationQuerySet(MP_NodeQuerySet):
    def active(self, on=None):
        if on is None:
            return self.filter(dissolved_on__isnull=True)
        return self.filter(
            models.Q(founded_on__isnull=True) | models.Q(founded_on__lte=on),
            models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__gt=on),
        )

    def subtree(self, org: "Organization"):
        return self.filter(subtree_q(org.path))

    def cells(self):
        return self.filter(kind__in=CELL_KINDS)


class Organization(MP_Node):
    """A node of the party tree: a province, a committee, a cell or a party group."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=OrgKind.choices)
    cell_type = models.CharField(
        _("cell type"), max_length=24, choices=CellType.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"), max_length=32, help_text=_("Unique within the province, e.g. 01.02.003")
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolution_reason = models.CharField(_("reason"), max_length=300, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )
    search_text = models.CharField(max_length=300, editable=False, default="")
    sort_key = models.CharField(max_length=250, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["path", "depth", "numchild", "search_text", "sort_key", "updated_at"]
    )
    objects = MP_NodeManager.from_queryset(OrganizationQuerySet)()

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "code"], name="org_code_unique_in_province"
            ),
            models.CheckConstraint(
                condition=models.Q(dissolved_on__isnull=True)
                | models.Q(founded_on__isnull=True)
                | models.Q(dissolved_on__gte=models.F("founded_on")),
                name="org_dissolved_after_founded",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "kind"], name="org_province_kind"),
            models.Index(fields=["province", "search_text"], name="org_province_search"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        self.code = (self.code or "").strip()
        self.search_text = search_text(self.name, self.code)
        self.sort_key = sort_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.uuid])

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    @property
    def holds_members(self) -> bool:
        """Members belong to cells; committees hold them only through their cells."""
        return self.is_cell

    # Tree navigation by path (treebeard 7 deprecates its node methods): one query each.
    def parent_org(self) -> "Organization | None":
        if self.depth <= 1:
            return None
        return Organization.objects.filter(path=self.path[: -self.steplen]).first()

    def child_orgs(self):
        return Organization.objects.filter(subtree_q(self.path), depth=self.depth + 1)

    def allowed_child_kinds(self):
        return ALLOWED_CHILDREN[self.kind]

    def clean(self):
        parent = self.parent_org() if self.pk and self.depth > 1 else getattr(self, "_parent", None)
        parent_kind = parent.kind if parent else None
        if self.kind and self.kind not in ALLOWED_CHILDREN[parent_kind]:
            raise ValidationError(
                {
                    "kind": _("A %(kind)s cannot be placed directly under %(parent)s.")
                    % {
                        "kind": self.get_kind_display(),
                        "parent": parent.name if parent else _("the top of the tree"),
                    }
                }
            )
        if self.is_cell and not self.cell_type:
            raise ValidationError({"cell_type": _("Choose the cell type.")})


class VillageKind(models.TextChoices):
    THON = "thon", _("Village (thôn)")
    BAN = "ban", _("Hamlet (bản)")
    AP = "ap", _("Hamlet (ấp)")
    LANG = "lang", _("Village (làng)")
    BUON = "buon", _("Village (buôn)")
    TO_DAN_PHO = "to_dan_pho", _("Residential group (tổ dân phố)")
    KHU_PHO = "khu_pho", _("Quarter (khu phố)")
    KHOI = "khoi", _("Block (khối)")


class PeriodQuerySet(models.QuerySet):
    """Rows valid between valid_from and valid_to (both inclusive, open when empty)."""

    def active(self, on=None):
        if on is None:
            return self.filter(valid_to__isnull=True)
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
        )


class Village(models.Model):
    """A village or residential group: an administrative unit below the commune."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="villages",
        verbose_name=_("commune party committee"),
        help_text=_("The commune/ward party committee whose territory includes it."),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=VillageKind.choices)
    code = models.CharField(_("code"), max_length=32)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Set when the village is merged or abolished."),
    )
    search_text = models.CharField(max_length=300, editable=False, default="")
    sort_key = models.CharField(max_length=250, editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text", "sort_key"])
    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("village / residential group")
        verbose_name_plural = _("villages / residential groups")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "code"], name="village_code_unique_in_province"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.commune.name})" if self.commune_id else self.name

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        self.search_text = search_text(self.name, self.code)
        self.sort_key = sort_key(self.name)
        super().save(*args, **kwargs)


class CellVillage(models.Model):
    """A cell covers a village for a period. Several villages → a combined cell
    (chi bộ sinh hoạt ghép); links are closed, never deleted, when things change."""

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="village_links"
    )
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="cell_links")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    history = HistoricalRecords()
    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("village covered by a cell")
        indexes = [models.Index(fields=["village", "valid_to"], name="cellvillage_village")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="cellvillage_period_order",
            ),
        ]

    def __str__(self):
        return (
            f"{self.organization_id} → {self.village_id} ({self.valid_from}–{self.valid_to or ''})"
        )


class OrgEventKind(models.TextChoices):
    CREATED = "created", _("Founded")
    RENAMED = "renamed", _("Renamed")
    MOVED = "moved", _("Moved under another organization")
    SPLIT = "split", _("Split")
    MERGED = "merged", _("Merged")
    DISSOLVED = "dissolved", _("Dissolved")
    VILLAGES = "villages", _("Villages changed")


class OrgEvent(models.Model):
    """One structural change, kept forever: the tree shows today, events show how it got so."""

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("change"), max_length=16, choices=OrgEventKind.choices)
    effective_on = models.DateField(_("effective on"))
    decision = models.CharField(_("decision"), max_length=120, blank=True)
    # Names and paths as they were, so history reads right after later renames.
    data = models.JSONField(default=dict, blank=True)
    related = models.ManyToManyField(Organization, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["organization", "effective_on"], name="orgevent_org")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.organization} {self.effective_on}"


class VillagePostTitle(models.TextChoices):
    VILLAGE_HEAD = "village_head", _("Village head / residential group head")
    FRONT_HEAD = "front_head", _("Head of the Front work committee")


class PostTenure(models.TextChoices):
    ELECTED = "elected", _("Elected")
    ACTING = "acting", _("Appointed acting (election pending)")


class VillagePost(models.Model):
    """Who holds a post of a village for a period: the village head (trưởng thôn / tổ trưởng
    tổ dân phố) or the head of its Front work committee (trưởng ban công tác Mặt trận).

    The holder is a party member (`member`) or, when they are not one, a name. One holder of
    a title per village at a time; a post is ended, never deleted, so past holders remain."""

    # Follows the village's commune when it moves to another province (organizations.services).
    TENANT_PATH = "village__commune__"

    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="posts", verbose_name=_("village")
    )
    title = models.CharField(_("position"), max_length=16, choices=VillagePostTitle.choices)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="village_posts",
        verbose_name=_("party member"),
    )
    holder_name = models.CharField(
        _("holder"),
        max_length=120,
        blank=True,
        help_text=_("The holder's full name when they are not a party member."),
    )
    how = models.CharField(
        _("took office"), max_length=8, choices=PostTenure.choices, default=PostTenure.ELECTED
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("village post")
        verbose_name_plural = _("village posts")
        ordering = ["title", "-valid_from", "-id"]
        indexes = [
            models.Index(fields=["village", "title", "valid_to"], name="villagepost_village"),
            models.Index(fields=["member", "valid_to"], name="villagepost_member"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="villagepost_period_order",
            ),
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | ~models.Q(holder_name=""),
                name="villagepost_has_holder",
            ),
        ]

    def __str__(self):
        return f"{self.get_title_display()} {self.village_id}: {self.holder_name}"

    def save(self, *args, **kwargs):
        self.province_id = self.village.province_id
        if self.member_id is not None:
            self.holder_name = self.member.person.full_name
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def overlapping(self):
        """Other holders of the same title in this village whose period meets this one."""
        qs = VillagePost.objects.filter(village_id=self.village_id, title=self.title).exclude(
            pk=self.pk
        )
        qs = qs.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from))
        if self.valid_to is not None:
            qs = qs.filter(valid_from__lte=self.valid_to)
        return qs

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end date is before the start date.")
        if self.member_id is None and not self.holder_name.strip():
            errors["holder_name"] = _("Choose a party member or write the holder's name.")
        if self.member_id is not None and not self.member.is_active:
            errors["member"] = _("%(name)s is no longer an active party member.") % {
                "name": self.member.person.full_name
            }
        if errors:
            raise ValidationError(errors)
        clash = self.overlapping().first() if self.village_id and self.valid_from else None
        if clash is not None:
            raise ValidationError(
                _(
                    "%(holder)s holds this post from %(start)s to %(end)s: periods of one post "
                    "cannot overlap."
                )
                % {
                    "holder": clash.holder_name,
                    "start": clash.valid_from.strftime("%d/%m/%Y"),
                    "end": clash.valid_to.strftime("%d/%m/%Y") if clash.valid_to else "…",
                }
            )
