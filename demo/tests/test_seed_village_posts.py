"""seed_demo's village posts (scale small, demo/village_posts.py): every village has a head and
a Front work-committee head, mostly party members of the cells covering it, some of them the
cells' secretaries and deputies; the demo logins hold a post; the rows keep the model's rules."""

import io
import time
from collections import Counter

from django.core.management import call_command

from demo import structure
from demo import village_posts as demo_village_posts
from members.models import MemberStatus
from organizations.models import (
    CellVillage,
    Organization,
    PostTenure,
    Village,
    VillagePost,
    VillagePostTitle,
)
from reports.periods import Period
from reports.registry import get_report

REF = structure.REF
HEAD, FRONT = VillagePostTitle.VILLAGE_HEAD, VillagePostTitle.FRONT_HEAD


def seed(seed=1) -> Organization:
    call_command("seed_demo", scale="small", seed=seed, stdout=io.StringIO())
    return Organization.objects.get(depth=1, code=structure.root_code("small", seed))


def snapshot(province):
    return list(
        VillagePost.objects.filter(province=province)
        .order_by("village__code", "title", "valid_from")
        .values_list(
            "village__code", "title", "member__dossier_no", "holder_name", "how", "valid_from"
        )
    )


def test_every_village_has_both_heads_mostly_party_members_of_its_cells(db):
    province = seed()
    villages = Village.objects.filter(province=province, valid_to__isnull=True)
    current = VillagePost.objects.filter(province=province).active(REF)
    held = Counter(current.values_list("title", flat=True))
    assert held == {HEAD: villages.count(), FRONT: villages.count()}
    members = current.filter(member__isnull=False)
    share = members.count() / current.count()
    assert 0.9 <= share < 1, share
    # Member holders belong to a cell covering the village (when one does) or to its commune,
    # with the name of their record.
    covering = set(CellVillage.objects.active(REF).values_list("village_id", "organization_id"))
    covered = {v for v, _c in covering}
    for post in members.select_related(
        "member__person", "member__organization", "village__commune"
    ):
        if post.village_id in covered:
            assert (post.village_id, post.member.organization_id) in covering
        else:
            assert post.member.organization.path.startswith(post.village.commune.path)
        assert post.holder_name == post.member.person.full_name
        assert post.member.status in (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY)
    # One post per member; past holders end the day before the current one.
    assert len(set(members.values_list("member_id", flat=True))) == members.count()
    for past in VillagePost.objects.filter(province=province, valid_to__isnull=False):
        nxt = current.get(village_id=past.village_id, title=past.title)
        assert (nxt.valid_from - past.valid_to).days == 1
    hows = Counter(current.filter(title=HEAD).values_list("how", flat=True))
    assert hows[PostTenure.ACTING] > 0 and hows[PostTenure.ELECTED] > hows[PostTenure.ACTING]


def test_the_demo_secretary_and_deputy_hold_a_post_and_the_report_shows_it(db):
    from accounts.models import User

    province = seed()
    bithu, phobithu = (User.objects.get(username=u) for u in ("bithu", "phobithu"))
    assert VillagePost.objects.active(REF).get(member=bithu.member).title == FRONT
    assert VillagePost.objects.active(REF).get(member=phobithu.member).title == HEAD
    result = get_report("village-positions").compute(province, Period(REF.replace(day=1), REF))
    t = result.total.values
    assert t["head"] == t["villages"] == t["front"] > 0
    assert t["secretary_front"] >= 1 and t["deputy_head"] >= 1
    # The bt<code> secretaries of demo/oversight.py are linked to their member record.
    assert t["with_secretary"] > 1
    assert t["secretary_head"] + t["secretary_front"] <= t["with_secretary"]


def test_the_same_seed_gives_the_same_posts_quickly(db):
    province = seed()
    first = snapshot(province)
    VillagePost.objects.filter(province=province).delete()
    started = time.perf_counter()
    demo_village_posts.seed_village_posts(province, 1)
    elapsed = time.perf_counter() - started
    assert snapshot(province) == first
    assert elapsed < 3, elapsed  # about 0.1 s on the small scale
