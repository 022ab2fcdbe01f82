"""Request and response shapes of the residence-liaison API (QĐ 213-QĐ/TW, HD 33-HD/BTCTW).

Input schemas check types and sizes only; each step's body is then checked by the page's own
form and the liaison.services function, so the API and the pages can never disagree.
Dates are ISO 8601 calendar dates (YYYY-MM-DD).
"""

import datetime as dt
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from api.schemas import DATE, OPTIONAL_DATE, Blank, InputSchema, Paging, Text
from api.schemas_life import MemberRef, Ref
from liaison.models import (
    ACTIVITY_EXEMPTIONS,
    INTRODUCTION_EXEMPTIONS,
    EndReason,
    Exemption,
    Level3,
    LiaisonStatus,
    Overall,
    Side,
)

LiaisonStatusFilter = Literal[(*LiaisonStatus.values, "open", "all")]
SideFilter = Literal[(*Side.values, "all")]
CommentFilter = Literal["not_commented", "commented", "well", "all"]
ActivityExemption = Literal[tuple(e.value for e in ACTIVITY_EXEMPTIONS)]
IntroductionExemption = Literal[tuple(e.value for e in INTRODUCTION_EXEMPTIONS)]
YEAR = Field(None, ge=2000, le=2100, description="The year commented on; this year by default.")


class LiaisonFilters(Paging):
    org: UUID | None = Field(
        None,
        description="Only liaisons whose workplace cell, or residence commune or cell, lies in "
        "this organization's subtree (see `side`).",
    )
    side: SideFilter = Field(
        "all",
        description="With `org`: the members working there (workplace), those introduced to a "
        "residence there (residence), or either (all, the default).",
    )
    status: LiaisonStatusFilter = Field(
        "open", description="One status, open (not ended, the default), or all."
    )
    comment: CommentFilter = Field(
        "all",
        description="Received members due a comment (not exempt from activities) whose cell has "
        "not yet commented on `year`, has commented, or has commented as doing well; or all.",
    )
    year: int | None = YEAR


class LiaisonOut(Schema):
    uuid: UUID
    member_name: str
    member: UUID | None = Field(
        description="The member's record, when the caller sees it (the residence side may "
        "see only the name)."
    )
    status: LiaisonStatus
    workplace_cell: Ref
    residence_commune: Ref | None
    residence_cell: Ref | None
    introduced_on: dt.date | None = Field(description=OPTIONAL_DATE)
    received_on: dt.date | None = Field(description=OPTIONAL_DATE)
    exemption: Exemption | Blank = Field(
        description="An exemption from introduction (HD 33 §1.2, status exempt) or from "
        "activities at the residence (§1.1, introduced or received)."
    )
    exempt_on: dt.date | None = Field(description=OPTIONAL_DATE)
    ended_on: dt.date | None = Field(description=OPTIONAL_DATE)
    comment_overall: Overall | None = Field(
        description="The overall assessment of the comment on `year`, or null."
    )


class LiaisonPage(Schema):
    year: int
    items: list[LiaisonOut]
    count: int
    page: int
    pages: int


class CommentOut(Schema):
    year: int
    exemplary: Level3
    policies: Level3
    contact: Level3
    activities: Level3
    people: Level3
    citizen_duties: Level3
    overall: Overall
    other_comments: str
    front_opinion: str
    front_head: str
    signed_by: str
    commented_on: dt.date = Field(description=DATE)


class NoticeOut(Schema):
    kind: EndReason
    from_org: Ref
    to_org: Ref
    event_on: dt.date = Field(description=DATE)
    note: str
    created_at: dt.datetime
    emailed_at: dt.datetime | None


class LiaisonDetail(LiaisonOut):
    residence_village: str | None = Field(description="The village or residential group.")
    letter_no: str
    exemption_reason: str
    exempt_from_activities: bool = Field(
        description="Introduced, but no routine activities nor annual comment (HD 33 §1.1)."
    )
    end_reason: EndReason | Blank
    end_note: str
    ended_by_side: Side | Blank
    comments: list[CommentOut] = Field(description="The residence cell's annual comments.")
    notices: list[NoticeOut] = Field(description="Changes told to the other side.")
    sides: list[Side] = Field(
        description="The sides the caller acts for (the `side` of the end step)."
    )
    steps: list[str] = Field(
        description="The steps the caller may take now (each is POST /liaisons/{uuid}/<step>)."
    )


