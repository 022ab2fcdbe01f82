"""The demo's village posts: every village gets a head (trưởng thôn / tổ trưởng tổ dân phố) and
a head of its Front work committee, in the proportions of brief §15 seed 000.

- about 97 % of the holders are party members of the cells covering the village (118/120)
  (of a village no cell covers: a member living there, else one of the commune's); the rest
  are non-members, by name;
- where a cell's secretary or deputy has an account linked to their member record they hold
  posts of the cell's villages in the seed's proportions: secretaries 21/120 village head,
  47/120 Front head; deputies 78/120 village head, 28/120 Front head. The demo cell's `bithu`
  heads the Front committee and `phobithu` the village, so the demo logins see it;
- secretaries created by demo/oversight.py (`bt<code>`, the member who chaired most meetings)
  are linked to that member so the report can count them;
- 107/120 heads were elected, the rest (at least one) appointed acting; about one post in six has a past
  holder, so the village page shows a history.

Bulk-inserted in a handful of queries, deterministic from the seed.
"""

import datetime as dt
import random
from collections import defaultdict

from accounts.models import Role, RoleAssignment, User
from demo import names
from demo.structure import REF
from members.models import Member, MemberStatus
from organizations.models import (
    CELL_KINDS,
    CellVillage,
    Organization,
    PostTenure,
    Village,
    VillagePost,
    VillagePostTitle,
)
from organizations.selectors import STEP

HEAD, FRONT = VillagePostTitle.VILLAGE_HEAD, VillagePostTitle.FRONT_HEAD
MEMBER_SHARE = 118 / 120
ELECTED_SHARE = 107 / 120
# (share holding the village head's post, share holding the Front head's post)
OFFICER_SHARES = {Role.SECRETARY: (21 / 120, 47 / 120), Role.DEPUTY: (78 / 120, 28 / 120)}
PAST_SHARE = 1 / 6
PARTY = (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY)


def _non_member(rng) -> str:
    sex = "M" if rng.random() < 0.6 else "F"
    family = names.KINH_FAMILY.pick(rng)
    middle = names.MIDDLE[("01", sex)].pick(rng)
    given = (names.GIVEN_M if sex == "M" else names.GIVEN_F).pick(rng)
    return f"{family} {middle} {given}"


def _link_secretaries(province: Organization) -> None:
    """demo/oversight.py's `bt<code>` secretaries are the member of their cell who chaired its
    meetings, by name: link the account to that member record."""
    linked = set(User.objects.filter(member__isnull=False).values_list("member_id", flat=True))
    roles = (
        RoleAssignment.objects.filter(
            province=province, role=Role.SECRETARY, user__member__isnull=True
        )
        .order_by("pk")
        .values_list("user_id", "user__first_name", "organization_id")
    )
    wanted = {(org_id, name): user_id for user_id, name, org_id in roles}
    if not wanted:
        return
    found = defaultdict(list)
    for pk, org_id, name in Member.objects.filter(
        organization_id__in={org for org, _n in wanted}, status__in=PARTY
    ).values_list("pk", "organization_id", "person__full_name"):
        if (org_id, name) in wanted:
            found[(org_id, name)].append(pk)
    users = []
    for key, user_id in sorted(wanted.items(), key=lambda kv: kv[1]):
        pks = [pk for pk in found.get(key, ()) if pk not in linked]
        if len(pks) == 1:  # an unambiguous name only
            linked.add(pks[0])
            users.append(User(pk=user_id, member_id=pks[0]))
    User.objects.bulk_update(users, ["member"], batch_size=500)


