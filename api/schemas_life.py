"""Request and response shapes of the member's-life API: admission candidates, transfers of
party activity, status decisions / cards / badges, and residence liaison.

Input schemas check types and sizes only; each step's body is then checked by the step's own
form and service (the same the pages use), so the API and the pages can never disagree.
Dates are ISO 8601 calendar dates (YYYY-MM-DD).
"""

import datetime as dt
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from admissions.models import Stage, UnionIntroduction, VoteKind
from api.schemas import DATE, OPTIONAL_DATE, Blank, InputSchema, Paging, Text
from lib.vn import GeneralEducation, Qualification, Sex
from lifecycle.models import CardEventKind, CardSeries, DecisionKind, Ground
from members.models import MemberStatus
from transfers.models import LetterType, TransferKind, TransferReason, TransferStatus

StageFilter = Literal[(*Stage.values, "open", "closed", "all")]
TransferStatusFilter = Literal[(*TransferStatus.values, "open", "all")]
TransferDirection = Literal["outgoing", "incoming", "overdue", "all"]


class Ref(Schema):
    uuid: UUID
    name: str


class MemberRef(Schema):
    uuid: UUID
    full_name: str


class DueOut(Schema):
    what: str = Field(description="The next step that is due, translated.")
    due_on: dt.date | None = Field(description=OPTIONAL_DATE)
    opens_on: dt.date | None = Field(description=OPTIONAL_DATE)
    overdue: bool
    flagged: bool = Field(description="Needs the upper committee's attention.")


# ---- admissions ---------------------------------------------------------------------


class CandidateFilters(Paging):
    org: UUID | None = Field(
        None, description="Only candidates of this cell, or of the cells under this committee."
    )
    stage: StageFilter = Field(
        "open",
        description="One stage, open (before official, the default), closed, or all.",
    )


class CandidateOut(Schema):
    uuid: UUID
    full_name: str
    organization: Ref = Field(description="The cell that develops the candidate.")
    stage: Stage
    stage_label: str
    stage_on: dt.date = Field(description=DATE)
    member: UUID | None = Field(description="The party member record, from the ceremony on.")
    due: DueOut | None


class CandidatePage(Schema):
    items: list[CandidateOut]
    count: int
    page: int
    pages: int


class CandidatePerson(Schema):
    full_name: str
    sex: str
    birth_date: dt.date | None = Field(description=OPTIONAL_DATE)
    citizen_id: str = Field(description="Masked unless the caller manages the cell.")


class IntroducerOut(Schema):
    member: MemberRef
    known_since: dt.date = Field(description=DATE)


class CellVoteOut(Schema):
    kind: VoteKind
    held_on: dt.date = Field(description=DATE)
    votes_for: int
    eligible: int
    resolution_no: str
    passed: bool


class CandidateDetail(CandidateOut):
    person: CandidatePerson
    listed_on: dt.date | None = Field(description=OPTIONAL_DATE)
    recommended_by: str
    sympathizer_resolution_no: str
    sympathizer_on: dt.date | None
    helper: MemberRef | None
    certificate_no: str
    certificate_on: dt.date | None
    certificate_issuer: str
    applied_on: dt.date | None
    personal_history_on: dt.date | None
    union_introduction: UnionIntroduction | Blank
    union_introduction_on: dt.date | None
    introducers: list[IntroducerOut]
    checked_on: dt.date | None
    checked_by: str
    votes: list[CellVoteOut]
    decision_no: str
    decision_on: dt.date | None
    decision_by: str
    decision_received_on: dt.date | None
    ceremony_deadline: dt.date | None = Field(
        description="30 working days after the decision was received."
    )
    ceremony_on: dt.date | None
    ceremony_late_reason: str
    probation_end: dt.date | None
    recognition_decision_no: str
    recognition_decision_on: dt.date | None
    recognition_decision_by: str
    closed_on: dt.date | None
    closed_at_stage: Stage | Blank
    closed_reason: str
    closed_decision_no: str
    steps: list[str] = Field(
        description="The steps the caller may take now (each is POST /candidates/{uuid}/<step>)."
    )


class SympathizerIn(InputSchema):
    resolution_no: Text(60, 1)
    on: dt.date = Field(description="Date of the cell's resolution. " + DATE)
    helper: UUID = Field(description="An official member of the cell who helps the candidate.")


