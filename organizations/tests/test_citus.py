"""Readiness for distribution by province (organizations/citus.py, docs/scaling.md)."""

import pytest
from django.db import connection, transaction
from django.db.models import F

from organizations import citus


def mismatches(model) -> dict[str, int]:
    """Rows of `model` whose tenant foreign key points at a row of another province."""
    out = {}
    for f in citus.tenant_foreign_keys(model):
        n = (
            model._default_manager.filter(**{f"{f.name}__isnull": False})
            .exclude(province_id=F(f"{f.name}__province_id"))
            .count()
        )
        if n:
            out[f"{model._meta.label}.{f.name}"] = n
    return out


def all_mismatches() -> dict[str, int]:
    out = {}
    for m in citus.concrete_models():
        if citus.is_tenant(m):
            out |= mismatches(m)
    return out


def test_every_table_is_either_distributed_or_reference():
    plan = citus.citus_ddl()
    tables = {m._meta.db_table for m in citus.concrete_models()}
    assert set(plan.distributed) | set(plan.reference) == tables
    assert not set(plan.distributed) & set(plan.reference)
    assert "members_member" in plan.distributed and "accounts_user" in plan.reference
    assert len(plan.distributed) > 90  # every domain table carries its province


def test_the_cross_province_references_name_real_fields():
    from django.apps import apps

    for label, name in citus.CROSS_PROVINCE:
        field = apps.get_model(label)._meta.get_field(name)
        assert field.many_to_one, (label, name)
    for label in citus.CROSS_PROVINCE_TARGETS:
        assert citus.is_tenant(apps.get_model(label))


def test_related_tenant_rows_share_their_province_in_the_test_world(world):
    assert all_mismatches() == {}


def test_only_the_declared_references_cross_provinces_after_moves_across_them(world):
    """A transfer to another province and a residence across the border: the rows that then
    point into another province are exactly the declared ones."""
    import datetime as dt

    from liaison import services as liaison_services
    from transfers import services as transfer_services
    from transfers.tests.factories import EFFECTIVE, received

    transfer_services.complete(received(world, to="K4"), effective_on=EFFECTIVE)
    huy = world.member("Đặng Quốc Huy", "G1")
    liaison = liaison_services.introduce(
        huy,
        residence_commune=world.org("C3"),
        introduced_on=dt.date(2025, 7, 1),
        letter_no="16-GGT/ĐU",
        by=world.user("staff_p1"),
    )
    liaison_services.receive(
        liaison,
        residence_cell=world.org("K4"),
        received_on=dt.date(2025, 7, 15),
        by=world.user("staff_p2"),
    )
    assert all_mismatches() == {}
    # Without the declared exceptions, exactly those references cross.
    saved = (set(citus.CROSS_PROVINCE), set(citus.CROSS_PROVINCE_TARGETS))
    try:
        citus.CROSS_PROVINCE.clear()
        citus.CROSS_PROVINCE_TARGETS.clear()
        crossing = set(all_mismatches())
    finally:
        citus.CROSS_PROVINCE.update(saved[0])
        citus.CROSS_PROVINCE_TARGETS.update(saved[1])
    assert crossing == {
        "transfers.Transfer.from_org",
        "liaison.ResidenceLiaison.residence_commune",
        "liaison.ResidenceLiaison.residence_cell",
        "members.Membership.member",
        "members.Person.residence_village",
    }


@pytest.mark.django_db(transaction=True)
def test_related_tenant_rows_share_their_province_in_the_demo():
    from demo import generator

    generator.seed("small", 3)
    assert all_mismatches() == {}


def test_the_constraints_apply_on_postgresql(world):
    """The plain-PostgreSQL part of the DDL runs on the real schema with the test world's rows
    (then is rolled back): the keys exist and the data satisfies the composite keys."""
    if connection.vendor != "postgresql":
        pytest.skip("the DDL is PostgreSQL's; this suite also runs on SQLite")
    plan = citus.citus_ddl()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in plan.constraints:
                cursor.execute(statement)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the deferred keys now
        transaction.set_rollback(True)


def test_the_command_prints_the_plan():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("citus_ddl", stdout=out)
    text = out.getvalue()
    assert "create_distributed_table('members_member', 'province_id'" in text
    assert "create_reference_table('accounts_user')" in text
    assert 'REFERENCES "organizations_organization" (province_id, "id")' in text
