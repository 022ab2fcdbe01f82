"""The attendance sheet on a phone (390 px) through a dropped connection (docs/offline.md).

The secretary opens the sheet (the app's service worker takes over the page), the network
goes, she marks three members — one of them twice — and each row says in words that it is
not sent yet, a banner counts 3; the queue stays on the phone across a reload. The network
comes back: the marks are sent by themselves, and the server holds exactly the last mark of
each member, once (one history row each, one sync record each)."""

import json

import pytest
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def vi(text):
    """The words the page shows (Vietnamese once the catalogue holds them, else the English)."""
    with override("vi"):
        return gettext(text)


PENDING = "Not sent yet — will be sent when the network is back"
OFFLINE = "You are offline"


def test_marks_made_offline_are_sent_once_when_the_network_returns(
    signed_in, live_server, live_world, page, record_property
):
    from meetings import services
    from meetings.models import Attendance, AttendanceSync
    from meetings.tests.targets import meeting_in

    meeting = meeting_in(live_world, "K1")
    services.start(meeting, started_at=meeting.scheduled_at)
    sheet = f"{live_server.url}/meetings/{meeting.uuid}/attendance/"
    names = list(meeting.attendance.values_list("member__person__full_name", flat=True))
    assert len(names) >= 3, names

    page.set_viewport_size({"width": 390, "height": 844})
    context = page.context

    # The app: its manifest and its service worker.
    manifest = page.request.get(f"{live_server.url}/manifest.webmanifest")
    assert manifest.ok
    data = json.loads(manifest.body())
    assert data["display"] == "standalone" and len(data["icons"]) >= 3
    for icon in data["icons"]:
        assert page.request.get(live_server.url + icon["src"]).ok, icon["src"]

    signed_in("secretary_k1")
    page.goto(sheet)
    assert page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
    page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller"), "the service worker controls"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width

    # ---- the network goes; three members are marked, the first one twice.
    context.set_offline(True)
    rows = page.locator('[data-att-member]:not(:has(input[value="exempt"]))')  # not preset
    rows.nth(0).locator('input[value="absent_unexcused"]').check()
    rows.nth(1).locator('input[value="late"]').check()
    rows.nth(2).locator('input[value="present"]').check()
    rows.nth(0).locator('input[value="present"]').check()  # changed her mind: the last one counts
    banner = page.locator("#att-queue")
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("data-count", "3")
    expect(banner).to_contain_text("3")
    for i in range(3):
        expect(rows.nth(i).locator("[data-att-state]")).to_have_text(vi(PENDING))
    # Told in words, and the row keeps what was chosen.
    expect(rows.nth(0).locator('input[value="present"]')).to_be_checked()
    shot(page, "attendance-offline-phone")

    # The queue lives on the phone, without names.
    stored = page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('chibo-att:'))"
        ".map(k => localStorage.getItem(k))"
    )
    assert len(stored) == 1
    queue = json.loads(stored[0])
    assert len(queue["marks"]) == 3
    assert not any(n in stored[0] for n in names)
    assert set(meeting.attendance.values_list("status", flat=True)) <= {"", "exempt"}

    # ---- a reload while offline: the service worker shows the offline page, the queue stays.
    page.reload()
    if page.locator("[data-offline-page]").count():
        expect(page.locator("h1")).to_have_text(vi(OFFLINE))
        expect(page.locator("[data-offline-queue]")).to_contain_text("3")
        shot(page, "offline-page-phone")
        record_property("offline.reload", "offline page")
        print("offline reload: the service worker's offline page")
    else:  # the browser let the service worker reach the server: the sheet, its queue shown
        expect(page.locator("#att-queue")).to_have_attribute("data-count", "3")
        record_property("offline.reload", "sheet")
        print("offline reload: the sheet (the service worker reached the server)")

    # ---- the network returns: the page comes back and the queue goes, once.
    context.set_offline(False)
    expect(page.locator("h1")).to_contain_text(vi("Attendance"), timeout=40_000)
    expect(page.locator("#att-queue")).to_be_hidden(timeout=15_000)
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('chibo-att:')).length")
        == 0
    )
    by_member = {str(m["member"]): m["status"] for m in queue["marks"]}
    rows_now = {
        str(a.member.uuid): a
        for a in Attendance.objects.filter(meeting=meeting).select_related("member")
    }
    assert {k: rows_now[k].status for k in by_member} == by_member
    assert sorted(by_member.values()) == ["late", "present", "present"]
    assert AttendanceSync.objects.filter(meeting=meeting).count() == 3
    for uuid in by_member:
        # One history row per member (the roster is created in bulk, without history): the
        # first offline mark of the member marked twice never left the phone, and nothing was
        # applied twice.
        assert rows_now[uuid].history.count() == 1, uuid
    expect(page.locator("#att-summary")).to_contain_text("3")
    record_property("offline.synced_marks", 3)
    shot(page, "attendance-synced-phone")

    # ---- online, a mark goes at once and the counts follow.
    rows.nth(1).locator('input[value="absent_unexcused"]').check()
    expect(page.locator("#att-summary")).to_contain_text(vi("unexcused") + " 1")
    expect(rows.nth(1).locator("[data-att-state]")).to_have_text(vi("Saved"))
    expect(page.locator("#att-queue")).to_be_hidden()
    assert AttendanceSync.objects.filter(meeting=meeting).count() == 4
