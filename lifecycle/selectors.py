"""Read-side helpers: party age, badges due at an award date, members to consider for strike-off.

Each list is one query (two for strike-off: absences and dues) over an organization's
subtree, whatever its size, classified in Python.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from dues.selectors import unpaid_dues
from lifecycle.models import (
    AWARD_DAYS,
    BADGE_YEARS,
    BadgeAward,
    Ground,
    PartyAgeInterruption,
    add_years,
)
from meetings.models import LOCKED_STATUSES, REGULAR_KINDS, Attendance, AttendanceStatus
from members.models import ACTIVE_STATUSES, Member, years_between
from organizations.models import Organization, subtree_q

# Strike-off trigger (QĐ 29/24 §8.1, brief §5.5, §12): activities missed, or dues not paid,
# without a valid reason in this many months of one calendar year.
STRIKE_OFF_MONTHS = 3


# ---- party age and badges -------------------------------------------------------------


def award_dates_from(day: dt.date, count: int = 4) -> list[dt.date]:
    """The next `count` award occasions (3/2, 19/5, 2/9, 7/11) on or after `day`."""
    out = []
    year = day.year
    while len(out) < count:
        out.extend(
            d for m, dd in AWARD_DAYS if (d := dt.date(year, m, dd)) >= day and len(out) < count
        )
        year += 1
    return out[:count]


def next_award_date(day: dt.date) -> dt.date:
    return award_dates_from(day, 1)[0]


def badge_reached_on(start: dt.date, years: int, interrupted_days: int = 0) -> dt.date:
    """The day party age reaches `years`: the anniversary of the admission decision, later by
    the days of any interruption (which do not count towards party age)."""
    return add_years(start, years) + dt.timedelta(days=interrupted_days)


def party_age(start: dt.date, interrupted_days: int, on: dt.date) -> int:
    """Full years of party age on a day."""
    return max(0, years_between(start + dt.timedelta(days=interrupted_days), on))


def highest_badge(start: dt.date, interrupted_days: int, on: dt.date) -> int | None:
    """The highest badge level reached on a day, or None."""
    reached = [y for y in BADGE_YEARS if badge_reached_on(start, y, interrupted_days) <= on]
    return reached[-1] if reached else None


@dataclass
class BadgeDue:
    member: Member
    badge: int
    reached_on: dt.date
    party_age: int
    last_awarded: int
    interrupted_days: int


def badges_due(org: Organization, on: dt.date) -> list[BadgeDue]:
    """Members of the organization's subtree due a badge at the award date `on`: the highest
    level their party age has reached by then, when it is above every badge they were awarded.

    One query: the member with their person and cell, the days of interruption and the highest
    badge awarded as subqueries; only members admitted at least 30 years before `on`.
    """
    interrupted = (
        PartyAgeInterruption.objects.filter(member=OuterRef("pk"))
        .values("member")
        .annotate(s=Sum("days"))
        .values("s")
    )
    awarded = (
        BadgeAward.objects.filter(member=OuterRef("pk"))
        .values("member")
        .annotate(m=Max("years"))
        .values("m")
    )
    members = (
        Member.objects.filter(subtree_q(org.path, "organization__"), status__in=ACTIVE_STATUSES)
        .annotate(
            age_start=Coalesce("admission_decision_date", "ceremony_date"),
            interrupted=Coalesce(Subquery(interrupted), Value(0), output_field=IntegerField()),
            awarded=Coalesce(Subquery(awarded), Value(0), output_field=IntegerField()),
        )
        .filter(age_start__lte=add_years(on, -BADGE_YEARS[0]))
        .select_related("person", "organization")
        .order_by("organization__path", "person__sort_key")
    )
    out = []
    for m in members:
        badge = highest_badge(m.age_start, m.interrupted, on)
        if badge and badge > m.awarded:
            out.append(
                BadgeDue(
                    member=m,
                    badge=badge,
                    reached_on=badge_reached_on(m.age_start, badge, m.interrupted),
                    party_age=party_age(m.age_start, m.interrupted, on),
                    last_awarded=m.awarded,
                    interrupted_days=m.interrupted,
                )
            )
    return out


# ---- strike-off trigger ---------------------------------------------------------------


@dataclass
class StrikeOffFlag:
    member_uuid: str
    name: str
    cell: str
    status: str
    sort_key: tuple = ()
    months: list[int] = field(default_factory=list)  # meetings missed without reason
    dues_months: list[int] = field(default_factory=list)  # dues not paid without reason

    @property
    def absences(self) -> bool:
        """Flagged for missing the regular meeting (STRIKE_OFF_MONTHS months or more)."""
        return len(self.months) >= STRIKE_OFF_MONTHS

    @property
    def dues(self) -> bool:
        """Flagged for unpaid dues (STRIKE_OFF_MONTHS months or more)."""
        return len(self.dues_months) >= STRIKE_OFF_MONTHS

    @property
    def grounds(self) -> list:
        """The strike-off grounds the flag rests on (lifecycle.models.Ground)."""
        return [
            g
            for g, on in (
                (Ground.MISSED_ACTIVITIES, self.absences),
                (Ground.DUES_UNPAID, self.dues),
            )
            if on
        ]


def _unexcused_absences(year: int):
    """Unexcused absences from the regular meetings of a year whose minutes are approved."""
    return Attendance.objects.filter(
        status=AttendanceStatus.ABSENT_UNEXCUSED,
        meeting__kind__in=REGULAR_KINDS,
        meeting__status__in=LOCKED_STATUSES,
        meeting__period_year=year,
    )


def strike_off_flags(
    org: Organization, year: int, today: dt.date | None = None
) -> list[StrikeOffFlag]:
    """Members still in the Party who, in at least STRIKE_OFF_MONTHS months of `year`, were
    absent without a valid reason from the regular meeting (at meetings of the organization's
    subtree), or did not pay their dues without a valid reason (dues.selectors.unpaid_dues:
    only months up to the current one in which their cell of the subtree recorded dues for
    someone, so a cell that does not record dues flags nobody; excused months do not count).
    Each flag says which of the two it is, with the months.

    Two queries: one grouped query of absences (a row per member and month; a member attached
    to several cells is counted once per month), one of unpaid dues.
    """
    rows = (
        _unexcused_absences(year)
        .filter(subtree_q(org.path, "meeting__organization__"), member__status__in=ACTIVE_STATUSES)
        .values(
            "member__uuid",
            "member__person__full_name",
            "member__person__sort_key",
            "member__organization__name",
            "member__organization__path",
            "member__status",
            "meeting__period_month",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    by_member: dict = {}
    for r in rows:
        flag = by_member.get(r["member__uuid"])
        if flag is None:
            flag = by_member[r["member__uuid"]] = StrikeOffFlag(
                member_uuid=r["member__uuid"],
                name=r["member__person__full_name"],
                cell=r["member__organization__name"],
                status=r["member__status"],
                sort_key=(r["member__organization__path"], r["member__person__sort_key"]),
            )
        flag.months.append(r["meeting__period_month"])
    for f in by_member.values():
        f.months = sorted(set(f.months))
    for r in unpaid_dues(org, year, today).values():
        flag = by_member.get(r["member__uuid"])
        if flag is None:
            flag = by_member[r["member__uuid"]] = StrikeOffFlag(
                member_uuid=r["member__uuid"],
                name=r["member__person__full_name"],
                cell=r["member__organization__name"],
                status=r["member__status"],
                sort_key=(r["member__organization__path"], r["member__person__sort_key"]),
            )
        flag.dues_months = r["months"]
    flagged = [f for f in by_member.values() if f.absences or f.dues]
    return sorted(flagged, key=lambda f: f.sort_key)


def member_unexcused_months(member: Member, year: int) -> list[int]:
    """The months of `year` in which the member missed the regular meeting without reason."""
    months = defaultdict(int)
    for m in (
        _unexcused_absences(year)
        .filter(member=member)
        .values_list("meeting__period_month", flat=True)
    ):
        months[m] += 1
    return sorted(months)


def with_status_on(queryset, on: dt.date, prefix: str = "member__"):
    """The queryset annotated with `status_on`: a member's party status on the date `on` (for
    reports of past periods), from the current status and the dated history:

    - a status decision taken after `on` recorded the status just before it (previous_status):
      the earliest such decision gives the status on `on`; with none, the current status holds;
    - a member official (or exempt, which only officials can be) by that rule whose official
      date is after `on` was still probationary then.

    `prefix` is the lookup path from the queried model to the member ("" on Member itself)."""
    from django.db.models import Case, F, When

    from lifecycle.models import StatusDecision
    from members.models import MemberStatus

    next_decision = (
        StatusDecision.objects.filter(
            member_id=OuterRef(f"{prefix}pk" if prefix else "pk"), effective_date__gt=on
        )
        .order_by("effective_date", "id")
        .values("previous_status")[:1]
    )
    return queryset.alias(
        _status_then=Coalesce(Subquery(next_decision), F(f"{prefix}status"))
    ).annotate(
        status_on=Case(
            When(
                **{
                    f"{prefix}official_date__gt": on,
                    "_status_then__in": (MemberStatus.OFFICIAL, MemberStatus.EXEMPT),
                },
                then=Value(MemberStatus.PROBATIONARY),
            ),
            default=F("_status_then"),
        )
    )
