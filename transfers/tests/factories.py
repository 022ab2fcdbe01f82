"""Transfers at a given step, for the tests (plain functions, dates in the past)."""

import datetime as dt

from transfers import services
from transfers.models import LetterType, TransferKind, TransferReason

NAM = ("Lê Văn Nam", "K1")  # home in K1 since 01/06/2025
TRIGGER = dt.date(2026, 1, 5)  # a Monday; the 60 working days run across Tết 2026
STARTED = dt.date(2026, 1, 12)
ISSUED = dt.date(2026, 2, 2)  # a Monday; the 30 working days run across Tết 2026
PRESENTED = dt.date(2026, 2, 10)
RECEIVED = dt.date(2026, 2, 11)
EFFECTIVE = dt.date(2026, 3, 1)


def started(world, to="K2", who=NAM, kind=TransferKind.OFFICIAL, **kwargs):
    member = world.member(*who)
    kwargs.setdefault(
        "reason", TransferReason.JOB if kind == TransferKind.OFFICIAL else TransferReason.RESIDENCE
    )
    kwargs.setdefault("trigger_date", TRIGGER)
    kwargs.setdefault("started_on", STARTED)
    if kind == TransferKind.TEMPORARY:
        kwargs.setdefault("end_date", dt.date(2026, 7, 5))
    if to is None:
        kwargs.setdefault("to_org_name", "Chi bộ thôn Bắc, Đảng bộ xã Tân Phú, tỉnh Khác")
    return services.start(member, kind=kind, to_org=world.org(to) if to else None, **kwargs)


def issued(world, **kwargs):
    transfer = kwargs.pop("transfer", None) or started(world, **kwargs)
    return services.issue_letter(
        transfer,
        letter_type=LetterType.OTHER,
        letter_no="15",
        register_no="0042",
        issued_on=ISSUED,
        issued_by="Ban Tổ chức Đảng ủy xã An Bình",
        dues_paid_until=dt.date(2026, 1, 1),
    )


def received(world, **kwargs):
    transfer = issued(world, **kwargs)
    return services.receive(transfer, presented_on=PRESENTED, received_on=RECEIVED)
