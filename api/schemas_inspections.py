"""Request and response shapes of the inspection and supervision API (kiểm tra, giám sát):
a committee's yearly plans, its inspections of organizations and members, their conclusions
and the follow-up items of each conclusion.

Input schemas check types and sizes only; the rules (subject under the committee, dates in
order, the states) are oversight.services_inspections', the same the pages use.
"""

import datetime as dt
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from api.schemas import DATE, OPTIONAL_DATE, InputSchema, Paging, Text
from api.schemas_life import MemberRef, Ref
from oversight.models import InspectionKind, InspectionStatus

InspectionSide = Literal["by", "of"]
InspectionStatusFilter = Literal[(*InspectionStatus.values, "violations", "overdue", "all")]
SIDE = (
    "`by`: inspections carried out by the organization `org` (as the committee); `of`: "
    "inspections of `org` and of its members by the committees above."
)


class InspectionCounts(Schema):
    total: int
    planned: int
    in_progress: int
    concluded: int
    violations: int = Field(description="Concluded with violations found.")
    overdue: int = Field(
        description="Follow-up items not done by their due date, whatever the year the "
        "inspection was planned in."
    )


# ---- plans -----------------------------------------------------------------------------------


class PlanFilters(Paging):
    org: UUID | None = Field(None, description="Only the plans of this committee.")
    year: int | None = Field(None, ge=2000, le=2100, description="Only the plans of this year.")


class PlanOut(Schema):
    uuid: UUID
    organization: Ref = Field(description="The committee that adopted it.")
    year: int
    number: str
    approved_on: dt.date | None = Field(description=OPTIONAL_DATE)
    summary: str


class PlanDetail(PlanOut):
    counts: InspectionCounts = Field(description="Of the inspections planned in this plan.")
    inspections: list[UUID] = Field(description="The inspections planned in this plan.")
    capabilities: list[str] = Field(
        description="view, and manage_structure for its committee's staff."
    )


class PlanPage(Schema):
    items: list[PlanOut]
    count: int
    page: int
    pages: int


class PlanIn(InputSchema):
    organization: UUID = Field(description="The committee (or cell committee) adopting it.")
    year: int = Field(ge=2000, le=2100)
    number: Text(60) = Field("", description="Number and symbol, e.g. 05-CTr/ĐU.")
    approved_on: dt.date | None = Field(None, description="Adopted on. " + OPTIONAL_DATE)
    summary: Text(10_000) = Field("", description="The programme's content.")


class PlanUpdateIn(InputSchema):
    year: int | None = Field(None, ge=2000, le=2100)
    number: Text(60) | None = None
    approved_on: dt.date | None = Field(None, description=OPTIONAL_DATE)
    summary: Text(10_000) | None = None


# ---- inspections -----------------------------------------------------------------------------


class InspectionFilters(Paging):
    org: UUID | None = Field(None, description="An organization; see `side`.")
    side: InspectionSide = Field("by", description=SIDE + " Only with `org`.")
    year: int | None = Field(
        None, ge=2000, le=2100, description="Only those planned to start in this year."
    )
    kind: InspectionKind | None = None
    status: InspectionStatusFilter = Field(
        "all",
        description="One status; violations (concluded with violations); overdue (with a "
        "follow-up item past its due date); or all.",
    )


class CountsFilters(InputSchema):
    side: InspectionSide = Field("by", description=SIDE)
    year: int | None = Field(
        None, ge=2000, le=2100, description="Planned in this year (the current year if omitted)."
    )
    kind: InspectionKind | None = None


class InspectionOut(Schema):
    uuid: UUID
    organization: Ref = Field(description="The committee carrying it out.")
    kind: InspectionKind
    status: InspectionStatus
    subject_org: Ref = Field(description="The organization inspected, or the member's cell.")
    subject_member: MemberRef | None = Field(description="The member inspected, if a member.")
    topic: str
    plan: UUID | None = Field(
        description="The committee's plan it belongs to (null outside a plan, or when the "
        "caller does not read the committee)."
    )
    planned_from: dt.date = Field(description=DATE)
    planned_to: dt.date | None = Field(description=OPTIONAL_DATE)
    started_on: dt.date | None = Field(description=OPTIONAL_DATE)
    concluded_on: dt.date | None = Field(description=OPTIONAL_DATE)
    violation_found: bool
    overdue_follow_ups: int


class FollowUpOut(Schema):
    id: int
    text: str
    responsible: str
    due_on: dt.date | None = Field(description=OPTIONAL_DATE)
    done_on: dt.date | None = Field(description=OPTIONAL_DATE)
    result: str
    overdue: bool


class InspectionDetail(InspectionOut):
    conclusion_no: str
    conclusion: str
    follow_ups: list[FollowUpOut]
    steps: list[str] = Field(
        description="What the caller may do now: start, conclude, add_follow_up, "
        "complete_follow_up."
    )


class InspectionPage(Schema):
    items: list[InspectionOut]
    count: int
    page: int
    pages: int


class InspectionIn(InputSchema):
    organization: UUID = Field(description="The committee carrying it out.")
    kind: InspectionKind
    subject_org: UUID | None = Field(None, description="An organization below the committee…")
    subject_member: UUID | None = Field(
        None, description="…or a member of a cell in the committee's subtree (one of the two)."
    )
    topic: Text(400) = Field(description="What is inspected or supervised.")
    planned_from: dt.date = Field(description=DATE)
    planned_to: dt.date | None = Field(None, description=OPTIONAL_DATE)
    plan: UUID | None = Field(None, description="One of the committee's plans, of that year.")


class InspectionStartIn(InputSchema):
    started_on: dt.date = Field(description=DATE)


class ConcludeIn(InputSchema):
    concluded_on: dt.date = Field(description=DATE)
    conclusion_no: Text(60) = ""
    conclusion: Text(20_000) = Field("", description="Required to conclude.")
    violation_found: bool = False


class FollowUpIn(InputSchema):
    text: Text(400) = Field(description="What the conclusion asks to be done.")
    responsible: Text(200) = ""
    due_on: dt.date | None = Field(None, description=OPTIONAL_DATE)


class FollowUpDoneIn(InputSchema):
    done_on: dt.date = Field(description=DATE)
    result: Text(400)
