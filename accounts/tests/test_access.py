import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.access import Cap, Level, Scope, get_member, get_organization
from accounts.models import Role, RoleAssignment
from members.models import Membership, MembershipKind


def scope(world, username):
    return Scope.for_user(world.user(username))


def codes(qs):
    return set(qs.values_list("code", flat=True))


def test_staff_sees_their_subtree_only(world):
    s = scope(world, "staff_c1")
    assert codes(s.organizations()) == {"C1", "K1", "T1", "K2"}
    assert set(s.members().values_list("organization__code", flat=True)) == {"K1", "K2"}


def test_secretary_manages_members_of_their_cell_but_not_its_structure(world):
    s = scope(world, "secretary_k1")
    k1 = world.org("K1")
    assert s.can(Cap.MANAGE_MEMBERS, k1) and not s.can(Cap.MANAGE_STRUCTURE, k1)
    assert codes(s.organizations()) == {"K1", "T1"}


def test_member_sees_only_their_own_record(world):
    s = scope(world, "member_k1")
    assert not s.has_org_access
    assert list(s.members().values_list("person__full_name", flat=True)) == ["Trần Thị Hoa"]
    assert not s.organizations().exists()


def test_anonymous_and_roleless_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    for s in (Scope.for_user(AnonymousUser()), scope(world, "nobody")):
        assert not s.organizations().exists() and not s.members().exists()


def test_expired_and_future_roles_grant_nothing(world):
    user = world.user("nobody")
    k1 = world.org("K1")
    RoleAssignment.objects.create(
        user=user,
        role=Role.COMMITTEE,
        organization=k1,
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2021, 1, 1),
    )
    RoleAssignment.objects.create(
        user=user,
        role=Role.COMMITTEE,
        organization=k1,
        valid_from=timezone.localdate() + dt.timedelta(days=1),
    )
    assert not Scope.for_user(user).organizations().exists()


def test_an_inactive_user_loses_every_right(world):
    user = world.user("staff_p1")
    user.is_active = False
    assert not Scope.for_user(user).organizations().exists()


def test_temporarily_attached_members_are_visible_to_the_receiving_cell_read_only(world):
    binh = world.member("Hoàng Văn Bình", "K2")
    Membership.objects.create(
        province_id=binh.province_id,
        member=binh,
        organization=world.org("K1"),
        kind=MembershipKind.TEMPORARY,
        start_date=dt.date(2025, 1, 1),
    )
    s = scope(world, "secretary_k1")
    assert s.members().filter(pk=binh.pk).exists()
    get_member(s, binh.uuid)
    with pytest.raises(PermissionDenied):
        get_member(s, binh.uuid, Cap.MANAGE_MEMBERS)


def test_out_of_scope_is_404_and_read_only_is_403(world):
    with pytest.raises(Http404):
        get_organization(scope(world, "staff_p2"), world.org("K1").uuid)
    with pytest.raises(Http404):
        get_organization(scope(world, "staff_p2"), "not-a-uuid")
    with pytest.raises(PermissionDenied):
        get_organization(scope(world, "committee_c1"), world.org("K1").uuid, Cap.MANAGE_MEMBERS)


def test_levels_take_the_highest_grant_along_the_path(world):
    user = world.user("committee_c1")
    RoleAssignment.objects.create(user=user, role=Role.SECRETARY, organization=world.org("K2"))
    s = Scope.for_user(user)
    assert s.level_for(world.org("K1")) == Level.READ
    assert s.level_for(world.org("K2")) == Level.CELL


def test_scope_is_computed_in_one_query(world, django_assert_num_queries):
    user = world.user("staff_p1")
    with django_assert_num_queries(1):
        s = Scope.for_user(user)
    with django_assert_num_queries(0):
        assert s.level_for_path("0001") >= Level.NONE


def test_province_staff_see_members_of_other_provinces_attached_to_their_cells(world):
    tam = world.member("Bùi Văn Tâm", "K4")  # home in P2
    s = scope(world, "staff_p1")
    assert not s.members().filter(pk=tam.pk).exists()
    Membership.objects.create(
        province_id=world.org("P1").pk,
        member=tam,
        organization=world.org("K3"),
        kind=MembershipKind.TEMPORARY,
        start_date=dt.date(2025, 1, 1),
    )
    assert s.members().filter(pk=tam.pk).exists()
    assert scope(world, "staff_p2").members().filter(pk=tam.pk).exists()
