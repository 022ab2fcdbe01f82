"""Request and response shapes of the review-and-rating API (QĐ 366-QĐ/TW, HD 43-HD/BTCTW) and
of the admission targets.

Levels are sent and returned as their stored codes (`excellent`, `good`, `completed`,
`not_completed`); every level in a response comes with its name as the cycle calls it (the names
of the rules in force that year, in Vietnamese: the documents' own words). Input schemas check
types and sizes only; each step's body is then checked by the page's form and the
ratings.services function, so the API and the pages can never disagree.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from admissions.models import TARGET_MAX_YEAR, TARGET_MIN_YEAR
from api.schemas import DATE, OPTIONAL_DATE, Blank, InputSchema, Paging, Text
from api.schemas_life import MemberRef, Ref
from liaison.models import Overall
from lifecycle.models import DecisionKind
from organizations.models import OrgKind
from ratings.models import CapBase, CycleStatus, Exclusion, FormType, Level, ReviewStatus, RuleSet

CycleStatusFilter = Literal[(*CycleStatus.values, "all")]
ReviewStatusFilter = Literal[(*ReviewStatus.values, "all")]
OrgReviewFilter = Literal["decided", "undecided", "all"]
LEVEL = "One of excellent, good, completed, not_completed."
LEVEL_NAME = "The level's name as the cycle calls it (the rules in force that year); empty if none."
SCORE = "On the 100-point scale (QĐ 366 cycles only): 90 and over, 70 to under 90, 50 to under 70."
Score = float | None  # returned as a number; sent as a number or a decimal string


class LevelName(Schema):
    level: Level
    member_name: str = Field(description="What the cycle calls the level for a party member.")
    organization_name: str = Field(description="What it calls it for a party organization.")


class CycleRef(Schema):
    uuid: UUID
    organization: Ref
    year: int
    quarter: int | None
    period_label: str


# ---- review cycles ----------------------------------------------------------------------


class CycleFilters(Paging):
    org: UUID | None = Field(
        None,
        description="Only the cycles covering this organization (run by it or a committee above "
        "it) and those run inside it.",
    )
    year: int | None = Field(None, ge=2008, le=2100)
    quarter: int | None = Field(
        None, ge=0, le=4, description="A quarter, 1 to 4, or 0 for the annual reviews."
    )
    status: CycleStatusFilter = Field("all", description="open, closed or all (the default).")


class CycleOut(Schema):
    uuid: UUID
    organization: Ref = Field(description="The organization running the review.")
    year: int
    quarter: int | None = Field(description="Null for the annual review.")
    period_label: str
    rule_set: RuleSet
    rule_set_label: str
    scored: bool = Field(description="Whether ratings are scored on 100 points (QĐ 366).")
    status: CycleStatus
    excellent_cap_percent: int | None = Field(
        description="The cap on the top level within each cell and among collectives of the "
        "same level, in percent of `cap_base`; null: no cap."
    )
    cap_base: CapBase
    cap_base_label: str
    opened_on: dt.date = Field(description=DATE)
    closed_on: dt.date | None = Field(description=OPTIONAL_DATE)
    levels: list[LevelName] = Field(description="The four levels, best first, as named here.")


class CyclePage(Schema):
    items: list[CycleOut]
    count: int
    page: int
    pages: int


class StatusCount(Schema):
    status: ReviewStatus
    label: str
    count: int


class LevelCount(Schema):
    level: Level
    name: str = Field(description=LEVEL_NAME)
    proposed: int = Field(description="Proposed by the cell, not decided yet.")
    decided: int


class CellCounts(Schema):
    cell: Ref
    total: int
    excluded: int = Field(description="Not rated (exempt, suspended, admitted < 6 months).")
    decided: dict[str, int] = Field(description="Decided members per level code.")
    cap: int | None = Field(
        description="How many may be decided at the top level here; null: no cap."
    )
    over_cap: bool


class CollectiveCounts(Schema):
    total: int
    decided: int


class CycleDetail(CycleOut):
    scope: Literal["cycle", "part"] = Field(
        description="cycle: the counts cover the whole cycle; part: only the organizations of "
        "the cycle within the caller's scope."
    )
    statuses: list[StatusCount] = Field(description="Member reviews per status.")
    level_counts: list[LevelCount] = Field(description="Member reviews per level, best first.")
    cells: list[CellCounts] = Field(description="Per cell, in tree order, against the cap.")
    collectives: CollectiveCounts
    steps: list[str] = Field(description="What the caller may do now: close.")


class OpenCycleIn(InputSchema):
    organization: UUID = Field(
        description="A grassroots committee or cell, a committee under the province, or the "
        "province: it reviews its whole subtree."
    )
    year: int
    quarter: int | None = Field(None, description="1 to 4 (QĐ 366 only), or null for the year.")
    excellent_cap_percent: int | None = Field(
        20, description="Percent, 0 to 100; null for no cap. 20 by default."
    )
    cap_base: CapBase = CapBase.GOOD


# ---- member reviews ---------------------------------------------------------------------


class MemberReviewFilters(Paging):
    cycle: UUID | None = None
    cell: UUID | None = Field(None, description="Only the members of this cell (or subtree).")
    status: ReviewStatusFilter = "all"
    member: UUID | None = Field(None, description="Only this member's reviews.")


class MemberReviewOut(Schema):
    uuid: UUID
    cycle: CycleRef
    member: MemberRef
    cell: Ref = Field(description="The member's home cell when the cycle opened.")
    status: ReviewStatus
    status_label: str
    form_type: FormType
    exclusion: Exclusion | Blank = Field(description="Why the member is not rated, if so.")
    self_level: Level | Blank = Field(description=LEVEL)
    self_level_name: str = Field(description=LEVEL_NAME)
    self_score: Score = Field(description=SCORE)
    score: Score = Field(description="The cell's score. " + SCORE)
    cell_level: Level | Blank = Field(description="Proposed by the cell. " + LEVEL)
    cell_level_name: str = Field(description=LEVEL_NAME)
    decided_level: Level | Blank = Field(description=LEVEL)
    decided_level_name: str = Field(description=LEVEL_NAME)
    decided_on: dt.date | None = Field(description=OPTIONAL_DATE)


class MemberReviewPage(Schema):
    items: list[MemberReviewOut]
    count: int
    page: int
    pages: int


class CommentRef(Schema):
    year: int
    overall: Overall
    overall_label: str
    commented_on: dt.date = Field(description=DATE)


class DecisionRef(Schema):
    kind: DecisionKind
    kind_label: str
    decision_no: str
    effective_date: dt.date = Field(description=DATE)


class EvidenceOut(Schema):
    meetings_expected: int = Field(description="Approved cell meetings of the period expected.")
    meetings_attended: int
    attendance_percent: int | None
    absent_excused: int
    absent_unexcused: int
    tasks_assigned: int = Field(description="Tasks of the period's resolutions.")
    tasks_done: int
    tasks_not_done: int
    residence_comment: CommentRef | None = Field(
        description="The residence cell's comment of the cycle's year (QĐ 213)."
    )
    decisions: list[DecisionRef] = Field(description="Status decisions effective in the period.")


class MemberReviewDetail(MemberReviewOut):
    exclusion_label: str
    exclusion_note: str
    results: str
    strengths: str
    shortcomings: str
    remedies: str
    self_reviewed_on: dt.date | None = Field(description=OPTIONAL_DATE)
    votes_for: int | None
    votes_eligible: int | None
    cell_comment: str
    proposed_on: dt.date | None = Field(description=OPTIONAL_DATE)
    decision_note: str
    complaint: str = Field(description="The member's complaint about the decided level, if any.")
    complained_on: dt.date | None = Field(description=OPTIONAL_DATE)
    complaint_answer: str
    complaint_answered_on: dt.date | None = Field(description=OPTIONAL_DATE)
    level_before_complaint: Level | Blank = Field(
        description="The decided level before the answer to the complaint. " + LEVEL
    )
    levels: list[LevelName]
    evidence: EvidenceOut = Field(description="The evidence panel of the review page.")
    steps: list[str] = Field(
        description="The steps the caller may take now (POST /member-reviews/{uuid}/<step>)."
    )


class SelfReviewIn(InputSchema):
    form_type: FormType = Field(description="2A, 2B or 2C (HD 43).")
    results: Text(5000, 1)
    strengths: Text(5000) = ""
    shortcomings: Text(5000) = ""
    remedies: Text(5000) = ""
    self_level: Level = Field(description=LEVEL)
    self_score: Decimal | None = Field(None, description=SCORE)


class ProposeIn(InputSchema):
    level: Level = Field(description=LEVEL)
    score: Decimal | None = Field(None, description="Required in QĐ 366 cycles. " + SCORE)
    votes_for: int = Field(ge=0, le=10_000)
    votes_eligible: int = Field(ge=1, le=10_000, description="Members entitled to vote.")
    comment: Text(5000) = ""
    on: dt.date | None = Field(None, description="The cell's review meeting; today by default.")


class DecideIn(InputSchema):
    level: Level = Field(description=LEVEL)
    note: Text(300) = Field("", description="E.g. the decision number, 05-QĐ/ĐU.")
    on: dt.date | None = Field(None, description="Decided on; today by default. " + DATE)


class ComplaintIn(InputSchema):
    text: Text(5000) = Field(description="What the member disputes and why (≥ 10 characters).")
    on: dt.date | None = Field(None, description="Lodged on; today by default. " + DATE)


class AnswerComplaintIn(InputSchema):
    level: Level = Field(
        description="The level after the complaint: the same level rejects it, another rates "
        "again. " + LEVEL
    )
    score: float | None = Field(None, description="A new score, when the cycle is scored.")
    answer: Text(5000) = Field(description="The answer to the complaint.")
    on: dt.date | None = Field(None, description="Answered on; today by default. " + DATE)


# ---- organization reviews -----------------------------------------------------------------


class OrgReviewFilters(Paging):
    cycle: UUID
    status: OrgReviewFilter = "all"


class BasisOut(Schema):
    members: dict[str, int] = Field(description="Decided members of the subtree per level code.")
    members_rated: int
    members_decided: int
    collectives: dict[str, int] = Field(description="Decided direct sub-collectives per level.")
    collectives_total: int
    collectives_decided: int
    disciplined: bool = Field(description="A member was suspended, struck off or expelled.")
    suggested: Level | Blank


class OrgReviewOut(Schema):
    uuid: UUID
    cycle: CycleRef
    organization: Ref
    kind: OrgKind
    score: Score = Field(description=SCORE)
    suggested_level: Level | Blank = Field(
        description="What the results support (live until decided, then as stored with the "
        "decision): see docs/ratings.md."
    )
    suggested_level_name: str = Field(description=LEVEL_NAME)
    decided_level: Level | Blank = Field(description=LEVEL)
    decided_level_name: str = Field(description=LEVEL_NAME)
    decided_on: dt.date | None = Field(description=OPTIONAL_DATE)
    decision_note: str
    basis: BasisOut
    may_decide: bool = Field(description="Whether the caller may decide it now.")


class OrgReviewPage(Schema):
    items: list[OrgReviewOut]
    count: int
    page: int
    pages: int


class DecideOrgIn(DecideIn):
    score: Decimal | None = Field(None, description=SCORE)


# ---- admission targets ----------------------------------------------------------------------

TARGET_YEAR = Field(
    None, ge=TARGET_MIN_YEAR, le=TARGET_MAX_YEAR, description="This year by default."
)


class TargetFilters(Paging):
    year: int | None = TARGET_YEAR


class Shares(Schema):
    minority_share: float | None = Field(description="Ethnic minorities, percent.")
    women_share: float | None
    under_30_share: float | None
    youth_union_share: float | None


class TargetOut(Schema):
    admissions: int
    minority_share: int | None
    women_share: int | None
    under_30_share: int | None
    youth_union_share: int | None


class AchievedOut(Schema):
    admitted: int = Field(description="Members admitted (ceremony) in the year.")
    minority: int
    women: int
    under_30: int
    youth_union: int
    shares: Shares = Field(description="Percent of those admitted; null when nobody was.")


class TargetRow(Schema):
    organization: Ref
    row: Literal["unit", "own", "total"] = Field(
        description="unit: a direct unit; own: admitted to the organization itself; total: the "
        "organization's whole subtree against its own target."
    )
    target: TargetOut | None
    achieved: AchievedOut


class TargetTable(Schema):
    organization: Ref
    year: int
    can_edit: bool = Field(description="Whether the caller may set these targets.")
    total: TargetRow
    items: list[TargetRow] = Field(description="The direct units (and own admissions), by name.")
    count: int
    page: int
    pages: int


class TargetIn(InputSchema):
    year: int = Field(ge=TARGET_MIN_YEAR, le=TARGET_MAX_YEAR)
    admissions: int | None = Field(
        description="New members to admit; null removes the year's target."
    )
    minority_share: int | None = Field(None, description="Percent, 0 to 100.")
    women_share: int | None = None
    under_30_share: int | None = None
    youth_union_share: int | None = None
