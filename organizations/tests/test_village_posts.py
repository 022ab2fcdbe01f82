"""Village posts: the model's rules, the service, and the section of the village page."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from members.models import MemberStatus
from organizations import village_posts
from organizations.models import PostTenure, Village, VillagePost, VillagePostTitle

HEAD, FRONT = VillagePostTitle.VILLAGE_HEAD, VillagePostTitle.FRONT_HEAD
D = dt.date(2023, 1, 1)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def v1(world):
    return Village.objects.get(code="V1")


def page(village):
    return reverse("organizations:village_edit", args=[village.uuid])


def add_url(village):
    return reverse("organizations:village_post_add", args=[village.uuid])


def end_url(village):
    return reverse("organizations:village_post_end", args=[village.uuid])


# ---- model and service ----------------------------------------------------------------


def test_a_member_holder_takes_the_name_and_province_from_the_records(world, v1):
    duc = world.member("Nguyễn Văn Đức", "K1")
    post = village_posts.record_holder(v1, HEAD, D, member=duc)
    assert (post.holder_name, post.province_id, post.how) == (
        "Nguyễn Văn Đức",
        world.org("P1").pk,
        PostTenure.ELECTED,
    )
    assert post.history.count() == 1


def test_a_new_holder_ends_the_current_one_the_day_before(world, v1):
    first = village_posts.record_holder(v1, HEAD, D, holder_name="Ông Cũ")
    second = village_posts.record_holder(v1, HEAD, dt.date(2024, 3, 1), holder_name="Bà Mới")
    first.refresh_from_db()
    assert first.valid_to == dt.date(2024, 2, 29) and second.valid_to is None
    # The other title of the same village is untouched.
    front = village_posts.record_holder(v1, FRONT, D, holder_name="Ông Mặt Trận")
    assert VillagePost.objects.active(dt.date(2024, 6, 1)).filter(village=v1).count() == 2
    assert front.valid_to is None


def test_overlapping_periods_are_refused_and_nothing_is_written(world, v1):
    village_posts.record_holder(v1, HEAD, dt.date(2024, 3, 1), holder_name="Bà Mới")
    with pytest.raises(ValidationError, match="cannot overlap"):
        village_posts.record_holder(v1, HEAD, dt.date(2024, 3, 1), holder_name="Trùng Ngày")
    with pytest.raises(ValidationError, match="cannot overlap"):  # before the current one
        village_posts.record_holder(v1, HEAD, D, holder_name="Trước Đó")
    assert list(VillagePost.objects.values_list("holder_name", "valid_to")) == [("Bà Mới", None)]


def test_a_holder_is_a_member_or_a_name_and_dates_are_in_order(world, v1):
    with pytest.raises(ValidationError) as e:
        village_posts.record_holder(v1, HEAD, D)
    assert "holder_name" in e.value.error_dict
    post = VillagePost(
        village=v1, title=HEAD, holder_name="X", valid_from=D, valid_to=D.replace(year=2022)
    )
    with pytest.raises(ValidationError) as e:
        post.full_clean(exclude=["province"])
    assert "valid_to" in e.value.error_dict


def test_the_member_must_be_active_and_of_the_commune_or_living_in_the_village(world, v1):
    # K3 belongs to phường Bắc Sơn, not to V1's xã An Bình, and does not live in V1.
    mai = world.member("Vũ Thị Mai", "K3")
    with pytest.raises(ValidationError, match="not an active party member"):
        village_posts.record_holder(v1, HEAD, D, member=mai)
    mai.person.residence_village = v1
    mai.person.save()
    assert village_posts.record_holder(v1, HEAD, D, member=mai).member == mai
    nam = world.member("Lê Văn Nam", "K1")
    nam.status = MemberStatus.LEFT
    nam.save()
    with pytest.raises(ValidationError, match="not an active party member"):
        village_posts.record_holder(v1, FRONT, D, member=nam)
    assert VillagePost.objects.count() == 1


def test_ending_a_post(world, v1):
    post = village_posts.record_holder(v1, HEAD, D, holder_name="Ông Cũ")
    with pytest.raises(ValidationError, match="before it started"):
        village_posts.end_post(post, D - dt.timedelta(days=1))
    village_posts.end_post(post, dt.date(2024, 12, 31))
    with pytest.raises(ValidationError, match="already ended"):
        village_posts.end_post(post, dt.date(2025, 1, 1))
    post.refresh_from_db()
    assert post.valid_to == dt.date(2024, 12, 31)


def test_the_posts_follow_the_village_to_another_province():
    from organizations.services import tenant_models

    assert VillagePost in tenant_models() and VillagePost.TENANT_PATH == "village__commune__"


# ---- the page --------------------------------------------------------------------------


def test_the_commune_staff_records_a_member_as_village_head(client, world, v1):
    client.force_login(world.user("staff_c1"))
    duc = world.member("Nguyễn Văn Đức", "K1")
    r = client.get(page(v1))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Village posts" in body and "Nguyễn Văn Đức — Chi bộ thôn Đông" in body
    # Members of other communes are not offered.
    assert "Vũ Thị Mai" not in body
    r = client.post(
        add_url(v1),
        {
            "post-title": HEAD,
            "post-member": duc.pk,
            "post-how": "elected",
            "post-valid_from": "01/01/2023",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("#posts")
    post = VillagePost.objects.get()
    assert (post.member, post.valid_from, post.title) == (duc, D, HEAD)
    body = client.get(page(v1)).content.decode()
    assert "Nguyễn Văn Đức</a>" in body and "End the post" in body


def test_a_non_member_holder_by_name_then_ended(client, world, v1):
    client.force_login(world.user("staff_p1"))
    r = client.post(
        add_url(v1),
        {
            "post-title": FRONT,
            "post-holder_name": " Bà Ngoài Đảng ",
            "post-how": "acting",
            "post-valid_from": "01/01/2023",
        },
    )
    assert r.status_code == 302
    post = VillagePost.objects.get()
    assert (post.holder_name, post.member, post.how) == ("Bà Ngoài Đảng", None, "acting")
    r = client.post(end_url(v1), {"post": post.pk, "valid_to": "31/12/2024"})
    assert r.status_code == 302
    post.refresh_from_db()
    assert post.valid_to == dt.date(2024, 12, 31)
    assert (
        "current"
        not in client.get(page(v1))
        .content.decode()
        .split("Village posts")[1]
        .split("Record a new holder")[0]
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"post-title": HEAD, "post-how": "elected", "post-valid_from": "01/01/2023"},
            "Choose a party member",
        ),
        (
            {
                "post-title": HEAD,
                "post-how": "elected",
                "post-valid_from": "31/02/2023",
                "post-holder_name": "X",
            },
            "Enter a date as dd/mm/yyyy",
        ),
        (
            {
                "post-title": "mayor",
                "post-how": "elected",
                "post-valid_from": "01/01/2023",
                "post-holder_name": "X",
            },
            "Select a valid choice",
        ),
    ],
)
def test_bad_input_is_explained_and_writes_nothing(client, world, v1, data, message):
    client.force_login(world.user("staff_c1"))
    r = client.post(add_url(v1), data)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not VillagePost.objects.exists()


def test_both_a_member_and_a_name_or_an_outside_member_are_refused(client, world, v1):
    client.force_login(world.user("staff_c1"))
    duc = world.member("Nguyễn Văn Đức", "K1")
    base = {"post-title": HEAD, "post-how": "elected", "post-valid_from": "01/01/2023"}
    r = client.post(add_url(v1), {**base, "post-member": duc.pk, "post-holder_name": "X"})
    assert r.status_code == 400 and "not both" in r.content.decode()
    r = client.post(add_url(v1), {**base, "post-member": world.member("Bùi Văn Tâm", "K4").pk})
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
    assert not VillagePost.objects.exists()


def test_an_overlap_and_a_bad_end_are_explained(client, world, v1):
    client.force_login(world.user("staff_c1"))
    post = village_posts.record_holder(v1, HEAD, dt.date(2024, 3, 1), holder_name="Bà Mới")
    r = client.post(
        add_url(v1),
        {
            "post-title": HEAD,
            "post-how": "elected",
            "post-valid_from": "01/01/2023",
            "post-holder_name": "Y",
        },
    )
    assert r.status_code == 400 and "Bà Mới holds this post from 01/03/2024" in r.content.decode()
    r = client.post(end_url(v1), {"post": post.pk, "valid_to": "01/01/2024"})
    assert r.status_code == 400 and "cannot end before it started" in r.content.decode()
    other = village_posts.record_holder(
        Village.objects.get(code="V2"), HEAD, D, holder_name="Ở Thôn Khác"
    )
    r = client.post(end_url(v1), {"post": other.pk, "valid_to": "01/01/2025"})
    assert r.status_code == 400 and "not a current post of the village" in r.content.decode()
    assert VillagePost.objects.filter(valid_to__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("staff_c1", 302),  # the commune's organization board
        ("committee_c1", 403),  # sees the village, may not edit it
        ("secretary_k1", 404),  # villages are the commune's, outside a cell secretary's scope
        ("staff_p2", 404),  # another province
        (None, 302),  # to the login page
    ],
)
def test_who_may_record_a_holder(client, world, v1, user, status):
    if user:
        client.force_login(world.user(user))
    r = client.post(
        add_url(v1),
        {
            "post-title": HEAD,
            "post-holder_name": "X",
            "post-how": "elected",
            "post-valid_from": "01/01/2023",
        },
    )
    assert r.status_code == status
    if user is None:
        assert r["Location"].startswith(reverse("accounts:login"))
    assert VillagePost.objects.exists() == (user == "staff_c1")


def test_the_village_page_runs_a_constant_number_of_queries(
    client, world, v1, django_assert_num_queries
):
    client.force_login(world.user("staff_c1"))
    client.get(page(v1))
    village_posts.record_holder(v1, HEAD, D, member=world.member("Nguyễn Văn Đức", "K1"))
    village_posts.record_holder(v1, FRONT, D, holder_name="Ông Mặt Trận")
    # session, user, scope, village, communes, posts, members offered (+ the savepoints)
    with django_assert_num_queries(7):
        client.get(page(v1))
    for i, name in enumerate(("Ông A", "Bà B", "Ông C")):
        village_posts.record_holder(v1, HEAD, dt.date(2024, 1, 1 + i), holder_name=name)
    with django_assert_num_queries(7):
        r = client.get(page(v1))
    assert r.content.decode().count("End the post") == 2
