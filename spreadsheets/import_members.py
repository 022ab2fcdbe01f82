"""Importing members: rows keyed by dossier number within the province.

A new dossier number creates the person, the member and their home membership
(members.services.create_members_bulk: prepared inserts from lib.bulk, a few statements
per 2,000 rows); a known one updates only the fields that differ, and moves
the member when the cell code changed.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from accounts.access import Cap, Level
from members import services
from members.forms import MEMBER_FIELDS
from members.forms import PERSON_FIELDS as FORM_PERSON_FIELDS
from members.models import Member, Person
from organizations.models import Organization
from spreadsheets.columns import MEMBER_COLUMNS, member_choice_maps
from spreadsheets.importing import Importer, ImportRejected, Row, chunks
from spreadsheets.xlsx import DATA_SHEET_NAMES

# The form's fields, less the village of residence (not a column of the template).
PERSON_FIELDS = [f for f in FORM_PERSON_FIELDS if f != "residence_village"]
# Model field → column key, where they differ.
FIELD_COLUMNS = {"organization": "cell_code", "person": "full_name", "province": "cell_code"}
UNIQUE_KEYS = ("dossier_no", "card_no", "citizen_id")
# Columns read through a ChoiceMap, whose codes are the model fields' choices.
CODED_KEYS = tuple(c.key for c in MEMBER_COLUMNS if c.kind in ("choice", "bool"))
# Rows written per round of bulk queries: bounds the memory of the history records
# and the size of each statement.
WRITE_CHUNK = 2000


@dataclass
class Plan:
    row: Row
    member: Member
    person: Person
    cell: Organization | None = None
    start: object = None
    create: bool = False
    person_fields: list[str] = field(default_factory=list)  # changed, to save
    member_fields: list[str] = field(default_factory=list)
    move: bool = False
    leave: bool = False


class MemberImport(Importer):
    columns = MEMBER_COLUMNS
    sheet_name = DATA_SHEET_NAMES["members"]
    required_headers = (
        "cell_code",
        "full_name",
        "sex",
        "birth_date",
        "ethnicity",
        "dossier_no",
        "status",
    )

    def choice_maps(self):
        return member_choice_maps()

    # ---- check ------------------------------------------------------------------
    def check(self, rows: list[Row]) -> list[Plan]:
        self.today = timezone.localdate()
        self.unchanged = 0
        for row in rows:
            if row.data.get("dossier_no"):
                row.data["dossier_no"] = row.data["dossier_no"].replace(" ", "").upper()
        self._duplicates_in_file(rows)
        cells = self._by_code(
            Organization.objects.filter(province=self.province),
            {r.data.get("cell_code") for r in rows},
        )
        existing = {}
        dossiers = {r.data.get("dossier_no") for r in rows} - {None, ""}
        for chunk in chunks(dossiers):
            for m in Member.objects.filter(
                province=self.province, dossier_no__in=chunk
            ).select_related("person", "organization"):
                existing[m.dossier_no] = m
        cards = self._taken(Member.objects.filter(province=self.province), "card_no", rows)
        cids = self._taken(Person.objects.filter(province=self.province), "citizen_id", rows)
        plan = []
        for i, row in enumerate(rows, start=1):
            self.progress(i, len(rows))
            entry = self._check_row(row, cells, existing, cards, cids)
            if entry is not None:
                plan.append(entry)
        return plan

    @staticmethod
    def _by_code(qs, codes) -> dict:
        codes = sorted(c for c in codes if c)
        found = {}
        for chunk in chunks(codes):
            found.update({o.code: o for o in qs.filter(code__in=chunk)})
        return found

    @staticmethod
    def _taken(qs, field_name, rows) -> dict:
        """Values of the file already used in the province → the pk holding each."""
        values = {r.data.get(field_name) for r in rows} - {None, ""}
        # Excluding "" repeats the condition of the partial unique index, so the database
        # searches that index instead of scanning every row of the province per chunk.
        qs = qs.exclude(**{field_name: ""})
        taken = {}
        for chunk in chunks(values):
            taken.update(qs.filter(**{f"{field_name}__in": chunk}).values_list(field_name, "pk"))
        return taken

    def _duplicates_in_file(self, rows):
        for key in UNIQUE_KEYS:
            seen: dict[str, int] = {}
            for row in rows:
                value = row.data.get(key)
                if not value:
                    continue
                if value in seen:
                    self.error(
                        row,
                        key,
                        _("The same value is on row %(row)s; each member needs their own.")
                        % {"row": seen[value]},
                    )
                else:
                    seen[value] = row.n

    def _cell(self, row: Row, cells) -> Organization | None:
        code = row.data.get("cell_code")
        if not code:
            return None
        cell = cells.get(code)
        # The same message whether the cell does not exist or lies outside the scope.
        if cell is None or not self.scope.can(Cap.IMPORT, cell):
            self.error(
                row, "cell_code", _("No cell with code %(code)s in your scope.") % {"code": code}
            )
        elif not cell.is_cell:
            self.error(
                row,
                "cell_code",
                _("%(code)s is not a cell: members belong to cells.") % {"code": code},
            )
        elif not cell.is_active:
            self.error(row, "cell_code", _("%(name)s has been dissolved.") % {"name": cell.name})
        else:
            return cell
        return None

    def _validate(self, row: Row, person: Person, member: Member):
        # A coded value read through its ChoiceMap is one of the field's choices (the same
        # lists): the model need not compare it again, one choice after another (54
        # ethnic groups), for every row of a big file. Blank ones are still checked.
        known = [k for k in CODED_KEYS if row.data.get(k) not in (None, "")]
        try:
            person.full_clean(
                exclude=["province", "residence_village", *known],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as e:
            self.model_errors(row, e, FIELD_COLUMNS)
        try:
            member.full_clean(
                exclude=["province", "person", "organization", *known],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as e:
            self.model_errors(row, e, FIELD_COLUMNS)

    def _check_row(self, row: Row, cells, existing, cards, cids) -> Plan | None:
        data = row.data
        member = existing.get(data.get("dossier_no"))
        if member is not None and self.scope.level_for(member.organization) < Level.CELL:
            self.error(
                row,
                "dossier_no",
                _("Another member of this province has dossier number %(n)s.")
                % {"n": data["dossier_no"]},
            )
            return None
        if member is not None and data.get("cell_code") == member.organization.code:
            cell = member.organization  # not moving: a member who left may stay in a dissolved cell
        else:
            cell = self._cell(row, cells)
        card = data.get("card_no")
        if card and cards.get(card, member.pk if member else None) != (
            member.pk if member else None
        ):
            self.error(
                row,
                "card_no",
                _("Another member of this province has card number %(n)s.") % {"n": card},
            )
        cid = data.get("citizen_id")
        person_pk = member.person_id if member else None
        if cid and cids.get(cid, person_pk) != person_pk:
            self.error(row, "citizen_id", _("Another person in this province has this citizen ID."))
        # Model validation runs even on a row with errors, so one round lists them all;
        # only a row without any error is planned for writing.
        start = data.get("start_date")
        if member is None:
            return self._check_new(row, cell, start)
        return self._check_update(row, member, cell, start)

    def _check_new(self, row, cell, start) -> Plan | None:
        data = row.data
        if not start:
            self.error(row, "start_date", _("Give the date the member joined this cell."))
        elif start > self.today:
            self.error(row, "start_date", _("This date is in the future."))
        person = Person(
            province_id=self.province.pk, **{f: data[f] for f in PERSON_FIELDS if f in data}
        )
        member = Member(
            province_id=self.province.pk, **{f: data[f] for f in MEMBER_FIELDS if f in data}
        )
        member.person = person
        self._validate(row, person, member)
        if row.failed or cell is None:
            return None
        return Plan(row, member, person, cell, start, create=True, leave=not member.is_active)

    def _check_update(self, row, member, cell, start) -> Plan | None:
        data = row.data
        person = member.person
        was_active = member.is_active
        before_p = {f: getattr(person, f) for f in PERSON_FIELDS}
        before_m = {f: getattr(member, f) for f in MEMBER_FIELDS}
        for f in PERSON_FIELDS:
            if f in data:
                setattr(person, f, data[f])
        for f in MEMBER_FIELDS:
            if f in data:
                setattr(member, f, data[f])
        person.refresh_derived()  # normalized names compare equal to the stored ones
        self._validate(row, person, member)
        move = cell is not None and cell.pk != member.organization_id
        if move:
            if not (
                self.scope.can(Cap.MANAGE_STRUCTURE, member.organization)
                and self.scope.can(Cap.MANAGE_STRUCTURE, cell)
            ):
                self.error(
                    row,
                    "cell_code",
                    _(
                        "Moving a member to another cell needs the right to manage the structure of both cells."
                    ),
                )
            elif not was_active:
                self.error(row, "cell_code", _("Only current members are moved between cells."))
            elif not start:
                self.error(row, "start_date", _("Give the date the member moves to this cell."))
            elif start > self.today:
                self.error(row, "start_date", _("This date is in the future."))
        if row.failed:
            return None
        plan = Plan(
            row,
            member,
            person,
            cell,
            start,
            person_fields=[f for f, v in before_p.items() if getattr(person, f) != v],
            member_fields=[f for f, v in before_m.items() if getattr(member, f) != v],
            move=move,
            leave=was_active and not member.is_active,
        )
        if not (plan.person_fields or plan.member_fields or plan.move):
            self.unchanged += 1
            return None
        return plan

    # ---- write ------------------------------------------------------------------
    def write(self, plan: list[Plan]) -> dict:
        creates = [p for p in plan if p.create]
        updates = [p for p in plan if not p.create]
        done = 0
        # One transaction for the whole file: any failure leaves the database as it was.
        # Rows were fully validated by check(); writing validates nothing again except
        # uniqueness, which another user may have taken since (a few queries per chunk).
        with transaction.atomic(), history_user(self.user):
            for batch in chunks(creates, WRITE_CHUNK):
                self._still_free(batch)
                services.create_members_bulk(
                    [services.NewMember(p.person, p.member, p.cell, p.start) for p in batch],
                    user=self.user,
                )
                done += len(batch)
                self.progress(done, len(plan), force=True)
            for batch in chunks(updates, WRITE_CHUNK):
                self._update(batch)
                done += len(batch)
                self.progress(done, len(plan), force=True)
        return {
            "created": len(creates),
            "updated": len(updates),
            "unchanged": self.unchanged,
            "rows": len(plan) + self.unchanged,
        }

    def _still_free(self, batch: list[Plan]):
        """Reject the file if a dossier, card or citizen ID of a new row was taken in the
        province after the check (by another user or import)."""
        checks = [
            (
                Member,
                "dossier_no",
                lambda p: p.member.dossier_no,
                _("Another member of this province has dossier number %(n)s."),
            ),
            (
                Member,
                "card_no",
                lambda p: p.member.card_no,
                _("Another member of this province has card number %(n)s."),
            ),
            (
                Person,
                "citizen_id",
                lambda p: p.person.citizen_id,
                _("Another person in this province has this citizen ID."),
            ),
        ]
        for model, key, value_of, message in checks:
            by_value = {value_of(p): p for p in batch if value_of(p)}
            taken = (
                model.objects.filter(province=self.province, **{f"{key}__in": list(by_value)})
                .exclude(**{key: ""})  # so the partial unique index is used (see _taken)
                .values_list(key, flat=True)
            )
            for value in taken:
                self.error(by_value[value].row, key, message % {"n": value})
        if any(p.row.failed for p in batch):
            raise ImportRejected

    def _update(self, batch: list[Plan]):
        """Changed fields only, each row with its history record; then moves (rare: one
        by one through the service) and periods closed for those who left."""
        now = timezone.now()
        # Set what save() would (auto_now; the derived columns were recomputed in check()).
        for p in batch:
            if p.person_fields:
                p.person.updated_at = now
            if p.member_fields:
                p.member.updated_at = now
        save_changes(
            Person,
            [
                (p.person, [*p.person_fields, "search_text", "sort_key", "updated_at"])
                for p in batch
                if p.person_fields
            ],
            self.user,
        )
        save_changes(
            Member,
            [(p.member, [*p.member_fields, "updated_at"]) for p in batch if p.member_fields],
            self.user,
        )
        for p in batch:
            if not p.move:
                continue
            try:
                services.move_member(p.member, p.cell, p.start)
            except ValidationError as e:
                self.model_errors(p.row, e, FIELD_COLUMNS)
                raise ImportRejected from e
        services.close_memberships_of_leavers([p.member for p in batch if p.leave], user=self.user)


def save_changes(model, changes: list[tuple[object, list[str]]], user) -> None:
    """UPDATE only the given fields of each object, and write its "~" history record.

    Rows changing the same fields share one executemany. Django's bulk_update builds
    a CASE WHEN per row and field instead, which measured ~70 times slower (7 s for
    5,000 people against 0.1 s) and made updating a whole file slower than creating it.
    Values go through each field's get_db_prep_save, as save() does.
    """
    if not changes:
        return
    opts = model._meta
    qn = connection.ops.quote_name
    groups: dict[tuple[str, ...], list] = {}
    for obj, names in changes:
        groups.setdefault(tuple(dict.fromkeys(names)), []).append(obj)
    with connection.cursor() as cursor:
        for names, objs in groups.items():
            fields = [opts.get_field(n) for n in names]
            sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
            # Names come from the model's _meta, quoted; every value is a parameter.
            sql = f"UPDATE {qn(opts.db_table)} SET {sets} WHERE {qn(opts.pk.column)} = %s"  # noqa: S608
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                    + [obj.pk]
                    for obj in objs
                ],
            )
    model.history.bulk_history_create(
        [obj for obj, _names in changes], update=True, default_user=user
    )


@contextmanager
def history_user(user):
    """Name `user` in the history of rows saved one by one (moves) while importing.

    simple_history takes the user from the request; the worker has none, so the
    import stands in one for the time of the write.
    """
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous
