"""Who follows which cell: working groups, cross-attendance between secretaries, and the ways a
user follows a cell on a day (oversight/following.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from meetings import followers
from oversight import following
from oversight.models import CrossAttendance, VisitKind, WorkingGroup

D = dt.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def group(world, members=("committee_c1",), cells=("K1",), committee="C1", **kw):
    kw.setdefault("valid_from", D(2025, 1, 1))
    return following.create_group(
        world.org(committee),
        name=kw.pop("name", "Tổ công tác số 1"),
        members=[world.user(u) for u in members],
        cells=[world.org(c) for c in cells],
        by=world.user("staff_c1"),
        **kw,
    )


def cross(world, visitor="secretary_k1", from_cell="K1", cell="K2", **kw):
    kw.setdefault("valid_from", D(2025, 1, 1))
    return following.create_cross(
        world.org("C1"),
        visitor=world.user(visitor),
        from_cell=world.org(from_cell),
        cell=world.org(cell),
        **kw,
    )


# ---- working groups ---------------------------------------------------------------------------


def test_a_working_group_of_the_commune(world):
    g = group(world, members=("committee_c1", "staff_c1", "staff_p1"), cells=("K1", "K2"))
    assert g.organization == world.org("C1") and g.province == world.org("P1")
    assert {u.username for u in g.members.all()} == {"committee_c1", "staff_c1", "staff_p1"}
    assert g.cells.count() == 2
    assert g.history.first().history_user == world.user("staff_c1")


@pytest.mark.parametrize("username", ["secretary_k1", "member_k1", "staff_p2", "nobody", "admin"])
def test_members_hold_a_role_on_the_committee_or_above(world, username):
    with pytest.raises(ValidationError) as e:
        group(world, members=("committee_c1", username))
    assert "members" in e.value.error_dict
    assert not WorkingGroup.objects.exists()


@pytest.mark.parametrize("code", ["K3", "K4", "C1", "T1"])
def test_cells_are_cells_below_the_committee(world, code):
    with pytest.raises(ValidationError) as e:
        group(world, cells=("K1", code))
    assert "cells" in e.value.error_dict


def test_a_dissolved_cell_is_not_followed(world):
    k2 = world.org("K2")
    k2.dissolved_on = D(2025, 1, 1)
    k2.save()
    with pytest.raises(ValidationError):
        group(world, cells=("K2",))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"members": ()}, "members"),
        ({"cells": ()}, "cells"),
        ({"valid_to": D(2024, 12, 31)}, "valid_to"),
    ],
)
def test_a_group_needs_a_name_members_cells_and_a_period(world, changes, field):
    with pytest.raises(ValidationError) as e:
        group(world, **changes)
    assert field in e.value.error_dict


def test_a_cell_organises_no_group(world):
    with pytest.raises(ValidationError):
        group(world, committee="K1", cells=("K1",))


def test_a_group_is_changed_and_its_history_kept(world):
    g = group(world)
    following.update_group(
        g,
        name="Tổ công tác số 2",
        members=[world.user("staff_c1")],
        cells=[world.org("K2")],
        valid_from=D(2025, 1, 1),
        valid_to=D(2025, 12, 31),
    )
    g.refresh_from_db()
    assert (g.name, g.valid_to) == ("Tổ công tác số 2", D(2025, 12, 31))
    assert [c.code for c in g.cells.all()] == ["K2"]
    assert g.history.count() >= 2


# ---- cross-attendance -------------------------------------------------------------------------


def test_a_secretary_attends_another_cell_of_the_commune(world):
    p = cross(world)
    assert (p.visitor, p.from_cell, p.cell, p.organization) == (
        world.user("secretary_k1"),
        world.org("K1"),
        world.org("K2"),
        world.org("C1"),
    )


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"visitor": "committee_c1"}, "visitor"),  # not a cell secretary
        ({"visitor": "member_k1"}, "visitor"),
        ({"from_cell": "K2", "cell": "K1"}, "visitor"),  # not K2's secretary
        ({"cell": "K1"}, "cell"),  # their own cell
        ({"cell": "K3"}, "cell"),  # another commune's
        ({"cell": "K4"}, "cell"),
        ({"valid_to": D(2024, 1, 1)}, "valid_to"),
    ],
)
def test_cross_attendance_rules(world, kw, field):
    with pytest.raises(ValidationError) as e:
        cross(world, **kw)
    assert field in e.value.error_dict
    assert not CrossAttendance.objects.exists()


def test_overlapping_periods_of_the_same_pair_are_refused(world):
    cross(world, valid_to=D(2025, 6, 30))
    with pytest.raises(ValidationError):
        cross(world, valid_from=D(2025, 6, 1))
    assert cross(world, valid_from=D(2025, 7, 1)).valid_from == D(2025, 7, 1)


def test_ending_an_exchange(world):
    p = cross(world)
    with pytest.raises(ValidationError):
        following.end_cross(p, D(2024, 12, 31))
    following.end_cross(p, D(2025, 6, 30))
    assert p.valid_to == D(2025, 6, 30)
    with pytest.raises(ValidationError):
        following.end_cross(p, D(2025, 7, 31))


# ---- ways of following ------------------------------------------------------------------------


def test_the_ways_a_user_follows_a_cell_on_a_day(world):
    u = world.user("committee_c1")
    k1 = world.org("K1")
    assert [w.kind for w in following.ways(u, k1, D(2025, 3, 1))] == [VisitKind.OTHER]
    followers.assign_follower(k1, u, D(2025, 1, 1), D(2025, 6, 30))
    g = group(world, valid_from=D(2025, 3, 1))
    ways = following.ways(u, k1, D(2025, 3, 1))
    assert [w.kind for w in ways] == [
        VisitKind.SUPERVISOR,
        VisitKind.WORKING_GROUP,
        VisitKind.OTHER,
    ]
    assert ways[1].group == g
    assert [w.kind for w in following.ways(u, k1, D(2025, 7, 1))] == [
        VisitKind.WORKING_GROUP,
        VisitKind.OTHER,
    ]


def test_a_cross_attending_secretary_follows_only_the_cell_visited(world):
    cross(world)
    s = world.user("secretary_k1")
    assert [w.kind for w in following.ways(s, world.org("K2"), D(2025, 3, 1))] == [VisitKind.CROSS]
    assert following.ways(s, world.org("K1"), D(2025, 3, 1)) == []  # their own cell
    assert following.ways(s, world.org("K2"), D(2024, 12, 31)) == []


def test_followed_cells_for_the_schedule(world, django_assert_num_queries):
    u = world.user("committee_c1")
    followers.assign_follower(world.org("K1"), u, D(2025, 1, 1))
    group(world, cells=("K1", "K2"), valid_from=D(2025, 1, 1), valid_to=D(2025, 3, 31))
    with django_assert_num_queries(3):
        cells = following.followed_cells(u, D(2025, 3, 1), D(2025, 5, 1))
    assert cells == {
        world.org("K1").pk: {VisitKind.SUPERVISOR, VisitKind.WORKING_GROUP},
        world.org("K2").pk: {VisitKind.WORKING_GROUP},
    }
    assert following.followed_cells(u, D(2025, 4, 1), D(2025, 5, 1)) == {
        world.org("K1").pk: {VisitKind.SUPERVISOR}
    }
    assert following.follows_any(u, D(2025, 4, 1))
    assert not following.follows_any(world.user("staff_p1"), D(2025, 4, 1))
