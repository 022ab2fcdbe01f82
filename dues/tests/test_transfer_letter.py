"""A transfer's letter form starts from "dues paid up to" as the cell recorded it."""

import datetime as dt

from dues.tests.helpers import pay
from transfers.tests.factories import NAM, started


def _letter_form(client, transfer):
    return client.get(transfer.get_absolute_url()).content.decode()


def test_the_letter_form_proposes_the_month_dues_are_paid_up_to(login, world):
    nam = world.member(*NAM)
    for m in (10, 11, 12):
        pay(nam, dt.date(2025, m, 1))
    pay(nam, dt.date(2026, 2, 1))  # January missing: paid up to December
    transfer = started(world)
    body = _letter_form(login("staff_c1"), transfer)
    assert 'name="dues_paid_until" value="12/2025"' in body


def test_without_dues_records_the_box_stays_empty(login, world):
    body = _letter_form(login("staff_c1"), started(world))
    assert 'name="dues_paid_until"' in body
    assert 'name="dues_paid_until" value=' not in body
