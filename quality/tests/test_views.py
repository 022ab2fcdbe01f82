"""The quality pages: rubrics, the editor, the score sheet and its two columns, the year. Pages
speak Vietnamese, the site's language."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from meetings.models import SupervisorAssignment
from quality import services
from quality.models import ConfirmerRole, QualityLevel, Rubric, RubricKind, ScoreStatus
from quality.tests.conftest import hold, manual_points


def sheet(rubric):
    return services.with_sheet(Rubric.objects.filter(pk=rubric.pk)).get()


def manual_post(rubric, value=None) -> dict:
    return {services.field_name(cid): str(v) for cid, v in manual_points(rubric, value).items()}


# ---- rubrics ---------------------------------------------------------------------------------


def test_the_province_board_sees_the_versions_and_the_presets(login, p1, rubric):
    r = login("staff_p1").get(reverse("quality:rubrics", args=[p1.uuid]))
    assert r.status_code == 200
    body = r.content.decode()
    assert rubric.name in body and "provincial_100" in body  # the preset radio
    assert reverse("quality:install_preset", args=[p1.uuid]) in body


def test_a_cell_secretary_reads_the_rubrics_of_the_province(login, p1, rubric):
    r = login("secretary_k1").get(reverse("quality:rubrics", args=[p1.uuid]))
    assert r.status_code == 200 and rubric.name in r.content.decode()
    assert reverse("quality:install_preset", args=[p1.uuid]) not in r.content.decode()
    r = login("secretary_k1").get(rubric.get_absolute_url())
    assert r.status_code == 200 and "Trên 85% đảng viên có mặt" in r.content.decode()


@pytest.mark.parametrize("username", ["staff_p2", "member_k1", "nobody"])
def test_outsiders_get_404(login, p1, rubric, username):
    client = login(username)
    assert client.get(reverse("quality:rubrics", args=[p1.uuid])).status_code == 404
    assert client.get(rubric.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_log_in(client, p1, rubric):
    r = client.get(reverse("quality:rubrics", args=[p1.uuid]))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))


def test_installing_a_preset(login, p1):
    client = login("staff_p1")
    url = reverse("quality:install_preset", args=[p1.uuid])
    r = client.post(url, {"preset": "hd12_2018", "effective_from": "01/01/2025"})
    assert r.status_code == 302
    assert Rubric.objects.filter(organization=p1, preset="hd12_2018").count() == 2
    r = client.post(url, {"preset": "hd12_2018", "effective_from": "01/01/2025"})
    assert r.status_code == 200
    assert "phải có hiệu lực sau phiên bản trước" in r.content.decode()
    assert Rubric.objects.filter(organization=p1).count() == 2


def test_only_the_province_board_installs(login, p1):
    r = login("staff_c1").post(
        reverse("quality:install_preset", args=[p1.uuid]),
        {"preset": "hd12_2018", "effective_from": "01/01/2025"},
    )
    assert r.status_code == 403 and not Rubric.objects.filter(organization=p1).exists()


def test_the_rubric_pages_query_counts_are_pinned(login, p1, rubric, django_assert_num_queries):
    client = login("secretary_k1")
    # session, user, roles, province, versions
    with django_assert_num_queries(5):
        assert client.get(reverse("quality:rubrics", args=[p1.uuid])).status_code == 200
    # session, user, roles, rubric, rubric again with groups and criteria (3), scored, versions
    with django_assert_num_queries(9):
        assert client.get(rubric.get_absolute_url()).status_code == 200


# ---- the editor ------------------------------------------------------------------------------


def editor_post(rubric, **header):
    """The editor's POST for the rubric as it is (every criterion a row), with changes."""
    data = services.rubric_data(sheet(rubric))
    rows = [
        {**c, "group": g["name"] if i == 0 else ""}
        for g in data["groups"]
        for i, c in enumerate(g["criteria"])
    ]
    post = {
        "name": data["name"],
        "source": data["source"],
        "effective_from": data["effective_from"].strftime("%d/%m/%Y"),
        "total_points": "100",
        "good_from": "90",
        "fair_from": "70",
        "average_from": "50",
        "year_good_min": "7",
        "year_good_floor": "fair",
        "year_fair_floor": "average",
        "year_average_floor": "weak",
        "c-TOTAL_FORMS": str(len(rows)),
        "c-INITIAL_FORMS": str(len(rows)),
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "200",
    }
    for i, row in enumerate(rows):
        post[f"c-{i}-group"] = row["group"]
        post[f"c-{i}-text"] = row["text"]
        post[f"c-{i}-max_points"] = str(row["max_points"])
        post[f"c-{i}-auto_rule"] = row["auto_rule"]
        post[f"c-{i}-auto_param"] = "" if row["auto_param"] is None else str(row["auto_param"])
        if row["required_for_top"]:
            post[f"c-{i}-required_for_top"] = "on"
    post.update(header)
    return post


