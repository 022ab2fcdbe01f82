"""The SVG bar chart leaves room for its longest value."""

import re

from django.utils import translation

from reports.charts import BAR_W, LABEL_W, bar_chart


def width(svg: str) -> int:
    return int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))


def test_long_values_widen_the_chart_so_they_are_not_cut():
    with translation.override("vi"):
        small = bar_chart("t", [("A", 5), ("B", 10)])
        big = bar_chart("t", [("A", 4_400_000_000), ("B", 1_000_000)])
    assert width(small) == LABEL_W + BAR_W + 70
    # "4.400.000.000" is 13 characters: the value column grows past its 70 units.
    assert width(big) >= LABEL_W + BAR_W + 13 * 7
    assert "4.400.000.000" in big


def test_nothing_to_draw_gives_no_chart():
    assert bar_chart("t", []) == "" and bar_chart("t", [("A", 0)]) == ""
