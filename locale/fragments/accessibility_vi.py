# Vietnamese translations for accessibility (issue 9): the high-contrast toggle in the footer
# (templates/base.html, static/js/chibo.js), the tree's link to a branch's page
# (templates/organizations/_children.html) and the "today" mark on meeting lists.
T = {
    "High contrast": "Tương phản cao",
    "Open the page of %(name)s": "Mở trang của %(name)s",
    "today": "hôm nay",
}