def seed_village_posts(province: Organization, seed: int) -> dict:
    rng = random.Random(f"{seed}:village-posts")  # noqa: S311 -- reproducible demo data
    _link_secretaries(province)
    villages = list(
        Village.objects.filter(province=province, valid_to__isnull=True)
        .order_by("commune__path", "code", "pk")
        .values_list("pk", "commune_id")
    )
    cells_of = defaultdict(list)
    for village_id, cell_id in (
        CellVillage.objects.active(REF)
        .filter(province=province)
        .order_by("organization__path", "pk")
        .values_list("village_id", "organization_id")
    ):
        cells_of[village_id].append(cell_id)
    members_of = defaultdict(list)  # cell → its party members, by dossier number
    residents = defaultdict(list)  # village → party members living there
    for pk, cell_id, village_id in (
        Member.objects.filter(province=province, status__in=PARTY)
        .order_by("organization_id", "dossier_no")
        .values_list("pk", "organization_id", "person__residence_village_id")
    ):
        members_of[cell_id].append(pk)
        if village_id:
            residents[village_id].append(pk)
    # A village no cell covers takes a member living there, else one of its commune's cells.
    paths = dict(
        Organization.objects.filter(province=province, kind__in=CELL_KINDS).values_list(
            "pk", "path"
        )
    )
    commune_paths = dict(
        Organization.objects.filter(pk__in={c for _v, c in villages}).values_list("pk", "path")
    )
    commune_at = {path: pk for pk, path in commune_paths.items()}
    commune_cells = defaultdict(list)
    for cell_id, path in sorted(paths.items()):
        for end in range(STEP, len(path), STEP):  # the commune is one of the cell's ancestors
            commune = commune_at.get(path[:end])
            if commune is not None:
                commune_cells[commune].append(cell_id)
                break
    officers = defaultdict(dict)  # cell → role → member
    for role, cell_id, member_id in (
        RoleAssignment.objects.active(REF)
        .filter(province=province, role__in=OFFICER_SHARES, user__member__status__in=PARTY)
        .order_by("pk")
        .values_list("role", "organization_id", "user__member_id")
    ):
        officers[cell_id].setdefault(role, member_id)
    demo_users = dict(
        User.objects.filter(
            username__in=("bithu", "phobithu"), member__province=province
        ).values_list("username", "member_id")
    )

    holder: dict[tuple[int, str], int | None] = {}  # (village, title) → member (None: a name)
    taken: set[int] = set()  # a member holds one post at most

    # 1. The cells' officers take posts of the first village their cell covers.
    first_village = {}
    for village_id, _commune in villages:
        for cell_id in cells_of[village_id]:
            first_village.setdefault(cell_id, village_id)
    for cell_id in sorted(officers):
        village_id = first_village.get(cell_id)
        if village_id is None:
            continue
        for role in (Role.SECRETARY, Role.DEPUTY):
            member_id = officers[cell_id].get(role)
            if member_id is None or member_id in taken:
                continue
            forced = {
                demo_users.get("bithu"): FRONT,
                demo_users.get("phobithu"): HEAD,
            }.get(member_id)
            head_share, front_share = OFFICER_SHARES[role]
            r = rng.random()
            title = forced or (
                HEAD if r < head_share else FRONT if r < head_share + front_share else None
            )
            if title and (village_id, title) not in holder:
                holder[(village_id, title)] = member_id
                taken.add(member_id)

    # 2. Every other post: a member of the covering cells, except a few non-members (at least
    # one, so the demo shows one).
    slots = [
        (village_id, commune_id, title)
        for village_id, commune_id in villages
        for title in (HEAD, FRONT)
        if (village_id, title) not in holder
    ]
    n_names = min(len(slots), max(1, round(2 * len(villages) * (1 - MEMBER_SHARE))))
    names_at = set(rng.sample(range(len(slots)), n_names))
    for i, (village_id, commune_id, title) in enumerate(slots):
        pool = [m for c in cells_of[village_id] for m in members_of[c]]
        if not pool:
            pool = residents[village_id] or [
                m for c in commune_cells.get(commune_id, ()) for m in members_of[c]
            ]
        free = [m for m in pool if m not in taken]
        member_id = None
        if free and i not in names_at:
            member_id = free[rng.randrange(len(free))]
            taken.add(member_id)
        holder[(village_id, title)] = member_id

    # Heads appointed acting while their election is pending (13/120, at least one).
    n_acting = min(len(villages), max(1, round(len(villages) * (1 - ELECTED_SHARE))))
    acting = {villages[i][0] for i in rng.sample(range(len(villages)), n_acting)}
    rows = []
    for village_id, _commune in villages:
        for title in (HEAD, FRONT):
            member_id = holder[(village_id, title)]
            start = REF.replace(year=REF.year - rng.randint(1, 4), month=rng.randint(1, 12), day=1)
            if rng.random() < PAST_SHARE:
                rows.append(
                    VillagePost(
                        province_id=province.pk,
                        village_id=village_id,
                        title=title,
                        holder_name=_non_member(rng),
                        how=PostTenure.ELECTED,
                        valid_from=start.replace(year=start.year - 5),
                        valid_to=start - dt.timedelta(days=1),
                    )
                )
            rows.append(
                VillagePost(
                    province_id=province.pk,
                    village_id=village_id,
                    title=title,
                    member_id=member_id,
                    holder_name="" if member_id else _non_member(rng),
                    how=PostTenure.ACTING
                    if title == HEAD and village_id in acting
                    else PostTenure.ELECTED,
                    valid_from=start,
                )
            )
    # Member holders carry their name like VillagePost.save() writes it.
    name_of = dict(
        Member.objects.filter(pk__in=[r.member_id for r in rows if r.member_id]).values_list(
            "pk", "person__full_name"
        )
    )
    for r in rows:
        if r.member_id:
            r.holder_name = name_of[r.member_id]
    VillagePost.objects.bulk_create(rows, batch_size=1000)
    return {
        "village_posts": len(rows),
        "village_posts_members": sum(1 for r in rows if r.member_id),
    }
