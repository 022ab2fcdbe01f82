def test_tree_page_renders_for_staff(login, world):
    client = login("staff_p1")
    r = client.get("/org/")
    assert r.status_code == 200
    assert "Đảng bộ tỉnh Thử Nghiệm" in r.content.decode()


def test_member_list_and_detail(login, world):
    client = login("staff_p1")
    r = client.get("/members/?q=nguyen van duc")
    assert r.status_code == 200
    body = r.content.decode()
    assert body.count("Nguyễn Văn Đức") == 2
    m = world.member("Nguyễn Văn Đức", "K1")
    r = client.get(f"/members/{m.uuid}/")
    assert r.status_code == 200
    org = world.org("K1")
    assert client.get(f"/org/{org.uuid}/").status_code == 200
    assert client.get(f"/org/{world.org('P1').uuid}/children/").status_code == 200