class CertificateIn(InputSchema):
    number: Text(60, 1)
    on: dt.date = Field(description=DATE)
    issuer: Text(200, 1)


class DossierIn(InputSchema):
    applied_on: dt.date = Field(description=DATE)
    personal_history_on: dt.date = Field(description=DATE)
    union_introduction: UnionIntroduction | Blank = ""
    union_introduction_on: dt.date | None = Field(None, description=OPTIONAL_DATE)
    introducer_1: UUID = Field(description="An official member of the cell.")
    known_since_1: dt.date = Field(description=DATE)
    introducer_2: UUID | None = Field(
        None, description="Not needed when a union introduces the applicant."
    )
    known_since_2: dt.date | None = Field(None, description=OPTIONAL_DATE)


class CheckIn(InputSchema):
    on: dt.date = Field(description=DATE)
    by: Text(200, 1)


class AdmissionVoteIn(InputSchema):
    on: dt.date = Field(description=DATE)
    votes_for: int = Field(ge=0, le=10_000)
    eligible: int = Field(ge=0, le=10_000, description="The cell's official members.")
    resolution_no: Text(60) = ""


class AdmissionDecisionIn(InputSchema):
    number: Text(60, 1)
    on: dt.date = Field(description=DATE)
    by: Text(200, 1)
    received_on: dt.date = Field(description="Received by the cell. " + DATE)


class CeremonyIn(InputSchema):
    on: dt.date = Field(description=DATE)
    dossier_no: Text(9, 1) = Field(description="Số lý lịch, e.g. 012345QN.")
    late_reason: Text(250) = ""


class RecognitionDecisionIn(InputSchema):
    number: Text(60, 1)
    on: dt.date = Field(description=DATE)
    by: Text(200, 1)


class StrikeOffIn(InputSchema):
    number: Text(60, 1)
    on: dt.date = Field(description=DATE)
    reason: Text(250, 1)


class CloseIn(InputSchema):
    withdrawn: bool = Field(description="True: the person withdrew; false: taken off the list.")
    on: dt.date = Field(description=DATE)
    reason: Text(250, 1)


class CandidatePersonIn(InputSchema):
    """The fields of the page's new-candidate form (admissions.forms.CandidateForm)."""

    full_name: Text(120, 1)
    birth_name: Text(120) = Field("", description="Only if different from the name in use.")
    sex: Sex = Field(description="M or F.")
    birth_date: dt.date = Field(description=DATE)
    ethnicity: Text(2) = Field("01", description="Code 01–54 of the official list (01 Kinh).")
    religion: Text(24) = Field("", description="Empty for none.")
    citizen_id: Text(12) = Field(
        "", description="12 digits, or empty; unique within the province (members included)."
    )
    phone: Text(16) = ""
    native_place: Text(200) = ""
    residence: Text(250) = ""
    general_education: GeneralEducation = GeneralEducation.NONE
    qualification: Qualification = Qualification.NONE
    youth_union: bool = False


class CandidateIn(InputSchema):
    cell: UUID = Field(description="The cell that develops the candidate.")
    listed_on: dt.date = Field(description="Listed as an outstanding non-member on. " + DATE)
    recommended_by: Text(200) = Field("", description="E.g. the village Youth Union branch.")
    person: CandidatePersonIn


# ---- transfers ----------------------------------------------------------------------


class TransferFilters(Paging):
    org: UUID | None = Field(
        None, description="Only transfers out of or into this organization's subtree."
    )
    direction: TransferDirection = Field(
        "all",
        description="With `org`: outgoing, incoming, overdue (open and late), or all.",
    )
    status: TransferStatusFilter = Field("all", description="One status, open, or all.")


class TransferOut(Schema):
    uuid: UUID
    member_name: str
    member: UUID | None = Field(description="The member's record, when the caller sees it.")
    kind: TransferKind
    reason: TransferReason
    status: TransferStatus
    from_org: Ref | None
    from_org_name: str = Field(description="The sending organization outside the system.")
    to_org: Ref | None
    to_org_name: str = Field(description="The receiving organization outside the system.")
    trigger_date: dt.date = Field(description=DATE)
    started_on: dt.date = Field(description=DATE)
    start_due: dt.date = Field(description=DATE)
    end_date: dt.date | None = Field(description="Temporary transfers: until. " + OPTIONAL_DATE)


class TransferPage(Schema):
    items: list[TransferOut]
    count: int
    page: int
    pages: int


class TransferDetail(TransferOut):
    reason_detail: str
    letter_type: LetterType | Blank
    letter_no: str
    register_no: str
    letter_issued_on: dt.date | None
    letter_issued_by: str
    dues_paid_until: dt.date | None
    present_due: dt.date | None
    presented_on: dt.date | None
    presented_late: bool
    received_on: dt.date | None
    effective_on: dt.date | None
    ended_on: dt.date | None
    cancelled_on: dt.date | None
    cancel_reason: str
    note: str
    steps: list[str] = Field(
        description="The steps the caller may take now (each is POST /transfers/{uuid}/<step>)."
    )


class LetterIn(InputSchema):
    letter_type: LetterType
    letter_no: Text(40, 1)
    register_no: Text(40) = ""
    issued_on: dt.date = Field(description=DATE)
    issued_by: Text(250, 1)
    dues_paid_until: Text(7) = Field("", description="Dues paid up to this month, mm/yyyy.")


class TransferReceiveIn(InputSchema):
    presented_on: dt.date = Field(description="The letter was presented on. " + DATE)
    received_on: dt.date = Field(description=DATE)


class CompleteIn(InputSchema):
    effective_on: dt.date | None = Field(
        None, description="Official transfers: effective on. " + OPTIONAL_DATE
    )
    member: UUID | None = Field(
        None,
        description="Official transfer from outside the system: the member's new record in "
        "the receiving cell.",
    )
    ended_on: dt.date | None = Field(
        None, description="Temporary transfers: attached until. " + OPTIONAL_DATE
    )


class TransferCancelIn(InputSchema):
    reason: Text(250, 1)


class TransferStartIn(InputSchema):
    """The fields of the page's start form (transfers.forms.StartForm). The receiving side is
    one of: `to_org`, a cell of the member's province; `to_province` with `to_code`, a cell
    of another province by its code (the sender does not see that province's tree); or
    `to_org_name`, an organization outside the system."""

    member: UUID = Field(
        description="The member whose party activity moves (their home cell sends)."
    )
    kind: TransferKind
    reason: TransferReason
    reason_detail: Text(250) = Field("", description="E.g. the decision number, the new workplace.")
    trigger_date: dt.date = Field(description="Date of the decision or of the move. " + DATE)
    started_on: dt.date = Field(description="The procedure started on. " + DATE)
    end_date: dt.date | None = Field(
        None, description="Temporary transfers only: until. " + OPTIONAL_DATE
    )
    to_org: UUID | None = Field(None, description="A cell of the member's province.")
    to_province: UUID | None = Field(None, description="…or another province, with `to_code`.")
    to_code: Text(32) = Field("", description="The code of the receiving cell in `to_province`.")
    to_org_name: Text(250) = Field(
        "",
        description="…or an organization outside the system: cell, committee, commune, province.",
    )
    note: Text(250) = ""


class IncomingTransferIn(InputSchema):
    """The fields of the page's incoming form (transfers.forms.IncomingForm): an official
    transfer from an organization outside the system."""

    to_org: UUID = Field(description="The receiving cell.")
    member_name: Text(120, 1) = Field(description="The member's full name, as on the letter.")
    from_org_name: Text(250, 1) = Field(
        description="The sending organization: cell, committee, commune and province."
    )
    reason: TransferReason = Field(description="Not `study`: that is a temporary transfer.")
    reason_detail: Text(250) = ""
    trigger_date: dt.date = Field(description="Date of the decision or of the move. " + DATE)
    started_on: dt.date = Field(description="The procedure started on. " + DATE)
    note: Text(250) = ""


# ---- lifecycle ----------------------------------------------------------------------


class DecisionOut(Schema):
    id: int
    kind: DecisionKind
    kind_label: str
    decision_no: str
    decision_date: dt.date = Field(description=DATE)
    effective_date: dt.date = Field(description=DATE)
    end_date: dt.date | None = Field(description=OPTIONAL_DATE)
    deciding_organization: Ref | None
    deciding_body: str
    ground: Ground | Blank
    previous_status: MemberStatus
    reason: str


