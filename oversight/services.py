"""Visits to cells by the levels above (dự sinh hoạt chi bộ; brief §2.8, seed 001).

The visit rule: each cell below a committee is visited at least N times a quarter (VisitPolicy;
1 when no rule is set). Only *reported* visits count, by the date of the visit (planned_on): a
visit planned but never reported, or cancelled, did not happen as far as the rule is concerned.

The compliance board and the monthly report call `visits_in_quarter`, `visits_required` and
`visits_due`; keep their signatures.

The life of a visit: `plan_visit` (on the visitor's schedule, usually to one meeting),
`report_visit` (observed score and level, strengths, shortcomings, recommendations),
`cancel_visit` (with a reason). Each validates everything first, raises ValidationError with a
message a user can act on, writes in one transaction, then tells the people concerned
(oversight/notify.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.text import vn_date
from meetings.models import Guest, Meeting, MeetingKind, MeetingStatus
from organizations.models import Organization, subtree_q
from oversight import following, notify
from oversight.models import Visit, VisitKind, VisitPolicy, VisitStatus
from quality import services as quality_services
from quality.models import QualityLevel, RubricKind
from reports import summary as summaries

DEFAULT_VISITS_PER_QUARTER = 1

# Meetings a visit may attend: the cell's own meetings with its members (not the cell
# committee's preparatory meeting).
VISITABLE_KINDS = (
    MeetingKind.REGULAR,
    MeetingKind.THEMATIC,
    MeetingKind.COMBINED,
    MeetingKind.EXTRAORDINARY,
    MeetingKind.LIAISON,
    MeetingKind.YEAR_END,
)


# ---- quarters ---------------------------------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter (1–4)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(quarter)
    first = dt.date(year, 3 * quarter - 2, 1)
    last = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, last - dt.timedelta(days=1)


# ---- the visit rule ---------------------------------------------------------------------------


def _ancestor_paths(org: Organization) -> list[str]:
    """Paths of the organization and every organization above it."""
    step = Organization.steplen
    return [org.path[:end] for end in range(step, len(org.path) + 1, step)]


def _policies_above(paths: list[str], on: dt.date) -> dict[str, int]:
    """path → visits per quarter of the rule in force on `on` set by that organization."""
    rows = (
        VisitPolicy.objects.filter(organization__path__in=paths, effective_from__lte=on)
        .order_by("organization__path", "-effective_from")
        .values_list("organization__path", "visits_per_quarter")
    )
    out: dict[str, int] = {}
    for path, n in rows:
        out.setdefault(path, n)  # the latest rule of each organization
    return out


def _nearest(path: str, rules: dict[str, int]) -> int:
    """The rule of the nearest organization at or above `path`, else the default."""
    step = Organization.steplen
    for end in range(len(path), 0, -step):
        if path[:end] in rules:
            return rules[path[:end]]
    return DEFAULT_VISITS_PER_QUARTER


def visits_required(org: Organization, on: dt.date) -> int:
    """Visits each cell must have per quarter under `org` on `on`: the rule in force of `org`,
    else of the nearest committee above it (a province's rule holds for its communes until they
    set their own), else 1. One query."""
    paths = _ancestor_paths(org)
    return _nearest(org.path, _policies_above(paths, on))


def policy_in_force(org: Organization, on: dt.date) -> VisitPolicy | None:
    """The rule `org` itself set that is in force on `on` (None: it follows the level above)."""
    return org.visit_policies.filter(effective_from__lte=on).order_by("-effective_from").first()


def reported_visits(org: Organization, first: dt.date, last: dt.date):
    """Reported visits to cells in `org`'s subtree (or to `org` itself) dated first..last."""
    return Visit.objects.filter(
        subtree_q(org.path, "cell__"),
        province_id=org.province_id or org.pk,
        status=VisitStatus.REPORTED,
        planned_on__gte=first,
        planned_on__lte=last,
    )


def visits_in_quarter(org: Organization, year: int, quarter: int) -> dict[int, int]:
    """cell id → reported visits dated in the quarter, for the cells in `org`'s subtree; cells
    without any are absent (use .get(cell_id, 0)). One grouped query."""
    first, last = quarter_bounds(year, quarter)
    rows = (
        reported_visits(org, first, last)
        .values("cell_id")
        .annotate(n=Count("pk"))
        .values_list("cell_id", "n")
    )
    return dict(rows)


@dataclass
class CellDue:
    cell: Organization
    required: int
    done: int

    @property
    def missing(self) -> int:
        return max(0, self.required - self.done)