class IntroduceIn(InputSchema):
    residence_commune: UUID | None = Field(
        None,
        description="The commune or ward party committee of residence, in the member's province.",
    )
    other_province: UUID | None = Field(
        None,
        description="Instead of `residence_commune`: the province where the member lives, when "
        "it is not the member's own, with `other_code`.",
    )
    other_code: Text(32) = Field(
        "", description="The code of the commune or ward committee in `other_province`."
    )
    introduced_on: dt.date = Field(description=DATE)
    letter_no: Text(60) = ""
    exemption: ActivityExemption | Blank = Field(
        "", description="A case exempt from activities at the residence (HD 33 §1.1)."
    )
    exemption_reason: Text(300) = ""


class ExemptIn(InputSchema):
    category: IntroductionExemption = Field(description="The case not introduced (HD 33 §1.2).")
    reason: Text(300, 1)
    on: dt.date = Field(description=DATE)


class LiaisonReceiveIn(InputSchema):
    residence_cell: UUID = Field(description="A village or residential cell of the commune.")
    received_on: dt.date = Field(description=DATE)


class ActivityExemptionIn(InputSchema):
    exemption: ActivityExemption | Blank = Field(
        description="A case of HD 33 §1.1, or empty to lift the exemption."
    )
    reason: Text(300) = ""
    on: dt.date = Field(description=DATE)


class LiaisonEndIn(InputSchema):
    reason: EndReason
    on: dt.date = Field(description="The date of the change. " + DATE)
    side: Side | None = Field(
        None,
        description="Who reports the change (one of the detail's `sides`); the first of them "
        "by default. The notice goes to the other side.",
    )
    note: Text(300) = ""


class CommentIn(InputSchema):
    year: int = Field(description="The year commented on.")
    exemplary: Level3
    policies: Level3
    contact: Level3
    activities: Level3
    people: Level3
    citizen_duties: Level3
    overall: Overall
    other_comments: Text(5000) = ""
    front_opinion: Text(5000) = ""
    front_head: Text(120) = ""
    signed_by: Text(120) = ""
    commented_on: dt.date = Field(description=DATE)


class RatesFilters(Paging):
    year: int | None = YEAR


class WorkplaceRates(Schema):
    working: int = Field(description="Probationary and official members of workplace cells.")
    exempt: int = Field(description="Not introduced (HD 33 §1.2).")
    eligible: int = Field(description="Working members less those exempt: to be introduced.")
    introduced: int
    not_introduced: int
    received: int
    due: int = Field(description="Received and not exempt from activities: due a comment.")
    commented: int
    well: int = Field(description="Commented as doing well.")
    introduced_rate: float | None = Field(description="Percent of eligible; null when none.")
    received_rate: float | None = Field(description="Percent of introduced.")
    commented_rate: float | None = Field(description="Percent of due.")
    well_rate: float | None = Field(description="Percent of commented.")


class ResidenceRates(Schema):
    introduced: int = Field(description="Introduced to a residence in the subtree.")
    received: int
    due: int
    commented: int
    well: int
    received_rate: float | None
    commented_rate: float | None
    well_rate: float | None


class NotIntroducedOut(Schema):
    member: MemberRef
    cell: Ref
    residence_village: str | None
    can_introduce: bool = Field(description="Whether the caller may introduce or exempt them.")


class LiaisonRates(Schema):
    organization: Ref
    year: int
    workplace: WorkplaceRates = Field(description="As the workplace of its working members.")
    residence: ResidenceRates = Field(description="As the residence of members introduced to it.")
    items: list[NotIntroducedOut] = Field(
        description="Working members of the subtree not yet introduced nor exempt."
    )
    count: int
    page: int
    pages: int
