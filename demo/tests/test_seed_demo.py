"""seed_demo: deterministic, idempotent, structurally sound demo data (scale small).

The test database already holds the conftest world (provinces P1/P2, user "admin"…),
so every assertion is scoped to the demo province.
"""

import collections
import datetime as dt
import io
import random

import pytest
from django.core.management import call_command

from accounts.access import Scope
from accounts.models import Role, RoleAssignment, User
from chibo.testing import PASSWORD as WORLD_PASSWORD
from demo import structure, users
from members.models import ACTIVE_STATUSES, Member, Membership, MemberStatus, Person
from organizations.models import (
    CellVillage,
    Organization,
    OrgEvent,
    OrgKind,
    Village,
    subtree_q,
)
from organizations.services import villages_without_cell, villages_without_members


@pytest.fixture
def english(settings):
    # The command speaks the UI language; assert on the English msgids.
    settings.LANGUAGE_CODE = "en"


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **{"scale": "small", "seed": 1, **options})
    return out.getvalue()


def demo_province(seed_no=1) -> Organization:
    return Organization.objects.get(depth=1, code=structure.root_code("small", seed_no))


def snapshot(province: Organization) -> dict:
    """Everything the generator decides, without database ids or tree paths."""
    return {
        "orgs": list(
            Organization.objects.filter(subtree_q(province.path))
            .order_by("path")
            .values_list(
                "code",
                "name",
                "kind",
                "cell_type",
                "founded_on",
                "dissolved_on",
                "depth",
                "numchild",
                "uuid",
            )
        ),
        "villages": list(
            Village.objects.filter(province=province)
            .order_by("code")
            .values_list("code", "name", "kind", "commune__code", "valid_from", "uuid")
        ),
        "links": sorted(
            CellVillage.objects.filter(province=province).values_list(
                "organization__code", "village__code", "valid_from"
            )
        ),
        "members": list(
            Member.objects.filter(province=province)
            .order_by("dossier_no")
            .values_list(
                "dossier_no",
                "uuid",
                "person__full_name",
                "person__sex",
                "person__birth_date",
                "person__ethnicity",
                "person__citizen_id",
                "person__phone",
                "person__residence_village__code",
                "status",
                "admission_decision_date",
                "ceremony_date",
                "official_date",
                "card_no",
                "left_reason",
                "status_date",
                "organization__code",
            )
        ),
        "periods": sorted(
            Membership.objects.filter(province=province).values_list(
                "member__dossier_no", "organization__code", "kind", "start_date", "end_date"
            )
        ),
        "events": sorted(
            (code, kind, day.isoformat())
            for code, kind, day in OrgEvent.objects.filter(province=province).values_list(
                "organization__code", "kind", "effective_on"
            )
        ),
    }


def test_the_same_seed_gives_identical_data_and_another_seed_different_data(db, english):
    seed()
    first = snapshot(demo_province())
    seed(reset=True)
    assert snapshot(demo_province()) == first
    seed(seed=2)
    other = snapshot(demo_province(2))
    assert [m[2] for m in other["members"]] != [m[2] for m in first["members"]]
    assert [o[1] for o in other["orgs"]] != [o[1] for o in first["orgs"]]


def test_the_plan_does_not_depend_on_earlier_plans_in_the_same_process():
    a = structure.build_plan("small", 7, random.Random(7))
    structure.build_plan("province", 3, random.Random(3))
    b = structure.build_plan("small", 7, random.Random(7))
    assert [(n.code, n.name) for n in a.nodes()] == [(n.code, n.name) for n in b.nodes()]


def test_a_second_run_says_already_loaded_and_changes_nothing(db, english):
    seed()
    province = demo_province()
    before = snapshot(province)
    out = seed()
    assert "already loaded" in out
    assert "chibo-demo-2026" in out and "bithu" in out
    assert Organization.objects.filter(depth=1, code=province.code).count() == 1
    assert snapshot(province) == before


def test_reset_replaces_only_demo_data(db, world, english):
    seed()
    old = demo_province()
    world_orgs = Organization.objects.exclude(subtree_q(old.path)).count()
    world_members = Member.objects.exclude(province=old).count()
    # Rows of other tables pointing into the demo province go with it, or let go of it.
    outsider = world.user("staff_p1")
    cell = Organization.objects.filter(province=old, kind=OrgKind.CELL).first()
    RoleAssignment.objects.create(user=outsider, role=Role.DEPUTY, organization=cell)
    linked = User.objects.create_user("linked", member=Member.objects.filter(province=old).first())
    seed(reset=True)
    new = demo_province()
    assert new.pk != old.pk
    assert not Organization.objects.filter(pk=old.pk).exists()
    assert not Person.objects.filter(province_id=old.pk).exists()
    assert Organization.objects.exclude(subtree_q(new.path)).count() == world_orgs
    assert Member.objects.exclude(province=new).count() == world_members
    assert not outsider.role_assignments.filter(role=Role.DEPUTY).exists()
    linked.refresh_from_db()
    assert linked.member is None