def visits_due(committee: Organization, year: int, quarter: int) -> list[CellDue]:
    """Per active cell below the committee (or the cell itself): visits required this quarter,
    reported visits, and how many are missing. Each cell's requirement is the rule of the
    nearest organization above it, in force on the quarter's last day (a rule adopted during
    the quarter already applies). Four queries: cells, rules above and below, counts."""
    first, last = quarter_bounds(year, quarter)
    cells = list(following.cells_below(committee, first, include_self=True))
    paths = set(_ancestor_paths(committee))
    rules = _policies_above(list(paths), last)
    # Rules set by committees between `committee` and its cells.
    below = (
        VisitPolicy.objects.filter(
            subtree_q(committee.path, "organization__"), effective_from__lte=last
        )
        .exclude(organization_id=committee.pk)
        .order_by("organization__path", "-effective_from")
        .values_list("organization__path", "visits_per_quarter")
    )
    for path, n in below:
        rules.setdefault(path, n)
    done = visits_in_quarter(committee, year, quarter)
    return [CellDue(c, _nearest(c.path, rules), done.get(c.pk, 0)) for c in cells]


def set_policy(
    committee: Organization, visits_per_quarter: int, effective_from: dt.date, *, by=None
) -> VisitPolicy:
    """The committee's visit rule from a date (replacing a rule set for the same date)."""
    if committee.is_cell:
        raise ValidationError(_("A visit rule is set by a committee, not by a cell."))
    if not committee.is_active:
        raise ValidationError(_("%(name)s has been dissolved.") % {"name": committee.name})
    if not 1 <= int(visits_per_quarter) <= 12:
        raise ValidationError(
            {"visits_per_quarter": _("Enter a number of visits between 1 and 12.")}
        )
    policy = committee.visit_policies.filter(effective_from=effective_from).first()
    if policy is None:
        policy = VisitPolicy(
            province_id=committee.province_id or committee.pk,
            organization=committee,
            effective_from=effective_from,
        )
    policy.visits_per_quarter = visits_per_quarter
    if by is not None:
        policy._history_user = by
    policy.save()
    return policy


# ---- the life of a visit ----------------------------------------------------------------------


def rubric_kind(meeting: Meeting | None) -> str | None:
    """The rubric kind judging a meeting (the quality part's rule); a visit without a meeting
    is judged as a regular one."""
    if meeting is None:
        return RubricKind.REGULAR
    return quality_services.rubric_kind_for(meeting)


def rubric_for(visit: Visit, on: dt.date | None = None):
    """The quality rubric for the visited meeting: its score's version if the cell scored it,
    else the one in force on its date (None: none in force, or the meeting kind is not scored)."""
    if visit.meeting_id:
        score = getattr(visit.meeting, "quality", None)
        return quality_services.rubric_for(visit.meeting, score)
    kind = rubric_kind(None)
    return quality_services.rubric_in_force(visit.province_id, kind, on or visit.planned_on)


def _check_meeting(cell: Organization, meeting: Meeting | None):
    if meeting is None:
        return
    if meeting.organization_id != cell.pk:
        raise ValidationError({"meeting": _("This meeting is not one of the cell's.")})
    if meeting.kind not in VISITABLE_KINDS:
        raise ValidationError(
            {"meeting": _("A cell-committee meeting is not attended by the level above.")}
        )
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED):
        raise ValidationError({"meeting": _("This meeting was cancelled or postponed.")})


@transaction.atomic
def plan_visit(
    cell: Organization,
    visitor,
    *,
    meeting: Meeting | None = None,
    planned_on: dt.date | None = None,
    kind: str | None = None,
    by=None,
    send: bool = True,
) -> Visit:
    """`visitor` plans to attend `cell` (its `meeting`, or on `planned_on`).

    The visitor must follow the cell on that day (an assignment, a working group, a
    cross-attendance) or hold a role in a committee above it (an "other upper-level cadre"
    visit). `kind` defaults to how they follow it. One open visit per visitor and meeting.
    """
    if not cell.is_cell:
        raise ValidationError(_("%(name)s is not a cell.") % {"name": cell.name})
    _check_meeting(cell, meeting)
    if meeting is not None:
        planned_on = meeting.local_date
    if planned_on is None:
        raise ValidationError({"planned_on": _("Give the date of the visit.")})
    if not cell.is_active or (cell.dissolved_on and planned_on >= cell.dissolved_on):
        raise ValidationError(_("%(name)s has been dissolved.") % {"name": cell.name})
    ways = following.ways(visitor, cell, planned_on)
    if not ways:
        raise ValidationError(
            _(
                "Only someone who follows the cell (assigned, in a working group, or attending "
                "by exchange) or holds a role in a committee above it can plan a visit."
            )
        )
    if kind is None:
        kind = ways[0].kind
    elif kind not in {w.kind for w in ways}:
        raise ValidationError({"kind": _("You do not follow this cell in that way.")})
    if meeting is not None:
        Meeting.objects.select_for_update(of=("self",)).filter(pk=meeting.pk).exists()
        if (
            Visit.objects.filter(meeting=meeting, visitor=visitor)
            .exclude(status=VisitStatus.CANCELLED)
            .exists()
        ):
            raise ValidationError(_("You are already registered for this meeting."))
    group = next((w.group for w in ways if w.kind == kind and w.group is not None), None)
    visit = Visit(
        province_id=cell.province_id,
        cell=cell,
        meeting=meeting,
        visitor=visitor,
        kind=kind,
        group=group,
        planned_on=planned_on,
        created_by=by or visitor,
    )
    visit._history_user = by or visitor
    visit.save()
    if send:
        transaction.on_commit(lambda: notify.visit_planned(visit))
    return visit


