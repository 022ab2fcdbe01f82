"""Request and response shapes of the API. Dates are ISO 8601 calendar dates (YYYY-MM-DD).

Input schemas check types and sizes only; the rules (choices, per-province
uniqueness, date order, the Party Charter's structure) are the same Django forms
and services the pages use, so the API and the pages can never disagree.
"""

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import AfterValidator, ConfigDict, StringConstraints
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import PydanticCustomError

from accounts.models import Role
from lib.vn import GeneralEducation, PoliticalTheory, Qualification, Sex
from members.forms import AGE_BANDS, ETHNICITY_FILTER, STATUS_FILTER
from members.models import LeftReason, MembershipKind, MemberStatus
from organizations.models import CellType, OrgKind, VillageKind

DATE = "ISO date, YYYY-MM-DD."
OPTIONAL_DATE = "ISO date, YYYY-MM-DD, or null."


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it at the door instead of failing deep down.
    if "\x00" in value:
        raise PydanticCustomError("null_character", "Null characters are not allowed.")
    return value


# What pydantic strips (Rust's str::trim, Unicode White_Space), spelled out: JSON Schema's \s
# is ECMAScript's, which differs (it has U+FEFF, not U+0085).
_WHITE = r"\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


class _DocumentedText:
    """Says in the OpenAPI document what the validators refuse, so that clients (and the
    fuzzer, api/tests/test_schemathesis.py) know it: no NUL, and a required text must hold
    something besides whitespace (it is stripped before the length is checked)."""

    def __init__(self, required: bool):
        self.required = required

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        if self.required:
            schema["pattern"] = rf"^[^\u0000]*[^{_WHITE}\u0000][^\u0000]*$"
        else:
            schema["pattern"] = r"^[^\u0000]*$"
        return schema


def Text(max_length: int, min_length: int = 0):  # noqa: N802 - reads as a type
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length, min_length=min_length),
        AfterValidator(_no_nul),
        _DocumentedText(required=min_length > 0),
    ]


# pydantic documents a Decimal as "a number, or any string"; only a number's text is accepted,
# so the document says which (the pattern of the Decimal constructor's syntax, with the field's
# digits). Ninja builds every schema of the document with this generator.
NinjaGenerateJsonSchema.get_decimal_pattern = GenerateJsonSchema.build_decimal_pattern


Blank = Literal[""]


class Error(Schema):
    detail: str = Field(description="A translated, human-readable message.")


class ErrorItem(Schema):
    loc: list[str | int] = Field(description="Where the problem is: source, then field path.")
    field: str = Field(
        description="The field, dotted for nested ones (person.citizen_id); "
        "__all__ when it concerns the whole request."
    )
    msg: str = Field(description="A translated, human-readable message.")
    type: str = Field(description="A stable machine-readable error code.")


class ValidationErrors(Schema):
    detail: list[ErrorItem]


class InputSchema(Schema):
    # An unknown field in a PATCH is almost always a typo: refuse it rather than ignore it.
    model_config = ConfigDict(extra="forbid")


class Paging(InputSchema):
    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=200, description="Items per page, at most 200.")


# ---- me ----------------------------------------------------------------------------


class RoleOut(Schema):
    role: Role
    role_label: str
    organization: UUID | None = Field(description="Null for a system administrator.")
    organization_name: str
    valid_from: dt.date = Field(description=DATE)
    valid_to: dt.date | None = Field(description=OPTIONAL_DATE)
    active: bool = Field(description="Whether the role is in force today.")


class MeOut(Schema):
    username: str
    full_name: str
    member: UUID | None = Field(description="The user's own party member record, if any.")
    is_admin: bool
    roles: list[RoleOut]


# ---- organizations ------------------------------------------------------------------


class MemberCounts(Schema):
    official: int
    probationary: int
    exempt: int
    suspended: int
    temporary: int = Field(description="Temporarily attached members (counted where attached).")
    total: int = Field(description="Home members who have not left the Party (đảng số).")


class ProvinceOut(Schema):
    uuid: UUID
    code: str
    name: str


class OrganizationOut(Schema):
    uuid: UUID
    code: str
    name: str
    kind: OrgKind
    cell_type: CellType | Blank = Field(description="Empty for units that are not cells.")
    parent: UUID | None = Field(description="Null for a province.")
    province: UUID
    depth: int = Field(description="1 for a province, 2 for the level below, and so on.")
    founded_on: dt.date | None = Field(description=OPTIONAL_DATE)
    dissolved_on: dt.date | None = Field(description=OPTIONAL_DATE)
    counts: MemberCounts = Field(description="Members of the whole subtree today.")
    villages: list[str] = Field(description="Villages covered today (cells only).")


