"""The report framework: a report names its parameters and computes a Result for one
organization and period; the pages, the XLSX export and the API all read that Result.

A Result holds the organization's totals and one row per direct child (the drill-down: each
child row links to the same report for that child, down to the cell), plus distributions
(groups) of the totals. A column may be a rate: `of` names the column that is its denominator,
so every rate is shown with its counts ("16.130/16.160 (99,81 %)") and the API returns both.

Reports are plain classes registered by name in REGISTRY; a report computes everything in a
constant number of grouped queries however many children the organization has.
"""

import datetime as dt
import importlib
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from organizations.selectors import STEP
from reports.periods import Period

REGISTRY: dict[str, "Report"] = {}
# The modules whose reports register themselves, loaded on first use (they import this one).
REPORT_MODULES = (
    "reports.structure",
    "reports.liaison",
    "reports.meetings",
    "reports.supervision",
    "reports.admissions",
    "reports.ratings",
    "reports.campaigns",
    "reports.village_positions",
)


def all_reports() -> list["Report"]:
    for module in REPORT_MODULES:
        importlib.import_module(module)
    return list(REGISTRY.values())


def register(cls):
    REGISTRY[cls.name] = cls()
    return cls


def get_report(name: str) -> "Report":
    all_reports()
    try:
        return REGISTRY[name]
    except KeyError as e:
        raise Http404 from e


def rate(part: int | None, whole: int | None) -> float | None:
    """Percentage with two decimals, None when there is nothing to divide by."""
    if not whole or part is None:
        return None
    return round(100 * part / whole, 2)


def fmt_int(value) -> str:
    return formats.number_format(value or 0, 0, use_l10n=True, force_grouping=True)


def fmt_number(value, decimals: int = 0) -> str:
    """An integer as fmt_int; a quantity with decimals (kg) with at most `decimals` of them,
    none when it is whole: "19.741", "12,5" in Vietnamese."""
    if not decimals or value is None or value == int(value):
        return fmt_int(value)
    text = formats.number_format(value, decimals, use_l10n=True, force_grouping=True)
    sep = formats.get_format("DECIMAL_SEPARATOR")
    return text.rstrip("0").rstrip(sep) if sep in text else text


def json_number(value):
    """Counts stay integers; quantities with decimals (Decimal) become floats in the API."""
    return float(value) if isinstance(value, Decimal) else value


def fmt_rate(part: int, whole: int | None) -> str:
    """ "16.130/16.160 (99,81 %)" in Vietnamese, "16,130/16,160 (99.81 %)" in English."""
    if whole is None:
        return fmt_int(part)
    r = rate(part, whole)
    text = f"{fmt_int(part)}/{fmt_int(whole)}"
    if r is None:
        return text
    return f"{text} ({formats.number_format(r, 2, use_l10n=True)} %)"


@dataclass
class Column:
    key: str
    label: str
    of: str | None = None  # the denominator's column: this column is then a rate
    decimals: int = 0  # a quantity with decimals (kg): shown with at most this many


@dataclass
class Item:
    """One bar of a distribution: a label, a count and what it is a share of."""

    key: str
    label: str
    value: int
    of: int | None = None
    decimals: int = 0  # as Column.decimals (never with `of`)

    @property
    def text(self) -> str:
        if self.decimals and self.of is None:
            return fmt_number(self.value, self.decimals)
        return fmt_rate(self.value, self.of)

    @property
    def rate(self) -> float | None:
        return rate(self.value, self.of)


@dataclass
class Group:
    key: str
    title: str
    items: list[Item]
    chart: bool = True  # False: a table only (items of different units, e.g. money and kg)


@dataclass
class Filter:
    """A report's own parameter beyond the organization and the period (Report.params), as a
    choice on the page: `name` in the query string, its choices (value, label), the value."""

    name: str
    label: str
    choices: list[tuple[str, str]]
    value: str = ""


