"""Request and response shapes of the meeting-quality API: rubrics (versions by kind and date)
and meeting scores (the cell's self-score, the confirmation by the level above).

Levels are sent and returned as their codes (`good`, `fair`, `average`, `weak` = tốt, khá,
trung bình, kém) with their names. Input schemas check types and sizes only; bodies then go
through the pages' forms and quality.services, so the API and the pages never disagree.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from api.schemas import DATE, InputSchema, Paging, Text
from api.schemas_life import Ref
from api.schemas_oversight import UserRef
from quality.models import AutoRule, ConfirmerRole, QualityLevel, RubricKind

# JSON object keys are text: the criterion ids must be digits (and fit a database integer).
CRITERION_KEYS = {"propertyNames": {"pattern": "^[0-9]{1,9}$"}}
LEVEL = "One of good, fair, average, weak (tốt, khá, trung bình, kém); empty when none."
Level = QualityLevel | Literal[""]
Points = float  # returned as a number with at most one decimal


class RubricFilters(Paging):
    province: UUID | None = Field(None, description="Only this province's rubrics.")
    kind: RubricKind | None = Field(None, description="regular or thematic.")
    on: dt.date | None = Field(
        None, description="Only the version of each kind in force on this day. " + DATE
    )


class RubricOut(Schema):
    uuid: UUID
    province: Ref
    kind: RubricKind
    name: str
    source: str = Field(description="The guidance or decision it follows.")
    effective_from: dt.date = Field(description="In force from this day. " + DATE)
    total_points: Points
    good_from: Points
    fair_from: Points
    average_from: Points = Field(description="Below it: weak.")
    year_good_min: int = Field(description="Good meetings needed for a good year.")
    year_good_floor: QualityLevel = Field(description="A good year: no meeting below.")
    year_fair_floor: QualityLevel = Field(description="A fair year: no meeting below.")
    year_average_floor: QualityLevel = Field(description="An average year: no meeting below.")
    preset: str = Field(description="The preset it was installed from, if any.")
    meetings_scored: int = Field(description="A version that has scored meetings is frozen.")


class RubricPage(Schema):
    items: list[RubricOut]
    count: int
    page: int
    pages: int


class CriterionOut(Schema):
    id: int = Field(description="The key of the criterion's points in a score.")
    text: str
    max_points: Points
    required_for_top: bool = Field(description="Full marks needed for “good”.")
    auto_rule: AutoRule | Literal[""] = Field(
        description="Decided by the meeting's data; empty: by hand."
    )
    auto_param: Points | None = Field(description="The rate (%) of a rate rule.")


class RubricGroupOut(Schema):
    name: str
    points: Points
    criteria: list[CriterionOut]


class RubricDetail(RubricOut):
    groups: list[RubricGroupOut]
    can_edit: bool = Field(description="Whether the caller may write a new version.")


class CriterionIn(InputSchema):
    text: Text(400, 1)
    max_points: Decimal = Field(ge=Decimal("0.5"), le=100)
    required_for_top: bool = False
    auto_rule: AutoRule | Literal[""] = ""
    auto_param: Decimal | None = Field(
        None, ge=0, le=100, description="Needed for attendance_rate and speakers_share, e.g. 85."
    )


class RubricGroupIn(InputSchema):
    name: Text(200, 1)
    criteria: list[CriterionIn] = Field(min_length=1, max_length=100)


class RubricVersionIn(InputSchema):
    name: Text(200, 1)
    source: Text(300) = ""
    effective_from: dt.date = Field(description="After the last version's date. " + DATE)
    total_points: Decimal = Field(Decimal(100), ge=0, le=1000)
    good_from: Decimal = Field(Decimal(90), ge=0, le=1000)
    fair_from: Decimal = Field(Decimal(70), ge=0, le=1000)
    average_from: Decimal = Field(Decimal(50), ge=0, le=1000)
    year_good_min: int = Field(7, ge=0, le=12)
    year_good_floor: QualityLevel = QualityLevel.FAIR
    year_fair_floor: QualityLevel = QualityLevel.AVERAGE
    year_average_floor: QualityLevel = QualityLevel.WEAK
    groups: list[RubricGroupIn] = Field(min_length=1, max_length=50)


# ---- meeting scores ----------------------------------------------------------------------


class ScoreLineOut(Schema):
    criterion: int = Field(description="The criterion's id (RubricDetail.groups[].criteria[].id).")
    group: str
    text: str
    max_points: Points
    required_for_top: bool
    auto_rule: AutoRule | Literal[""]
    auto_points: Points | None = Field(description="The automatic result; null: by hand.")
    auto_reason: str = Field(description="Why, in Vietnamese (as written into the minutes).")
    self_points: Points | None
    confirmed_points: Points | None


class MeetingQualityOut(Schema):
    meeting: UUID
    rubric: Ref | None = Field(description="The version the meeting is judged by.")
    problem: str = Field(description="Why the meeting cannot be scored now; empty if it can.")
    status: Literal["none", "self_scored", "confirmed"]
    self_total: Points | None
    self_level: Level = Field(description=LEVEL)
    self_by: UserRef | None
    self_on: dt.date | None
    confirmed_total: Points | None
    confirmed_level: Level = Field(description=LEVEL)
    confirmed_by: UserRef | None
    confirmed_on: dt.date | None
    confirmer_role: ConfirmerRole | Literal[""]
    confirm_note: str
    final_level: Level = Field(description="The confirmed level, else the self-assessed one.")
    final_level_label: str
    lines: list[ScoreLineOut] = Field(
        description="Every criterion, with the automatic results before the cell scores."
    )
    may_self_score: bool
    may_confirm: ConfirmerRole | None = Field(
        description="As what the caller may confirm (supervisor, committee), or null."
    )


class SelfScoreIn(InputSchema):
    points: dict[int, Decimal] = Field(
        description="Points of each criterion scored by hand: {criterion id: points}. "
        "Automatic criteria keep their result.",
        json_schema_extra=CRITERION_KEYS,
    )


class ConfirmIn(InputSchema):
    points: dict[int, Decimal] | None = Field(
        None,
        json_schema_extra=CRITERION_KEYS,
        description="Corrected points, any criterion ({criterion id: points}); those not given "
        "keep the cell's. Changing an automatic result needs a note.",
    )
    total: Decimal | None = Field(
        None, ge=0, description="Or only a total (e.g. a visit report's observed score)."
    )
    note: Text(2000) = ""
