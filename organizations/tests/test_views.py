from django.utils import timezone

from organizations.models import Organization, OrgEvent, Village

TODAY = timezone.localdate().strftime("%d/%m/%Y")


def test_tree_children_fragment_costs_the_same_queries_however_many_children(
    login, world, django_assert_max_num_queries
):
    client = login("admin")
    p1 = world.org("P1")
    with django_assert_max_num_queries(8):
        r = client.get(f"/org/{p1.uuid}/children/", HTTP_HX_REQUEST="true")
    assert "Đảng bộ xã An Bình" in r.content.decode()
    from organizations import services
    from organizations.models import CellType, OrgKind

    for i in range(15):
        services.create_organization(
            parent=world.org("C1"),
            kind=OrgKind.CELL,
            name=f"Chi bộ {i}",
            code=f"N{i}",
            cell_type=CellType.OTHER,
        )
    c1 = world.org("C1")
    with django_assert_max_num_queries(8):
        r = client.get(f"/org/{c1.uuid}/children/", HTTP_HX_REQUEST="true")
    assert r.content.decode().count("<li>") >= 17


def test_children_show_counts_and_combined_villages(login, world):
    body = login("staff_p1").get(f"/org/{world.org('C1').uuid}/children/").content.decode()
    assert "Chi bộ thôn Đông" in body and "Thôn Nam" in body and "sinh hoạt ghép" in body


def test_organization_search_ignores_accents(login, world):
    body = login("staff_p1").get("/org/?q=dang bo xa an binh").content.decode()
    assert "Đảng bộ xã An Bình" in body
    body = login("staff_p1").get("/org/?q=hoa lac").content.decode()
    assert "Hòa Lạc" not in body  # other province


def test_detail_pins_its_query_count(login, world, django_assert_max_num_queries):
    client = login("staff_p1")
    with django_assert_max_num_queries(14):
        r = client.get(f"/org/{world.org('C1').uuid}/")
    assert r.status_code == 200


