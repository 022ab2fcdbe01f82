import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from members.models import Member, MemberStatus, Person


def member(**kw):
    person = Person(full_name="Nguyễn Văn A", sex="M", birth_date=dt.date(1980, 1, 1))
    defaults = {
        "person": person,
        "dossier_no": "000001TN",
        "status": MemberStatus.OFFICIAL,
        "admission_decision_date": dt.date(2005, 1, 10),
        "ceremony_date": dt.date(2005, 2, 1),
        "official_date": dt.date(2006, 2, 1),
    }
    defaults.update(kw)
    return Member(**defaults)


def errors_of(m):
    with pytest.raises(ValidationError) as e:
        m.clean()
    return e.value.error_dict


def test_a_consistent_official_member_is_valid():
    member().clean()


def test_ceremony_before_decision_is_refused():
    assert "ceremony_date" in errors_of(member(ceremony_date=dt.date(2005, 1, 1)))


def test_official_date_must_follow_the_ceremony():
    assert "official_date" in errors_of(member(official_date=dt.date(2005, 1, 15)))


def test_members_are_admitted_from_18():
    assert "admission_decision_date" in errors_of(
        member(admission_decision_date=dt.date(1997, 6, 1), ceremony_date=dt.date(1997, 7, 1))
    )


def test_probationary_members_have_a_ceremony_and_no_official_date():
    errs = errors_of(member(status=MemberStatus.PROBATIONARY))
    assert "official_date" in errs
    errs = errors_of(
        member(status=MemberStatus.PROBATIONARY, ceremony_date=None, official_date=None)
    )
    assert "ceremony_date" in errs


def test_leaving_needs_a_reason_and_a_date_and_only_then():
    errs = errors_of(member(status=MemberStatus.LEFT))
    assert {"left_reason", "status_date"} <= set(errs)
    assert "left_reason" in errors_of(member(left_reason="death"))
    member(status=MemberStatus.LEFT, left_reason="death", status_date=dt.date(2024, 1, 1)).clean()


def test_future_dates_are_refused():
    assert "official_date" in errors_of(
        member(official_date=timezone.localdate() + dt.timedelta(days=2))
    )


def test_person_birth_date_and_citizen_id_are_checked_together():
    p = Person(
        full_name="Trần Thị B", sex="F", birth_date=dt.date(1990, 1, 1), citizen_id="001090000001"
    )
    with pytest.raises(ValidationError) as e:
        p.clean()  # digit 4 = 0 says male
    assert "citizen_id" in e.value.error_dict
    p.citizen_id = "001190000001"
    p.clean()


def test_person_names_are_normalized_and_birth_name_dropped_when_equal(world):
    import unicodedata

    p = Person(
        province=world.org("P1"),
        full_name=unicodedata.normalize("NFD", "  Lê   Thị  Ánh "),
        birth_name="Lê Thị Ánh",
        sex="F",
        birth_date=dt.date(1990, 1, 1),
    )
    p.save()
    assert p.full_name == "Lê Thị Ánh" and p.birth_name == ""
    assert p.search_text == " le thi anh "


def test_membership_on_a_date(world):
    m = world.member("Nguyễn Văn Đức", "K1")
    assert m.membership_on(dt.date(1989, 1, 1)) is None
    assert m.membership_on(dt.date(2000, 1, 1)).organization.code == "K1"


def test_the_member_row_keeps_a_copy_of_the_persons_sort_key(world):
    """The list sorts on Member.sort_key (one index walk): every path must keep it right."""
    member = Member.objects.select_related("person").filter(province=world.org("P1")).first()
    assert member.sort_key == member.person.sort_key != ""
    person = Person.objects.get(pk=member.person_id)  # loaded alone: the rename path of forms
    person.full_name = "Lê Văn Ánh"
    person.save()
    member.refresh_from_db()
    assert member.sort_key == person.sort_key
    # And every member of the test world (created through save()) has its copy.
    mismatched = Member.objects.exclude(sort_key=models.F("person__sort_key"))
    assert not mismatched.exists()


def test_bulk_created_members_get_the_sort_key(world):
    from members.services import NewMember, create_members_bulk

    cell = world.org("K1")
    person = Person(
        full_name="Bùi Thị Yến", sex="F", birth_date=dt.date(1990, 1, 1), ethnicity="01"
    )
    member = Member(
        dossier_no="777777TN",
        status="probationary",
        admission_decision_date=dt.date(2025, 6, 1),
        ceremony_date=dt.date(2025, 6, 20),
    )
    [created] = create_members_bulk([NewMember(person, member, cell, dt.date(2025, 6, 20))])
    created.refresh_from_db()
    assert created.sort_key == person.sort_key != ""