def test_the_editor_changes_an_unused_version_in_place(login, rubric):
    client = login("staff_p1")
    url = reverse("quality:rubric_edit", args=[rubric.uuid])
    assert client.get(url).status_code == 200
    r = client.post(url, {**editor_post(rubric, name="Bảng điểm sửa"), "mode": "replace"})
    assert r.status_code == 302
    rubric.refresh_from_db()
    assert rubric.name == "Bảng điểm sửa"
    assert Rubric.objects.filter(organization=rubric.organization, kind=rubric.kind).count() == 1


def test_a_row_without_group_joins_the_group_above_and_points_must_add_up(login, rubric):
    client = login("staff_p1")
    url = reverse("quality:rubric_edit", args=[rubric.uuid])
    post = editor_post(rubric)
    n = int(post["c-TOTAL_FORMS"])
    post.update(
        {
            "c-TOTAL_FORMS": str(n + 1),
            f"c-{n}-group": "",
            f"c-{n}-text": "Tiêu chí thêm",
            f"c-{n}-max_points": "5",
            f"c-{n}-auto_rule": "",
            "mode": "replace",
        }
    )
    r = client.post(url, post)
    assert r.status_code == 200
    assert "Các tiêu chí cộng lại được 105 điểm, không phải 100" in r.content.decode()
    post["total_points"] = "105"
    assert client.post(url, post).status_code == 302
    last = sheet(rubric).groups.all()[3]
    assert last.criteria.all()[4].text == "Tiêu chí thêm"


def test_a_rate_rule_without_its_rate_is_refused_on_its_row(login, rubric):
    client = login("staff_p1")
    post = editor_post(rubric)
    i = next(k for k, v in post.items() if v == "attendance_rate").split("-")[1]
    post[f"c-{i}-auto_param"] = ""
    r = client.post(reverse("quality:rubric_edit", args=[rubric.uuid]), post)
    assert r.status_code == 200
    assert "Tiêu chí này so sánh với một tỷ lệ" in r.content.decode()


def test_a_used_version_is_saved_as_a_new_one_from_a_later_date(login, rubric, september, world):
    hold(september, world)
    services.record_self_score(september, manual_points(rubric), by=None)
    client = login("staff_p1")
    url = reverse("quality:rubric_edit", args=[rubric.uuid])
    page = client.get(url).content.decode()
    assert "không sửa được nữa" in page and 'value="replace"' not in page
    r = client.post(url, {**editor_post(rubric), "mode": "replace"})
    assert "phải có hiệu lực sau phiên bản trước" in r.content.decode()
    r = client.post(url, editor_post(rubric, effective_from="01/01/2026"))
    new = Rubric.objects.get(
        organization=rubric.organization, kind="regular", effective_from=dt.date(2026, 1, 1)
    )
    assert r["Location"] == new.get_absolute_url()
    rubric.refresh_from_db()
    assert rubric.effective_from == dt.date(2025, 1, 1)


def test_only_the_province_board_edits(login, rubric):
    url = reverse("quality:rubric_edit", args=[rubric.uuid])
    assert login("staff_c1").get(url).status_code == 403
    assert login("staff_p2").get(url).status_code == 404


# ---- the score sheet --------------------------------------------------------------------------


def test_a_meeting_not_yet_approved_says_so(login, september, rubric):
    r = login("secretary_k1").get(reverse("quality:score", args=[september.uuid]))
    assert r.status_code == 200 and "chưa được thông qua" in r.content.decode()


