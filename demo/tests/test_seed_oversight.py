"""seed_demo's meeting quality and oversight records (scale small, demo/oversight.py): rubrics,
scores, who follows which cell, visits and inspections, held to the rules of the quality and
oversight services; the demo logins have something to see."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.access import Scope
from accounts.models import Role, RoleAssignment, User
from demo import oversight as demo_oversight
from demo import structure
from meetings.models import LOCKED_STATUSES, REGULAR_KINDS, Guest, Meeting, SupervisorAssignment
from organizations.models import CELL_KINDS, Organization, OrgKind
from oversight import following
from oversight import services as visit_services
from oversight.models import (
    CrossAttendance,
    FollowUp,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    Visit,
    VisitKind,
    VisitPolicy,
    VisitStatus,
    WorkingGroup,
)
from quality import services as quality
from quality.models import (
    ConfirmerRole,
    CriterionScore,
    MeetingScore,
    QualityLevel,
    Rubric,
    RubricKind,
    ScoreStatus,
)

REF = structure.REF


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def seed(**options) -> tuple[Organization, str]:
    options = {"scale": "small", "seed": 1, **options}
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    province = Organization.objects.get(depth=1, code=structure.root_code("small", options["seed"]))
    return province, out.getvalue()


def snapshot(province) -> dict:
    """The generated rows, keyed by UUIDs, codes and usernames rather than database ids."""
    p = {"province": province}
    return {
        "rubrics": list(
            Rubric.objects.filter(**p)
            .order_by("uuid")
            .values_list("uuid", "kind", "preset", "effective_from")
        ),
        "scores": list(
            MeetingScore.objects.filter(**p)
            .order_by("uuid")
            .values_list(
                "uuid",
                "meeting__uuid",
                "self_total",
                "self_level",
                "confirmed_total",
                "confirmed_by__username",
                "confirmed_on",
                "confirm_note",
                "final_level",
            )
        ),
        "lines": sorted(
            CriterionScore.objects.filter(**p).values_list(
                "score__uuid", "criterion__text", "auto_points", "auto_reason", "self_points"
            )
        ),
        "followers": sorted(
            SupervisorAssignment.objects.filter(**p).values_list(
                "user__username", "organization__code", "valid_from", "valid_to"
            )
        ),
        "visits": list(
            Visit.objects.filter(**p)
            .order_by("uuid")
            .values_list(
                "uuid",
                "cell__code",
                "meeting__uuid",
                "visitor__username",
                "kind",
                "status",
                "planned_on",
                "observed_total",
                "observed_level",
                "strengths",
                "shortcomings",
                "recommendations",
                "reported_on",
            )
        ),
        "inspections": list(
            Inspection.objects.filter(**p)
            .order_by("uuid")
            .values_list("uuid", "subject_org__code", "topic", "status", "conclusion")
        ),
        "follow_ups": sorted(
            FollowUp.objects.filter(**p).values_list(
                "inspection__uuid", "text", "due_on", "done_on"
            )
        ),
    }


def test_the_same_seed_gives_the_same_records_and_reset_replaces_them_without_history(db):
    province, _out = seed()
    first = snapshot(province)
    assert all(first.values()), {k: len(v) for k, v in first.items()}
    old = province.pk
    province, _out = seed(reset=True)
    assert snapshot(province) == first
    for model in demo_oversight.PURGE_TABLES:
        assert not model.objects.filter(province_id=old).exists(), model.__name__
        if hasattr(model, "history"):
            assert not model.history.exists(), model.__name__
    assert not RoleAssignment.history.filter(user__username__startswith="demo-small-1.").exists()
    other, _out = seed(seed=2)
    assert snapshot(other)["visits"] != first["visits"]


def test_rubrics_followers_groups_and_the_visit_rule_are_in_place(db):
    province, _out = seed()
    installed = set(
        Rubric.objects.filter(province=province).values_list("preset", "kind", "effective_from")
    )
    assert installed == {
        (preset, kind, day) for preset, day in demo_oversight.RUBRICS for kind in RubricKind.values
    }
    in_force = quality.rubric_in_force(province.pk, RubricKind.REGULAR, dt.date(2025, 10, 1))
    assert in_force.preset == "provincial_100"
    assert quality.rubric_in_force(province.pk, RubricKind.REGULAR, dt.date(2024, 6, 1)).preset == (
        "hd12_2018"
    )
    assert VisitPolicy.objects.get(province=province).organization == province
    cells = Organization.objects.filter(
        province=province, kind__in=CELL_KINDS, dissolved_on__isnull=True
    )
    grouped = set(
        WorkingGroup.cells.through.objects.filter(workinggroup__province=province).values_list(
            "organization_id", flat=True
        )
    )
    for cell in cells:
        communal = Organization.objects.get(path=cell.path[:8]).kind == OrgKind.GRASSROOTS_COMMITTEE
        for day in (dt.date(2025, 1, 1), dt.date(2025, 7, 1), REF):
            followers = list(
                SupervisorAssignment.objects.filter(following.in_force_q(day), organization=cell)
            )
            if communal:
                assert len(followers) == 1, (cell.name, day)
                # Assigned members hold a role on a committee above the cell.
                assert following.ways(followers[0].user, cell, day)[0].kind == VisitKind.SUPERVISOR
        if not communal:
            assert cell.pk in grouped, cell.name
    for group in WorkingGroup.objects.filter(province=province):
        eligible = set(
            following.group_member_roles(group.organization).values_list("user_id", flat=True)
        )
        assert set(group.members.values_list("pk", flat=True)) <= eligible
    for pair in CrossAttendance.objects.filter(province=province).select_related("visitor"):
        assert RoleAssignment.objects.filter(
            user=pair.visitor, organization=pair.from_cell, role__in=(Role.SECRETARY, Role.DEPUTY)
        ).exists()
        assert following.ways(pair.visitor, pair.cell, REF)[0].kind == VisitKind.CROSS


def test_every_q4_regular_meeting_with_approved_minutes_has_a_consistent_score(db):
    province, _out = seed()
    meetings = Meeting.objects.filter(
        province=province,
        period_year=2025,
        period_month__gte=10,
        kind__in=REGULAR_KINDS,
        status__in=LOCKED_STATUSES,
    )
    scores = {
        s.meeting_id: s
        for s in MeetingScore.objects.filter(province=province).select_related("meeting")
    }
    assert set(scores) == set(meetings.values_list("pk", flat=True))
    rubric = quality.with_sheet(
        Rubric.objects.filter(province=province, preset="provincial_100", kind="regular")
    ).get()
    lines = {}
    for line in CriterionScore.objects.filter(province=province):
        lines.setdefault(line.score_id, {})[line.criterion_id] = line
    for score in scores.values():
        m = score.meeting
        assert (score.organization_id, score.period_year, score.period_month) == (
            m.organization_id,
            m.period_year,
            m.period_month,
        )
        assert score.rubric_id == rubric.pk
        assert set(lines[score.pk]) == {c.pk for c in rubric.all_criteria()}
        column = {cid: line.self_points for cid, line in lines[score.pk].items()}
        assert quality.totals(rubric, column) == (score.self_total, score.self_level)
        assert score.self_on == m.local_date
        if score.status == ScoreStatus.CONFIRMED:
            column = {cid: line.confirmed_points for cid, line in lines[score.pk].items()}
            assert quality.totals(rubric, column) == (score.confirmed_total, score.confirmed_level)
            assert score.final_level == score.confirmed_level
            assert m.local_date <= score.confirmed_on <= REF
        else:
            assert score.final_level == score.self_level
            assert score.confirmed_total is None and not score.confirmed_by_id


def test_automatic_lines_replay_through_evaluate_auto(db):
    province, _out = seed()
    scores = MeetingScore.objects.filter(province=province).select_related("meeting", "rubric")
    assert scores.count() >= 10
    for score in scores:
        rubric = quality.with_sheet(Rubric.objects.filter(pk=score.rubric_id)).get()
        seeded = {
            line.criterion_id: (line.auto_points, line.auto_reason)
            for line in score.lines.filter(auto_points__isnull=False)
        }
        assert quality.evaluate_auto(score.meeting, rubric) == seeded
        for line in score.lines.filter(auto_points__isnull=False):
            assert line.self_points == line.auto_points  # the cell cannot change them


def test_confirmations_come_from_whom_may_confirm(db):
    province, _out = seed()
    confirmed = MeetingScore.objects.filter(
        province=province, status=ScoreStatus.CONFIRMED
    ).select_related("meeting__organization", "confirmed_by")
    total = MeetingScore.objects.filter(province=province).count()
    assert 0.4 * total <= confirmed.count() <= 0.8 * total
    for score in confirmed:
        user = score.confirmed_by
        assert (
            quality.may_confirm(Scope.for_user(user), user, score.meeting) == score.confirmer_role
        )
    levels = Counter(
        MeetingScore.objects.filter(province=province).values_list("final_level", flat=True)
    )
    assert levels[QualityLevel.GOOD] and levels[QualityLevel.FAIR]
    assert levels[QualityLevel.WEAK] <= 1


def test_visits_are_tied_to_meetings_of_their_cell_and_follow_the_visit_rules(db):
    province, _out = seed()
    visits = Visit.objects.filter(province=province).select_related(
        "meeting__quality", "cell", "visitor"
    )
    statuses = Counter(v.status for v in visits)
    assert statuses[VisitStatus.REPORTED] and statuses[VisitStatus.PLANNED]
    guests = set(Guest.objects.filter(province=province).values_list("meeting_id", "name"))
    for v in visits:
        assert v.meeting.organization_id == v.cell_id
        assert v.planned_on == v.meeting.local_date
        kinds = {w.kind for w in following.ways(v.visitor, v.cell, v.planned_on)}
        assert v.kind in kinds, (v.visitor.username, v.cell.name, v.planned_on)
        if v.status == VisitStatus.PLANNED:
            assert v.planned_on >= timezone.localdate() and v.meeting.status == "planned"
            continue
        assert v.planned_on <= REF
        if v.status == VisitStatus.CANCELLED:
            assert v.cancel_reason and not v.reported_on
            continue
        assert v.planned_on <= v.reported_on <= REF
        assert v.strengths and v.shortcomings and v.recommendations
        assert (v.meeting_id, v.visitor.get_full_name()) in guests
        rubric = visit_services.rubric_for(v)
        if rubric is not None:
            visit_services.check_report(
                v,
                reported_on=v.reported_on,
                total=v.observed_total,
                level=v.observed_level,
                rubric=rubric,
            )
        score = getattr(v.meeting, "quality", None)
        if score is not None and score.confirmed_by_id == v.visitor_id:
            assert (v.observed_total, v.observed_level) == (
                score.confirmed_total,
                score.confirmed_level,
            )
    cells = Organization.objects.filter(
        province=province, kind__in=CELL_KINDS, dissolved_on__isnull=True
    ).count()
    for q in (1, 2, 3, 4):
        visited = visit_services.visits_in_quarter(province, 2025, q)
        assert len(visited) >= 0.6 * cells, q


def test_each_commune_has_its_inspection_programme_with_conclusions_and_follow_ups(db):
    province, _out = seed()
    communes = Organization.objects.filter(
        province=province, depth=2, kind=OrgKind.GRASSROOTS_COMMITTEE
    )
    for commune in communes:
        plan = InspectionPlan.objects.get(organization=commune, year=2025)
        inspections = list(plan.inspections.all())
        assert 2 <= len(inspections) <= 4
        for i in inspections:
            assert i.organization == commune and i.subject_org.path.startswith(commune.path)
            assert i.subject_org.pk != commune.pk
            if i.subject_member_id:
                assert i.subject_member.organization_id == i.subject_org_id
            if i.status == InspectionStatus.CONCLUDED:
                assert i.started_on <= i.concluded_on <= REF and i.conclusion_no and i.conclusion
            for f in i.follow_ups.all():
                assert i.status == InspectionStatus.CONCLUDED and f.due_on >= i.concluded_on
                if f.done_on:
                    assert i.concluded_on <= f.done_on <= REF and f.result
    follow_ups = FollowUp.objects.filter(province=province)
    assert follow_ups.overdue(REF).exists()
    assert follow_ups.filter(done_on__isnull=False).exists()
    assert Inspection.objects.filter(province=province, violation_found=True).exists()


def test_the_demo_logins_have_scores_visits_and_a_board_to_see(
    db, client, django_assert_num_queries
):
    province, _out = seed()
    bithu = User.objects.get(username="bithu")
    supervisor = User.objects.get(username="xa.uyvien")
    staff = User.objects.get(username="xa.tochuc")
    cell = bithu.member.organization
    commune = Organization.objects.get(path=cell.path[:8])
    # xa.uyvien follows the demo cell since the reform, has visited it and will again.
    assert SupervisorAssignment.objects.filter(
        following.in_force_q(REF), user=supervisor, organization=cell
    ).exists()
    visits = Visit.objects.filter(visitor=supervisor)
    assert visits.filter(status=VisitStatus.REPORTED, cell=cell).exists()
    assert visits.filter(status=VisitStatus.PLANNED).exists()
    # bithu self-scored the cell's meetings; the last one waits for the level above.
    scores = list(MeetingScore.objects.filter(organization=cell).order_by("meeting__scheduled_at"))
    assert scores and all(s.self_by == bithu for s in scores)
    last = scores[-1]
    assert last.status == ScoreStatus.SELF_SCORED
    assert quality.may_confirm(Scope.for_user(supervisor), supervisor, last.meeting) == (
        ConfirmerRole.SUPERVISOR
    )
    assert CrossAttendance.objects.filter(visitor=bithu).exists()
    client.force_login(supervisor)
    assert client.get(reverse("oversight:schedule")).status_code == 200
    page = client.get(reverse("quality:score", args=[last.meeting.uuid]))
    assert page.status_code == 200
    client.force_login(staff)
    url = reverse("oversight:board", args=[commune.uuid])
    for month in (10, 12):
        with django_assert_num_queries(BOARD_QUERIES):
            page = client.get(f"{url}?year=2025&month={month}")
        assert page.status_code == 200
    assert cell.name in page.content.decode()


# As oversight/tests/test_board.py: session, user, scope, the committee, cells, parents,
# meetings, visits_due (4), planned visits, scores, reminders, the breadcrumbs' ancestors.
BOARD_QUERIES = 15


def test_the_summary_prints_the_counts(db, english):
    province, out = seed()
    c = demo_oversight.count_rows(province)
    assert c["scores"] and c["visits_reported"] and c["inspections"]
    assert (
        f"Meeting quality and oversight: {c['scores']} meetings of Q4 scored "
        f"({c['scores_good']} good, {c['scores_fair']} fair, {c['scores_average']} average, "
        f"{c['scores_weak']} weak; {c['scores_confirmed']} confirmed by the level above)"
    ) in out
    assert (
        c["visits_reported"]
        == Visit.objects.filter(province=province, status=VisitStatus.REPORTED).count()
    )
