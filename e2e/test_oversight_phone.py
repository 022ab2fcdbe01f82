"""The oversight pages on a phone (390 px): the compliance board, the committee's visits, the
inspections page, the rubric list and a cell's quality year. Elderly users read them on phones:
nothing may be wider than the screen (wide tables scroll inside their own box)."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import shot

pytestmark = pytest.mark.browser


def test_the_oversight_pages_fit_a_phone(signed_in, live_server, live_world, page):
    c1, p1, k1 = live_world.org("C1"), live_world.org("P1"), live_world.org("K1")
    page.set_viewport_size({"width": 390, "height": 844})
    signed_in("staff_c1")
    pages = {
        "board": f"/oversight/committees/{c1.uuid}/board/",
        "visits": f"/oversight/committees/{c1.uuid}/visits/",
        "inspections": f"/oversight/inspections/org/{c1.uuid}/",
        "rubrics": f"/quality/provinces/{p1.uuid}/",
        "year": f"/quality/cells/{k1.uuid}/year/",
        "dues": f"/dues/cells/{k1.uuid}/",
    }
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, response.status)
        expect(page.locator("h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (name, width)
        if name == "board":
            shot(page, "compliance-board-phone")
