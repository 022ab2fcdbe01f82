"""Importing party organizations: rows keyed by code within the province.

A new code creates the organization under its parent (already in the database
or on another row, in any order) through organizations.services; a known code
updates the name, cell type, founding date and villages where they differ.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Cap
from lib.text import fold, normalize_name
from organizations import services
from organizations.models import (
    ALLOWED_CHILDREN,
    CELL_KINDS,
    CellVillage,
    Organization,
    OrgKind,
    Village,
)
from spreadsheets.columns import ORG_COLUMNS, org_choice_maps
from spreadsheets.importing import Importer, ImportRejected, Row, chunks
from spreadsheets.xlsx import DATA_SHEET_NAMES

STEP = Organization.steplen


@dataclass
class NewOrg:
    row: Row
    parent_code: str
    depth: int = 0
    villages: list = field(default_factory=list)


@dataclass
class OrgUpdate:
    row: Row
    org: Organization
    rename: str = ""
    save: bool = False
    villages: list | None = None


class OrgImport(Importer):
    columns = ORG_COLUMNS
    sheet_name = DATA_SHEET_NAMES["organizations"]
    required_headers = ("code", "name", "kind")

    def choice_maps(self):
        return org_choice_maps()

    # ---- check ------------------------------------------------------------------
    def check(self, rows: list[Row]):
        self.today = timezone.localdate()
        self.unchanged = 0
        in_file: dict[str, Row] = {}
        for row in rows:
            code = row.data.get("code")
            if not code:
                continue
            if code in in_file:
                self.error(
                    row, "code", _("The same code is on row %(row)s.") % {"row": in_file[code].n}
                )
            else:
                in_file[code] = row
        codes = set(in_file) | {r.data.get("parent_code") for r in rows}
        self.db = self._by_code(codes - {None, ""})
        self.new_rows = {c: r for c, r in in_file.items() if c not in self.db}
        self._load_village_index(rows)
        new, updates = [], []
        for i, row in enumerate(rows, start=1):
            self.progress(i, len(rows))
            code = row.data.get("code")
            if not code or in_file.get(code) is not row:
                continue  # unreadable code, or a duplicate already reported
            if code in self.db:
                entry = self._check_update(row, self.db[code])
                if entry:
                    updates.append(entry)
            else:
                entry = self._check_new(row)
                if entry:
                    new.append(entry)
        self._order(new)
        return new, updates

    def _by_code(self, codes) -> dict[str, Organization]:
        found = {}
        for chunk in chunks(sorted(codes)):
            found.update(
                {
                    o.code: o
                    for o in Organization.objects.filter(province=self.province, code__in=chunk)
                }
            )
        return found

    def _load_village_index(self, rows):
        """Villages of the province by (commune id, folded name), and org ids by path."""
        self.villages: dict[tuple, Village] = {}
        self.ids_by_path: dict[str, int] = {}
        self.links: dict[int, set] = {}
        if "villages" not in self.present:
            return
        db_ids = [o.pk for o in self.db.values()]
        for chunk in chunks(db_ids):
            for org_id, village_id in (
                CellVillage.objects.active()
                .filter(organization_id__in=chunk)
                .values_list("organization_id", "village_id")
            ):
                self.links.setdefault(org_id, set()).add(village_id)
        if not any(r.data.get("villages") for r in rows):
            return
        for v in Village.objects.active().filter(province=self.province):
            self.villages.setdefault((v.commune_id, fold(v.name)), v)
        commune_ids = {k[0] for k in self.villages}
        self.ids_by_path = dict(
            Organization.objects.filter(pk__in=commune_ids).values_list("path", "pk")
        )

    def _scope_org(self, row, key, code) -> Organization | None:
        org = self.db.get(code)
        # The same message whether it does not exist or lies outside the scope.
        if org is None or not self.scope.can(Cap.MANAGE_STRUCTURE, org):
            self.error(
                row, key, _("No organization with code %(code)s in your scope.") % {"code": code}
            )
            return None
        return org

    def _match_villages(self, row, db_ancestor: Organization | None, names: list[str]) -> list:
        """Villages named on the row, looked up in the communes above the cell, nearest first."""
        if not names:
            return []
        if row.data.get("kind") not in CELL_KINDS:
            self.error(row, "villages", _("Villages are covered by cells."))
            return []
        paths = []
        if db_ancestor is not None:
            paths = [db_ancestor.path[:end] for end in range(len(db_ancestor.path), 0, -STEP)]
        ancestor_ids = [self.ids_by_path[p] for p in paths if p in self.ids_by_path]
        found = {}
        for name in names:
            village = next(
                (
                    self.villages[(a, fold(name))]
                    for a in ancestor_ids
                    if (a, fold(name)) in self.villages
                ),
                None,
            )
            if village is None:
                self.error(
                    row,
                    "villages",
                    _(
                        "No village or residential group named “%(name)s” in the commune of this cell."
                    )
                    % {"name": name[:80]},
                )
            else:
                found[village.pk] = village
        return list(found.values())

    def _common_checks(self, row):
        data = row.data
        if data.get("kind") in CELL_KINDS and not data.get("cell_type"):
            self.error(row, "cell_type", _("Choose the cell type."))
        founded = data.get("founded_on")
        if founded and founded > self.today:
            self.error(row, "founded_on", _("The founding date cannot be in the future."))

    def _check_new(self, row: Row) -> NewOrg | None:
        data = row.data
        self._common_checks(row)
        parent_code = data.get("parent_code") or ""
        parent_kind = parent_name = None
        db_ancestor = None
        if not parent_code:
            self.error(
                row, "parent_code", _("Give the code of the organization directly above it.")
            )
        elif parent_code == data.get("code"):
            self.error(row, "parent_code", _("An organization cannot be placed under itself."))
        elif parent_code in self.new_rows:
            parent_row = self.new_rows[parent_code]
            parent_kind, parent_name = parent_row.data.get("kind"), parent_row.data.get("name")
            db_ancestor = self._db_ancestor(parent_code)
        elif (parent := self._scope_org(row, "parent_code", parent_code)) is not None:
            if not parent.is_active:
                self.error(
                    row, "parent_code", _("%(name)s has been dissolved.") % {"name": parent.name}
                )
            parent_kind, parent_name, db_ancestor = parent.kind, parent.name, parent
        kind = data.get("kind")
        if kind and parent_kind and kind not in ALLOWED_CHILDREN[OrgKind(parent_kind)]:
            self.error(
                row,
                "kind",
                _("A %(kind)s cannot be placed directly under %(parent)s.")
                % {"kind": OrgKind(kind).label, "parent": parent_name},
            )
        villages = self._match_villages(row, db_ancestor, data.get("villages") or [])
        if row.failed:
            return None
        return NewOrg(row, parent_code, villages=villages)

    def _db_ancestor(self, code: str) -> Organization | None:
        """The nearest organization above a new one that is already in the database."""
        seen = set()
        while code in self.new_rows and code not in seen:
            seen.add(code)
            code = self.new_rows[code].data.get("parent_code") or ""
        return self.db.get(code)

    def _check_update(self, row: Row, org: Organization) -> OrgUpdate | None:
        data = row.data
        if not self.scope.can(Cap.MANAGE_STRUCTURE, org):
            self.error(
                row,
                "code",
                _("The code %(code)s is already used in this province.") % {"code": org.code},
            )
            return None
        if data.get("kind") and data["kind"] != org.kind:
            self.error(
                row, "kind", _("The kind of an existing organization cannot be changed by import.")
            )
        parent_code = data.get("parent_code")
        if parent_code and (
            org.depth == 1
            or not org.path.startswith(self._path_of(parent_code))
            or len(org.path) != len(self._path_of(parent_code)) + STEP
        ):
            self.error(
                row,
                "parent_code",
                _("Moving an organization under another one is done on its page, not by import."),
            )
        self._common_checks(row)
        update = OrgUpdate(row, org)
        name = normalize_name(data.get("name", org.name))
        if name != org.name:
            update.rename = name
        for f in ("cell_type", "founded_on"):
            if f in data and data[f] != getattr(org, f):
                setattr(org, f, data[f])
                update.save = True
        if "villages" in self.present:
            wanted = self._match_villages(row, org, data.get("villages") or [])
            if {v.pk for v in wanted} != self.links.get(org.pk, set()):
                update.villages = wanted
        changed = update.rename or update.save or update.villages is not None
        if changed and not org.is_active and not row.failed:
            self.error(row, "code", _("%(name)s has been dissolved.") % {"name": org.name})
        if row.failed:
            return None
        if not changed:
            self.unchanged += 1
            return None
        return update

    def _path_of(self, code: str) -> str:
        org = self.db.get(code)
        return org.path if org else "\x00"

    def _order(self, new: list[NewOrg]):
        """Parents before children; a loop of parent codes is an error on each of its rows."""
        for n in new:
            depth, code, seen = 0, n.parent_code, {n.row.data["code"]}
            while code in self.new_rows:
                if code in seen:
                    self.error(n.row, "parent_code", _("These rows are each other's parents."))
                    break
                seen.add(code)
                depth += 1
                code = self.new_rows[code].data.get("parent_code") or ""
            n.depth = depth
        new.sort(key=lambda n: n.depth)

    # ---- write ------------------------------------------------------------------
    def write(self, plan) -> dict:
        new, updates = plan
        objs = dict(self.db)
        # One transaction for the whole file: any failure leaves the database as it was.
        with transaction.atomic():
            done = 0
            for n in new:
                done += 1
                self.progress(done, len(new) + len(updates))
                data = n.row.data
                try:
                    org = services.create_organization(
                        parent=objs[n.parent_code],
                        kind=data["kind"],
                        name=data["name"],
                        code=data["code"],
                        cell_type=data.get("cell_type", ""),
                        founded_on=data.get("founded_on"),
                        user=self.user,
                    )
                    objs[org.code] = org
                    if n.villages:
                        services.set_villages(
                            org, n.villages, org.founded_on or self.today, self.user
                        )
                except ValidationError as e:
                    self.model_errors(n.row, e, {})
                    raise ImportRejected from e
            for u in updates:
                done += 1
                self.progress(done, len(new) + len(updates))
                try:
                    if u.rename:  # saves the other changed fields too: one history row
                        services.rename(u.org, u.rename, self.today, self.user)
                    elif u.save:
                        u.org.save()
                    if u.villages is not None:
                        services.set_villages(u.org, u.villages, self.today, self.user)
                except ValidationError as e:
                    self.model_errors(u.row, e, {})
                    raise ImportRejected from e
        return {
            "created": len(new),
            "updated": len(updates),
            "unchanged": self.unchanged,
            "rows": len(new) + len(updates) + self.unchanged,
        }
