"""Exports: members of a filtered list, or the organizations of a subtree.

Rows stream from values_list(...).iterator() into the sheet (members: SheetStream, the
XML written straight into the zip; organizations, a few thousand rows: openpyxl's
write-only workbook), so memory and the number of queries stay flat however many rows
there are. The columns are those of the import templates: an exported file can be
corrected and imported back.
"""

import tempfile
from contextlib import contextmanager

from django.core.files import File
from django.db import connection
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Length, Substr
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import Cap, Level, get_organization
from audit import log as audit_log
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
from spreadsheets.xlsx import DATA_SHEET_NAMES, RowWriter, SheetStream, write_only_workbook

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


# Columns of the member export that come from the organization (looked up, not joined).
ORG_KEYS = ("cell_code", "cell_name")


def member_export_query(qs):
    """The export's one query over the filtered members `qs`: values_list tuples of
    (pk, organization_id, *the columns of MEMBER_COLUMNS other than the cell's code and
    name).

    The fewest columns: no join to the organization for its code and name (looked up
    from one small query, see OrgLookup), tuples rather than model instances. The start
    date in the current home cell is a correlated subquery, not a dictionary of every
    member, so memory stays constant (goal P8).
    """
    cell_start = (
        Membership.objects.filter(
            member=OuterRef("pk"), kind=MembershipKind.HOME, end_date__isnull=True
        )
        .order_by("-start_date")
        .values("start_date")[:1]
    )
    fields = [MEMBER_VALUES[c.key] for c in MEMBER_COLUMNS if c.key not in ORG_KEYS]
    return qs.annotate(cell_start=Subquery(cell_start)).values_list(
        "pk", "organization_id", *fields
    )


def member_export_values(qs):
    """member_export_query's rows, streamed in chunks (a server-side cursor on PostgreSQL).
    Iterate them inside no_jit()."""
    return member_export_query(qs).iterator(chunk_size=ITER_CHUNK)


@contextmanager
def no_jit():
    """PostgreSQL without JIT compilation for the queries run inside.

    The export query's estimated cost (a correlated subquery per member) passes
    jit_above_cost, and compiling it took 3 s of CPU, twice what running it takes
    (measured on the province: 1.7 s with JIT, 0.5 s without).
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")


class OrgLookup:
    """Code, name and "mask citizen IDs?" of the members' cells, by organization id.

    Preloaded in one query over the exported subtree (or the scope); a cell outside it
    (a member of another province attached here) is fetched once when first met.
    """

    def __init__(self, scope, org):
        self.scope = scope
        base = Organization.objects.filter(subtree_q(org.path)) if org else scope.organizations()
        self.orgs = {
            pk: self._entry(code, name, path)
            for pk, code, name, path in base.values_list("pk", "code", "name", "path").iterator(
                chunk_size=ITER_CHUNK
            )
        }

    def _entry(self, code, name, path):
        # Full citizen IDs only for those who keep the member's record (as on the member page).
        return code, name, self.scope.level_for_path(path) < Level.CELL

    def __getitem__(self, pk):
        entry = self.orgs.get(pk)
        if entry is None:
            code, name, path = Organization.objects.values_list("code", "name", "path").get(pk=pk)
            entry = self.orgs[pk] = self._entry(code, name, path)
        return entry


def export_members(job, scope) -> dict:
    org = _org_param(job, scope)
    form = MemberFilterForm(job.params.get("filters") or {})
    data = form.cleaned_data if form.is_valid() else {}
    qs = filter_members(scope, data, org)
    total = qs.count()
    job.set_progress(0, total, _("Writing the file"))
    orgs = OrgLookup(scope, org)
    with translation.override("vi"):
        maps = member_choice_maps()
    keys = [c.key for c in MEMBER_COLUMNS if c.key not in ORG_KEYS]
    # Per column: None (as read), a code → Vietnamese label dict, or "bool" (Có/Không).
    labels = ["bool" if k == "youth_union" else (maps[k].vi if k in maps else None) for k in keys]
    coded = [(i, d) for i, d in enumerate(labels) if isinstance(d, dict)]
    yes_no = [i for i, d in enumerate(labels) if d == "bool"]
    cid = keys.index("citizen_id")
    self_id = scope.self_member_id
    done = 0
    exported = []  # whose record went into the file: each member's "who accessed my record"
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp, no_jit():
        with SheetStream(
            tmp.name,
            DATA_SHEET_NAMES["members"],
            [c.header for c in MEMBER_COLUMNS],
            [c.width for c in MEMBER_COLUMNS],
        ) as sheet:
            for pk, org_id, *values in member_export_values(qs):
                code, name, mask = orgs[org_id]
                if mask and pk != self_id:
                    values[cid] = mask_citizen_id(values[cid])
                for i, d in coded:
                    v = values[i]
                    values[i] = d.get(v, v) if v else ""
                for i in yes_no:
                    values[i] = YES if values[i] else NO
                sheet.append([code, name, *values])
                exported.append(pk)
                done += 1
                if done % PROGRESS_EVERY == 0:
                    job.set_progress(done)
        tmp.seek(0)
        job.result.save(f"dang-vien-{timezone.localdate():%d-%m-%Y}.xlsx", File(tmp), save=False)
    job.set_progress(done, total)
    audit_log.record_members_exported(job, exported)
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