class OrganizationDetail(OrganizationOut):
    dissolution_reason: str
    successor: UUID | None
    capabilities: list[str] = Field(
        description="What the caller may do here: view, manage_members, manage_structure, …"
    )


class OrganizationPage(Schema):
    items: list[OrganizationOut]
    count: int
    page: int
    pages: int


class OrganizationFilters(Paging):
    parent: UUID | None = Field(None, description="Only the direct children of this unit.")
    q: Text(100) = Field("", description="Words of the name or code, diacritics optional.")
    kind: OrgKind | None = None
    cell_type: CellType | None = None
    include_dissolved: bool = Field(False, description="Include dissolved units.")


class OrganizationCreate(InputSchema):
    parent: UUID = Field(description="The unit to create it under.")
    kind: OrgKind
    name: Text(200, 1)
    code: Text(32, 1) = Field(description="Unique within the province, e.g. 01.02.003.")
    cell_type: CellType | Blank = Field("", description="Required for cells.")
    founded_on: dt.date | None = Field(None, description=OPTIONAL_DATE)
    decision: Text(120) = Field("", description="Number and date of the decision, if any.")


class OrganizationPatch(InputSchema):
    code: Text(32, 1) = None
    cell_type: CellType | Blank = None
    founded_on: dt.date | None = Field(None, description=OPTIONAL_DATE)
    name: Text(200, 1) = Field(
        None, description="A new name: a rename, recorded in the history; needs effective_on."
    )
    effective_on: dt.date | None = Field(None, description="Date the rename takes effect. " + DATE)
    decision: Text(120) = Field(None, description="Decision of the rename, if any.")


# ---- members ------------------------------------------------------------------------


class PersonFields(InputSchema):
    """Every field optional: a PATCH sends only what changes."""

    full_name: Text(120, 1) = None
    birth_name: Text(120) = Field(None, description="Only if different from the name in use.")
    sex: Sex = Field(None, description="M or F.")
    birth_date: dt.date = Field(None, description=DATE)
    ethnicity: Text(2) = Field(None, description="Code 01–54 of the official list (01 Kinh).")
    religion: Text(24) = Field(None, description="Empty for none.")
    native_place: Text(200) = None
    residence: Text(250) = None
    residence_village: UUID | None = Field(None, description="A village of the province.")
    citizen_id: Text(12) = Field(None, description="12 digits, or empty.")
    phone: Text(16) = None
    general_education: GeneralEducation = None
    political_theory: PoliticalTheory = None
    qualification: Qualification = None
    qualification_detail: Text(150) = None
    youth_union: bool = None


class PersonCreate(PersonFields):
    full_name: Text(120, 1)
    sex: Sex = Field(description="M or F.")
    birth_date: dt.date = Field(description=DATE)
    ethnicity: Text(2) = Field("01", description="Code 01–54 of the official list (01 Kinh).")


class MemberFields(InputSchema):
    dossier_no: Text(9, 1) = Field(None, description="6 digits and the province letters.")
    card_no: Text(8) = Field(None, description="8 digits, or empty.")
    admission_decision_date: dt.date | None = Field(None, description=OPTIONAL_DATE)
    ceremony_date: dt.date | None = Field(None, description=OPTIONAL_DATE)
    official_date: dt.date | None = Field(None, description=OPTIONAL_DATE)
    status: MemberStatus = None
    left_reason: LeftReason | Blank = Field(None, description="Only for members who left.")
    status_date: dt.date | None = Field(None, description=OPTIONAL_DATE)
    status_note: Text(250) = None


class MemberFieldsCreate(MemberFields):
    dossier_no: Text(9, 1) = Field(description="6 digits and the province letters.")
    status: MemberStatus = MemberStatus.PROBATIONARY


class MemberCreate(InputSchema):
    cell: UUID = Field(description="The home cell.")
    start_date: dt.date = Field(description="Member of this cell since. " + DATE)
    person: PersonCreate
    member: MemberFieldsCreate


class MemberPatch(InputSchema):
    person: PersonFields | None = None
    member: MemberFields | None = None


def _choices(choices) -> list[str]:
    return [value for value, _label in choices]