class CardEventOut(Schema):
    id: int
    kind: CardEventKind
    card_no: str
    series: CardSeries | Blank
    date: dt.date = Field(description=DATE)
    decision_no: str
    note: str


class BadgeAwardOut(Schema):
    id: int
    years: int
    award_date: dt.date = Field(description=DATE)
    decision_no: str
    badge_no: str
    note: str


class InterruptionOut(Schema):
    id: int
    start_date: dt.date = Field(description=DATE)
    end_date: dt.date = Field(description=DATE)
    days: int
    note: str


class BadgeDueOut(Schema):
    years: int
    reached_on: dt.date = Field(description=DATE)
    on: dt.date = Field(description="The next award date (3/2, 19/5, 2/9 or 7/11). " + DATE)


class MemberLifeOut(Schema):
    member: MemberRef
    organization: Ref
    status: MemberStatus
    party_age_start: dt.date | None = Field(description=OPTIONAL_DATE)
    party_age: int | None = Field(description="Years, interruptions not counted.")
    card_state: Literal["none", "active", "lost"]
    decisions: list[DecisionOut]
    card_events: list[CardEventOut]
    badge_awards: list[BadgeAwardOut]
    interruptions: list[InterruptionOut]
    badge_due: BadgeDueOut | None
    unexcused_months: list[int] = Field(
        description="Months of this year with the regular meeting missed without reason."
    )
    can_manage: bool = Field(
        description="Whether the caller may record decisions, card events, badges and "
        "interruptions (manage_structure on the member's cell)."
    )


class StatusDecisionIn(InputSchema):
    kind: DecisionKind
    decision_no: Text(60) = Field("", description="Required for an exit from the Party.")
    decision_date: dt.date = Field(description=DATE)
    effective_date: dt.date = Field(description="For a death: the date of death. " + DATE)
    end_date: dt.date | None = Field(
        None, description="Temporary exemption or suspension: the last day. " + OPTIONAL_DATE
    )
    deciding_organization: UUID = Field(description="The member's cell or a committee above it.")
    deciding_body: Text(200) = ""
    ground: Ground | Blank = ""
    reason: Text(2000) = ""


class CardEventIn(InputSchema):
    kind: CardEventKind
    card_no: Text(8) = Field("", description="8 digits; for a reissue, empty keeps the number.")
    series: CardSeries | Blank = ""
    date: dt.date = Field(description=DATE)
    decision_no: Text(60) = ""
    note: Text(250) = ""


class BadgeAwardIn(InputSchema):
    years: int = Field(description="30, 40, 45, 50, … years of party age.")
    award_date: dt.date = Field(description=DATE)
    decision_no: Text(60, 1)
    badge_no: Text(30) = ""
    note: Text(250) = ""


class InterruptionIn(InputSchema):
    start_date: dt.date = Field(description=DATE)
    end_date: dt.date = Field(description=DATE)
    note: Text(250, 1)


class OrgYearFilters(Paging):
    year: int | None = Field(None, ge=1990, le=2100, description="The year; this year by default.")


class StrikeOffFlagOut(Schema):
    member: UUID
    full_name: str
    cell: str
    status: MemberStatus
    months: list[int] = Field(description="Months the regular meeting was missed without reason.")
    dues_months: list[int] = Field(
        description="Months the party dues were not paid without reason (in cells recording dues)."
    )


class StrikeOffPage(Schema):
    year: int
    items: list[StrikeOffFlagOut]
    count: int
    page: int
    pages: int


class BadgesDueFilters(Paging):
    on: dt.date | None = Field(
        None, description="One of the next award dates; the next one by default. " + DATE
    )


class BadgeDueItem(Schema):
    member: MemberRef
    cell: str
    years: int = Field(description="The badge due.")
    reached_on: dt.date = Field(description=DATE)
    party_age: int
    last_awarded: int = Field(description="The highest badge already awarded, or 0.")


class BadgesDuePage(Schema):
    on: dt.date = Field(description="The award date. " + DATE)
    award_dates: list[dt.date] = Field(description="The next award dates.")
    items: list[BadgeDueItem]
    count: int
    page: int
    pages: int