def levels_consistent(rubric, total: Decimal, level: str) -> bool:
    """Does the observed level agree with the observed total under the rubric? The top level
    may drop to fair when a criterion needing full marks missed some (Rubric.level_for)."""
    computed = rubric.level_for(total, True)
    if level == computed:
        return True
    return computed == QualityLevel.GOOD and level == QualityLevel.FAIR


def check_report(visit: Visit, *, reported_on, total, level, today=None, rubric=None) -> None:
    """The checks of a report, without writing (the form and the API show them per field)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    not_before = visit.meeting.local_date if visit.meeting_id else visit.planned_on
    if reported_on is None:
        errors["reported_on"] = _("Give the date of the report.")
    elif reported_on < not_before:
        errors["reported_on"] = _("The report cannot be dated before the visit (%(date)s).") % {
            "date": vn_date(not_before)
        }
    elif reported_on > today:
        errors["reported_on"] = _("The report cannot be dated in the future.")
    if visit.meeting_id and visit.meeting.local_date > today:
        errors["reported_on"] = _("The meeting has not taken place yet (%(date)s).") % {
            "date": vn_date(visit.meeting.local_date)
        }
    if total is not None:
        top = rubric.max_total if rubric is not None else Decimal(100)
        if total < 0 or (top and total > top):
            errors["observed_total"] = _("Enter a score between 0 and %(max)s.") % {
                "max": f"{top:g}"
            }
        elif rubric is not None and level and not levels_consistent(rubric, total, level):
            errors["observed_level"] = _(
                "A score of %(total)s is “%(level)s” under %(rubric)s: correct the score or the level."
            ) % {
                "total": f"{total:g}",
                "level": QualityLevel(rubric.level_for(total, True)).label,
                "rubric": rubric.name,
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_visit(
    visit: Visit,
    *,
    reported_on: dt.date,
    observed_total: Decimal | None = None,
    observed_level: str = "",
    strengths: str = "",
    shortcomings: str = "",
    recommendations: str = "",
    by=None,
    send: bool = True,
) -> Visit:
    """The visitor's report. A planned visit becomes reported; a reported one may be corrected
    (kept in its history). The visitor is recorded as a guest from the level above on the
    meeting, unless its minutes are already approved (they are locked)."""
    visit = Visit.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=visit.pk)
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("This visit was cancelled."))
    if observed_level and observed_level not in QualityLevel.values:
        raise ValidationError({"observed_level": _("Choose one of the four levels.")})
    rubric = rubric_for(visit, reported_on)
    if observed_total is not None and not observed_level and rubric is not None:
        observed_level = rubric.level_for(observed_total, True)
    check_report(
        visit, reported_on=reported_on, total=observed_total, level=observed_level, rubric=rubric
    )
    if not (strengths.strip() or shortcomings.strip() or recommendations.strip() or observed_level):
        raise ValidationError(
            _("Write what you found: strengths, shortcomings, recommendations or the level.")
        )
    first_report = visit.status == VisitStatus.PLANNED
    visit.status = VisitStatus.REPORTED
    visit.reported_on = reported_on
    visit.observed_total = observed_total
    visit.observed_level = observed_level
    visit.strengths = strengths.strip()
    visit.shortcomings = shortcomings.strip()
    visit.recommendations = recommendations.strip()
    visit._history_user = by or visit.visitor
    visit.save()
    _add_supervisor_guest(visit)
    summaries.recompute_for_visit(visit)  # the summary row, in this transaction
    if send and first_report:
        transaction.on_commit(lambda: notify.visit_reported(visit))
    return visit


def _add_supervisor_guest(visit: Visit) -> Guest | None:
    meeting = visit.meeting
    if meeting is None or meeting.is_locked:
        return None
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED):
        return None
    name = visit.visitor.display_name()[:120]
    guest = meeting.guests.filter(name=name).first()
    if guest is not None:
        if not guest.is_supervisor:
            guest.is_supervisor = True
            guest.save(update_fields=["is_supervisor"])
        return guest
    return Guest.objects.create(
        province_id=meeting.province_id,
        meeting=meeting,
        name=name,
        title=str(VisitKind(visit.kind).label)[:200],
        is_supervisor=True,
    )


@transaction.atomic
def cancel_visit(visit: Visit, *, reason: str, by=None, send: bool = True) -> Visit:
    """Cancel a planned visit, with the reason (a reported visit stays: it happened)."""
    visit = Visit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(_("Only a planned visit can be cancelled."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    visit.status = VisitStatus.CANCELLED
    visit.cancel_reason = reason[:300]
    visit._history_user = by
    visit.save()
    summaries.recompute_for_visit(visit)  # the summary row, in this transaction
    if send:
        transaction.on_commit(lambda: notify.visit_cancelled(visit))
    return visit
