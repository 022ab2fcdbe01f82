"""Exports: members of a filtered list, or the organizations of a subtree.

Rows stream from values_list(...).iterator() into a write-only workbook, so
memory and the number of queries stay flat however many rows there are. The
columns are those of the import templates: an exported file can be corrected
and imported back.
"""

import tempfile

from django.core.files import File
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Length, Substr
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import Cap, Level, get_organization
from lib.validators import mask_citizen_id
from members.forms import MemberFilterForm
from members.models import Membership, MembershipKind
from members.selectors import filter_members
from organizations.models import CellVillage, Organization, subtree_q
from spreadsheets.columns import (
    MEMBER_COLUMNS,
    NO,
    ORG_COLUMNS,
    YES,
    member_choice_maps,
    org_choice_maps,
)
from spreadsheets.importing import PROGRESS_EVERY
from spreadsheets.xlsx import DATA_SHEET_NAMES, RowWriter, write_only_workbook

STEP = Organization.steplen
ITER_CHUNK = 2000

# Member columns read straight from the database, by column key.
MEMBER_VALUES = {
    "cell_code": "organization__code",
    "cell_name": "organization__name",
    "full_name": "person__full_name",
    "birth_name": "person__birth_name",
    "sex": "person__sex",
    "birth_date": "person__birth_date",
    "ethnicity": "person__ethnicity",
    "religion": "person__religion",
    "native_place": "person__native_place",
    "residence": "person__residence",
    "citizen_id": "person__citizen_id",
    "phone": "person__phone",
    "general_education": "person__general_education",
    "political_theory": "person__political_theory",
    "qualification": "person__qualification",
    "qualification_detail": "person__qualification_detail",
    "youth_union": "person__youth_union",
    "dossier_no": "dossier_no",
    "card_no": "card_no",
    "admission_decision_date": "admission_decision_date",
    "ceremony_date": "ceremony_date",
    "official_date": "official_date",
    "status": "status",
    "left_reason": "left_reason",
    "status_date": "status_date",
    "status_note": "status_note",
    "start_date": "cell_start",
}


def _save_result(job, wb, name: str):
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        wb.save(tmp.name)
        tmp.seek(0)
        job.result.save(name, File(tmp), save=False)


def _org_param(job, scope):
    uuid = job.params.get("org")
    return get_organization(scope, uuid, Cap.EXPORT) if uuid else None


def export_members(job, scope) -> dict:
    org = _org_param(job, scope)
    form = MemberFilterForm(job.params.get("filters") or {})
    data = form.cleaned_data if form.is_valid() else {}
    qs = filter_members(scope, data, org)
    total = qs.count()
    job.set_progress(0, total, _("Writing the file"))
    # The date the member joined their current home cell: a subquery, not a query per row.
    cell_start = (
        Membership.objects.filter(
            member=OuterRef("pk"), kind=MembershipKind.HOME, end_date__isnull=True
        )
        .order_by("-start_date")
        .values("start_date")[:1]
    )
    fields = [MEMBER_VALUES[c.key] for c in MEMBER_COLUMNS]
    rows = (
        qs.annotate(cell_start=Subquery(cell_start))
        .values_list("pk", "organization__path", *fields)
        .iterator(chunk_size=ITER_CHUNK)
    )
    with translation.override("vi"):
        maps = member_choice_maps()
    keys = [c.key for c in MEMBER_COLUMNS]
    cid_index = keys.index("citizen_id")
    wb = write_only_workbook()
    writer = RowWriter(
        wb,
        DATA_SHEET_NAMES["members"],
        [c.header for c in MEMBER_COLUMNS],
        [c.width for c in MEMBER_COLUMNS],
    )
    done = 0
    for pk, path, *values in rows:
        # Full citizen IDs only for those who keep the member's record (as on the member page).
        if scope.level_for_path(path) < Level.CELL and pk != scope.self_member_id:
            values[cid_index] = mask_citizen_id(values[cid_index])
        for i, key in enumerate(keys):
            if key == "youth_union":
                values[i] = YES if values[i] else NO
            elif key in maps:
                values[i] = maps[key].label(values[i]) if values[i] else ""
        writer.append(values)
        done += 1
        if done % PROGRESS_EVERY == 0:
            job.set_progress(done)
    _save_result(job, wb, f"dang-vien-{timezone.localdate():%d-%m-%Y}.xlsx")
    job.set_progress(done, total)
    return {"rows": done}


def export_organizations(job, scope) -> dict:
    org = _org_param(job, scope)
    qs = scope.organizations()
    if org is not None:
        qs = qs.filter(subtree_q(org.path))
    total = qs.count()
    job.set_progress(0, total, _("Writing the file"))
    parent_code = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Value(STEP))
    ).values("code")[:1]
    rows = (
        qs.annotate(parent_code=Subquery(parent_code))
        .order_by("path")
        .values_list(
            "pk", "code", "name", "kind", "cell_type", "parent_code", "founded_on", "dissolved_on"
        )
        .iterator(chunk_size=ITER_CHUNK)
    )
    # Villages covered today, for every cell of the export, in one query.
    villages: dict[int, list[str]] = {}
    links = (
        CellVillage.objects.active(timezone.localdate())
        .filter(organization__in=qs.values("pk"))
        .order_by(F("village__sort_key"))
        .values_list("organization_id", "village__name")
    )
    for org_id, name in links.iterator(chunk_size=ITER_CHUNK):
        villages.setdefault(org_id, []).append(name)
    with translation.override("vi"):
        maps = org_choice_maps()
    wb = write_only_workbook()
    writer = RowWriter(
        wb,
        DATA_SHEET_NAMES["organizations"],
        [c.header for c in ORG_COLUMNS],
        [c.width for c in ORG_COLUMNS],
    )
    done = 0
    for pk, code, name, kind, cell_type, parent, founded, dissolved in rows:
        writer.append(
            [
                code,
                name,
                maps["kind"].label(kind),
                maps["cell_type"].label(cell_type) if cell_type else "",
                parent or "",
                founded,
                "; ".join(villages.get(pk, [])),
                dissolved,
            ]
        )
        done += 1
        if done % PROGRESS_EVERY == 0:
            job.set_progress(done)
    _save_result(job, wb, f"to-chuc-dang-{timezone.localdate():%d-%m-%Y}.xlsx")
    job.set_progress(done, total)
    return {"rows": done}
