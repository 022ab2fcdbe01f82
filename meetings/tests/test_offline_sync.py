"""The attendance queue a phone sends after a dropped connection (docs/offline.md): each mark
applied once by its id, the later of two marks kept, a closed meeting refusing with its reason;
the sync view's permissions and query counts; the manifest, service worker and offline page."""

import datetime as dt
import json
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from audit.models import AuditEntry
from meetings import services
from meetings.models import Attendance, AttendanceStatus, AttendanceSync, SyncOutcome

D = dt.date(2025, 9, 5)


@pytest.fixture
def meeting(world):
    k1 = world.org("K1")
    services.set_schedule(
        k1, day_of_month=5, time=dt.time(19, 30), place="Nhà văn hóa", valid_from=D.replace(day=1)
    )
    services.generate_regular_meetings(k1, dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    m = k1.meetings.get(period_year=2025, period_month=9)
    services.start(
        m,
        started_at=m.scheduled_at,
        chair=world.member("Nguyễn Văn Đức", "K1"),
        minutes_secretary=world.member("Trần Thị Hoa", "K1"),
    )
    return m


def mark(member, status, *, at, reason="", id=None):
    return {
        "id": id or uuid.uuid4(),
        "member": member.uuid,
        "status": status,
        "reason": reason,
        "at": at,
    }


def counts(meeting):
    return (
        Attendance.history.filter(meeting_id=meeting.pk).count(),
        AuditEntry.objects.filter(object_type="meetings.attendance").count(),
        AttendanceSync.objects.count(),
    )


def row(meeting, member):
    return Attendance.objects.get(meeting=meeting, member=member)


def test_a_replayed_mark_changes_nothing_the_second_time(world, meeting):
    nam = world.member("Lê Văn Nam", "K1")
    first = mark(nam, AttendanceStatus.ABSENT_UNEXCUSED, at=timezone.now())
    before = counts(meeting)
    [r] = services.sync_attendance(meeting, [first])
    assert r["outcome"] == SyncOutcome.APPLIED and r["status"] == "absent_unexcused"
    after_once = counts(meeting)
    assert after_once == (before[0] + 1, before[1] + 1, before[2] + 1)
    # The answer was lost; the phone sends the same mark again, twice.
    for _ in range(2):
        [r] = services.sync_attendance(meeting, [dict(first)])
        assert r["outcome"] == "duplicate" and r["status"] == "absent_unexcused"
    assert counts(meeting) == after_once


def test_an_older_mark_arriving_after_a_newer_one_is_ignored(world, meeting):
    nam = world.member("Lê Văn Nam", "K1")
    now = timezone.now()
    newer = mark(nam, AttendanceStatus.LATE, at=now - dt.timedelta(minutes=1))
    older = mark(nam, AttendanceStatus.ABSENT_UNEXCUSED, at=now - dt.timedelta(minutes=5))
    services.sync_attendance(meeting, [newer])
    history = Attendance.history.filter(meeting_id=meeting.pk).count()
    [r] = services.sync_attendance(meeting, [older])
    assert r["outcome"] == SyncOutcome.STALE and r["status"] == "late"
    assert row(meeting, nam).status == "late"
    assert Attendance.history.filter(meeting_id=meeting.pk).count() == history
    # A stale mark is remembered too: sent again, it is a replay.
    assert services.sync_attendance(meeting, [older])[0]["outcome"] == "duplicate"


def test_a_later_mark_equal_to_the_row_still_beats_an_older_one(world, meeting):
    """present (t3) arrives, the row already present; then absent (t2 < t3): absent must lose."""
    nam = world.member("Lê Văn Nam", "K1")
    now = timezone.now()
    services.sync_attendance(meeting, [mark(nam, "present", at=now - dt.timedelta(minutes=9))])
    history = Attendance.history.filter(meeting_id=meeting.pk).count()
    [r] = services.sync_attendance(
        meeting, [mark(nam, "present", at=now - dt.timedelta(minutes=1))]
    )
    assert r["outcome"] == SyncOutcome.UNCHANGED
    assert Attendance.history.filter(meeting_id=meeting.pk).count() == history  # no empty change
    [r] = services.sync_attendance(
        meeting, [mark(nam, "absent_unexcused", at=now - dt.timedelta(minutes=2))]
    )
    assert r["outcome"] == SyncOutcome.STALE and row(meeting, nam).status == "present"


def test_marks_of_one_member_in_one_batch_keep_the_last_and_one_history_row(world, meeting):
    nam, hoa = world.member("Lê Văn Nam", "K1"), world.member("Trần Thị Hoa", "K1")
    now = timezone.now()
    history = Attendance.history.filter(meeting_id=meeting.pk).count()
    results = services.sync_attendance(
        meeting,
        [
            mark(nam, "absent_unexcused", at=now - dt.timedelta(seconds=30)),
            mark(hoa, "present", at=now - dt.timedelta(seconds=20)),
            mark(nam, "absent_excused", reason="Ốm", at=now - dt.timedelta(seconds=10)),
        ],
    )
    assert [r["outcome"] for r in results] == ["applied", "applied", "applied"]
    # Every answer shows the row as it stands after the batch.
    assert results[0]["status"] == results[2]["status"] == "absent_excused"
    assert (row(meeting, nam).status, row(meeting, nam).reason) == ("absent_excused", "Ốm")
    assert Attendance.history.filter(meeting_id=meeting.pk).count() == history + 2


def test_the_phone_clock_offset_is_corrected(world, meeting):
    """A phone an hour behind marks a minute after "all present": its mark must still win."""
    nam = world.member("Lê Văn Nam", "K1")
    services.mark_all_present(meeting)
    now = timezone.now()
    meeting.attendance.update(recorded_at=now - dt.timedelta(minutes=2))  # "all present" at -2'
    phone_now = now - dt.timedelta(hours=1)
    late = mark(nam, AttendanceStatus.LATE, at=phone_now - dt.timedelta(minutes=1))
    # Uncorrected, the mark would be an hour older than "all present" and ignored.
    [r] = services.sync_attendance(meeting, [late], client_now=phone_now)
    assert r["outcome"] == SyncOutcome.APPLIED and row(meeting, nam).status == "late"
    # A phone ahead of the server cannot date its marks in the future.
    ahead = mark(nam, "present", at=now + dt.timedelta(days=3))
    services.sync_attendance(meeting, [ahead])
    assert row(meeting, nam).recorded_at <= timezone.now()


def test_a_closed_meeting_refuses_late_marks_with_the_reason(world, meeting):
    services.mark_all_present(meeting)
    services.end(meeting, ended_at=meeting.started_at + dt.timedelta(minutes=95))
    services.approve_minutes(meeting)
    nam = world.member("Lê Văn Nam", "K1")
    before = counts(meeting)
    [r] = services.sync_attendance(meeting, [mark(nam, "absent_unexcused", at=timezone.now())])
    assert r["outcome"] == "refused"
    with override("vi"):
        assert r["message"] == gettext(
            "The minutes of this meeting are approved and locked; record a correction instead."
        )
    assert row(meeting, nam).status == "present" and counts(meeting) == before


def test_an_excused_absence_without_reason_is_refused_on_its_row_alone(world, meeting):
    nam, hoa = world.member("Lê Văn Nam", "K1"), world.member("Trần Thị Hoa", "K1")
    now = timezone.now()
    results = services.sync_attendance(
        meeting,
        [
            mark(nam, "absent_excused", at=now),
            mark(hoa, "late", at=now),
            mark(hoa, "bogus", at=now),
        ],
    )
    assert [r["outcome"] for r in results] == ["refused", "applied", "refused"]
    assert "Lê Văn Nam" in results[0]["message"]
    assert row(meeting, hoa).status == "late" and not row(meeting, nam).status
    assert AttendanceSync.objects.count() == 1  # a refused mark may be sent again, corrected


# ---- the view --------------------------------------------------------------------------------


def post(client, meeting, marks, *, sent_at=None):
    body = {
        "sent_at": sent_at or timezone.now().timestamp() * 1000,
        "marks": [
            {**m, "id": str(m["id"]), "member": str(m["member"]), "at": m["at"].timestamp() * 1000}
            for m in marks
        ],
    }
    return client.post(
        reverse("meetings:attendance_sync", args=[meeting.uuid]),
        json.dumps(body),
        content_type="application/json",
    )


def test_the_secretary_syncs_her_cell_and_the_answer_carries_the_counts(login, world, meeting):
    nam = world.member("Lê Văn Nam", "K1")
    c = login("secretary_k1")
    m = mark(nam, "late", at=timezone.now())
    r = post(c, meeting, [m])
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    data = r.json()
    assert data["results"][0]["outcome"] == "applied"
    assert 'id="att-summary"' in data["summary_html"]
    assert post(c, meeting, [m]).json()["results"][0]["outcome"] == "duplicate"
    assert (
        row(meeting, nam).status == "late"
        and row(meeting, nam).recorded_by.username == "secretary_k1"
    )


def test_sync_permissions(client, login, world, meeting):
    from meetings.tests.targets import meeting_in

    nam = world.member("Lê Văn Nam", "K1")
    m = mark(nam, "late", at=timezone.now())
    r = post(client, meeting, [m])  # anonymous
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
    sibling = meeting_in(world, "K2")
    binh = world.member("Hoàng Văn Bình", "K2")
    c = login("secretary_k1")
    assert post(c, sibling, [mark(binh, "late", at=timezone.now())]).status_code == 404
    assert not AttendanceSync.objects.exists()
    assert post(login("member_k1"), meeting, [m]).status_code == 403
    assert post(login("committee_c1"), meeting, [m]).status_code == 403
    assert not AttendanceSync.objects.exists() and not row(meeting, nam).status


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"marks": "x", "sent_at": 1}',
        b'{"marks": [{"id": "x", "member": "y", "at": 1}], "sent_at": 1}',
        b'{"marks": [], "sent_at": "yesterday"}',
        b'{"marks": [], "sent_at": 1e400}',
        b'{"marks": [], "sent_at": 1e30}',
        b'{"marks": [{"id": "00000000-0000-0000-0000-000000000001", '
        b'"member": "00000000-0000-0000-0000-000000000002", "status": 5, "at": 1}], "sent_at": 1}',
        b"\xff\xfe",
    ],
)
def test_a_malformed_queue_is_a_400_and_changes_nothing(login, world, meeting, body):
    r = login("secretary_k1").post(
        reverse("meetings:attendance_sync", args=[meeting.uuid]),
        body,
        content_type="application/json",
    )
    assert r.status_code == 400 and "error" in r.json()
    assert not AttendanceSync.objects.exists()


