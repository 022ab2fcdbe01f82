"""When an htmx request meets a server that is briefly unavailable (503, goal S10), a server
error, or no network at all, the page says so in words instead of seeming to do nothing
(static/js/chibo.js, the #request-problem box of templates/base.html)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def open_tree(page, live_server):
    page.goto(f"{live_server.url}/org/")
    expect(page.get_by_role("heading", name="Tổ chức đảng")).to_be_visible()


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ("503", "Hệ thống đang tạm thời gián đoạn: nội dung bạn vừa nhập chưa được lưu."),
        ("500", "Máy chủ gặp lỗi"),
        ("offline", "Không kết nối được với máy chủ"),
    ],
)
def test_a_failed_htmx_request_is_explained(signed_in, live_server, answer, words):
    page = signed_in("staff_p1")
    open_tree(page, live_server)
    problem = page.locator("#request-problem")
    expect(problem).to_be_hidden()

    def fail(route):
        if answer == "offline":
            route.abort("internetdisconnected")
        else:
            route.fulfill(status=int(answer), body="<p>x</p>", content_type="text/html")

    page.route("**/org/*/children/**", fail)
    page.locator("summary", has_text="Đảng bộ tỉnh Thử Nghiệm").click()
    expect(problem).to_be_visible()
    expect(problem.get_by_role("alert")).to_contain_text(words)

    # The network is back: the next request hides the message and works.
    page.unroute("**/org/*/children/**")
    page.locator("summary", has_text="Đảng bộ tỉnh Thử Nghiệm").click()  # close
    page.reload()
    page.locator("summary", has_text="Đảng bộ tỉnh Thử Nghiệm").click()
    expect(page.locator("summary", has_text="Đảng bộ xã An Bình")).to_be_visible()
    expect(problem).to_be_hidden()
