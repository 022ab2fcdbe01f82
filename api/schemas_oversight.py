"""Request and response shapes of the supervision API: who follows which cell (individual
assignments, working groups, cross-attendance), visits and their reports, the visit rule.

Input schemas check types and sizes only; the rules are oversight/services.py and
oversight/following.py (and meetings/followers.py for assignments), as on the pages.
Dates are ISO 8601 calendar dates (YYYY-MM-DD).
"""

import datetime as dt
from decimal import Decimal
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict

from api.schemas import DATE, OPTIONAL_DATE, Blank, InputSchema, Paging, Text
from api.schemas_life import Ref
from oversight.models import VisitKind, VisitStatus
from quality.models import QualityLevel

VisitStatusFilter = Literal[(*VisitStatus.values, "all")]
USERNAME = Field(max_length=150, description="The user's username.")


class UserRef(Schema):
    username: str
    full_name: str


# ---- who follows which cell -------------------------------------------------------------------


class FollowingFilters(Paging):
    org: UUID | None = Field(
        None,
        description="Only those of this organization: a committee's own groups and exchanges, "
        "or, for assignments, the cells in its subtree.",
    )
    on: dt.date | None = Field(None, description="Only those in force on this day. " + DATE)


class AssignmentOut(Schema):
    id: int
    cell: Ref
    user: UserRef
    valid_from: dt.date = Field(description=DATE)
    valid_to: dt.date | None = Field(description=OPTIONAL_DATE)


class AssignmentPage(Schema):
    items: list[AssignmentOut]
    count: int
    page: int
    pages: int


class AssignmentIn(InputSchema):
    cell: UUID
    user: Text(150, 1) = USERNAME
    valid_from: dt.date = Field(description=DATE)
    valid_to: dt.date | None = Field(None, description=OPTIONAL_DATE)


class WorkingGroupOut(Schema):
    uuid: UUID
    committee: Ref
    name: str
    members: list[UserRef]
    cells: list[Ref]
    valid_from: dt.date = Field(description=DATE)
    valid_to: dt.date | None = Field(description=OPTIONAL_DATE)


class GroupPage(Schema):
    items: list[WorkingGroupOut]
    count: int
    page: int
    pages: int


class WorkingGroupIn(InputSchema):
    committee: UUID
    name: Text(200, 1)
    members: list[Text(150, 1)] = Field(
        max_length=200, description="Usernames of people holding a role in the committee or above."
    )
    cells: list[UUID] = Field(max_length=2000, description="Active cells below the committee.")
    valid_from: dt.date = Field(description=DATE)
    valid_to: dt.date | None = Field(None, description=OPTIONAL_DATE)


class CrossOut(Schema):
    id: int
    committee: Ref
    visitor: UserRef
    from_cell: Ref
    cell: Ref
    valid_from: dt.date = Field(description=DATE)
    valid_to: dt.date | None = Field(description=OPTIONAL_DATE)


class CrossPage(Schema):
    items: list[CrossOut]
    count: int
    page: int
    pages: int


class CrossIn(InputSchema):
    committee: UUID
    visitor: Text(150, 1) = USERNAME
    from_cell: UUID = Field(description="The cell whose secretary or deputy attends.")
    cell: UUID = Field(description="The cell attended, another cell of the committee.")
    valid_from: dt.date = Field(description=DATE)
    valid_to: dt.date | None = Field(None, description=OPTIONAL_DATE)


# ---- visits -----------------------------------------------------------------------------------


class VisitFilters(Paging):
    org: UUID | None = Field(None, description="Only visits to cells in this subtree.")
    status: VisitStatusFilter = Field("all", description="One status, or all (the default).")
    mine: bool = Field(False, description="Only the caller's own visits.")
    date_from: dt.date | None = Field(None, description="Visits dated on or after. " + DATE)
    date_to: dt.date | None = Field(None, description="Visits dated on or before. " + DATE)


class VisitOut(Schema):
    uuid: UUID
    cell: Ref
    meeting: UUID | None = Field(description="The meeting attended, if any.")
    visitor: UserRef
    kind: VisitKind
    group: Ref | None = Field(description="The working group, for a group's visit.")
    planned_on: dt.date = Field(description="The date of the visit. " + DATE)
    status: VisitStatus
    observed_total: Decimal | None
    observed_level: QualityLevel | Blank
    reported_on: dt.date | None = Field(description=OPTIONAL_DATE)


class VisitPage(Schema):
    items: list[VisitOut]
    count: int
    page: int
    pages: int


class VisitDetail(VisitOut):
    strengths: str
    shortcomings: str
    recommendations: str
    cancel_reason: str
    steps: list[Literal["report", "cancel"]] = Field(description="What the caller may do now.")


class VisitIn(InputSchema):
    # Either a meeting, or a cell (with a date): said in the document, checked by the form.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": ["meeting"], "properties": {"meeting": {"type": "string"}}},
                {"required": ["cell"], "properties": {"cell": {"type": "string"}}},
            ]
        },
    )

    meeting: UUID | None = Field(None, description="The meeting to attend (its cell and date).")
    cell: UUID | None = Field(None, description="Without a meeting: the cell to visit.")
    planned_on: dt.date | None = Field(None, description="Without a meeting: the date. " + DATE)
    kind: VisitKind | None = Field(
        None, description="As what; by default how the caller follows the cell."
    )


class ReportIn(InputSchema):
    reported_on: dt.date = Field(description="Not before the visit, not in the future. " + DATE)
    observed_total: Decimal | None = Field(None, ge=0, le=1000, max_digits=5, decimal_places=1)
    observed_level: QualityLevel | Blank = Field(
        "", description="Empty with a total: the level of the total under the rubric in force."
    )
    strengths: Text(10_000) = ""
    shortcomings: Text(10_000) = ""
    recommendations: Text(10_000) = ""


class VisitCancelIn(InputSchema):
    reason: Text(300, 1)


class DueFilters(Paging):
    year: int | None = Field(None, ge=2000, le=2100, description="This year by default.")
    quarter: int | None = Field(None, ge=1, le=4, description="This quarter by default.")


class CellDueOut(Schema):
    cell: Ref
    required: int
    done: int = Field(description="Reported visits dated in the quarter.")
    missing: int


class VisitsDue(Schema):
    organization: Ref
    year: int
    quarter: int
    first: dt.date = Field(description=DATE)
    last: dt.date = Field(description=DATE)
    required: int = Field(description="The organization's own rule (or inherited) that quarter.")
    cells_visited: int
    cells_missing: int
    items: list[CellDueOut]
    count: int
    page: int
    pages: int
