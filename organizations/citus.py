"""Distributing the database by province (Citus): which tables, and the DDL that does it.

Every tenant row carries `province` (the top-level organization). On Citus the tenant tables
become distributed tables sharded and colocated by `province_id`, and the tables without a
province (accounts, sessions, tasks, permissions) become reference tables copied to every
node. Citus then asks three things of the schema, which plain Django does not give:

1. every primary key and unique constraint of a distributed table includes `province_id`;
2. a foreign key between two distributed tables includes `province_id` on both sides
   (`FOREIGN KEY (province_id, x_id) REFERENCES x (province_id, id)`), so both rows live on
   the same shard — which holds only if the two rows always share their province;
3. no foreign key goes from a reference table to a distributed one.

`citus_ddl()` writes that conversion for the current models (run `manage.py citus_ddl` on a
copy of the production database before distributing it; docs/scaling.md). Rule 2 is a data
invariant the tests check on the generated data (organizations/tests/test_citus.py) for every
foreign key between tenant tables except the ones listed in CROSS_PROVINCE, which point to
rows of another province on purpose (and those to members and people, who move between
provinces): they are kept as application-level references on Citus.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

# (model label, field name): references that may point to another province's rows.
CROSS_PROVINCE = {
    # A transfer between provinces names both sides; it is re-keyed to the receiving one.
    ("transfers.Transfer", "from_org"),
    ("transfers.Transfer", "to_org"),
    # A residence across the provincial border (QĐ 213) is named by that province's units.
    ("liaison.ResidenceLiaison", "residence_commune"),
    ("liaison.ResidenceLiaison", "residence_cell"),
    ("liaison.ResidenceLiaison", "residence_village"),
    ("members.Person", "residence_village"),
}
# Rows pointing at a member or a person: the member moves to the receiving province with a
# transfer, while their history (memberships, attendance, reviews, …) stays where it happened.
CROSS_PROVINCE_TARGETS = {"members.Member", "members.Person"}


def crosses(model, f) -> bool:
    """Whether the foreign key `f` of `model` may point into another province."""
    return (
        model._meta.label,
        f.name,
    ) in CROSS_PROVINCE or f.related_model._meta.label in CROSS_PROVINCE_TARGETS


def is_tenant(model) -> bool:
    return any(f.name == "province" and f.is_relation for f in model._meta.fields)


def concrete_models() -> list:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]


def tenant_foreign_keys(model) -> list:
    """The model's foreign keys to other tenant tables that must share its province."""
    return [
        f
        for f in model._meta.fields
        if f.many_to_one
        and f.name != "province"
        and f.db_constraint
        and is_tenant(f.related_model)
        and not crosses(model, f)
    ]


@dataclass
class Plan:
    distributed: list[str] = field(default_factory=list)
    reference: list[str] = field(default_factory=list)
    # Statements on plain PostgreSQL: keys and constraints made to include province_id.
    constraints: list[str] = field(default_factory=list)
    # Statements that need the Citus extension.
    citus: list[str] = field(default_factory=list)
    # Foreign keys dropped and left to the application (cross-province, reference → tenant).
    dropped: list[str] = field(default_factory=list)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def citus_ddl() -> Plan:
    plan = Plan()
    models_ = concrete_models()
    tenants = [m for m in models_ if is_tenant(m)]
    root = apps.get_model("organizations", "Organization")._meta.db_table
    for m in models_:
        (plan.distributed if is_tenant(m) else plan.reference).append(m._meta.db_table)

    for m in tenants:
        t = _q(m._meta.db_table)
        pk = m._meta.pk.column
        # 1. The key of every tenant row is (province_id, id); the id stays unique by its
        # sequence, and the pair is what colocated foreign keys point at.
        plan.constraints.append(
            f"ALTER TABLE {t} ADD CONSTRAINT {_q(m._meta.db_table[:40] + '_prov_pk')} "
            f"UNIQUE (province_id, {_q(pk)});"
        )
        # Unique constraints without the province are re-made with it in front.
        for c in m._meta.constraints:
            if isinstance(c, models.UniqueConstraint) and c.fields and "province" not in c.fields:
                cols = [m._meta.get_field(f).column for f in c.fields]
                plan.constraints.append(
                    f"ALTER TABLE {t} ADD CONSTRAINT {_q(c.name[:50] + '_prov')} "
                    f"UNIQUE (province_id, {', '.join(_q(x) for x in cols)});"
                )
        for f in m._meta.fields:
            if f.unique and not f.primary_key:
                plan.constraints.append(
                    f"ALTER TABLE {t} ADD CONSTRAINT "
                    f"{_q((m._meta.db_table + '_' + f.column)[:50] + '_prov')} "
                    f"UNIQUE (province_id, {_q(f.column)});"
                )
    for m in tenants:
        t = _q(m._meta.db_table)
        for f in tenant_foreign_keys(m):
            parent = f.related_model._meta
            plan.constraints.append(
                f"ALTER TABLE {t} ADD CONSTRAINT {_q((m._meta.db_table + '_' + f.column)[:50] + '_pfk')} "
                f"FOREIGN KEY (province_id, {_q(f.column)}) REFERENCES "
                f"{_q(parent.db_table)} (province_id, {_q(f.target_field.column)}) "
                f"DEFERRABLE INITIALLY DEFERRED;"
            )
        for f in m._meta.fields:
            if f.many_to_one and is_tenant(f.related_model) and crosses(m, f):
                plan.dropped.append(f"{m._meta.db_table}.{f.column} (another province)")
    for m in models_:
        if is_tenant(m):
            continue
        for f in m._meta.fields:
            if f.many_to_one and f.db_constraint and is_tenant(f.related_model):
                plan.dropped.append(f"{m._meta.db_table}.{f.column} (reference → distributed)")

    plan.citus.append("CREATE EXTENSION IF NOT EXISTS citus;")
    plan.citus += [f"SELECT create_reference_table('{t}');" for t in plan.reference]
    plan.citus.append(f"SELECT create_distributed_table('{root}', 'province_id');")
    plan.citus += [
        f"SELECT create_distributed_table('{t}', 'province_id', colocate_with => '{root}');"
        for t in plan.distributed
        if t != root
    ]
    return plan


def render(plan: Plan) -> str:
    out = [
        "-- Chibo: distributing by province on Citus (generated by manage.py citus_ddl).",
        "-- 1. Keys and constraints that include province_id (plain PostgreSQL).",
        *plan.constraints,
        "-- 2. Drop these single-column foreign keys first (kept by the application):",
        *[f"--    {d}" for d in plan.dropped],
        "--    and the old single-column foreign keys between distributed tables, which",
        "--    the composite ones above replace.",
        "-- 3. Distribute (needs the citus extension on the coordinator and workers).",
        *plan.citus,
    ]
    return "\n".join(out) + "\n"