def test_the_secretary_self_scores_an_approved_meeting(login, september, rubric, world):
    hold(september, world)
    client = login("secretary_k1")
    url = reverse("quality:score", args=[september.uuid])
    page = client.get(url).content.decode()
    assert "Có mặt 3/3 = 100 % &gt; 85 %" in page and 'form="self-form"' in page
    r = client.post(reverse("quality:self_score", args=[september.uuid]), manual_post(rubric))
    assert r.status_code == 302
    score = september.quality
    assert (score.self_total, score.final_level, score.self_by) == (
        80,
        QualityLevel.FAIR,
        world.user("secretary_k1"),
    )
    page = client.get(url).content.decode()
    assert "80" in page and "confirm-form" not in page  # the cell does not confirm itself


def test_points_out_of_range_are_shown_on_their_row(login, september, rubric, world):
    hold(september, world)
    post = manual_post(rubric)
    ten = next(c for c in sheet(rubric).all_criteria() if c.max_points == 10 and not c.auto_rule)
    post[services.field_name(ten.pk)] = "12"
    r = login("secretary_k1").post(reverse("quality:self_score", args=[september.uuid]), post)
    assert r.status_code == 200
    assert "Chấm từ 0 đến 10 điểm." in r.content.decode()
    assert 'value="12"' in r.content.decode()
    assert not hasattr(september, "quality")


def test_a_member_reads_the_sheet_but_does_not_score(login, september, rubric, world):
    hold(september, world)
    client = login("member_k1")
    page = client.get(reverse("quality:score", args=[september.uuid]))
    assert page.status_code == 200
    assert rubric.name in page.content.decode()
    assert rubric.get_absolute_url() not in page.content.decode()  # province rules: 404 to them
    r = client.post(reverse("quality:self_score", args=[september.uuid]), manual_post(rubric))
    assert r.status_code == 403


@pytest.fixture
def self_scored(september, rubric, world):
    hold(september, world)
    return services.record_self_score(
        september, manual_points(rubric), by=world.user("secretary_k1")
    )


def test_the_commune_confirms_and_the_level_shows_on_the_meeting_page(login, self_scored, rubric):
    meeting = self_scored.meeting
    client = login("staff_c1")
    page = client.get(reverse("quality:score", args=[meeting.uuid])).content.decode()
    assert 'form="confirm-form"' in page
    zero_all = {services.field_name(cid): "0" for cid in manual_points(rubric)}
    r = client.post(reverse("quality:confirm", args=[meeting.uuid]), zero_all)
    assert r.status_code == 302
    self_scored.refresh_from_db()
    assert (self_scored.status, self_scored.confirmed_total, self_scored.final_level) == (
        ScoreStatus.CONFIRMED,
        35,
        QualityLevel.WEAK,
    )
    assert self_scored.confirmer_role == ConfirmerRole.COMMITTEE
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "q-weak" in page and reverse("quality:score", args=[meeting.uuid]) in page


def test_changing_an_automatic_result_without_a_remark_is_refused(login, self_scored, rubric):
    meeting = self_scored.meeting
    resolution = next(c for c in sheet(rubric).all_criteria() if c.auto_rule == "resolution")
    url = reverse("quality:confirm", args=[meeting.uuid])
    r = login("staff_c1").post(url, {services.field_name(resolution.pk): "5"})
    assert r.status_code == 200 and "ghi rõ lý do trong phần nhận xét" in r.content.decode()
    self_scored.refresh_from_db()
    assert self_scored.status == ScoreStatus.SELF_SCORED


def test_the_committee_member_confirms_only_as_the_cells_supervisor(login, self_scored, world, k1):
    url = reverse("quality:confirm", args=[self_scored.meeting.uuid])
    client = login("committee_c1")
    assert client.post(url, {}).status_code == 403
    SupervisorAssignment.objects.create(
        province_id=k1.province_id,
        user=world.user("committee_c1"),
        organization=k1,
        valid_from=dt.date(2025, 1, 1),
    )
    assert client.post(url, {}).status_code == 302
    self_scored.refresh_from_db()
    assert self_scored.confirmer_role == ConfirmerRole.SUPERVISOR
    assert self_scored.final_level == QualityLevel.FAIR