def test_query_counts_stay_pinned(
    login, world, meeting, django_assert_num_queries, record_property
):
    """The sheet and the sync cost the same whatever the number of rows or queued marks."""
    c = login("secretary_k1")
    url = reverse("meetings:attendance", args=[meeting.uuid])
    c.get(url)  # the roster is built on the first visit
    # Pinned at its measured count: session, user, scope, meeting, roster, guests, summary.
    with django_assert_num_queries(SHEET_QUERIES) as ctx:
        assert c.get(url).status_code == 200
    record_property("offline.sheet_queries", len(ctx.captured_queries))
    members = [a.member for a in meeting.attendance.select_related("member")]
    now = timezone.now()
    sync_queries = SYNC_QUERIES_BY_VENDOR[connection.vendor]
    with django_assert_num_queries(sync_queries) as ctx:
        post(c, meeting, [mark(members[0], "late", at=now)])
    one = len(ctx.captured_queries)
    with django_assert_num_queries(sync_queries) as ctx:
        r = post(c, meeting, [mark(m, "absent_unexcused", at=now) for m in members[1:]])
    assert [x["outcome"] for x in r.json()["results"]] == ["applied"] * (len(members) - 1)
    assert len(ctx.captured_queries) == one
    record_property("offline.sync_queries", one)
    record_property("offline.sync_marks", len(members) - 1)


