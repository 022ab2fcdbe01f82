"""Inspection and supervision pages: the organization's page, plans, a new inspection, each
step, and who may see and do what (owner / same scope / out of scope 404 / anonymous)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight import services_inspections as services
from oversight.models import FollowUp, Inspection, InspectionPlan, InspectionStatus


def d(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


@pytest.fixture
def today():
    return timezone.localdate()


def new(world, subject="K1", member=None, committee="C1", **kw):
    args = {
        "kind": "inspection",
        "topic": kw.pop("topic", "Lãnh đạo sinh hoạt chi bộ"),
        "planned_from": timezone.localdate(),
        **kw,
    }
    if member:
        args["subject_member"] = world.member(member, subject)
    else:
        args["subject_org"] = world.org(subject)
    return services.create_inspection(world.org(committee), **args)


def concluded(world, **kw):
    today = timezone.localdate()
    i = services.start_inspection(new(world, **kw), on=today)
    return services.conclude_inspection(i, on=today, conclusion="Kết luận")


def page_url(world, code, **params):
    url = reverse("oversight:inspections", args=[world.org(code).uuid])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


# ---- the organization's page ---------------------------------------------------------------


def test_the_committee_page_shows_the_plan_counts_and_list(world, login, today):
    services.adopt_plan(world.org("C1"), year=today.year, number="05-CTr/ĐU")
    new(world, topic="Kiểm tra chi bộ thôn Đông")
    concluded(world, subject="K2", topic="Giám sát chi bộ thôn Tây")
    r = login("staff_c1").get(page_url(world, "C1"))
    assert r.status_code == 200
    body = r.content.decode()
    assert "05-CTr/ĐU" in body
    assert "Kiểm tra chi bộ thôn Đông" in body and "Giám sát chi bộ thôn Tây" in body
    assert r.context["counts"]["planned"] == 1
    assert r.context["counts"]["concluded"] == 1
    assert r.context["can_write"]
    assert reverse("oversight:inspection_create", args=[world.org("C1").uuid]) in body


def test_filters_by_status_kind_and_year(world, login, today):
    new(world, topic="Kế hoạch A")
    concluded(world, subject="K2", topic="Đã xong B")
    new(world, topic="Giám sát C", kind="supervision")
    new(world, topic="Năm trước D", planned_from=today.replace(year=today.year - 1, month=6, day=1))
    client = login("committee_c1")

    def topics(**params):
        r = client.get(page_url(world, "C1", **params))
        assert r.status_code == 200
        return sorted(i.topic for i in r.context["page"])

    assert topics() == ["Giám sát C", "Kế hoạch A", "Đã xong B"]
    assert topics(status="concluded") == ["Đã xong B"]
    assert topics(status="planned") == ["Giám sát C", "Kế hoạch A"]
    assert topics(kind="supervision") == ["Giám sát C"]
    assert topics(year=today.year - 1) == ["Năm trước D"]
    assert topics(status="violations") == []
    assert topics(status="nonsense", kind="nonsense", year="abc") == topics()


def test_overdue_follow_ups_are_counted_and_listed_whatever_the_year(world, login, today):
    old = concluded(world, topic="Năm trước", planned_from=today.replace(year=today.year - 1))
    FollowUp.objects.create(
        province_id=old.province_id, inspection=old, text="x", due_on=today - dt.timedelta(days=1)
    )
    r = login("staff_c1").get(page_url(world, "C1", status="overdue"))
    assert r.context["counts"]["overdue"] == 1
    assert [i.topic for i in r.context["page"]] == ["Năm trước"]
    assert r.context["page"][0].overdue_count == 1


def test_a_committee_member_reads_without_write_buttons(world, login):
    new(world)
    r = login("committee_c1").get(page_url(world, "C1"))
    assert r.status_code == 200
    assert not r.context["can_write"]
    assert reverse("oversight:inspection_create", args=[world.org("C1").uuid]) not in (
        r.content.decode()
    )


def test_the_cell_page_shows_the_inspections_of_it(world, login):
    new(world, subject="K1", topic="Kiểm tra chi bộ thôn Đông")
    new(world, subject="K2", topic="Kiểm tra chi bộ thôn Tây")
    r = login("secretary_k1").get(page_url(world, "K1"))
    assert r.context["side"] == "of"
    assert [i.topic for i in r.context["page"]] == ["Kiểm tra chi bộ thôn Đông"]
    assert not r.context["parent_can_write"]  # a secretary reads, the commune staff write
    client = login("staff_c1")
    r = client.get(page_url(world, "K1"))
    assert r.context["parent_can_write"]
    create = reverse("oversight:inspection_create", args=[world.org("C1").uuid])
    assert f"{create}?subject=org:{world.org('K1').uuid}" in r.content.decode()


@pytest.mark.parametrize(
    ("user", "code", "status"),
    [
        ("staff_c1", "C1", 200),
        ("committee_c1", "C1", 200),
        ("staff_p1", "C1", 200),
        ("secretary_k1", "C1", 404),
        ("member_k1", "K1", 404),
        ("staff_c1", "C2", 404),
        ("staff_p2", "C1", 404),
        ("nobody", "C1", 404),
    ],
)
def test_who_opens_the_page(world, login, user, code, status):
    assert login(user).get(page_url(world, code)).status_code == status


def test_anonymous_users_are_sent_to_log_in(world, client):
    r = client.get(page_url(world, "C1"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))


def test_the_page_runs_a_constant_number_of_queries(world, login, today, django_assert_num_queries):
    client = login("staff_c1")
    services.adopt_plan(world.org("C1"), year=today.year)
    for _n in range(2):
        new(world, member="Trần Thị Hoa")
    url = page_url(world, "C1")
    client.get(url)  # warm the session
    # session, user, scope, organization, ancestors, counts (2), page count, rows, plan
    with django_assert_num_queries(10):
        r = client.get(url)
    assert len(r.context["page"]) == 2
    for _n in range(6):
        concluded(world, subject="K2")
    with django_assert_num_queries(10):
        r = client.get(url)
    assert len(r.context["page"]) == 8


def test_the_organization_page_links_here(world, login):
    r = login("committee_c1").get(world.org("C1").get_absolute_url())
    assert page_url(world, "C1") in r.content.decode()


# ---- who sees an inspection ------------------------------------------------------------------


def test_a_member_inspected_does_not_see_it_through_their_cell(world, login):
    own = new(world, member="Nguyễn Văn Đức")  # secretary_k1's own member record
    other = new(world, member="Trần Thị Hoa")
    client = login("secretary_k1")
    assert client.get(own.get_absolute_url()).status_code == 404
    assert client.get(other.get_absolute_url()).status_code == 200
    r = client.get(page_url(world, "K1"))
    assert [i.pk for i in r.context["page"]] == [other.pk]
    # The committee sees both; a plain member sees neither.
    assert login("committee_c1").get(own.get_absolute_url()).status_code == 200
    assert login("member_k1").get(other.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("staff_c1", 200),
        ("committee_c1", 200),
        ("secretary_k1", 200),
        ("member_k1", 404),
        ("staff_p2", 404),
        ("nobody", 404),
    ],
)
def test_who_opens_an_inspection(world, login, user, status):
    i = concluded(world)
    assert login(user).get(i.get_absolute_url()).status_code == status


def test_the_plan_is_shown_to_the_committee_only(world, login, today):
    plan = services.adopt_plan(world.org("C1"), year=today.year)
    i = new(world, plan=plan)
    assert login("secretary_k1").get(plan.get_absolute_url()).status_code == 404
    r = login("secretary_k1").get(i.get_absolute_url())
    assert plan.get_absolute_url() not in r.content.decode()
    r = login("committee_c1").get(i.get_absolute_url())
    assert plan.get_absolute_url() in r.content.decode()


# ---- plans -----------------------------------------------------------------------------------


def test_staff_record_and_edit_the_years_plan(world, login, today):
    client = login("staff_c1")
    url = reverse("oversight:plan_create", args=[world.org("C1").uuid])
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {"year": today.year, "number": "05-CTr/ĐU", "approved_on": d(today), "summary": "Nội dung"},
    )
    plan = InspectionPlan.objects.get(organization__code="C1")
    assert r.status_code == 302 and r["Location"] == plan.get_absolute_url()
    assert plan.created_by == world.user("staff_c1")
    r = client.post(url, {"year": today.year})
    assert r.status_code == 400
    assert r.context["form"].errors["year"]
    edit = reverse("oversight:plan_edit", args=[plan.uuid])
    assert client.get(edit).context["form"].initial["number"] == "05-CTr/ĐU"
    r = client.post(edit, {"year": today.year, "number": "06-CTr/ĐU"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.number == "06-CTr/ĐU" and plan.approved_on is None
    r = client.get(plan.get_absolute_url())
    assert r.status_code == 200 and "06-CTr/ĐU" in r.content.decode()


def test_the_plan_page_lists_its_inspections_with_counts(world, login, today):
    plan = services.adopt_plan(world.org("C1"), year=today.year)
    new(world, plan=plan, planned_from=today.replace(month=1, day=2))
    concluded(world, plan=plan, subject="K2", planned_from=today.replace(month=1, day=3))
    new(world, topic="Ngoài kế hoạch")
    r = login("committee_c1").get(plan.get_absolute_url())
    assert len(r.context["rows"]) == 2
    assert (r.context["counts"]["total"], r.context["counts"]["concluded"]) == (2, 1)
    assert not r.context["can_write"]


@pytest.mark.parametrize(("user", "status"), [("committee_c1", 403), ("staff_p2", 404)])
def test_others_cannot_record_a_plan(world, login, user, status, today):
    url = reverse("oversight:plan_create", args=[world.org("C1").uuid])
    assert login(user).post(url, {"year": today.year}).status_code == status
    assert not InspectionPlan.objects.exists()


def test_a_party_group_has_no_plan_page(world, login):
    url = reverse("oversight:plan_create", args=[world.org("T1").uuid])
    assert login("staff_c1").get(url).status_code == 404
    r = login("staff_c1").get(page_url(world, "T1", side="by"))
    assert r.context["side"] == "of"


# ---- a new inspection ------------------------------------------------------------------------


def create_url(world, code="C1"):
    return reverse("oversight:inspection_create", args=[world.org(code).uuid])


def test_staff_plan_an_inspection_of_a_cell(world, login, today):
    plan = services.adopt_plan(world.org("C1"), year=today.year)
    client = login("staff_c1")
    r = client.get(create_url(world) + f"?plan={plan.uuid}")
    assert r.status_code == 200
    assert r.context["form"].initial["plan"] == plan.uuid
    r = client.post(
        create_url(world),
        {
            "kind": "supervision",
            "subject": f"org:{world.org('K2').uuid}",
            "topic": "Giám sát việc thu nộp đảng phí",
            "planned_from": d(today),
            "planned_to": d(today + dt.timedelta(days=10)),
            "plan": str(plan.uuid),
        },
    )
    i = Inspection.objects.get()
    assert r.status_code == 302 and r["Location"] == i.get_absolute_url()
    assert (i.kind, i.subject_org.code, i.plan, i.status) == (
        "supervision",
        "K2",
        plan,
        InspectionStatus.PLANNED,
    )


def test_staff_plan_an_inspection_of_a_member(world, login, today):
    member = world.member("Trần Thị Hoa", "K1")
    r = login("staff_c1").post(
        create_url(world),
        {
            "kind": "inspection",
            "subject": f"member:{member.uuid}",
            "topic": "Kiểm tra việc kê khai tài sản",
            "planned_from": d(today),
        },
    )
    assert r.status_code == 302
    i = Inspection.objects.get()
    assert (i.subject_member, i.subject_org.code, i.plan) == (member, "K1", None)


@pytest.mark.parametrize(
    "subject",
    ["org:K3", "member:K3", "org:C1", "garbage", "org:not-a-uuid", ""],
)
def test_a_subject_outside_the_committee_is_refused(world, login, subject, today):
    kind, _sep, code = subject.partition(":")
    if code in ("K3", "C1"):
        obj = world.org(code) if kind == "org" else world.member("Vũ Thị Mai", "K3")
        subject = f"{kind}:{obj.uuid}"
    r = login("staff_p1").post(
        create_url(world),
        {"kind": "inspection", "subject": subject, "topic": "X", "planned_from": d(today)},
    )
    assert r.status_code == 400
    assert r.context["form"].errors["subject"]
    assert not Inspection.objects.exists()


def test_dates_out_of_order_are_refused_on_the_form(world, login, today):
    r = login("staff_c1").post(
        create_url(world),
        {
            "kind": "inspection",
            "subject": f"org:{world.org('K1').uuid}",
            "topic": "X",
            "planned_from": d(today),
            "planned_to": d(today - dt.timedelta(days=1)),
        },
    )
    assert r.status_code == 400
    assert r.context["form"].errors["planned_to"]


def test_the_find_button_shows_matches_and_saves_nothing(world, login, today):
    r = login("staff_c1").post(
        create_url(world),
        {"find_subject": "1", "subject_q": "tay", "topic": "Giữ lại", "kind": "inspection"},
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "Chi bộ thôn Tây" in body and "Giữ lại" in body
    assert not Inspection.objects.exists()


def test_the_subject_search_finds_units_and_members_below_only(world, login):
    client = login("staff_c1")
    url = reverse("oversight:inspection_subjects", args=[world.org("C1").uuid])
    r = client.get(url, {"subject_q": ""})
    assert [o.code for o in r.context["orgs"]] == ["K1", "K2"]  # the units directly below
    r = client.get(url, {"subject_q": "nguyen van duc"})
    assert {m.organization.code for m in r.context["members"]} == {"K1", "K2"}
    r = client.get(url, {"subject_q": "mai"})  # Vũ Thị Mai is in K3, under C2
    assert not r.context["members"] and "Vũ Thị Mai" not in r.content.decode()
    r = client.get(url, {"subject_q": "to dang"})
    assert [o.code for o in r.context["orgs"]] == ["T1"]
    # The chosen one stays first and is not listed twice.
    k1 = world.org("K1")
    r = client.get(url, {"subject_q": "", "subject": f"org:{k1.uuid}"})
    assert r.context["selected"] == k1 and [o.code for o in r.context["orgs"]] == ["K2"]
    assert login("committee_c1").get(url).status_code == 403


# ---- steps -----------------------------------------------------------------------------------


def step_url(name, inspection, *extra):
    return reverse(f"oversight:{name}", args=[inspection.uuid, *extra])


def test_staff_take_every_step(world, login, today):
    client = login("staff_c1")
    i = new(world)
    r = client.get(i.get_absolute_url())
    assert "start_form" in r.context and "conclude_form" not in r.context
    r = client.post(step_url("inspection_start", i), {"started_on": d(today)})
    assert r.status_code == 302
    i.refresh_from_db()
    assert i.status == InspectionStatus.IN_PROGRESS
    assert "conclude_form" in client.get(i.get_absolute_url()).context
    r = client.post(
        step_url("inspection_conclude", i),
        {
            "concluded_on": d(today),
            "conclusion_no": "12-KL/ĐU",
            "conclusion": "Chi bộ thực hiện tốt",
            "violation_found": "on",
        },
    )
    assert r.status_code == 302
    i.refresh_from_db()
    assert (i.status, i.conclusion_no, i.violation_found) == (
        InspectionStatus.CONCLUDED,
        "12-KL/ĐU",
        True,
    )
    r = client.post(
        step_url("follow_up_add", i),
        {"text": "Khắc phục", "responsible": "Chi ủy", "due_on": d(today)},
    )
    assert r.status_code == 302
    item = i.follow_ups.get()
    r = client.get(i.get_absolute_url())
    assert r.context["follow_ups"][0].done_form is not None
    r = client.post(
        step_url("follow_up_done", i, item.pk),
        {f"done{item.pk}-done_on": d(today), f"done{item.pk}-result": "Đã khắc phục"},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.result == "Đã khắc phục"


def test_a_refused_step_shows_the_reason_and_changes_nothing(world, login, today):
    client = login("staff_c1")
    i = services.start_inspection(new(world), on=today)
    r = client.post(step_url("inspection_conclude", i), {"concluded_on": d(today)})
    assert r.status_code == 400
    assert r.context["conclude_form"].errors["conclusion"]
    r = client.post(step_url("inspection_start", i), {"started_on": d(today)})
    assert r.status_code == 400
    assert r.context["start_form"].non_field_errors()
    r = client.post(step_url("follow_up_add", i), {"text": "X"})
    assert r.status_code == 400
    i.refresh_from_db()
    assert i.status == InspectionStatus.IN_PROGRESS and not i.follow_ups.exists()


def test_a_refused_follow_up_comes_back_open_with_its_errors(world, login, today):
    i = concluded(world)
    item = services.add_follow_up(i, text="Khắc phục")
    r = login("staff_c1").post(
        step_url("follow_up_done", i, item.pk), {f"done{item.pk}-done_on": d(today)}
    )
    assert r.status_code == 400
    assert r.context["failed_follow_up"] == item.pk
    assert r.context["follow_ups"][0].done_form.errors["result"]
    other = concluded(world, subject="K2")
    url = step_url("follow_up_done", other, item.pk)  # not this inspection's item
    assert login("staff_c1").post(url, {}).status_code == 404


@pytest.mark.parametrize(
    ("user", "status"),
    [("committee_c1", 403), ("secretary_k1", 403), ("staff_p2", 404), ("nobody", 404)],
)
def test_only_the_committees_staff_take_steps(world, login, user, status, today):
    i = new(world)
    client = login(user)
    assert client.post(step_url("inspection_start", i), {"started_on": d(today)}).status_code == (
        status
    )
    i.refresh_from_db()
    assert i.status == InspectionStatus.PLANNED
    assert client.get(step_url("inspection_start", i)).status_code == 405


def test_anonymous_steps_go_to_the_login(world, client, today):
    i = new(world)
    r = client.post(step_url("inspection_start", i), {"started_on": d(today)})
    assert r.status_code == 302
    i.refresh_from_db()
    assert i.status == InspectionStatus.PLANNED
