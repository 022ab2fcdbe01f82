"""The village-positions report, each figure checked against raw SQL written here
independently, for the organization and each child, plus the query budget."""

import datetime as dt
from collections import Counter

import pytest
from django.db import connection

from accounts.models import Role, RoleAssignment, User
from organizations import village_posts as posts_service
from organizations.models import PostTenure, Village, VillagePostTitle
from reports.periods import Period
from reports.registry import get_report
from reports.tests.conftest import TO

HEAD, FRONT = VillagePostTitle.VILLAGE_HEAD, VillagePostTitle.FRONT_HEAD
LONG_AGO = dt.date(2020, 1, 1)


@pytest.fixture
def posts(world):
    """Posts on TO (30/06/2025):
    V1 head Nguyễn Văn Đức (K1, official, secretary_k1's member), Front head a non-member;
    V2 head Hoàng Văn Bình (K2, official, acting), Front head Trần Thị Hoa (K1, official);
    V3 head Lê Văn Nam until 31/12/2024 then a non-member, Front head Lê Văn Nam (probationary,
       deputy of K1 through deputy_k1);
    V5 head Vũ Thị Mai (K3, official), Front head Phạm Thị Lan (K1 but living in V5, exempt:
       still a party member);
    V4 (P2) head Bùi Văn Tâm. A head of V2 from after TO is not counted.
    K2 has a deputy whose account is not linked to a member; K3's secretary left in 2024."""
    v = {code: Village.objects.get(code=code) for code in ("V1", "V2", "V3", "V4", "V5")}

    def rec(code, title, start, member=None, name="", how=PostTenure.ELECTED):
        return posts_service.record_holder(
            v[code], title, start, member=member, holder_name=name, how=how
        )

    lan = world.member("Phạm Thị Lan", "K1")
    lan.person.residence_village = v["V5"]  # lives in C2's V5, a member of C1's K1
    lan.person.save()
    duc = world.member("Nguyễn Văn Đức", "K1")
    nam = world.member("Lê Văn Nam", "K1")
    rec("V1", HEAD, LONG_AGO, duc)
    rec("V1", FRONT, LONG_AGO, name="Ông Ngoài Đảng")
    rec("V2", HEAD, LONG_AGO, world.member("Hoàng Văn Bình", "K2"), how=PostTenure.ACTING)
    rec("V2", HEAD, dt.date(2025, 9, 1), name="Người Sau Này")
    rec("V2", FRONT, LONG_AGO, world.member("Trần Thị Hoa", "K1"))
    rec("V3", HEAD, LONG_AGO, nam)
    rec("V3", HEAD, dt.date(2025, 1, 1), name="Bà Không Đảng Viên")
    rec("V3", FRONT, dt.date(2025, 1, 1), nam)
    rec("V5", HEAD, LONG_AGO, world.member("Vũ Thị Mai", "K3"))
    rec("V5", FRONT, LONG_AGO, lan)
    rec("V4", HEAD, LONG_AGO, world.member("Bùi Văn Tâm", "K4"))

    deputy = User.objects.create_user("deputy_k1", member=nam)
    RoleAssignment.objects.create(
        user=deputy, role=Role.DEPUTY, organization=world.org("K1"), valid_from=LONG_AGO
    )
    unlinked = User.objects.create_user("deputy_k2")
    RoleAssignment.objects.create(
        user=unlinked, role=Role.DEPUTY, organization=world.org("K2"), valid_from=LONG_AGO
    )
    former = User.objects.create_user("former_k3", member=world.member("Vũ Thị Mai", "K3"))
    RoleAssignment.objects.create(
        user=former,
        role=Role.SECRETARY,
        organization=world.org("K3"),
        valid_from=LONG_AGO,
        valid_to=dt.date(2024, 12, 31),
    )
    return v


# ---- the figures, written independently in SQL ------------------------------------------

IN_TREE = "substr({}.path, 1, %s) = %s"
POST_ON = "p.valid_from <= %s AND (p.valid_to IS NULL OR p.valid_to >= %s)"
ROLE_ON = "r.valid_from <= %s AND (r.valid_to IS NULL OR r.valid_to >= %s)"
PARTY = "('probationary', 'official', 'exempt', 'suspended')"


def sql(query, params):
    with connection.cursor() as c:
        c.execute(query, params)
        return c.fetchone()


