"""Write a demo plan to the database fast, find or remove an existing demo province.

Organizations get precomputed treebeard paths (path, depth, numchild) and go in with
bulk_create, as do villages, links and events; people, members and membership
periods go in with plain executemany (see fast_insert). Neither calls save(), so the
derived columns (search_text, sort_key) are computed here, and no simple-history
rows are written for seed data. Everything runs in one transaction.
"""

import random
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from admissions.models import Candidate
from demo import bulk, meetings, member_life, users
from demo import campaigns as demo_campaigns
from demo import oversight as demo_oversight
from demo import ratings as demo_ratings
from demo import village_posts as demo_village_posts
from demo.names import REFORM_DECISION
from demo.people import PeopleFactory
from demo.structure import REFORM, Plan, build_plan, root_code
from lib.text import normalize_name, search_text, sort_key
from meetings.models import Attendance, Meeting, MeetingStatus
from members.models import ACTIVE_STATUSES, Member, Membership, MembershipKind, Person
from organizations.models import (
    CELL_KINDS,
    GRASSROOTS_KINDS,
    CellVillage,
    Organization,
    OrgEvent,
    OrgEventKind,
    Village,
    VillagePost,
    subtree_q,
    subtree_range,
)
from reports import summary as summaries
from reports.models import CellMonth, CellYear

BATCH = 500


@dataclass
class SeedResult:
    province: Organization
    created: bool
    logins: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)


def find_province(scale: str, seed: int) -> Organization | None:
    return Organization.objects.filter(depth=1, code=root_code(scale, seed)).first()


@transaction.atomic
def seed(scale: str, seed: int, reset: bool = False) -> SeedResult:
    """Load the demo province of this scale and seed, unless it is already there."""
    existing = find_province(scale, seed)
    if existing is not None and not reset:
        logins, warnings = users.ensure_demo_users(existing)
        meetings.plan_upcoming(existing)  # a later `make run` tops up the weeks ahead
        return SeedResult(existing, False, logins, count_rows(existing), warnings)
    if existing is not None:
        demo_oversight.purge(existing)  # before the demo users: their visits protect them
        users.delete_demo_users()
        purge_province(existing)
    rng = random.Random(seed)  # noqa: S311 -- reproducible demo data, not secrets
    plan = build_plan(scale, seed, rng)
    with bulk.large_cache():
        province = write_plan(plan, rng)
        logins, warnings = users.ensure_demo_users(province)
        # The demo secretary approves their own cell's minutes: meetings come after the users.
        linked = dict(User.objects.filter(member__province=province).values_list("member_id", "pk"))
        meetings.seed_meetings(province, seed, linked)
        # The steps below read the year just bulk-loaded: without fresh statistics PostgreSQL
        # plans their joins as over empty tables (one of them ran for minutes).
        _refresh_statistics()
        member_life.seed_member_life(province, seed)
        demo_ratings.seed_ratings(province, seed)  # the 2025 review follows the year's records
        meetings.plan_upcoming(province)
        # Quality scores, supervision, visits and inspections read the year's meetings, and
        # the demo supervisor's schedule the meetings just planned.
        demo_oversight.seed_oversight(province, seed)
        demo_campaigns.seed_campaigns(province, seed)  # emulation campaigns of 2025
        # Village heads and Front heads, some of them the secretaries just given accounts.
        demo_village_posts.seed_village_posts(province, seed)
        # The meetings, scores and visits above were bulk-inserted without the services that
        # keep the monthly summaries: build them once (reports.summary).
        summaries.rebuild(province)
    return SeedResult(province, True, logins, count_rows(province), warnings)


def _refresh_statistics():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# ---- writing -------------------------------------------------------------------------


def _org_fields(node) -> dict:
    name = normalize_name(node.name)
    return {
        "kind": node.kind,
        "cell_type": node.cell_type,
        "name": name,
        "code": node.code,
        "founded_on": node.founded_on,
        "dissolved_on": node.dissolved_on,
        "dissolution_reason": node.dissolution_reason,
        "search_text": search_text(name, node.code),
        "sort_key": sort_key(name),
    }


def _step(i: int) -> str:
    key = Organization.numconv_obj().int2str(i)
    return Organization.alphabet[0] * (Organization.steplen - len(key)) + key