@dataclass
class Row:
    org: Organization | None
    values: dict[str, int]

    @property
    def label(self) -> str:
        return self.org.name if self.org else ""

    def value(self, col: Column) -> int:
        return self.values.get(col.key, 0)

    def cells(self, columns: list[Column]) -> list[str]:
        return [
            fmt_rate(self.value(c), self.values.get(c.of, 0))
            if c.of
            else fmt_number(self.value(c), c.decimals)
            for c in columns
        ]

    def as_json(self, columns: list[Column]) -> dict:
        out = {c.key: json_number(self.value(c)) for c in columns}
        for c in columns:
            if c.of:
                out[f"{c.key}_rate"] = rate(self.value(c), self.values.get(c.of, 0))
        return out


@dataclass
class Result:
    report: "Report"
    org: Organization
    period: Period
    columns: list[Column]
    total: Row
    rows: list[Row]
    groups: list[Group] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The report's own parameters: offered as choices on the page and kept in its links.
    filters: list[Filter] = field(default_factory=list)

    @property
    def options_query(self) -> str:
        """The chosen values of the filters as a query string ("campaign=<uuid>"), or ""."""
        return urlencode([(f.name, f.value) for f in self.filters if f.value])

    @property
    def headline(self) -> list[tuple[Column, str]]:
        return list(zip(self.columns, self.total.cells(self.columns), strict=True))

    def as_json(self) -> dict:
        def ref(org):
            return {"uuid": str(org.uuid), "name": org.name, "kind": org.kind}

        return {
            "report": self.report.name,
            "title": str(self.report.title),
            **self.period.iso,
            "organization": ref(self.org),
            "columns": [{"key": c.key, "label": str(c.label), "of": c.of} for c in self.columns],
            "total": self.total.as_json(self.columns),
            "groups": [
                {
                    "key": g.key,
                    "title": str(g.title),
                    "items": [
                        {
                            "key": i.key,
                            "label": str(i.label),
                            "value": json_number(i.value),
                            "of": i.of,
                            "rate": i.rate,
                        }
                        for i in g.items
                    ],
                }
                for g in self.groups
            ],
            "children": [
                {"organization": ref(r.org), **r.as_json(self.columns)} for r in self.rows
            ],
        }


class Report:
    """Subclasses set name, title, description, columns and implement compute()."""

    name = ""
    title = ""
    description = ""
    # Which parameters the report reads: "as of" reports read only `to`. Parameters beyond
    # BASE_PARAMS reach compute() as keyword arguments (text, as given: see report_options).
    params = ("org", "from", "to")
    as_of = True
    columns: list[Column] = []
    chart_column = ""  # the column charted across the units below

    def compute(self, org: Organization, period: Period, **options) -> Result:
        raise NotImplementedError


BASE_PARAMS = ("org", "from", "to")


def report_options(report: Report, query) -> dict[str, str]:
    """The report's own parameters (Report.params beyond org, from and to) found in a query
    string, as text: the pages, the XLSX and the API pass them to compute()."""
    return {
        p: str(query.get(p)).strip() for p in report.params if p not in BASE_PARAMS and query.get(p)
    }


def active_q(on: dt.date, prefix: str = "") -> Q:
    """Organizations founded by `on` and not dissolved on or before it."""
    return (Q(**{f"{prefix}founded_on__isnull": True}) | Q(**{f"{prefix}founded_on__lte": on})) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": on})
    )


class Rollup:
    """Adds counts found at a path to the organization's total and to the child above it."""

    def __init__(self, org: Organization, children: list[Organization]):
        self.org = org
        self.total: dict[str, int] = {}
        self.by_child: dict[str, dict[str, int]] = {c.path: {} for c in children}
        self._cut = len(org.path) + STEP

    def add(self, path: str, key: str, n: int = 1):
        if not path.startswith(self.org.path):
            return
        self.total[key] = self.total.get(key, 0) + n
        child = self.by_child.get(path[: self._cut])
        if child is not None:
            child[key] = child.get(key, 0) + n

    def rows(self, children: list[Organization]) -> tuple[Row, list[Row]]:
        return Row(self.org, self.total), [Row(c, self.by_child[c.path]) for c in children]


SECTION_CHILDREN = _("By unit directly below")
