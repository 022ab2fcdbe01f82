"""The landing dashboard (chibo/dashboard.py): each role sees its sections and nothing of
anyone else's, in a constant number of queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from chibo import dashboard
from dues.models import DuesPayment
from meetings.models import (
    AbsenceRequest,
    AgendaItem,
    Meeting,
    Resolution,
    SupervisorAssignment,
    Task,
)
from oversight.models import Visit


def today():
    return timezone.localdate()


def at(day: dt.date, hour: int = 19) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def meeting(org, day, status="planned", kind="regular", **kw):
    return Meeting.objects.create(
        province_id=org.province_id,
        organization=org,
        kind=kind,
        status=status,
        period_year=day.year,
        period_month=day.month,
        scheduled_at=at(day, kw.pop("hour", 19)),
        **kw,
    )


def task(m, description, assignee=None, due=None):
    res, _ = Resolution.objects.get_or_create(meeting=m, defaults={"province_id": m.province_id})
    return Task.objects.create(
        province_id=m.province_id,
        organization=m.organization,
        resolution=res,
        description=description,
        assignee=assignee,
        due_date=due,
    )


def text(response) -> str:
    body = response.content.decode()
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def cell_life(world):
    """K1 (secretary_k1, member_k1) with a month to catch up on; K3 and K4 with the same kind
    of items, which no K1 or C1 user may see."""
    t = today()
    k1, k3, k4 = world.org("K1"), world.org("K3"), world.org("K4")
    duc, hoa = world.member("Nguyễn Văn Đức", "K1"), world.member("Trần Thị Hoa", "K1")
    nam = world.member("Lê Văn Nam", "K1")
    nxt = meeting(k1, t + dt.timedelta(days=5), place="Nhà văn hóa thôn Đông")
    held = meeting(k1, t, status="in_progress", hour=0)
    approved = meeting(k1, t - dt.timedelta(days=35), status="approved")
    AbsenceRequest.objects.create(
        province_id=k1.province_id, meeting=nxt, member=nam, reason="Đi công tác"
    )
    AbsenceRequest.objects.create(
        province_id=k1.province_id,
        meeting=nxt,
        member=hoa,
        reason="Ốm",
        status="rejected",
        decision_note="Đề nghị bố trí dự họp",
    )
    task(approved, "Làm đường bê tông thôn Đông", assignee=hoa, due=t - dt.timedelta(days=3))
    task(approved, "Vận động đóng góp quỹ khuyến học", assignee=duc, due=t + dt.timedelta(30))
    first = t.replace(day=1)
    last_month = (first - dt.timedelta(days=1)).replace(day=1)
    DuesPayment.objects.create(
        province_id=k1.province_id,
        member=duc,
        cell=k1,
        month=last_month,
        amount=Decimal(30000),
        paid_on=last_month,
    )
    # Out of scope for everyone in K1 / C1.
    for org, name in ((k3, "Vũ Thị Mai"), (k4, "Bùi Văn Tâm")):
        other = meeting(org, t + dt.timedelta(days=3), place=f"Hội trường {org.code}")
        gone = meeting(org, t - dt.timedelta(days=35), status="approved")
        task(gone, f"Việc riêng của {org.code}", due=t - dt.timedelta(days=1))
        AbsenceRequest.objects.create(
            province_id=org.province_id,
            meeting=other,
            member=world.member(name, org.code),
            reason=f"Vắng {org.code}",
        )
    return {"next": nxt, "held": held, "approved": approved}


# ---- formatting -------------------------------------------------------------------------


def test_figures_are_written_the_vietnamese_way():
    with translation.override("vi"):
        assert dashboard.ratio(16130, 16160) == "16.130/16.160 (99,81 %)"
        assert dashboard.number(35210) == "35.210"
        assert dashboard.trend(12, 10) == "+2" and dashboard.trend(8, 10) == "−2"
        assert dashboard.trend(3, 3) == "±0"
        assert dashboard.ratio(5, 0) == "5"


# ---- a cell secretary -------------------------------------------------------------------


def test_secretary_sees_the_next_meeting_what_it_lacks_tasks_and_overdue_items(
    login, world, cell_life
):
    page = text(login("secretary_k1").get("/"))
    assert "Chi bộ của đồng chí: Chi bộ thôn Đông" in page
    assert "Nhà văn hóa thôn Đông" in page
    # Nothing prepared yet: each missing piece is named.
    for missing in (
        "chương trình sinh hoạt được chi ủy thống nhất",
        "dự thảo nghị quyết",
        "tài liệu gửi trước",
        "thông báo tới đảng viên",
    ):
        assert missing in page
    assert "biên bản chưa được thông qua" in page  # the meeting held today
    assert "Đơn xin vắng của đồng chí Lê Văn Nam" in page
    assert "chưa tự chấm điểm chất lượng" in page
    assert f"Đảng phí tháng {today():%m/%Y} chưa ghi" in page
    assert "1 nhiệm vụ đã quá hạn" in page
    # Overdue tasks first.
    assert page.index("Làm đường bê tông") < page.index("Vận động đóng góp")
    # Only the secretary's own cell.
    for other in ("Hội trường K3", "Vắng K3", "Việc riêng của K3", "Hội trường K4", "Vũ Thị Mai"):
        assert other not in page
    # Not the sections of other roles.
    assert "chưa sinh hoạt trong tháng" not in page
    assert "Chỉ tiêu kết nạp" not in page


def test_a_prepared_and_announced_meeting_lacks_nothing(login, world, cell_life):
    m = cell_life["next"]
    m.draft_resolution = "Dự thảo nghị quyết"
    m.status = "notice_sent"
    m.notice_sent_at = timezone.now()
    m.save()
    AgendaItem.objects.create(
        province_id=m.province_id, meeting=m, step="opening", title="Khai mạc"
    )
    m.documents.create(province_id=m.province_id, kind="agenda", title="Chương trình", text="…")
    page = text(login("secretary_k1").get("/"))
    assert "Đã sẵn sàng" in page
    assert "Còn phải chuẩn bị" not in page


# ---- a member ---------------------------------------------------------------------------


def test_member_sees_their_meetings_tasks_absence_and_review_waiting(login, world, cell_life):
    from ratings import services as ratings

    ratings.open_cycle(world.org("C1"), year=2025)
    page = text(login("member_k1").get("/"))
    assert "Sinh hoạt đảng của đồng chí" in page
    assert "Nhà văn hóa thôn Đông" in page
    assert "Làm đường bê tông thôn Đông" in page  # her task
    assert "Vận động đóng góp" not in page  # the secretary's task
    assert "Không đồng ý" in page and "Đề nghị bố trí dự họp" in page  # her absence request
    assert "Lê Văn Nam" not in page  # another member's request
    assert "chờ đồng chí tự kiểm điểm" in page
    # No cell, committee, board or supervisor section.
    assert "Chi bộ của đồng chí" not in page
    assert "chưa sinh hoạt trong tháng" not in page
    assert "Chỉ tiêu kết nạp" not in page
    assert "Hội trường K3" not in page and "Hội trường K4" not in page


def test_a_user_without_role_or_record_sees_the_no_access_page(login):
    page = text(login("nobody").get("/"))
    assert "chưa có vai trò" in page


# ---- a commune committee ----------------------------------------------------------------


@pytest.mark.parametrize("username", ["staff_c1", "committee_c1"])
def test_commune_committee_sees_cells_not_met_minutes_and_visits(login, world, cell_life, username):
    page = text(login(username).get("/"))
    assert "Đảng bộ xã An Bình: tháng" in page
    assert "Số chi bộ đã sinh hoạt thường kỳ: 1/2" in page
    assert "Chi bộ chưa sinh hoạt trong tháng (1)" in page
    assert "Chi bộ thôn Tây" in page
    assert "Biên bản chưa thông qua (1)" in page
    assert "Chi bộ chưa được dự sinh hoạt trong quý (2)" in page
    assert "Bảng theo dõi sinh hoạt chi bộ" in page
    # Only the commune's cells; not a secretary's or a province's section.
    assert "Chi bộ tổ dân phố 1" not in page and "Chi bộ thôn Trung" not in page
    assert "Chi bộ của đồng chí" not in page
    assert "Đảng viên mới trong năm" not in page


# ---- an organization board --------------------------------------------------------------


def test_province_board_sees_the_month_headline_figures_and_trend(login, world, cell_life):
    from members.models import Member

    # An admission this year (Lê Văn Nam's ceremony moved to this month) for the trend.
    Member.objects.filter(person__full_name="Lê Văn Nam").update(ceremony_date=today())
    page = text(login("staff_p1").get("/"))
    assert "Đảng bộ tỉnh Thử Nghiệm: tháng" in page
    assert "Đảng viên chính thức" in page
    # P1 has 4 active cells (K1, K2, K3, G1): K1 held its meeting this month.
    assert "1/4 (25,00 %)" in page
    assert "Đảng viên mới trong năm 1 chưa đặt chỉ tiêu +1" in page
    assert "Chuyển sinh hoạt quá hạn 0" in page
    assert "Báo cáo" in page
    # Not another province; not the sections of other roles.
    assert "Bên Cạnh" not in page
    assert "Chi bộ chưa sinh hoạt trong tháng" not in page
    assert "Chi bộ của đồng chí" not in page


def test_admission_target_is_shown_with_its_rate(login, world):
    from admissions.models import AdmissionTarget

    p1 = world.org("P1")
    AdmissionTarget.objects.create(province=p1, organization=p1, year=today().year, admissions=40)
    page = text(login("staff_p1").get("/"))
    assert "0/40 (0,00 %)" in page and "chỉ tiêu 40" in page


def test_other_province_sees_only_its_own_figures(login, world, cell_life):
    page = text(login("staff_p2").get("/"))
    assert "Đảng bộ tỉnh Bên Cạnh: tháng" in page
    assert "Thử Nghiệm" not in page and "Hội trường K3" not in page


# ---- a supervisor -----------------------------------------------------------------------


def test_supervisor_sees_the_next_meetings_of_the_cells_they_follow(login, world, cell_life):
    k2 = world.org("K2")
    user = world.user("committee_c1")
    SupervisorAssignment.objects.create(
        province_id=k2.province_id, user=user, organization=k2, valid_from=dt.date(2024, 1, 1)
    )
    m = meeting(k2, today() + dt.timedelta(days=8), place="Nhà văn hóa thôn Tây")
    Visit.objects.create(
        province_id=k2.province_id,
        cell=k2,
        meeting=m,
        visitor=user,
        kind="supervisor",
        planned_on=m.local_date,
    )
    page = text(login("committee_c1").get("/"))
    assert "Chi bộ đồng chí theo dõi" in page
    assert "đã đăng ký dự" in page
    assert "Lịch dự sinh hoạt của tôi" in page
    # Only the followed cell: not K1's meetings (which the committee sees on the board).
    sup = page.split("Chi bộ đồng chí theo dõi", 1)[1].split("Lịch dự sinh hoạt của tôi")[0]
    assert "Chi bộ thôn Tây" in sup and "Chi bộ thôn Đông" not in sup
    page = text(login("staff_c1").get("/"))
    assert "Chi bộ đồng chí theo dõi" not in page


# ---- query budgets ----------------------------------------------------------------------

# The whole page (session, user, scope, then the sections), for each role.
BUDGETS = {
    "admin": 18,
    "staff_p1": 14,
    "staff_c1": 19,
    "committee_c1": 19,
    "secretary_k1": 19,
    "member_k1": 7,
}


def _more_of_everything(world):
    """Three times the meetings, tasks and requests: the query counts must not move."""
    t = today()
    for code in ("K1", "K2", "K3"):
        org = world.org(code)
        for n in range(3):
            m = meeting(org, t + dt.timedelta(days=10 + n))
            gone = meeting(org, t - dt.timedelta(days=20 + n), status="approved")
            task(gone, f"Việc {code} {n}", assignee=world.member("Nguyễn Văn Đức", "K1"))
            AbsenceRequest.objects.create(
                province_id=org.province_id,
                meeting=m,
                member=world.member("Lê Văn Nam", "K1"),
                reason="Bận",
            )


@pytest.mark.parametrize("username", list(BUDGETS))
def test_query_count_is_constant_per_role(
    login, world, cell_life, username, django_assert_num_queries
):
    c = login(username)
    c.get("/")  # warm the caches every request reads (content types, rubric kinds…)
    with django_assert_num_queries(BUDGETS[username]):
        assert c.get("/").status_code == 200
    _more_of_everything(world)
    with django_assert_num_queries(BUDGETS[username]):
        assert c.get("/").status_code == 200


def test_board_member_totals_agree_with_the_tree_counts(world):
    from members.models import Membership
    from organizations import selectors

    p1, c1 = world.org("P1"), world.org("C1")
    # A member who left K2 last week still counts at the end of last month, not now.
    t = today()
    first = t.replace(day=1)
    Membership.objects.filter(member__organization__code="K2", end_date__isnull=True).filter(
        member__person__full_name="Hoàng Văn Bình"
    ).update(end_date=first)
    for org in (p1, c1):
        now, then = dashboard.member_totals(org, first - dt.timedelta(days=1))
        tree = selectors.member_counts([org])[org.pk]
        before = selectors.member_counts([org], on=first - dt.timedelta(days=1))[org.pk]
        assert now == {k: tree[k] for k in now}
        assert then == {k: before[k] for k in then}
        assert then["total"] == now["total"] + 1


def test_new_members_this_year_count_as_the_admission_targets_do(login, world):
    from admissions import targets
    from members.models import Member

    Member.objects.filter(person__full_name__in=["Lê Văn Nam", "Vũ Thị Mai"]).update(
        ceremony_date=today()
    )
    p1 = world.org("P1")
    expected = sum(r.admitted for r in targets.results(p1, today().year).values())
    assert expected == 2
    page = text(login("staff_p1").get("/"))
    assert "Đảng viên mới trong năm 2 chưa đặt chỉ tiêu" in page