def write_plan(plan: Plan, rng) -> Organization:
    # UUIDs (and so URLs) are reproducible too, from their own stream.
    uuid_rng = random.Random(f"{plan.root.code}:uuid")  # noqa: S311

    def uuids():
        return uuid.UUID(int=uuid_rng.getrandbits(128), version=4)

    root_node = plan.root
    root = Organization.objects.add_root(create_kwargs={**_org_fields(root_node), "uuid": uuids()})
    Organization.objects.filter(pk=root.pk).update(province=root, numchild=len(root_node.children))
    root.province_id = root.pk
    root_node.obj, root_node.path = root, root.path

    orgs = []
    for node in root_node.walk():
        for i, child in enumerate(node.children, 1):
            child.path = node.path + _step(i)
            child.obj = Organization(
                uuid=uuids(),
                path=child.path,
                depth=child.depth,
                numchild=len(child.children),
                province_id=root.pk,
                **_org_fields(child),
            )
            orgs.append(child.obj)
    Organization.objects.bulk_create(orgs, batch_size=BATCH)

    for v in plan.villages:
        name = normalize_name(v.name)
        v.obj = Village(
            uuid=uuids(),
            province_id=root.pk,
            commune_id=v.commune.obj.pk,
            name=name,
            kind=v.kind,
            code=v.code,
            valid_from=v.valid_from,
            search_text=search_text(name, v.code),
            sort_key=sort_key(name),
        )
    Village.objects.bulk_create([v.obj for v in plan.villages], batch_size=BATCH)

    links = []
    for cell in plan.cells():
        for v in cell.covers:
            start = max(cell.founded_on, v.valid_from or cell.founded_on)
            links.append(
                CellVillage(
                    province_id=root.pk,
                    organization_id=cell.obj.pk,
                    village_id=v.obj.pk,
                    valid_from=start,
                )
            )
    CellVillage.objects.bulk_create(links, batch_size=BATCH)

    _write_events(plan, root)
    _write_members(plan, rng, root, uuids)
    return Organization.objects.get(pk=root.pk)


def _write_events(plan: Plan, root: Organization):
    """'created' for every organization; the 2025 reform as 'moved' and 'dissolved'."""
    events, related = [], []
    for node in plan.root.walk():
        events.append(
            OrgEvent(
                province_id=root.pk,
                organization_id=node.obj.pk,
                kind=OrgEventKind.CREATED,
                effective_on=node.founded_on,
                data={"parent": node.parent.name if node.parent else ""},
            )
        )
    for i, commune in enumerate(plan.communes()):
        district = commune.district
        ev = OrgEvent(
            province_id=root.pk,
            organization_id=commune.obj.pk,
            kind=OrgEventKind.MOVED,
            effective_on=REFORM,
            decision=REFORM_DECISION.format(n=1200 + i),
            data={"old_parent": district.name, "new_parent": plan.root.name},
        )
        events.append(ev)
        related.append((ev, [district.obj.pk, root.pk]))
    for district in plan.districts:
        events.append(
            OrgEvent(
                province_id=root.pk,
                organization_id=district.obj.pk,
                kind=OrgEventKind.DISSOLVED,
                effective_on=REFORM,
                decision=REFORM_DECISION.format(n=1199),
                data={"reason": district.dissolution_reason},
            )
        )
    OrgEvent.objects.bulk_create(events, batch_size=BATCH)
    through = OrgEvent.related.through
    OrgEvent.related.through.objects.bulk_create(
        [through(orgevent_id=ev.pk, organization_id=pk) for ev, pks in related for pk in pks],
        batch_size=BATCH,
    )


def _write_members(plan: Plan, rng, root: Organization, uuids):
    specs = PeopleFactory(plan, rng).generate()
    people = []
    for s in specs:
        row = vars(s.person)
        village = row.pop("residence_village")
        row.update(
            province_id=root.pk, uuid=uuids(), residence_village_id=village and village.obj.pk
        )
        people.append(row)
    fast_insert(Person, people)
    person_ids = dict(Person.objects.filter(province=root).values_list("uuid", "id"))
    members = []
    for s, person in zip(specs, people, strict=True):
        row = vars(s.member)
        row.update(
            province_id=root.pk,
            uuid=uuids(),
            person_id=person_ids[person["uuid"]],
            organization_id=s.cell.obj.pk,
            sort_key=person["sort_key"],
        )
        members.append(row)
    fast_insert(Member, members)
    member_ids = dict(Member.objects.filter(province=root).values_list("uuid", "id"))
    periods = []

    def period(member, cell, kind, start, end, note=""):
        periods.append(
            {
                "province_id": root.pk,
                "member_id": member_ids[member["uuid"]],
                "organization_id": cell.obj.pk,
                "kind": kind,
                "start_date": start,
                "end_date": end,
                "note": note[:250],
            }
        )

    for s, member in zip(specs, members, strict=True):
        if s.previous:
            cell, start, end = s.previous
            period(
                member, cell, MembershipKind.HOME, start, end, f"Chuyển sinh hoạt đến {s.cell.name}"
            )
            period(
                member, s.cell, MembershipKind.HOME, s.start, s.end, f"Chuyển đến từ {cell.name}"
            )
        else:
            period(member, s.cell, MembershipKind.HOME, s.start, s.end)
        if s.temporary:
            cell, start = s.temporary
            period(member, cell, MembershipKind.TEMPORARY, start, None, "Sinh hoạt đảng tạm thời")
    fast_insert(Membership, periods)