class MemberFilters(Paging):
    org: UUID | None = Field(None, description="Only members of this unit's subtree.")
    q: Text(100) = Field("", description="Words of the name, diacritics optional.")
    # The choices are the page's filter form's (members.forms), which checks them; the enums
    # only document them.
    status: Text(16) = Field(
        "",
        description="active (default: not left), all, or one of probationary, official, "
        "exempt, suspended, left.",
        json_schema_extra={"enum": ["", *_choices(STATUS_FILTER)]},
    )
    cell_type: Text(24) = Field(
        "",
        description="Type of the home cell.",
        json_schema_extra={"enum": ["", *CellType.values]},
    )
    sex: Text(1) = Field("", description="M or F.", json_schema_extra={"enum": ["", *Sex.values]})
    ethnicity: Text(8) = Field(
        "",
        description="A code 01–54, or minority (all but Kinh).",
        json_schema_extra={"enum": _choices(ETHNICITY_FILTER)},
    )
    age: Text(8) = Field(
        "",
        description="-30, 31-40, 41-50, 51-60, 61-70 or 71-.",
        json_schema_extra={"enum": _choices(AGE_BANDS)},
    )
    youth_union: Text(1) = Field(
        "",
        description="1 members, 0 non-members of the Youth Union.",
        json_schema_extra={"enum": ["", "1", "0"]},
    )


class MemberListItem(Schema):
    uuid: UUID
    full_name: str
    sex: Sex
    birth_date: dt.date = Field(description=DATE)
    ethnicity: str
    status: MemberStatus
    organization: UUID = Field(description="The home cell.")
    organization_name: str
    dossier_no: str
    card_no: str
    citizen_id: str = Field(description="Always masked in lists.")


class MemberPage(Schema):
    items: list[MemberListItem]
    count: int
    page: int
    pages: int


class VillageRef(Schema):
    uuid: UUID
    name: str


class PersonOut(Schema):
    full_name: str
    birth_name: str
    sex: Sex
    birth_date: dt.date = Field(description=DATE)
    ethnicity: str
    religion: str
    native_place: str
    residence: str
    residence_village: VillageRef | None
    citizen_id: str = Field(
        description="Masked unless the caller keeps this record or it is theirs."
    )
    phone: str
    general_education: str
    political_theory: str
    qualification: str
    qualification_detail: str
    youth_union: bool


class MembershipOut(Schema):
    organization: UUID
    organization_name: str
    kind: MembershipKind
    start_date: dt.date = Field(description=DATE)
    end_date: dt.date | None = Field(description="Null while current. " + DATE)
    note: str


class MemberDetail(Schema):
    uuid: UUID
    organization: UUID = Field(description="The home cell.")
    organization_name: str
    person: PersonOut
    dossier_no: str
    card_no: str
    admission_decision_date: dt.date | None = Field(description=OPTIONAL_DATE)
    ceremony_date: dt.date | None = Field(description=OPTIONAL_DATE)
    official_date: dt.date | None = Field(description=OPTIONAL_DATE)
    status: MemberStatus
    left_reason: LeftReason | Blank
    status_date: dt.date | None = Field(description=OPTIONAL_DATE)
    status_note: str
    citizen_id_masked: bool
    memberships: list[MembershipOut]
    capabilities: list[str]


# ---- villages -----------------------------------------------------------------------


class CellRef(Schema):
    uuid: UUID
    name: str


class VillageOut(Schema):
    uuid: UUID
    name: str
    kind: VillageKind
    code: str
    commune: UUID = Field(description="The commune/ward party committee.")
    commune_name: str
    province: UUID
    valid_from: dt.date | None = Field(description=OPTIONAL_DATE)
    valid_to: dt.date | None = Field(description="Set when merged or abolished. " + DATE)
    cells: list[CellRef] = Field(description="Cells covering it today.")


class VillagePage(Schema):
    items: list[VillageOut]
    count: int
    page: int
    pages: int


class VillageFilters(Paging):
    commune: UUID | None = Field(
        None, description="Villages of this commune committee (or of the communes below a unit)."
    )
    q: Text(100) = Field("", description="Words of the name or code, diacritics optional.")
    without_members: bool = Field(False, description="Only villages where no member lives.")
    without_cell: bool = Field(False, description="Only villages no cell covers.")
    include_past: bool = Field(False, description="Include merged or abolished villages.")
