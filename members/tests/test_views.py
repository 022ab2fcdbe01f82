import datetime as dt

from django.utils import timezone

from members.models import Member, Membership, Person

TODAY = timezone.localdate().strftime("%d/%m/%Y")


def valid_post(world, **over):
    data = {
        "organization": world.org("K1").pk,
        "start_date": TODAY,
        "full_name": "Đinh Thị Hằng",
        "sex": "F",
        "birth_date": "12/04/1990",
        "ethnicity": "01",
        "citizen_id": "001190012345",
        "phone": "0912 345 678",
        "dossier_no": "123456tn",
        "status": "probationary",
        "admission_decision_date": "01/06/2025",
        "ceremony_date": "20/06/2025",
    }
    data.update(over)
    return data


def test_list_searches_without_accents_and_sorts_by_given_name(login, world):
    body = login("staff_p1").get("/members/?q=NGUYEN van duc").content.decode()
    assert body.count("Nguyễn Văn Đức") == 2
    body = login("staff_p1").get("/members/").content.decode()
    # By given name in Vietnamese alphabet order (b < đ < h; "Hoa" < "Huy"), then family name.
    names = [
        "Hoàng Văn Bình",
        "Nguyễn Văn Đức",
        "Trần Thị Hoa",
        "Đặng Quốc Huy",
        "Phạm Thị Lan",
        "Vũ Thị Mai",
        "Lê Văn Nam",
    ]
    positions = [body.index(n) for n in names]
    assert positions == sorted(positions)
    assert "Bùi Văn Tâm" not in body  # other province


def test_list_filters(login, world):
    client = login("staff_p1")
    body = client.get("/members/?status=probationary").content.decode()
    assert "Lê Văn Nam" in body and "Trần Thị Hoa" not in body
    body = client.get("/members/?ethnicity=minority").content.decode()
    assert "Lê Văn Nam" in body and "Trần Thị Hoa" not in body
    body = client.get("/members/?sex=F&age=71-").content.decode()
    assert "Phạm Thị Lan" in body and "Trần Thị Hoa" not in body
    body = client.get("/members/?age=-30").content.decode()
    assert "Lê Văn Nam" in body and "Hoàng Văn Bình" not in body
    body = client.get(f"/members/?org={world.org('K2').uuid}").content.decode()
    assert "Hoàng Văn Bình" in body and "Trần Thị Hoa" not in body
    body = client.get("/members/?cell_type=agency").content.decode()
    assert "Đặng Quốc Huy" in body and "Vũ Thị Mai" not in body
    r = client.get("/members/?age=nonsense&status=zzz")
    assert r.status_code == 200 and "không hợp lệ" in r.content.decode()


def test_list_masks_citizen_ids(login, world):
    p = world.member("Trần Thị Hoa", "K1").person
    p.citizen_id = "001185000123"
    p.save()
    body = login("staff_p1").get("/members/").content.decode()
    assert "001185000123" not in body and "001••••••123" in body


def test_list_query_count_does_not_grow_with_rows(login, world, django_assert_max_num_queries):
    client = login("staff_p1")
    with django_assert_max_num_queries(7):
        client.get("/members/")
    with django_assert_max_num_queries(9):
        client.get(f"/members/?org={world.org('C1').uuid}&q=van")


def test_detail_pins_its_query_count(login, world, django_assert_max_num_queries):
    client = login("staff_p1")
    m = world.member("Nguyễn Văn Đức", "K1")
    with django_assert_max_num_queries(14):
        assert client.get(f"/members/{m.uuid}/").status_code == 200


def test_detail_shows_full_citizen_id_to_managers_and_masked_to_readers(login, world):
    m = world.member("Trần Thị Hoa", "K1")
    m.person.citizen_id = "001185000123"
    m.person.save()
    assert "001185000123" in login("secretary_k1").get(f"/members/{m.uuid}/").content.decode()
    assert (
        "001185000123" in login("member_k1").get(f"/members/{m.uuid}/").content.decode()
    )  # own record
    assert "001185000123" not in login("committee_c1").get(f"/members/{m.uuid}/").content.decode()


def test_create_member_with_all_rules(login, world):
    client = login("secretary_k1")
    r = client.post("/members/new/", valid_post(world))
    assert r.status_code == 302, r.content.decode()[:3000]
    m = Member.objects.get(dossier_no="123456TN")
    assert m.person.phone == "0912345678"
    assert m.organization.code == "K1"
    assert Membership.objects.get(member=m).start_date == timezone.localdate()


def test_create_member_bad_input_is_explained_and_writes_nothing(login, world):
    client = login("secretary_k1")
    n = Person.objects.count()
    r = client.post(
        "/members/new/",
        valid_post(
            world,
            citizen_id="00119001234",
            birth_date="31/02/1990",
            dossier_no="000001TN",
            official_date="01/01/2025",
        ),
    )
    body = r.content.decode()
    assert "Số căn cước công dân gồm đúng 12 chữ số" in body
    assert "Hãy nhập ngày theo dạng ngày/tháng/năm" in body
    assert Person.objects.count() == n
    r = client.post(
        "/members/new/", valid_post(world, dossier_no="000001TN", official_date="01/01/2025")
    )
    body = r.content.decode()
    assert "đã có số lý lịch 000001TN" in body
    r = client.post("/members/new/", valid_post(world, official_date="21/06/2025"))
    assert "Đảng viên dự bị chưa có ngày chính thức" in r.content.decode()
    assert Person.objects.count() == n