def fast_insert(model, rows: list[dict], chunk: int = 5000):
    """INSERT plain rows with executemany (COPY on PostgreSQL, see bulk.write_rows).

    35,000 members with two dozen columns each: Django model instances and bulk_create's
    per-value field machinery cost ~20 s on SQLite, this ~2 s. Rows hold Python values
    by attname; only dates, datetimes and UUIDs need adapting to the backend. Columns
    missing from a row take the field default; auto_now(_add) columns take now.
    """
    ops = connection.ops
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = ops.adapt_datetimefield_value(timezone.now())
    plan = []
    for f in fields:
        kind = f.get_internal_type()
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            plan.append((f, lambda v, now=now: now))
        elif kind == "DateField":
            plan.append((f, ops.adapt_datefield_value))
        elif kind == "UUIDField" and not connection.features.has_native_uuid_field:
            plan.append((f, lambda v: v.hex if v is not None else None))
        else:
            plan.append((f, None))
    values = []
    for row in rows:
        out = []
        for f, adapt in plan:
            v = row[f.attname] if f.attname in row else f.get_default()
            out.append(adapt(v) if adapt is not None else v)
        values.append(out)
    bulk.write_rows(model._meta.db_table, [f.column for f, _ in plan], values, chunk)


# ---- counting ---------------------------------------------------------------------------


def count_rows(province: Organization) -> dict:
    orgs = Organization.objects.filter(province=province)
    active = orgs.filter(dissolved_on__isnull=True)
    members = Member.objects.filter(province=province)
    return {
        "organizations": orgs.count(),
        "grassroots": active.filter(kind__in=GRASSROOTS_KINDS).count(),
        "cells": active.filter(kind__in=CELL_KINDS).count(),
        "villages": Village.objects.filter(province=province).count(),
        "members": members.count(),
        "active_members": members.filter(status__in=ACTIVE_STATUSES).count(),
        "memberships": Membership.objects.filter(province=province).count(),
        "meetings": Meeting.objects.filter(province=province, period_year=2025).count(),
        "upcoming": Meeting.objects.filter(
            province=province, scheduled_at__gte=timezone.now(), status=MeetingStatus.PLANNED
        ).count(),
        "attendance": Attendance.objects.filter(province=province).count(),
        **member_life.count_rows(province),
        **demo_ratings.count_rows(province),
        **demo_oversight.count_rows(province),
        **demo_campaigns.count_rows(province),
        "village_posts": VillagePost.objects.filter(
            province=province, valid_to__isnull=True
        ).count(),
        "village_posts_members": VillagePost.objects.filter(
            province=province, valid_to__isnull=True, member__isnull=False
        ).count(),
    }


# ---- removing ---------------------------------------------------------------------------

# The demo's own tables, deleted with one statement each (no per-row signals or
# history): every row carries the province key.
OWN_TABLES = [
    CellMonth,
    *demo_campaigns.PURGE_TABLES,
    CellYear,
    *demo_ratings.PURGE_TABLES,
    *member_life.PURGE_TABLES,
    *meetings.PURGE_TABLES,
    VillagePost,
    Membership,
    Member,
    Person,
    CellVillage,
    Village,
    OrgEvent,
]


def purge_province(province: Organization):
    """Delete a province and everything in it.

    Rows of other apps that point at its organizations, villages or members are
    handled first by the ORM (their own on_delete rules, their own dependents); the
    bulk of the rows then goes with plain DELETEs. Foreign keys are checked at commit
    (Django declares them deferrable), so the order of those DELETEs does not matter.
    """
    targets = {
        Organization: Organization.objects.filter(subtree_q(province.path)),
        **{m: m.objects.filter(province=province) for m in OWN_TABLES},
        # Rows without a province key, deleted below through their candidate.
        **{m: m.objects.filter(candidate__province=province) for m in member_life.PURGE_CHILDREN},
    }
    through = OrgEvent.related.through
    for model in apps.get_models():
        if model in targets or model is through:
            continue
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if target not in targets or not getattr(f, "db_constraint", False):
                continue  # historical records keep their copies without constraints
            rows = model._base_manager.filter(**{f"{f.name}__in": targets[target].values("pk")})
            if f.remote_field.on_delete is models.SET_NULL:
                rows.update(**{f.name: None})
            else:
                rows.delete()
    with connection.cursor() as cursor:
        _delete(
            cursor,
            through,
            "orgevent_id IN (SELECT id FROM {event} WHERE province_id = %s)",
            [province.pk],
            event=OrgEvent._meta.db_table,
        )
        _delete(
            cursor,
            through,
            "organization_id IN (SELECT id FROM {org} WHERE path >= %s AND path <= %s)",
            list(_range(province)),
            org=Organization._meta.db_table,
        )
        for model in member_life.PURGE_CHILDREN:
            _delete(
                cursor,
                model,
                "candidate_id IN (SELECT id FROM {candidate} WHERE province_id = %s)",
                [province.pk],
                candidate=Candidate._meta.db_table,
            )
        for model in OWN_TABLES:
            _delete(cursor, model, "province_id = %s", [province.pk])
        _delete(cursor, Organization, "path >= %s AND path <= %s", list(_range(province)))


def _range(province):
    return subtree_range(province.path)


def _delete(cursor, model, where: str, params, **tables):
    qn = connection.ops.quote_name
    where = where.format(**{k: qn(v) for k, v in tables.items()})
    cursor.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE {where}", params)  # noqa: S608