def has_post(title, member_only, d):
    join = "JOIN members_member mm ON mm.id = p.member_id " if member_only else ""
    cond = f"AND mm.status IN {PARTY} " if member_only else ""
    return (
        f"SUM(CASE WHEN EXISTS (SELECT 1 FROM organizations_villagepost p {join}"
        f"WHERE p.village_id = v.id AND p.title = '{title}' {cond}AND {POST_ON}) "
        f"THEN 1 ELSE 0 END)",
        [d, d],
    )


def has_officer(role, title, d):
    post = ""
    params = [d, d]
    if title:
        post = (
            f"AND EXISTS (SELECT 1 FROM organizations_villagepost p WHERE p.member_id = "
            f"u.member_id AND p.title = '{title}' AND {POST_ON}) "
        )
        params += [d, d]
    return (
        f"SUM(CASE WHEN EXISTS (SELECT 1 FROM accounts_roleassignment r "
        f"JOIN accounts_user u ON u.id = r.user_id WHERE r.organization_id = o.id "
        f"AND r.role = '{role}' AND u.member_id IS NOT NULL AND {ROLE_ON} {post}) "
        f"THEN 1 ELSE 0 END)",
        params,
    )


def expected(path, d):
    tree = [len(path), path]
    cols, params = [], []
    for title, member_only in ((HEAD, False), (HEAD, True), (FRONT, False), (FRONT, True)):
        c, p = has_post(title, member_only, d)
        cols.append(c)
        params += p
    v = sql(
        f"SELECT COUNT(*), {', '.join(cols)} FROM organizations_village v "
        f"JOIN organizations_organization o ON o.id = v.commune_id "
        f"WHERE {IN_TREE.format('o')} "
        f"AND (v.valid_from IS NULL OR v.valid_from <= %s) "
        f"AND (v.valid_to IS NULL OR v.valid_to >= %s)",
        [*params, *tree, d, d],
    )
    cols, params = [], []
    for role, title in (
        ("secretary", None),
        ("secretary", HEAD),
        ("secretary", FRONT),
        ("deputy", None),
        ("deputy", HEAD),
        ("deputy", FRONT),
    ):
        c, p = has_officer(role, title, d)
        cols.append(c)
        params += p
    c = sql(
        f"SELECT COUNT(*), {', '.join(cols)} FROM organizations_organization o "
        f"WHERE {IN_TREE.format('o')} AND o.kind IN ('cell', 'grassroots_cell') "
        f"AND o.cell_type IN ('village', 'residential') "
        f"AND (o.founded_on IS NULL OR o.founded_on <= %s) "
        f"AND (o.dissolved_on IS NULL OR o.dissolved_on > %s)",
        [*params, *tree, d, d],
    )
    keys_v = ("villages", "head", "head_member", "front", "front_member")
    keys_c = (
        "cells",
        "with_secretary",
        "secretary_head",
        "secretary_front",
        "with_deputy",
        "deputy_head",
        "deputy_front",
    )
    out = dict(zip(keys_v, (int(x or 0) for x in v), strict=True))
    out.update(zip(keys_c, (int(x or 0) for x in c), strict=True))
    return out


def compute(org, d=TO):
    return get_report("village-positions").compute(org, Period(d.replace(day=1), d))


def values(row, keys):
    return {k: row.values.get(k, 0) for k in keys}


def test_every_figure_matches_raw_sql_for_the_org_and_each_child(world, posts):
    for code in ("P1", "C1", "C2", "K1", "P2"):
        org = world.org(code)
        result = compute(org)
        want = expected(org.path, TO)
        assert values(result.total, want) == want, code
        for row in result.rows:
            child = expected(row.org.path, TO)
            assert values(row, child) == child, (code, row.label)


def test_the_figures_of_the_posts_world(world, posts):
    t = Counter(compute(world.org("P1")).total.values)
    assert (t["villages"], t["head"], t["head_member"]) == (4, 4, 3)  # V3's head is no member
    assert (t["front"], t["front_member"]) == (4, 3)  # V1 no member; V5's is exempt, a member
    assert (t["cells"], t["with_secretary"], t["secretary_head"], t["secretary_front"]) == (
        3,
        1,
        1,
        0,
    )
    # K2's deputy has no member record; Lê Văn Nam's head post ended before TO.
    assert (t["with_deputy"], t["deputy_head"], t["deputy_front"]) == (1, 0, 1)
    c1 = {r.org.code: r.values for r in compute(world.org("C1")).rows}
    assert c1["K1"].get("secretary_head") == 1 and not c1["K1"].get("villages")


