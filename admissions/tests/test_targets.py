"""Admission targets: the model's rules, the results (one grouped query), the pages."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from admissions import targets as admission_targets
from admissions.models import AdmissionTarget, Stage
from admissions.tests import targets as t
from members.models import Member, MemberStatus, Person
from members.services import create_member

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def as_user(client, world):
    def _as(username):
        client.force_login(world.user(username))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _as


SEQ = iter(range(800001, 899999))


def admit(cell, name, ceremony, *, sex="M", birth=D(1990, 1, 1), ethnicity="01", youth=False):
    person = Person(
        full_name=name, sex=sex, birth_date=birth, ethnicity=ethnicity, youth_union=youth
    )
    member = Member(
        dossier_no=f"{next(SEQ):06d}TN",
        status=MemberStatus.PROBATIONARY,
        ceremony_date=ceremony,
        admission_decision_date=ceremony - dt.timedelta(days=10),
    )
    return create_member(person=person, member=member, organization=cell, start_date=ceremony)


def target(org, year=2024, **kw):
    kw.setdefault("admissions", 5)
    return AdmissionTarget(organization=org, province_id=org.province_id, year=year, **kw)


# ---- model rules ------------------------------------------------------------------------------


def test_a_share_over_100_or_a_year_out_of_range_is_refused(world):
    k1 = world.org("K1")
    with pytest.raises(ValidationError) as e:
        target(k1, women_share=101).full_clean()
    assert "women_share" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        target(k1, year=1999).full_clean()
    assert "year" in e.value.message_dict
    target(k1, women_share=100, minority_share=0, year=2000).full_clean()
    target(k1, year=2100).full_clean()


def test_the_database_refuses_a_second_target_for_the_same_year(world):
    target(world.org("K1")).save()
    with pytest.raises(IntegrityError):
        target(world.org("K1")).save()


def test_the_database_refuses_a_share_over_100(world):
    with pytest.raises(IntegrityError):
        target(world.org("K1"), under_30_share=150).save()


def test_set_targets_validates_every_row_before_writing(world):
    c1, k1, k2 = world.org("C1"), world.org("K1"), world.org("K2")
    with pytest.raises(ValidationError):
        admission_targets.set_targets(
            c1, 2024, {c1: {"admissions": 10}, k1: {"admissions": 4, "women_share": 120}}
        )
    assert not AdmissionTarget.objects.exists()
    with pytest.raises(ValidationError):  # K3 is not a direct unit of C1
        admission_targets.set_targets(c1, 2024, {world.org("K3"): {"admissions": 1}})
    with pytest.raises(ValidationError):
        admission_targets.set_targets(c1, 1990, {c1: {"admissions": 1}})
    admission_targets.set_targets(
        c1, 2024, {c1: {"admissions": 10, "women_share": 40}, k2: {"admissions": 3}}
    )
    assert AdmissionTarget.objects.get(organization=c1).women_share == 40
    assert AdmissionTarget.objects.get(organization=c1).province == world.org("P1")
    admission_targets.set_targets(c1, 2024, {k2: None})  # removed
    assert list(AdmissionTarget.objects.values_list("organization__code", flat=True)) == ["C1"]


# ---- results ----------------------------------------------------------------------------------


@pytest.fixture
def admitted_2024(world):
    k1, k2 = world.org("K1"), world.org("K2")
    admit(k1, "Hà Thu Trang", D(2024, 3, 1), sex="F", birth=D(2000, 5, 5), youth=True)
    admit(k1, "Lò Văn Páo", D(2024, 4, 1), ethnicity="03", birth=D(1980, 1, 1))
    # 30 exactly on the ceremony day: not under 30; a day younger: under 30.
    admit(k2, "Tròn Ba Mươi", D(2024, 9, 5), birth=D(1994, 9, 5))
    admit(k2, "Chưa Ba Mươi", D(2024, 9, 5), sex="F", birth=D(1994, 9, 6))
    admit(k2, "Năm Trước", D(2023, 12, 31))  # another year
    admit(world.org("K3"), "Xã Khác", D(2024, 5, 5))  # another commune


def test_results_count_each_direct_unit_and_the_shares(world, admitted_2024):
    rows = admission_targets.results(world.org("C1"), 2024)
    k1 = rows[world.org("K1").path]
    k2 = rows[world.org("K2").path]
    assert (k1.admitted, k1.minority, k1.women, k1.under_30, k1.youth_union) == (2, 1, 1, 1, 1)
    assert (k2.admitted, k2.minority, k2.women, k2.under_30, k2.youth_union) == (2, 0, 1, 1, 0)
    assert k1.shares == {
        "minority_share": 50,
        "women_share": 50,
        "under_30_share": 50,
        "youth_union_share": 50,
    }
    province = admission_targets.results(world.org("P1"), 2024)
    assert province[world.org("C1").path].admitted == 4
    assert province[world.org("C2").path].admitted == 1


def test_a_member_counts_where_they_were_admitted_after_moving(world):
    candidate = t.advance(t.new_candidate(world.org("K2"), name="Đỗ Minh Khôi"), Stage.PROBATION)
    Member.objects.filter(pk=candidate.member_id).update(organization=world.org("K3"))
    rows = admission_targets.results(world.org("P1"), t.CEREMONY.year)
    assert rows[world.org("C1").path].admitted == 1
    assert world.org("C2").path not in rows


def test_the_table_compares_targets_with_results(world, admitted_2024):
    c1, k1 = world.org("C1"), world.org("K1")
    admission_targets.set_targets(
        c1, 2024, {c1: {"admissions": 8, "women_share": 30}, k1: {"admissions": 2}}
    )
    data = admission_targets.table(c1, [k1, world.org("K2")], 2024)
    assert [r["org"].code for r in data["rows"]] == ["K1", "K2"]
    assert data["rows"][0]["target"].admissions == 2
    assert data["rows"][1]["target"] is None
    total = data["total"]
    assert total["target"].admissions == 8 and total["result"].admitted == 4
    assert total["shares"][1] == (30, 50.0)  # women: target 30 %, achieved 2 of 4


def test_a_cell_shows_its_own_admissions(world, admitted_2024):
    k1 = world.org("K1")
    data = admission_targets.table(k1, [], 2024)
    assert data["rows"][0]["own"] and data["rows"][0]["result"].admitted == 2


# ---- pages ------------------------------------------------------------------------------------


def targets_url(org, year=2024):
    return reverse("admissions:targets", args=[org.uuid]) + f"?year={year}"


def edit_url(org, year=2024):
    return reverse("admissions:targets_edit", args=[org.uuid]) + f"?year={year}"


def test_the_targets_page_shows_each_unit_and_the_total(as_user, world, admitted_2024):
    c1 = world.org("C1")
    admission_targets.set_targets(c1, 2024, {c1: {"admissions": 8}})
    r = as_user("committee_c1").get(targets_url(c1))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Chi bộ thôn Đông" in body and "Chi bộ thôn Tây" in body
    assert "Xã Khác" not in body
    assert r.context["total"]["result"].admitted == 4
    assert not r.context["can_edit"]
    assert "admissions/org/" in body  # the link back to the pipeline
    assert as_user("committee_c1").get(targets_url(c1, 1800)).status_code == 404
    assert as_user("committee_c1").get(targets_url(c1, "x")).status_code == 404


def test_the_pipeline_links_to_the_targets(as_user, world):
    c1 = world.org("C1")
    body = as_user("staff_c1").get(reverse("admissions:pipeline", args=[c1.uuid])).content
    assert reverse("admissions:targets", args=[c1.uuid]).encode() in body


def test_the_targets_page_needs_no_more_queries_for_more_units(
    as_user, world, admitted_2024, django_assert_num_queries
):
    client = as_user("staff_p1")
    p1 = world.org("P1")
    admission_targets.set_targets(
        p1, 2024, {p1: {"admissions": 20}, world.org("C1"): {"admissions": 8}}
    )
    # Session, user, scope, the organization, its units, the results, the targets; the
    # commune adds its ancestors (the breadcrumbs): the same however many units are shown.
    for org, queries in ((p1, 7), (world.org("C1"), 8)):
        client.get(targets_url(org))  # warm the session
        with django_assert_num_queries(queries):
            assert client.get(targets_url(org)).status_code == 200


def test_staff_set_the_targets_of_the_organization_and_its_units(as_user, world):
    c1, k1, k2 = world.org("C1"), world.org("K1"), world.org("K2")
    client = as_user("staff_c1")
    r = client.get(edit_url(c1))
    assert r.status_code == 200
    assert [u.code for u, _f in r.context["rows"]] == ["C1", "K1", "K2"]
    r = client.post(
        edit_url(c1),
        {
            f"u{c1.pk}-admissions": "10",
            f"u{c1.pk}-women_share": "40",
            f"u{k1.pk}-admissions": "4",
            f"u{k1.pk}-minority_share": "25",
            f"u{k2.pk}-admissions": "",
        },
    )
    assert r.status_code == 302 and r["Location"] == targets_url(c1)
    assert AdmissionTarget.objects.get(organization=c1, year=2024).women_share == 40
    assert AdmissionTarget.objects.get(organization=k1).minority_share == 25
    assert not AdmissionTarget.objects.filter(organization=k2).exists()
    target = AdmissionTarget.objects.get(organization=c1)
    assert target.history.first().history_user == world.user("staff_c1")


def test_bad_targets_are_refused_and_nothing_is_written(as_user, world):
    c1, k1 = world.org("C1"), world.org("K1")
    client = as_user("staff_c1")
    r = client.post(edit_url(c1), {f"u{c1.pk}-admissions": "10", f"u{k1.pk}-women_share": "140"})
    assert r.status_code == 400
    r = client.post(edit_url(c1), {f"u{c1.pk}-admissions": "10", f"u{k1.pk}-women_share": "40"})
    assert r.status_code == 400
    assert "Give the number of new members to admit first." in r.content.decode()
    assert not AdmissionTarget.objects.exists()


def test_only_staff_above_set_targets(as_user, world):
    k1 = world.org("K1")
    assert as_user("secretary_k1").get(targets_url(k1)).status_code == 200
    assert as_user("secretary_k1").get(edit_url(k1)).status_code == 403
    assert as_user("committee_c1").post(edit_url(world.org("C1")), {}).status_code == 403
    assert as_user("staff_p2").get(targets_url(k1)).status_code == 404
    assert as_user("staff_p2").post(edit_url(k1), {f"u{k1.pk}-admissions": "3"}).status_code == 404
    assert not AdmissionTarget.objects.exists()


def test_anonymous_users_are_sent_to_sign_in(client, world):
    r = client.get(targets_url(world.org("K1")))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