def test_secretary_cannot_add_to_another_cell(login, world):
    r = login("secretary_k1").post(
        "/members/new/", valid_post(world, organization=world.org("K2").pk)
    )
    assert r.status_code == 200
    assert not Member.objects.filter(dossier_no="123456TN").exists()


def test_edit_records_history_with_who_and_what(login, world):
    client = login("secretary_k1")
    m = world.member("Trần Thị Hoa", "K1")
    data = {
        f: getattr(m.person, f)
        for f in [
            "full_name",
            "sex",
            "ethnicity",
            "religion",
            "native_place",
            "residence",
            "citizen_id",
            "phone",
            "general_education",
            "political_theory",
            "qualification",
            "qualification_detail",
        ]
    }
    data.update(
        {
            "birth_date": m.person.birth_date.strftime("%d/%m/%Y"),
            "residence_village": "",
            "dossier_no": m.dossier_no,
            "card_no": "",
            "status": m.status,
            "admission_decision_date": m.admission_decision_date.strftime("%d/%m/%Y"),
            "ceremony_date": m.ceremony_date.strftime("%d/%m/%Y"),
            "official_date": m.official_date.strftime("%d/%m/%Y"),
            "native_place": "Xã Yên Thịnh",
        }
    )
    r = client.post(f"/members/{m.uuid}/edit/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    body = client.get(f"/members/{m.uuid}/").content.decode()
    assert "Xã Yên Thịnh" in body
    assert "Quê quán" in body.split("Lịch sử thay đổi")[1]
    assert world.user("secretary_k1").display_name() in body.split("Lịch sử thay đổi")[1]


def test_a_member_leaving_closes_their_periods(login, world):
    client = login("secretary_k1")
    m = world.member("Phạm Thị Lan", "K1")
    data = {
        f: getattr(m.person, f)
        for f in [
            "full_name",
            "sex",
            "ethnicity",
            "religion",
            "native_place",
            "residence",
            "citizen_id",
            "phone",
            "general_education",
            "political_theory",
            "qualification",
            "qualification_detail",
        ]
    }
    data.update(
        {
            "birth_date": m.person.birth_date.strftime("%d/%m/%Y"),
            "dossier_no": m.dossier_no,
            "status": "left",
            "left_reason": "death",
            "status_date": TODAY,
            "admission_decision_date": m.admission_decision_date.strftime("%d/%m/%Y"),
            "ceremony_date": m.ceremony_date.strftime("%d/%m/%Y"),
            "official_date": m.official_date.strftime("%d/%m/%Y"),
        }
    )
    assert client.post(f"/members/{m.uuid}/edit/", data).status_code == 302
    assert not m.memberships.current().exists()


def test_staff_moves_a_member_and_history_is_exact(login, world):
    client = login("staff_c1")
    m = world.member("Trần Thị Hoa", "K1")
    r = client.post(
        f"/members/{m.uuid}/move/", {"organization": world.org("K2").pk, "effective_on": TODAY}
    )
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.organization.code == "K2"
    assert m.membership_on(timezone.localdate() - dt.timedelta(days=1)).organization.code == "K1"


def test_me_redirects_to_own_record(login, world):
    r = login("member_k1").get("/members/me/")
    assert r["Location"] == f"/members/{world.member('Trần Thị Hoa', 'K1').uuid}/"


def test_a_member_who_left_is_not_made_active_again_by_an_edit(world):
    import pytest
    from django.core.exceptions import ValidationError

    from members import services

    m = world.member("Phạm Thị Lan", "K1")
    m.status, m.left_reason, m.status_date = "left", "withdrawal", dt.date(2025, 1, 1)
    services.save_member(m.person, m, was_active=True)
    assert not m.memberships.current().exists()
    m.status, m.left_reason = "exempt", ""
    with pytest.raises(ValidationError):
        services.save_member(m.person, m, was_active=False)


def test_a_secretary_gives_a_member_a_login_that_sees_only_their_record(login, world, client):
    from accounts.models import User

    m = world.member("Lê Văn Nam", "K1")
    c = login("secretary_k1")
    r = c.post(f"/members/{m.uuid}/account/", {"username": "member_k1", "password": "x"})
    body = r.content.decode()
    assert (
        "Tên đăng nhập này đã có người dùng" in body and not User.objects.filter(member=m).exists()
    )
    r = c.post(
        f"/members/{m.uuid}/account/", {"username": "nam.le", "password": "mot-mat-khau-dai"}
    )
    assert r.status_code == 302
    user = User.objects.get(username="nam.le")
    assert user.member == m
    client.logout()
    assert client.login(username="nam.le", password="mot-mat-khau-dai")
    assert client.get(f"/members/{m.uuid}/").status_code == 200
    other = world.member("Trần Thị Hoa", "K1")
    assert client.get(f"/members/{other.uuid}/").status_code == 404


def test_list_order_follows_a_rename(login, world):
    client = login("staff_p1")
    first = Member.objects.filter(province=world.org("P1")).order_by("sort_key").first()
    person = Person.objects.get(pk=first.person_id)
    person.full_name = "Nguyễn Văn Ý"  # "Ý" sorts after every given name of the world
    person.save()
    body = client.get("/members/").content.decode()
    names = list(
        Person.objects.filter(
            member__province=world.org("P1"), member__status__in=["official", "probationary"]
        ).values_list("full_name", flat=True)
    )
    assert body.rindex("Nguyễn Văn Ý") > max(body.find(n) for n in names if n != "Nguyễn Văn Ý")