def test_the_secretary_cannot_confirm_and_another_province_gets_404(login, self_scored):
    url = reverse("quality:confirm", args=[self_scored.meeting.uuid])
    assert login("secretary_k1").post(url, {}).status_code == 403
    assert login("staff_p2").post(url, {}).status_code == 404
    assert (
        login("staff_p2").get(reverse("quality:score", args=[self_scored.meeting.uuid])).status_code
        == 404
    )
    self_scored.refresh_from_db()
    assert self_scored.status == ScoreStatus.SELF_SCORED


def test_the_live_total_while_typing(login, september, rubric, world):
    hold(september, world)
    url = reverse("quality:preview", args=[september.uuid])
    r = login("secretary_k1").get(url, {"column": "self", **manual_post(rubric, Decimal(0))})
    assert r.status_code == 200 and "<strong>35</strong>/100" in r.content.decode()
    r = login("secretary_k1").get(url, {"column": "self", **manual_post(rubric)})
    assert "<strong>80</strong>/100" in r.content.decode() and "q-fair" in r.content.decode()


def test_the_sheet_query_count_is_pinned(login, self_scored, django_assert_num_queries):
    client = login("staff_c1")
    url = reverse("quality:score", args=[self_scored.meeting.uuid])
    # session, user, roles, meeting, score, rubric with groups and criteria (3), lines,
    # followers in force, visits to the meeting, ancestors
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


# ---- the year --------------------------------------------------------------------------------


def test_the_year_of_a_cell(login, k1, rubric, september, world):
    from meetings.models import Meeting
    from quality.models import MeetingScore

    hold(september, world)
    services.record_self_score(september, manual_points(rubric), by=None)
    august = k1.meetings.get(period_year=2025, period_month=8)
    hold(august, world)
    services.record_self_score(august, manual_points(rubric), by=None)
    MeetingScore.objects.filter(meeting=august).update(final_level=QualityLevel.GOOD)
    client = login("committee_c1")
    r = client.get(reverse("quality:cell_year", args=[k1.uuid]), {"year": 2025})
    assert r.status_code == 200
    assert r.context["year_level"] == QualityLevel.FAIR  # 1 good meeting of the 7 needed
    assert r.context["scored"] == 2
    months = {row["month"]: row for row in r.context["months"]}
    assert months[9]["regular"][0].score.final_level == QualityLevel.FAIR
    assert isinstance(months[1]["regular"][0], Meeting) and months[1]["regular"][0].score is None


def test_the_year_query_count_is_pinned(
    login, k1, rubric, september, world, django_assert_num_queries
):
    client = login("secretary_k1")
    url = reverse("quality:cell_year", args=[k1.uuid])
    # session, user, roles, cell, meetings with their scores, rubric, ancestors
    with django_assert_num_queries(7):
        assert client.get(url, {"year": 2025}).status_code == 200


def test_the_year_of_a_cell_is_404_outside_the_scope_and_for_a_committee(login, k1, world):
    assert login("staff_p2").get(reverse("quality:cell_year", args=[k1.uuid])).status_code == 404
    c1 = world.org("C1")
    assert login("staff_c1").get(reverse("quality:cell_year", args=[c1.uuid])).status_code == 404


def test_no_rubric_no_scoring(login, september, world):
    hold(september, world)
    r = login("secretary_k1").get(reverse("quality:score", args=[september.uuid]))
    assert "Ngày 05/09/2025 chưa có tiêu chí đánh giá chất lượng" in r.content.decode()
    r = login("secretary_k1").post(reverse("quality:self_score", args=[september.uuid]), {})
    assert r.status_code == 302 and not hasattr(september, "quality")


def test_the_rubric_of_thematic_meetings_judges_them(p1, k1, world):
    services.install_preset(p1, "hd12_2018", dt.date(2025, 1, 1))
    from meetings import services as meeting_services
    from quality.tests.conftest import at

    thematic = meeting_services.plan_meeting(
        k1, kind="thematic", scheduled_at=at(2025, 9, 20), topic="Học tập Nghị quyết"
    )
    assert services.rubric_for(thematic).kind == RubricKind.THEMATIC
