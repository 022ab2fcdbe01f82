"""Shapes of the reports API: raw counts and rates (numbers, never formatted text)."""

import datetime as dt
from uuid import UUID

from ninja import Field, Schema

from api.schemas import DATE


class ReportFilters(Schema):
    org: UUID | None = Field(
        None, description="The organization (its subtree); the caller's first one by default."
    )
    from_: dt.date | None = Field(None, alias="from", description="Start of the period. " + DATE)
    to: dt.date | None = Field(
        None, description="End of the period; structure figures are as of this day. " + DATE
    )


class OrgRef(Schema):
    uuid: UUID
    name: str
    kind: str


class ReportColumn(Schema):
    key: str
    label: str
    of: str | None = Field(description="The column this one is a rate of, if any.")


class ReportItem(Schema):
    key: str
    label: str
    value: int | float = Field(description="A count, or a quantity with decimals (kg).")
    of: int | None = Field(description="What the value is a share of, if it is one.")
    rate: float | None = Field(description="100 × value / of, two decimals; null without `of`.")


class ReportGroup(Schema):
    key: str
    title: str
    items: list[ReportItem]


class ReportOut(Schema):
    report: str
    title: str
    from_: dt.date = Field(alias="from")
    to: dt.date
    organization: OrgRef
    columns: list[ReportColumn]
    total: dict[str, int | float | None] = Field(
        description="Each column's count, and `<key>_rate` (percent) for rate columns."
    )
    groups: list[ReportGroup]
    children: list[dict] = Field(
        description="The direct children: `organization` and the same keys as `total`."
    )
