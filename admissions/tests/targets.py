"""Candidates at a given stage in a cell of the test world, driven through the services.

Used by the admissions tests and the authorization matrix. The timeline is in 2023–2024, so
every date, the 12 months of probation included, is in the past.
"""

import datetime as dt

from admissions import services
from admissions.models import Candidate, Stage
from members.models import Member, MemberStatus, Person

D = dt.date
LISTED = D(2023, 3, 6)
SYMPATHIZER = D(2023, 3, 20)
CERTIFICATE = D(2023, 5, 15)
APPLIED = D(2023, 6, 1)
HISTORY = D(2023, 6, 5)
CHECKED = D(2023, 8, 1)
VOTED = D(2023, 8, 10)
DECIDED = D(2023, 8, 21)
RECEIVED = D(2023, 8, 25)
CEREMONY = D(2023, 9, 5)
PROBATION_END = D(2024, 9, 5)
RECOGNITION_VOTE = D(2024, 9, 10)
RECOGNITION_DECISION = D(2024, 9, 20)

ORDER = [
    Stage.LISTED,
    Stage.SYMPATHIZER,
    Stage.TRAINED,
    Stage.DOSSIER,
    Stage.CHECKED,
    Stage.VOTED,
    Stage.DECIDED,
    Stage.PROBATION,
    Stage.RECOGNITION_VOTED,
    Stage.OFFICIAL,
]


def official_members(cell) -> list[Member]:
    return list(
        Member.objects.filter(organization=cell, status=MemberStatus.OFFICIAL)
        .select_related("person", "organization")
        .order_by("pk")
    )


def new_candidate(cell, name="Đỗ Minh Khôi", **person) -> Candidate:
    person.setdefault("sex", "M")
    person.setdefault("birth_date", D(2000, 1, 15))
    return services.create_candidate(
        person=Person(full_name=name, **person),
        organization=cell,
        listed_on=LISTED,
        recommended_by="Chi đoàn thôn",
    )


def advance(candidate: Candidate, to: Stage, seq: int = 1) -> Candidate:
    """Take `candidate` through the ordinary steps up to stage `to`."""
    cell = candidate.organization
    official = official_members(cell)
    n = len(official)
    steps = {
        Stage.SYMPATHIZER: lambda c: services.make_sympathizer(
            c, resolution_no="05-NQ/CB", on=SYMPATHIZER, helper=official[0]
        ),
        Stage.TRAINED: lambda c: services.record_certificate(
            c, number="123/GCN", on=CERTIFICATE, issuer="Trung tâm chính trị"
        ),
        # The Youth Union and one member introduce: every test cell has one official member.
        Stage.DOSSIER: lambda c: services.record_dossier(
            c,
            applied_on=APPLIED,
            personal_history_on=HISTORY,
            introducers=[(official[0], D(2020, 1, 1))],
            union_introduction="youth_union",
            union_introduction_on=APPLIED,
        ),
        Stage.CHECKED: lambda c: services.record_background_check(c, on=CHECKED, by="Đảng ủy xã"),
        Stage.VOTED: lambda c: services.record_admission_vote(c, on=VOTED, votes_for=n, eligible=n),
        Stage.DECIDED: lambda c: services.record_admission_decision(
            c, number="45-QĐ/ĐU", on=DECIDED, by="Ban Thường vụ Đảng ủy", received_on=RECEIVED
        ),
        Stage.PROBATION: lambda c: services.record_ceremony(
            c, on=CEREMONY, dossier_no=f"{900000 + seq:06d}TN"
        ),
        Stage.RECOGNITION_VOTED: lambda c: services.record_recognition_vote(
            c, on=RECOGNITION_VOTE, votes_for=n, eligible=n
        ),
        Stage.OFFICIAL: lambda c: services.record_recognition_decision(
            c, number="78-QĐ/ĐU", on=RECOGNITION_DECISION, by="Ban Thường vụ Đảng ủy"
        ),
    }
    for stage in ORDER[ORDER.index(candidate.stage) + 1 : ORDER.index(to) + 1]:
        steps[stage](candidate)
        candidate.refresh_from_db()
    return candidate


def candidate_in(world, cell_code: str, stage: Stage = Stage.CHECKED) -> Candidate:
    """The matrix's candidate in a cell (created once per test), at `stage`."""
    cell = world.org(cell_code)
    existing = Candidate.objects.filter(organization=cell, person__full_name="Ứng Viên Mẫu").first()
    if existing:
        return existing
    return advance(new_candidate(cell, name="Ứng Viên Mẫu"), stage)