def test_every_kind_of_organization_is_present_with_valid_tree_fields(db, english):
    seed()
    province = demo_province()
    orgs = list(Organization.objects.filter(subtree_q(province.path)))
    assert {o.kind for o in orgs} == set(OrgKind.values)
    assert Organization.objects.find_problems(parent=province) == ([], [], [], [], [])
    children = collections.Counter(o.path[: -Organization.steplen] for o in orgs)
    for o in orgs:
        assert o.numchild == children[o.path], o.code
        assert o.province_id == province.pk
        assert o.search_text and o.sort_key
    codes = [o.code for o in orgs]
    assert len(codes) == len(set(codes))
    cell = next(o for o in orgs if o.kind == OrgKind.CELL)
    assert cell.code.count(".") >= 1 and cell.code.startswith(
        Organization.objects.get_parent(cell).code + "."
    )
    # Commune committees sit directly under the province, not under a district.
    communes = [o for o in orgs if o.kind == OrgKind.GRASSROOTS_COMMITTEE]
    assert communes and all(o.depth == province.depth + 1 for o in communes)


def test_former_districts_are_dissolved_and_communes_moved_on_1_july_2025(db, english):
    seed()
    province = demo_province()
    districts = Organization.objects.filter(province=province, dissolved_on__isnull=False)
    assert districts.exists()
    assert set(districts.values_list("dissolved_on", flat=True)) == {structure.REFORM}
    assert set(districts.values_list("dissolution_reason", flat=True)) == {
        "Kết thúc hoạt động cấp huyện"
    }
    moved = OrgEvent.objects.filter(province=province, kind="moved")
    communes = Organization.objects.filter(
        province=province, depth=province.depth + 1, kind=OrgKind.GRASSROOTS_COMMITTEE
    )
    assert set(moved.values_list("organization", flat=True)) == set(
        communes.values_list("pk", flat=True)
    )
    event = moved.first()
    assert event.effective_on == structure.REFORM
    assert set(event.related.values_list("pk", flat=True)) == {province.pk, districts.first().pk}
    assert (
        OrgEvent.objects.filter(province=province, kind="created").count()
        == Organization.objects.filter(province=province).count()
    )


def test_villages_have_combined_cells_uncovered_and_white_villages(db, english):
    seed()
    province = demo_province()
    per_cell = collections.Counter(
        CellVillage.objects.filter(province=province).values_list("organization", flat=True)
    )
    assert max(per_cell.values()) >= 2
    assert villages_without_members(province).exists()
    assert villages_without_cell(province).exists()
    # Members of village and residential cells live in one of their cell's villages.
    covered = collections.defaultdict(set)
    for org, village in CellVillage.objects.filter(province=province).values_list(
        "organization", "village"
    ):
        covered[org].add(village)
    rows = Member.objects.filter(
        province=province,
        status__in=ACTIVE_STATUSES,
        organization__cell_type__in=["village", "residential"],
    ).values_list("organization", "person__residence_village")
    assert rows and all(village in covered[org] for org, village in rows)


def test_every_active_member_has_exactly_one_open_home_membership_in_their_cell(db, english):
    seed()
    province = demo_province()
    members = Member.objects.filter(province=province)
    open_home = Membership.objects.filter(province=province, kind="home", end_date__isnull=True)
    by_member = collections.defaultdict(list)
    for member_id, org_id in open_home.values_list("member", "organization"):
        by_member[member_id].append(org_id)
    for m in members:
        if m.status in ACTIVE_STATUSES:
            assert by_member[m.pk] == [m.organization_id], m.dossier_no
        else:
            assert m.pk not in by_member
    # Some moved years ago (so membership on a past date differs), some are attached.
    earlier = Membership.objects.filter(
        province=province, kind="home", end_date__isnull=False, member__status__in=ACTIVE_STATUSES
    ).first()
    assert earlier is not None
    past = earlier.member.membership_on(earlier.end_date)
    assert past.organization_id == earlier.organization_id != earlier.member.organization_id
    assert Membership.objects.filter(
        province=province, kind="temporary", end_date__isnull=True
    ).exists()
    # Every status but "transferred" (outside the system), which comes from a completed transfer:
    # the demo has no transfers yet.
    assert set(members.values_list("status", flat=True)) == set(MemberStatus.values) - {
        MemberStatus.TRANSFERRED
    }


