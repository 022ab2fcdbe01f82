"""A province's agenda templates: the page, customizing, editing, deleting, and their use."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from meetings import agenda, services
from meetings.models import AgendaTemplate, MeetingKind, Step
from meetings.tests import targets

TODAY = timezone.localdate


def list_url(province):
    return reverse("meetings:agenda_templates", args=[province.uuid])


def customize_url(province):
    return reverse("meetings:agenda_template_customize", args=[province.uuid])


def edit_url(template):
    return reverse("meetings:agenda_template_edit", args=[template.province.uuid, template.pk])


def delete_url(template):
    return reverse("meetings:agenda_template_delete", args=[template.province.uuid, template.pk])


def make(
    province, kind=MeetingKind.REGULAR, cell_type="", valid_from=dt.date(2025, 7, 1), items=None
):
    return AgendaTemplate.objects.create(
        province=province,
        kind=kind,
        cell_type=cell_type,
        valid_from=valid_from,
        items=items
        or [
            {"step": Step.OPENING, "title": "Khai mạc"},
            {"step": Step.PROCEEDINGS, "title": "Nội dung riêng của tỉnh"},
            {"step": Step.CLOSING, "title": "Bế mạc"},
        ],
    )


def form_data(template, items=None, **extra):
    items = template.items if items is None else items
    return {
        "cell_type": template.cell_type,
        "valid_from": template.valid_from.strftime("%d/%m/%Y"),
        "step": [i["step"] for i in items],
        "title": [i["title"] for i in items],
        **extra,
    }


# ---- the page ------------------------------------------------------------------------------


def test_the_page_shows_every_kind_with_the_national_defaults_to_customize(login, world):
    r = login("staff_p1").get(list_url(world.org("P1")))
    assert r.status_code == 200
    body = r.content.decode()
    for kind in MeetingKind.values:
        assert f'id="kind-{kind}"' in body
    # Every kind has a national default for every cell type; villages and residential
    # groups have their own for the regular kinds (HD 42-2025).
    assert body.count('name="kind" value="thematic"') == 1
    assert body.count('name="kind" value="regular"') == 3
    assert agenda.RESIDENTIAL_EXTRA in body
    assert 'action="' + customize_url(world.org("P1")) in body


def test_the_page_shows_the_province_rows_in_force_and_hides_the_default_they_replace(login, world):
    p1 = world.org("P1")
    make(p1)
    make(p1, valid_from=TODAY() + dt.timedelta(days=30))
    make(p1, kind=MeetingKind.THEMATIC, cell_type="school")
    kinds = {k: rows for k, _label, rows in agenda.overview(p1, TODAY())}
    regular = [(r.cell_type, r.state) for r in kinds[MeetingKind.REGULAR]]
    # The province's row for every cell type replaces the national default, villages too.
    assert regular == [("", "in_force"), ("", "scheduled")]
    thematic = [(r.cell_type, r.state) for r in kinds[MeetingKind.THEMATIC]]
    assert thematic == [("", "national"), ("school", "in_force")]
    body = login("staff_p1").get(list_url(p1)).content.decode()
    assert "Nội dung riêng của tỉnh" in body
    assert 'name="kind" value="regular"' not in body


def test_an_older_row_is_shown_as_replaced(world):
    p1 = world.org("P1")
    make(p1, valid_from=dt.date(2024, 1, 1))
    make(p1, valid_from=dt.date(2025, 1, 1))
    rows = {k: rows for k, _label, rows in agenda.overview(p1, TODAY())}
    assert [r.state for r in rows[MeetingKind.REGULAR]] == ["in_force", "superseded"]


def test_the_page_costs_the_same_queries_however_many_templates(
    login, world, django_assert_num_queries
):
    p1 = world.org("P1")
    client = login("staff_p1")
    url = list_url(p1)
    client.get(url)
    # session, user, scope, the province, the templates (one query for all)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    for kind in MeetingKind.values:
        make(p1, kind=kind)
        make(p1, kind=kind, cell_type="village")
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_a_reader_of_the_province_sees_the_templates_without_buttons(login, world, client):
    p1 = world.org("P1")
    reader = world.user("nobody")
    RoleAssignment.objects.create(
        user=reader, role=Role.COMMITTEE, organization=p1, valid_from=dt.date(2020, 1, 1)
    )
    template = make(p1)
    c = login("nobody")
    r = c.get(list_url(p1))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Nội dung riêng của tỉnh" in body
    assert customize_url(p1) not in body and edit_url(template) not in body
    assert c.get(edit_url(template)).status_code == 403
    assert c.post(customize_url(p1), {"kind": "thematic"}).status_code == 403
    assert c.post(delete_url(template)).status_code == 403
    assert AgendaTemplate.objects.filter(province=p1).count() == 1


@pytest.mark.parametrize(
    ("user", "code", "status"),
    [
        ("admin", "P2", 200),
        ("staff_p2", "P1", 404),
        ("staff_c1", "P1", 404),  # the commune's board: the province is not in its scope
        ("secretary_k1", "P1", 404),
        ("member_k1", "P1", 404),
        ("staff_p1", "C1", 404),  # not a province
        ("staff_p1", "K1", 404),
    ],
)
def test_who_reaches_the_page(login, world, user, code, status):
    assert login(user).get(list_url(world.org(code))).status_code == status


def test_anonymous_users_are_sent_to_sign_in(client, world):
    p1 = world.org("P1")
    template = make(p1)
    for url in (list_url(p1), edit_url(template)):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
    r = client.post(customize_url(p1), {"kind": "thematic"})
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
    assert not AgendaTemplate.objects.filter(kind="thematic").exists()


def test_another_provinces_template_is_not_found_through_ones_own(login, world):
    theirs = make(world.org("P2"))
    url = reverse("meetings:agenda_template_edit", args=[world.org("P1").uuid, theirs.pk])
    c = login("staff_p1")
    assert c.get(url).status_code == 404
    assert c.post(url, form_data(theirs, items=[])).status_code == 404
    assert c.post(f"{url}delete/").status_code == 404
    assert AgendaTemplate.objects.filter(pk=theirs.pk).exists()


# ---- customizing -----------------------------------------------------------------------------


def test_customize_copies_the_national_default_and_opens_the_editor(login, world):
    p1 = world.org("P1")
    c = login("staff_p1")
    r = c.post(customize_url(p1), {"kind": "regular", "cell_type": ""})
    template = AgendaTemplate.objects.get(province=p1)
    assert r.status_code == 302 and r["Location"] == edit_url(template)
    assert (
        template.kind == "regular" and template.cell_type == "" and template.valid_from == TODAY()
    )
    assert template.items == agenda.default_items("regular", "")
    assert template.history.count() == 1
    # Twice is the same row.
    c.post(customize_url(p1), {"kind": "regular", "cell_type": ""})
    assert AgendaTemplate.objects.filter(province=p1).count() == 1


def test_customize_for_a_cell_type_starts_from_what_applies_to_it(login, world):
    p1 = world.org("P1")
    login("staff_p1").post(customize_url(p1), {"kind": "regular", "cell_type": "village"})
    assert AgendaTemplate.objects.get(province=p1).items == agenda.default_items(
        "regular", "village"
    )
    mine = make(p1, kind="thematic")
    login("staff_p1").post(customize_url(p1), {"kind": "thematic", "cell_type": "school"})
    school = AgendaTemplate.objects.get(province=p1, kind="thematic", cell_type="school")
    assert school.items == mine.items  # the province's template for every type applied


def test_customize_refuses_an_unknown_kind(login, world):
    p1 = world.org("P1")
    r = login("staff_p1").post(customize_url(p1), {"kind": "party", "cell_type": ""})
    assert r.status_code == 302 and r["Location"] == list_url(p1)
    assert not AgendaTemplate.objects.exists()


# ---- editing ----------------------------------------------------------------------------------


def test_saving_keeps_the_items_grouped_by_step_and_records_history(login, world):
    template = make(world.org("P1"))
    items = [
        {"step": "closing", "title": "  Bế mạc  "},
        {"step": "opening", "title": "Khai mạc"},
        {"step": "proceedings", "title": "Thông tin\nthời sự"},
        {"step": "proceedings", "title": "Thảo luận"},
    ]
    r = login("staff_p1").post(
        edit_url(template),
        form_data(template, items, cell_type="school", valid_from="01/01/2026", action="save"),
    )
    assert r.status_code == 302
    template.refresh_from_db()
    assert template.items == [
        {"step": "opening", "title": "Khai mạc"},
        {"step": "proceedings", "title": "Thông tin thời sự"},
        {"step": "proceedings", "title": "Thảo luận"},
        {"step": "closing", "title": "Bế mạc"},
    ]
    assert template.cell_type == "school" and template.valid_from == dt.date(2026, 1, 1)
    last = template.history.first()
    assert last.history_type == "~" and last.history_user.username == "staff_p1"


def test_enter_saves_the_form(login, world):
    """The first submit button of the form (the one Enter presses) is Save."""
    template = make(world.org("P1"))
    body = login("staff_p1").get(edit_url(template)).content.decode()
    form = body[body.index('<form method="post" class="stacked agenda-form"') :]
    first_button = form[form.index("<button") : form.index(">", form.index("<button"))]
    assert 'value="save"' in first_button


@pytest.mark.parametrize(
    ("action", "expected", "focus"),
    [
        ("add:proceedings", ["A", "B1", "B2", "", "C"], 'id="item-3-title"'),
        ("remove:1", ["A", "B2", "C"], 'value="add:proceedings"'),
        ("up:2", ["A", "B2", "B1", "C"], 'value="down:1"'),  # at the top: "down" is next
        ("down:1", ["A", "B2", "B1", "C"], 'value="up:2"'),  # at the bottom: "up" is next
        ("up:1", ["A", "B1", "B2", "C"], 'value="down:1"'),  # already at the top
        ("up:3", ["A", "B1", "B2", "C"], 'id="item-3-title"'),  # alone in its step
    ],
)
def test_add_remove_and_move_change_the_form_without_saving(login, world, action, expected, focus):
    items = [
        {"step": "opening", "title": "A"},
        {"step": "proceedings", "title": "B1"},
        {"step": "proceedings", "title": "B2"},
        {"step": "closing", "title": "C"},
    ]
    template = make(world.org("P1"), items=items)
    r = login("staff_p1").post(
        edit_url(template), form_data(template, valid_from="not a date", action=action)
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert re.findall(r'<textarea name="title"[^>]*>([^<]*)</textarea>', body) == expected
    # The control to press next has the focus, so a keyboard user can go on.
    [focused] = re.findall(r"<[^<>]* autofocus[^<>]*>", body)
    assert focus in focused
    assert 'value="not a date"' in body and "errorbox" not in body  # checked at Save only
    template.refresh_from_db()
    assert [i["title"] for i in template.items] == ["A", "B1", "B2", "C"]
    assert template.history.count() == 1  # its creation only


@pytest.mark.parametrize(
    ("items", "field", "message"),
    [
        ([], None, "phải có ít nhất một mục"),
        (
            [{"step": "opening", "title": "A"}, {"step": "proceedings", "title": "   "}],
            2,
            "Hãy nhập nội dung của mục",
        ),
        ([{"step": "opening", "title": "A" * 301}], 1, "tối đa 300 ký tự; mục này có 301"),
        ([{"step": "speeches", "title": "A"}], 1, "mở đầu, tiến hành hoặc kết thúc"),
        ([{"step": "opening", "title": "A"}], None, "còn thiếu: Tiến hành, Kết thúc"),
    ],
)
def test_bad_items_are_explained_in_vietnamese_and_nothing_is_saved(
    login, world, items, field, message
):
    template = make(world.org("P1"))
    before = list(template.items)
    r = login("staff_p1").post(edit_url(template), form_data(template, items, action="save"))
    assert r.status_code == 200
    body = r.content.decode()
    assert 'class="errorbox" role="alert"' in body
    assert message in body
    if field:
        assert f'href="#item-{field - 1}-title"' in body
    template.refresh_from_db()
    assert template.items == before and template.history.count() == 1  # its creation only


def test_a_second_template_on_the_same_day_is_refused(login, world):
    p1 = world.org("P1")
    make(p1, valid_from=dt.date(2026, 1, 1))
    template = make(p1, valid_from=dt.date(2025, 1, 1))
    r = login("staff_p1").post(
        edit_url(template), form_data(template, valid_from="01/01/2026", action="save")
    )
    assert r.status_code == 200 and 'href="#id_valid_from"' in r.content.decode()
    template.refresh_from_db()
    assert template.valid_from == dt.date(2025, 1, 1)


def test_a_bad_date_is_explained(login, world):
    template = make(world.org("P1"))
    r = login("staff_p1").post(
        edit_url(template), form_data(template, valid_from="31/02/2026", action="save")
    )
    assert r.status_code == 200 and "dd/mm/yyyy" in r.content.decode()


def test_delete_falls_back_to_the_national_default(login, world):
    p1 = world.org("P1")
    template = make(p1)
    r = login("staff_p1").post(delete_url(template))
    assert r.status_code == 302 and r["Location"].startswith(list_url(p1))
    assert not AgendaTemplate.objects.filter(province=p1).exists()
    assert AgendaTemplate.history.filter(id=template.pk).first().history_type == "-"
    assert agenda.template_items(p1.pk, "regular", "village", TODAY()) == agenda.default_items(
        "regular", "village"
    )


def test_edit_and_delete_are_post_or_get_only(login, world):
    template = make(world.org("P1"))
    c = login("staff_p1")
    assert c.get(delete_url(template)).status_code == 405
    assert c.get(customize_url(world.org("P1"))).status_code == 405
    assert c.put(edit_url(template)).status_code == 405


# ---- the templates are used ------------------------------------------------------------------


def test_the_proposed_agenda_follows_the_province_template(world):
    meeting = targets.meeting_in(world, "K1")  # a regular meeting on 05/09/2025, village cell
    national = [r.title for r in services.proposed_agenda(meeting)]
    assert agenda.RESIDENTIAL_EXTRA in national
    make(world.org("P2"), items=[{"step": "opening", "title": "Của tỉnh khác"}])
    assert [r.title for r in services.proposed_agenda(meeting)] == national
    make(world.org("P1"))
    assert [r.title for r in services.proposed_agenda(meeting)] == [
        "Khai mạc",
        "Nội dung riêng của tỉnh",
        "Bế mạc",
    ]


def test_a_template_for_the_cells_type_comes_first_and_dates_count(world):
    p1 = world.org("P1")
    make(p1)
    make(p1, cell_type="village", items=[{"step": "opening", "title": "Thôn"}])
    make(p1, cell_type="residential", valid_from=dt.date(2026, 1, 1))
    on = dt.date(2025, 9, 5)
    assert agenda.template_items(p1.pk, "regular", "village", on)[0]["title"] == "Thôn"
    assert agenda.template_items(p1.pk, "regular", "school", on)[1]["title"] == (
        "Nội dung riêng của tỉnh"
    )
    # The residential template starts later: until then, the one for every type.
    assert agenda.template_items(p1.pk, "regular", "residential", on)[0]["title"] == "Khai mạc"
    assert agenda.template_items(p1.pk, "regular", "", dt.date(2025, 6, 30)) == (
        agenda.default_items("regular", "")
    )


def test_a_meeting_prepared_through_the_page_gets_the_saved_template(login, world):
    """Customize and edit on the page, then prepare a K1 meeting: its agenda is the province's."""
    p1 = world.org("P1")
    c = login("staff_p1")
    c.post(customize_url(p1), {"kind": "regular", "cell_type": ""})
    template = AgendaTemplate.objects.get(province=p1)
    items = [*template.items, {"step": "proceedings", "title": "Nội dung thêm của tỉnh"}]
    c.post(edit_url(template), form_data(template, items, valid_from="01/07/2025", action="save"))
    meeting = targets.meeting_in(world, "K1")
    services.fill_agenda(meeting)
    titles = list(meeting.agenda.values_list("title", flat=True))
    assert "Nội dung thêm của tỉnh" in titles
    assert agenda.RESIDENTIAL_EXTRA not in titles  # the province's template for every type


def test_the_province_page_links_to_its_templates(login, world):
    c = login("staff_p1")
    p1 = world.org("P1")
    assert list_url(p1) in c.get(p1.get_absolute_url()).content.decode()
    assert "agenda-templates" not in c.get(world.org("C1").get_absolute_url()).content.decode()
