"""The other workflows tell the residence side: a completed transfer and an exit end the liaison."""

import datetime as dt

from liaison.models import EndReason, LiaisonNotice, LiaisonStatus
from liaison.tests.targets import liaison_in
from lifecycle import services as lifecycle
from lifecycle.models import DecisionKind
from transfers import services as transfers
from transfers.models import LETTER_FOR_KIND, TransferKind, TransferReason


def test_an_official_transfer_ends_the_liaison_and_tells_the_residence(world):
    liaison = liaison_in(world, "K2")
    member = liaison.member
    t = transfers.start(
        member,
        kind=TransferKind.OFFICIAL,
        reason=TransferReason.RETIREMENT,
        to_org=world.org("K3"),
        trigger_date=dt.date(2025, 10, 1),
        started_on=dt.date(2025, 10, 2),
    )
    t = transfers.issue_letter(
        t,
        letter_type=LETTER_FOR_KIND[TransferKind.OFFICIAL],
        letter_no="12-GGT",
        issued_on=dt.date(2025, 10, 3),
        issued_by="Ban Tổ chức Đảng ủy",
        dues_paid_until=dt.date(2025, 9, 30),
    )
    t = transfers.receive(t, presented_on=dt.date(2025, 10, 6), received_on=dt.date(2025, 10, 6))
    transfers.complete(t, effective_on=dt.date(2025, 10, 7))
    liaison.refresh_from_db()
    assert liaison.status == LiaisonStatus.ENDED and liaison.end_reason == EndReason.RETIRED
    assert LiaisonNotice.objects.filter(liaison=liaison).exists()


def test_leaving_the_party_ends_the_liaison(world):
    liaison = liaison_in(world, "K2")
    lifecycle.record_decision(
        liaison.member,
        kind=DecisionKind.DEATH,
        decision_date=dt.date(2025, 11, 3),
        effective_date=dt.date(2025, 11, 1),
        deciding_organization=liaison.workplace_cell,
        decision_no="05-QĐ/ĐU",
        reason="Từ trần",
    )
    liaison.refresh_from_db()
    assert liaison.status == LiaisonStatus.ENDED and liaison.end_reason == EndReason.LEFT_PARTY