def test_a_past_date_sees_the_holders_of_then(world, posts):
    d = dt.date(2024, 6, 30)
    t = Counter(compute(world.org("P1"), d).total.values)
    assert t == Counter({**t, **expected(world.org("P1").path, d)})
    assert (t["head"], t["head_member"], t["front"], t["deputy_head"]) == (4, 4, 3, 1)
    # K3's secretary still held the role then, and Vũ Thị Mai headed V5.
    assert (t["with_secretary"], t["secretary_head"]) == (2, 2)


def test_the_distributions_and_rates(world, posts):
    result = compute(world.org("P1"))
    groups = {g.key: {i.key: (i.value, i.of) for i in g.items} for g in result.groups}
    assert groups["village_heads"] == {
        "recorded": (4, 4),
        "member": (3, 4),
        "elected": (3, 4),
        "acting": (1, 4),
    }
    assert groups["front_heads"]["member"] == (3, 4)  # the exempt Front head is a member
    assert groups["secretaries"] == {"head": (1, 1), "front": (0, 1)}
    assert groups["deputies"] == {"head": (0, 1), "front": (1, 1)}
    data = result.as_json()
    assert data["total"]["head_member_rate"] == 75.0
    assert any("account" in str(n) for n in result.notes)


def test_constant_queries_whatever_the_number_of_children(world, posts, django_assert_num_queries):
    from organizations import services as org_services
    from organizations.models import CellType, OrgKind

    p1 = world.org("P1")
    compute(p1)  # first use loads the report modules
    with django_assert_num_queries(3):  # children, villages with posts, cells with officers
        compute(p1)
    for i in range(3):
        org_services.create_organization(
            parent=p1,
            kind=OrgKind.GRASSROOTS_CELL,
            name=f"Chi bộ khu phố {i}",
            code=f"Z{i}",
            cell_type=CellType.RESIDENTIAL,
            founded_on=dt.date(2000, 1, 1),
        )
    p1.refresh_from_db()
    with django_assert_num_queries(3):
        result = compute(p1)
    assert len(result.rows) == 6 and result.total.values["cells"] == 6


def test_the_api_serves_the_report(world, posts):
    from django.test import Client

    from accounts.models import ApiToken

    _t, raw = ApiToken.issue(world.user("staff_p1"), "test")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    r = client.get(
        "/api/v1/reports/village-positions", {"org": world.org("C1").uuid, "to": "2025-06-30"}
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["report"] == "village-positions" and data["to"] == "2025-06-30"
    assert (data["total"]["head_member"], data["total"]["head_member_rate"]) == (2, 66.67)
    k1 = next(c for c in data["children"] if c["organization"]["name"] == "Chi bộ thôn Đông")
    assert (k1["secretary_head"], k1["with_deputy"], k1["deputy_front"]) == (1, 1, 1)
    other = Client(
        headers={"Authorization": f"Bearer {ApiToken.issue(world.user('staff_p2'), 't')[1]}"}
    )
    assert (
        other.get("/api/v1/reports/village-positions", {"org": world.org("C1").uuid}).status_code
        == 404
    )


def test_the_page_and_the_workbook_for_a_commune_and_a_cell(
    client, world, posts, django_assert_num_queries
):
    import io

    import openpyxl
    from django.urls import reverse

    client.force_login(world.user("staff_c1"))
    index = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:report", args=["village-positions"]) in index
    url = reverse("reports:report", args=["village-positions"])
    for code in ("C1", "K1"):
        params = {"org": world.org(code).uuid, "from": "01/06/2025", "to": "30/06/2025"}
        assert client.get(url, params).status_code == 200
        export = client.get(reverse("reports:export", args=["village-positions"]), params)
        assert export.status_code == 200
        openpyxl.load_workbook(io.BytesIO(export.content))
    params = {"org": world.org("C1").uuid, "from": "01/06/2025", "to": "30/06/2025"}
    with django_assert_num_queries(8):  # session, user, scope, org, ancestors + the report's 3
        page = client.get(url, params)
    assert "Secretaries and deputies are those with an account" in page.content.decode() or (
        "Bí thư, phó bí thư là những người có tài khoản" in page.content.decode()
    )