def test_create_child_with_bad_input_shows_messages_and_writes_nothing(login, world):
    client = login("staff_c1")
    c1 = world.org("C1")
    n = Organization.objects.count()
    r = client.post(
        f"/org/{c1.uuid}/new/",
        {"kind": "cell", "name": "", "code": "K2", "cell_type": "", "founded_on": "31/02/2020"},
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert "Hãy nhập ngày theo dạng ngày/tháng/năm" in body
    assert Organization.objects.count() == n
    r = client.post(
        f"/org/{c1.uuid}/new/",
        {
            "kind": "cell",
            "name": "Chi bộ mới",
            "code": "K2",
            "cell_type": "village",
            "founded_on": "01/02/2020",
        },
    )
    assert "Mã K2 đã được dùng trong tỉnh." in r.content.decode()
    assert Organization.objects.count() == n
    r = client.post(
        f"/org/{c1.uuid}/new/",
        {
            "kind": "cell",
            "name": "Chi bộ mới",
            "code": "K7",
            "cell_type": "village",
            "founded_on": "01/02/2020",
        },
    )
    assert r.status_code == 302
    assert Organization.objects.get(code="K7").parent_org() == c1


def test_rename_move_and_dissolve_through_the_pages(login, world):
    client = login("staff_p1")
    k1 = world.org("K1")
    r = client.post(
        f"/org/{k1.uuid}/rename/", {"name": "Chi bộ thôn Đông A", "effective_on": TODAY}
    )
    assert r.status_code == 302
    r = client.post(
        f"/org/{k1.uuid}/move/", {"new_parent": world.org("C2").pk, "effective_on": TODAY}
    )
    assert r.status_code == 302
    k1.refresh_from_db()
    assert k1.name == "Chi bộ thôn Đông A" and k1.parent_org().code == "C2"
    r = client.post(f"/org/{k1.uuid}/dissolve/", {"reason": "Sáp nhập", "effective_on": TODAY})
    assert r.status_code == 200
    assert "còn 1 đơn vị trực thuộc" in r.content.decode()  # its party group
    Organization.objects.move(
        Organization.objects.get(code="T1"), world.org("K2"), pos="last-child"
    )
    r = client.post(f"/org/{k1.uuid}/dissolve/", {"reason": "Sáp nhập", "effective_on": TODAY})
    assert "còn 4 đảng viên" in r.content.decode()
    assert OrgEvent.objects.filter(organization=k1, kind="dissolved").count() == 0


def test_move_offers_only_allowed_parents_in_scope(login, world):
    body = login("staff_c1").get(f"/org/{world.org('K1').uuid}/move/").content.decode()
    options = body.split('name="new_parent"')[1].split("</select>")[0]
    assert "Đảng bộ xã An Bình" not in options  # its current parent is not offered
    assert "Đảng bộ phường Bắc Sơn" not in body  # outside staff_c1's scope
    assert "Đảng bộ xã Hòa Lạc" not in body


def test_split_through_the_page(login, world):
    client = login("staff_p1")
    k1 = world.org("K1")
    Organization.objects.move(
        Organization.objects.get(code="T1"), world.org("K2"), pos="last-child"
    )
    k1.refresh_from_db()
    duc = world.member("Nguyễn Văn Đức", "K1")
    v3 = Village.objects.get(code="V3")
    data = {
        "parts": "1",
        "p0-name": "Chi bộ thôn Nam",
        "p0-code": "K1N",
        "p0-cell_type": "village",
        f"m{duc.pk}": "0",
        f"v{v3.pk}": "0",
        "keep_original": "on",
        "effective_on": TODAY,
    }
    r = client.post(f"/org/{k1.uuid}/split/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    duc.refresh_from_db()
    assert duc.organization.code == "K1N"


def test_split_errors_are_shown_and_nothing_is_created(login, world):
    client = login("staff_p1")
    k2 = world.org("K2")
    r = client.post(
        f"/org/{k2.uuid}/split/",
        {
            "parts": "2",
            "p0-name": "A",
            "p0-code": "KA",
            "p0-cell_type": "village",
            "p1-name": "B",
            "p1-code": "KB",
            "p1-cell_type": "village",
            "effective_on": TODAY,
        },
    )
    assert r.status_code == 200
    assert "chưa được xếp vào chi bộ mới" in r.content.decode()
    assert not Organization.objects.filter(code__in=["KA", "KB"]).exists()


def test_merge_through_the_page(login, world):
    client = login("staff_c1")
    k1, k2 = world.org("K1"), world.org("K2")
    r = client.post(f"/org/{k1.uuid}/merge/", {"sources": [k2.pk], "effective_on": TODAY})
    assert r.status_code == 302
    k2.refresh_from_db()
    assert k2.dissolved_on is not None


def test_villages_page_lists_villages_without_members(login, world):
    body = login("staff_p1").get("/org/villages/?show=no_members").content.decode()
    assert "Thôn Tây" in body and "Thôn Nam" in body and "Thôn Đông" not in body
    assert "Thôn Trung" not in body  # other province


def test_village_create_validates_the_code(login, world):
    client = login("staff_p1")
    c1 = world.org("C1")
    r = client.post(
        "/org/villages/new/", {"name": "Thôn Bắc", "kind": "thon", "code": "V1", "commune": c1.pk}
    )
    assert "Mã V1 đã được dùng trong tỉnh." in r.content.decode()
    r = client.post(
        "/org/villages/new/", {"name": "Thôn Bắc", "kind": "thon", "code": "V9", "commune": c1.pk}
    )
    assert r.status_code == 302
    assert Village.objects.get(code="V9").province_id == c1.province_id


def test_cell_villages_can_be_changed(login, world):
    client = login("staff_c1")
    k1 = world.org("K1")
    v1 = Village.objects.get(code="V1")
    r = client.post(f"/org/{k1.uuid}/villages/", {"villages": [v1.pk], "effective_on": TODAY})
    assert r.status_code == 302
    assert list(k1.village_links.active().values_list("village__code", flat=True)) == ["V1"]


def test_an_administrator_adds_a_province(login, world):
    client = login("admin")
    r = client.post("/org/new-province/", {"name": "Đảng bộ tỉnh Mới", "code": "P1"})
    assert "Đã có đảng bộ tỉnh khác mang mã P1." in r.content.decode()
    r = client.post(
        "/org/new-province/", {"name": "Đảng bộ tỉnh Mới", "code": "P3", "founded_on": "01/07/2025"}
    )
    assert r.status_code == 302
    p3 = Organization.objects.get(code="P3")
    assert p3.depth == 1 and p3.province_id == p3.pk and p3.kind == "province"