def test_every_row_carries_the_demo_province_key(db, english):
    seed()
    province = demo_province()
    for model, prefix in [
        (Village, "commune__"),
        (CellVillage, "organization__"),
        (Member, "organization__"),
        (Membership, "organization__"),
        (OrgEvent, "organization__"),
    ]:
        in_tree = model.objects.filter(subtree_q(province.path, prefix))
        assert in_tree.exists()
        assert in_tree.exclude(province=province).count() == 0, model.__name__
        assert model.objects.filter(province=province).count() == in_tree.count()
    people = Person.objects.filter(member__province=province)
    assert people.exclude(province=province).count() == 0


def test_members_pass_the_model_validation_and_identifiers_are_unique(db, english):
    seed()
    province = demo_province()
    members = list(Member.objects.filter(province=province).select_related("person"))
    assert 100 <= len(members) <= 160
    for m in members:
        m.person.full_clean()
        m.full_clean()
        assert m.dossier_no.endswith(tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ"))
        if m.official_date:
            assert len(m.card_no) == 8
            assert m.official_date.replace(year=m.official_date.year - 1) <= m.ceremony_date
        assert m.admission_decision_date < m.ceremony_date
        if m.status == MemberStatus.PROBATIONARY:
            assert structure.REF - m.ceremony_date < dt.timedelta(days=366)
    citizen_ids = [m.person.citizen_id for m in members]
    assert len(set(citizen_ids)) == len(citizen_ids)
    cards = [m.card_no for m in members if m.card_no]
    assert len(set(cards)) == len(cards)
    names = [m.person.full_name for m in members]
    assert all(len(n.split()) >= 3 for n in names)


def test_demo_users_hold_their_roles_and_can_log_in(db, world, client, english):
    out = seed()
    province = demo_province()
    # The test world already has a non-demo "admin": it is left alone, with a warning.
    assert "not a demo account" in out
    assert client.login(username="admin", password=WORLD_PASSWORD)
    commune, cell, trio = users.demo_places(province)

    def roles(username):
        return list(
            RoleAssignment.objects.filter(user__username=username).values_list(
                "role", "organization"
            )
        )

    assert roles("tinh.tochuc") == [(Role.ORG_STAFF, province.pk)]
    assert roles("xa.uyvien") == [(Role.COMMITTEE, commune.pk)]
    assert roles("xa.tochuc") == [(Role.ORG_STAFF, commune.pk)]
    assert roles("bithu") == [(Role.SECRETARY, cell.pk)]
    assert roles("phobithu") == [(Role.DEPUTY, cell.pk)]
    assert roles("dangvien") == []
    linked = [User.objects.get(username=u).member for u in ("bithu", "phobithu", "dangvien")]
    assert linked == trio and len({m.pk for m in linked}) == 3
    assert all(m.organization_id == cell.pk for m in linked)
    assert client.login(username="bithu", password=users.PASSWORD)
    # The secretary's scope is their cell: its members, nobody from another cell.
    scope = Scope.for_user(User.objects.get(username="bithu"))
    attached = set(
        Membership.objects.filter(
            organization=cell, kind="temporary", end_date__isnull=True
        ).values_list("member", flat=True)
    )
    visible = list(scope.members().values_list("pk", "organization"))
    assert any(org == cell.pk for _, org in visible)
    assert all(org == cell.pk or pk in attached for pk, org in visible)


def test_the_province_scale_plan_has_the_announced_size():
    plan = structure.build_plan("province", 1, random.Random(1))
    nodes = plan.nodes()
    active = [n for n in nodes if not n.dissolved_on]
    grassroots = [
        n for n in active if n.kind in (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)
    ]
    cells = plan.cells()
    assert 450 <= len(grassroots) <= 550
    assert 2200 <= len(cells) <= 2800
    assert 33_000 <= sum(c.size for c in cells) <= 37_000
    village_cells = [c for c in cells if c.covers]
    combined = collections.Counter(len(c.covers) for c in village_cells if len(c.covers) > 1)
    assert 0.03 <= sum(combined.values()) / len(village_cells) <= 0.06
    assert combined[2] > 10 * (combined[3] + combined[4])
    white = sum(v.white for v in plan.villages)
    assert 1 <= white <= 0.01 * len(plan.villages)
    assert len({n.code for n in nodes}) == len(nodes)