# Measured; change only with a reason in the commit message. The sync's count differs by
# database: on PostgreSQL the request is one transaction (chibo/unavailable.py, two savepoints
# here) and the reports' recompute reads the cell in one json_agg query.
SHEET_QUERIES = 12
SYNC_QUERIES_BY_VENDOR = {"sqlite": 24, "postgresql": 19}


# ---- the installable app ----------------------------------------------------------------------


def test_the_manifest_is_valid_and_its_icons_exist(client, record_property):
    r = client.get("/manifest.webmanifest")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/manifest+json")
    data = json.loads(r.content)
    assert data["name"] == "Chibo – Sinh hoạt chi bộ"
    assert data["display"] == "standalone" and data["start_url"] == "/"
    assert data["theme_color"].startswith("#")
    sizes = {i["sizes"] for i in data["icons"] if i["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        path = icon["src"].removeprefix("/static/")
        assert finders.find(path), icon["src"]
        if icon["type"] == "image/png":
            with open(finders.find(path), "rb") as f:
                head = f.read(24)
            assert head[:8] == b"\x89PNG\r\n\x1a\n"
            w, h = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            assert f"{w}x{h}" == icon["sizes"]
    record_property("offline.manifest_bytes", len(r.content))


def test_the_service_worker_is_served_at_the_root_and_keeps_no_page(client, login, record_property):
    r = client.get("/sw.js")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/javascript")
    assert r["Cache-Control"] == "no-cache" and r["Service-Worker-Allowed"] == "/"
    body = r.content.decode()
    assert "__CHIBO_" not in body
    assert '"/static/css/chibo.css"' in body and '"/offline/"' in body
    assert 'var CACHE = "chibo-static-" + VERSION' in body
    record_property("offline.sw_bytes", len(r.content))
    # Its version follows the files it keeps (a new release replaces the phone's copies).
    from chibo import pwa

    assert len(json.loads(body.split("var VERSION = ")[1].split(";")[0])) == 12
    assert pwa.PRECACHE and all(finders.find(p) for p in pwa.PRECACHE)
    # Signed in, it is still served (no-store then, as every signed-in answer).
    assert login("secretary_k1").get("/sw.js").status_code == 200


def test_the_offline_page_carries_nothing_of_the_user(login, world):
    c = login("secretary_k1")
    body = c.get("/offline/").content.decode()
    assert "data-offline-page" in body
    user = world.user("secretary_k1")
    for private in (user.username, "Đăng xuất", "csrfmiddlewaretoken", "chibo-user"):
        assert private not in body
    assert 'rel="manifest"' in c.get("/").content.decode()


def test_the_sheet_carries_the_queue_hooks_and_no_inline_behaviour(login, world, meeting):
    c = login("secretary_k1")
    body = c.get(reverse("meetings:attendance", args=[meeting.uuid])).content.decode()
    assert reverse("meetings:attendance_sync", args=[meeting.uuid]) in body
    nam = world.member("Lê Văn Nam", "K1")
    assert f'data-att-member="{nam.uuid}"' in body
    assert "hx-post" not in body.split('id="sheet"')[1]  # rows are sent by the queue
    assert " onclick=" not in body and " style=" not in body
