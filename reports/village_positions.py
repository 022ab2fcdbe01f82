"""`village-positions`: party members in the posts of villages and residential groups, as of
the end date (brief §15 seed 000: village heads and Front work-committee heads who are party
members; cell secretaries and deputies who are also village heads or Front heads).

- villages of the communes in the subtree valid on the date; those with a village head
  (trưởng thôn / tổ trưởng tổ dân phố) recorded, a head who is a party member, and the same
  for the head of the Front work committee (trưởng ban công tác Mặt trận);
- residential cells (cell type village or residential group); those with a secretary (and a
  deputy), and those whose secretary (deputy) holds a village head's or a Front head's post.

A holder is a party member when the post names a member in the Party on the date (probationary,
official, exempt or suspended: lifecycle.selectors.with_status_on). Secretaries and deputies are
the users holding the role on the cell on the date whose account is linked to a member:
Chibo keeps no other register of cell officers. Three grouped queries however many children.
"""

from collections import Counter

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, RoleAssignment
from lifecycle.selectors import with_status_on
from members.models import ACTIVE_STATUSES
from organizations.models import (
    CELL_KINDS,
    RESIDENTIAL_CELL_TYPES,
    Organization,
    PostTenure,
    Village,
    VillagePost,
    VillagePostTitle,
    subtree_q,
)
from organizations.selectors import sort_nodes
from reports.periods import Period
from reports.registry import Column, Group, Item, Report, Result, Rollup, active_q, register

HEAD, FRONT = VillagePostTitle.VILLAGE_HEAD, VillagePostTitle.FRONT_HEAD
# (column key, role, title): the officer flags of a residential cell.
OFFICER_KEYS = (
    ("secretary_head", Role.SECRETARY, HEAD),
    ("secretary_front", Role.SECRETARY, FRONT),
    ("deputy_head", Role.DEPUTY, HEAD),
    ("deputy_front", Role.DEPUTY, FRONT),
)


@register
class VillagePositionsReport(Report):
    name = "village-positions"
    title = _("Party members in village posts")
    description = _(
        "Villages whose head or Front work-committee head is a party member, and cell "
        "secretaries and deputies who are also village heads or Front heads, as of the end date."
    )
    chart_column = "head_member"
    columns = [
        Column("villages", _("Villages")),
        Column("head", _("Village head recorded"), of="villages"),
        Column("head_member", _("Village head is a party member"), of="villages"),
        Column("front", _("Front head recorded"), of="villages"),
        Column("front_member", _("Front head is a party member"), of="villages"),
        Column("cells", _("Residential cells")),
        Column("with_secretary", _("Cells with a secretary"), of="cells"),
        Column("secretary_head", _("Secretary is the village head"), of="with_secretary"),
        Column("secretary_front", _("Secretary is the Front head"), of="with_secretary"),
        Column("with_deputy", _("Cells with a deputy secretary"), of="cells"),
        Column("deputy_head", _("Deputy is the village head"), of="with_deputy"),
        Column("deputy_front", _("Deputy is the Front head"), of="with_deputy"),
    ]

    def compute(self, org: Organization, period: Period) -> Result:
        on = period.end
        # 1. The direct children, as objects for names and links.
        children = sort_nodes(
            Organization.objects.filter(active_q(on)).filter(
                subtree_q(org.path), depth=org.depth + 1
            )
        )
        roll = Rollup(org, children)
        posts = VillagePost.objects.active(on)

        # 2. Villages of the communes in the subtree, with their posts on the date.
        def post(title, *, member=False, **kw):
            held = posts.filter(village_id=OuterRef("pk"), title=title, **kw)
            if member:  # held by someone in the Party on the date (exempt members too)
                held = with_status_on(held, on).filter(status_on__in=ACTIVE_STATUSES)
            return Exists(held)

        villages = (
            Village.objects.active(on)
            .filter(subtree_q(org.path, "commune__"))
            .annotate(
                head=post(HEAD),
                head_member=post(HEAD, member=True),
                head_elected=post(HEAD, how=PostTenure.ELECTED),
                front=post(FRONT),
                front_member=post(FRONT, member=True),
            )
            .values_list(
                "commune__path", "head", "head_member", "head_elected", "front", "front_member"
            )
        )
        elected = 0
        for path, head, head_member, head_elected, front, front_member in villages:
            roll.add(path, "villages")
            for key, flag in (
                ("head", head),
                ("head_member", head_member),
                ("front", front),
                ("front_member", front_member),
            ):
                if flag:
                    roll.add(path, key)
            elected += head_elected

        # 3. Residential cells active on the date, with their officers (users with the role on
        # the cell on the date and linked to a member) and the posts those members hold.
        def officer(role, title=None):
            qs = RoleAssignment.objects.active(on).filter(
                organization_id=OuterRef("pk"), role=role, user__member__isnull=False
            )
            if title is not None:
                holders = posts.filter(title=title, member__isnull=False).values("member_id")
                qs = qs.filter(user__member_id__in=holders)
            return Exists(qs)

        cells = (
            Organization.objects.filter(active_q(on))
            .filter(subtree_q(org.path), kind__in=CELL_KINDS, cell_type__in=RESIDENTIAL_CELL_TYPES)
            .annotate(
                with_secretary=officer(Role.SECRETARY),
                with_deputy=officer(Role.DEPUTY),
                **{key: officer(role, title) for key, role, title in OFFICER_KEYS},
            )
            .values_list(
                "path",
                "with_secretary",
                "with_deputy",
                *(key for key, _role, _title in OFFICER_KEYS),
            )
        )
        keys = ("with_secretary", "with_deputy", *(k for k, _r, _t in OFFICER_KEYS))
        for path, *flags in cells:
            roll.add(path, "cells")
            for key, flag in zip(keys, flags, strict=True):
                if flag:
                    roll.add(path, key)

        total, rows = roll.rows(children)
        t = Counter(total.values)
        groups = [
            Group(
                "village_heads",
                _("Village heads (trưởng thôn, tổ trưởng tổ dân phố)"),
                [
                    Item("recorded", _("Recorded"), t["head"], t["villages"]),
                    Item("member", _("Party members"), t["head_member"], t["head"]),
                    Item("elected", _("Elected"), elected, t["head"]),
                    Item("acting", _("Appointed acting"), t["head"] - elected, t["head"]),
                ],
            ),
            Group(
                "front_heads",
                _("Heads of the Front work committee"),
                [
                    Item("recorded", _("Recorded"), t["front"], t["villages"]),
                    Item("member", _("Party members"), t["front_member"], t["front"]),
                ],
            ),
            Group(
                "secretaries",
                _("Secretaries of residential cells"),
                [
                    Item("head", _("Also village head"), t["secretary_head"], t["with_secretary"]),
                    Item("front", _("Also Front head"), t["secretary_front"], t["with_secretary"]),
                ],
            ),
            Group(
                "deputies",
                _("Deputy secretaries of residential cells"),
                [
                    Item("head", _("Also village head"), t["deputy_head"], t["with_deputy"]),
                    Item("front", _("Also Front head"), t["deputy_front"], t["with_deputy"]),
                ],
            ),
        ]
        notes = [
            _(
                "Secretaries and deputies are those with an account in Chibo linked to their "
                "member record: Chibo keeps no other register of cell officers."
            ),
            _(
                "A holder counts as a party member when they were in the Party on the date: "
                "probationary, official, exempt from activities or suspended."
            ),
        ]
        return Result(self, org, period, self.columns, total, rows, groups, notes)
