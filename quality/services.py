"""Meeting-quality rubrics and scores: the rules (brief §2.6–2.7, issue 5 items 1–2).

The contract other parts call (the compliance board, the visits, the reports):

* ``rubric_in_force(province_id, kind, on)`` — the version a meeting on `on` is judged by;
* ``evaluate_auto(meeting, rubric)`` — the criteria the meeting's data decides, with the reason;
* ``record_self_score(meeting, points, by=…)`` — the cell committee's column;
* ``may_confirm(scope, user, meeting)`` — the attending supervisor, or the committee above;
* ``confirm_score(score, points, by=…, role=…)`` — the level above's column, final level;
* ``year_level(rubric, levels)`` — a cell's year from its meetings' levels (the annual rule).

Versions: a rubric that has scored a meeting is frozen; a change is then a new version from a
later date (``save_version``), so past scores keep the rules they were given under. Every
function validates first and raises ValidationError with a message the user can act on;
nothing is written then.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.access import Level, Scope
from audit.log import record_bulk
from audit.models import Action
from lib.text import vn_date
from meetings import followers
from meetings.models import LOCKED_STATUSES, Meeting, MeetingKind, Step
from organizations.models import Organization
from oversight.models import Visit, VisitKind, VisitStatus
from quality import presets
from quality.models import (
    QUALITY_RANK,
    AutoRule,
    ConfirmerRole,
    Criterion,
    CriterionGroup,
    CriterionScore,
    MeetingScore,
    QualityLevel,
    Rubric,
    RubricKind,
    ScoreStatus,
)
from reports import summary as summaries

# Which rubric judges which meeting; committee, liaison and year-end meetings are not scored.
RUBRIC_KIND = {
    MeetingKind.REGULAR: RubricKind.REGULAR,
    MeetingKind.COMBINED: RubricKind.REGULAR,
    MeetingKind.EXTRAORDINARY: RubricKind.REGULAR,
    MeetingKind.THEMATIC: RubricKind.THEMATIC,
}
# Rules that compare a rate with the criterion's parameter (a percentage).
RATE_RULES = (AutoRule.ATTENDANCE_RATE, AutoRule.SPEAKERS_SHARE)
DEFAULT_MIN_MINUTES = 90  # HD 12-2018 / HD 42-2025, for kinds without their own minimum
ZERO = Decimal(0)
TENTH = Decimal("0.1")

NOT_APPROVED = gettext_lazy(
    "The minutes of this meeting are not approved yet: it is scored once they are, from the "
    "checks computed then."
)
NOT_SCORED = gettext_lazy(
    "This kind of meeting is not scored: only regular, combined, extraordinary and thematic "
    "meetings are."
)


# ---- formatting (reasons are written in Vietnamese: they go into the minutes) --------------


def fmt(value, places: int = 1) -> str:
    """A number as the messages write it: 17, 89,5 (the active language's separator)."""
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    if d == d.to_integral_value():
        return number_format(int(d))
    return number_format(d, decimal_pos=places)


def _rate_text(rate: Decimal, limit: Decimal) -> str:
    """The rate with one decimal, or more where rounding would hide which side of the limit it
    lies (85,01 %, not 85 %)."""
    for places in (1, 2, 3):
        text = fmt(rate, places)
        if rate == limit or text != fmt(limit, places):
            return text
    return text


# ---- which rubric ----------------------------------------------------------------------------


def rubric_kind_for(meeting: Meeting) -> str | None:
    return RUBRIC_KIND.get(meeting.kind)


def with_sheet(queryset):
    """Rubrics with their groups and criteria in sheet order (two more queries)."""
    return queryset.prefetch_related(
        Prefetch(
            "groups",
            queryset=CriterionGroup.objects.order_by("order", "pk").prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk"))
            ),
        )
    )


def rubric_in_force(
    province_id: int, kind: str, on: dt.date, *, sheet: bool = True
) -> Rubric | None:
    """The province's version of the rubric for `kind` in force on `on`: the latest that took
    effect on or before that day. Groups and criteria are prefetched unless `sheet` is False."""
    qs = Rubric.objects.filter(
        province_id=province_id,
        organization_id=province_id,
        kind=kind,
        effective_from__lte=on,
    )
    return (with_sheet(qs) if sheet else qs).order_by("-effective_from").first()


def rubric_for(meeting: Meeting, score: MeetingScore | None = None) -> Rubric | None:
    """The rubric the meeting is judged by: its score's if scored (a score keeps the version it
    was first given under), else the one in force on the meeting's date."""
    if score is not None:
        return with_sheet(Rubric.objects.filter(pk=score.rubric_id)).get()
    kind = rubric_kind_for(meeting)
    if kind is None:
        return None
    return rubric_in_force(meeting.province_id, kind, meeting.local_date)


def scoring_problem(meeting: Meeting, rubric: Rubric | None) -> str | None:
    """Why the meeting cannot be scored now (None when it can)."""
    if rubric_kind_for(meeting) is None:
        return str(NOT_SCORED)
    if meeting.status not in LOCKED_STATUSES or not meeting.checks:
        return str(NOT_APPROVED)
    if rubric is None:
        return _(
            "No quality rubric of the province is in force on %(date)s for %(kind)s: the "
            "province's organization board installs or writes one first."
        ) % {
            "date": vn_date(meeting.local_date),
            "kind": RubricKind(rubric_kind_for(meeting)).label.lower(),
        }
    return None


# ---- automatic criteria -------------------------------------------------------------------


def _attendance(meeting, checks, param, _steps):
    present, expected = checks.get("present"), checks.get("expected")
    if not expected:
        return False, _("No member was expected: no attendance rate.")
    rate = Decimal(present) * 100 / Decimal(expected)
    values = {
        "present": present,
        "expected": expected,
        "rate": _rate_text(rate, param),
        "limit": fmt(param),
    }
    if rate > param:
        return True, _("Present %(present)s/%(expected)s = %(rate)s %% > %(limit)s %%") % values
    return False, _(
        "Present %(present)s/%(expected)s = %(rate)s %%, not above %(limit)s %%"
    ) % values


def _unexcused(meeting, checks, _param, _steps):
    n = checks.get("absent_unexcused")
    if n is None:
        return False, _("Not recorded.")
    if n == 0:
        return True, _("No member absent without reason.")
    return False, ngettext(
        "%(n)s member absent without reason.", "%(n)s members absent without reason.", n
    ) % {"n": n}


def _consecutive(meeting, checks, _param, _steps):
    if "consecutive_absences" not in checks:
        return False, _("Not recorded.")
    n = len(checks["consecutive_absences"])
    if n == 0:
        return True, _("No member absent more than 3 times in a row this year.")
    return False, ngettext(
        "%(n)s member absent more than 3 times in a row this year.",
        "%(n)s members absent more than 3 times in a row this year.",
        n,
    ) % {"n": n}


def _duration(meeting, checks, _param, _steps):
    minutes = checks.get("duration_minutes")
    minimum = checks.get("min_minutes") or DEFAULT_MIN_MINUTES
    if minutes is None:
        return False, _("The start or end time is not recorded.")
    values = {"n": minutes, "min": minimum}
    if minutes >= minimum:
        return True, _("Lasted %(n)s minutes (at least %(min)s).") % values
    return False, _("Lasted %(n)s minutes, under the %(min)s-minute minimum.") % values


def _committee(meeting, checks, _param, _steps):
    if checks.get("committee_meeting_held"):
        return True, _("The cell committee met beforehand.")
    return False, _("No cell-committee meeting held before this one.")


def _documents(meeting, checks, _param, _steps):
    n, late = checks.get("documents", 0), len(checks.get("documents_late", []))
    if not n:
        return False, _("No document posted for members.")
    if late:
        return False, ngettext(
            "%(late)s of %(n)s documents posted less than one day ahead.",
            "%(late)s of %(n)s documents posted less than one day ahead.",
            n,
        ) % {"late": late, "n": n}
    return True, ngettext(
        "%(n)s document posted at least one day ahead.",
        "%(n)s documents posted at least one day ahead.",
        n,
    ) % {"n": n}


def _speakers(meeting, checks, param, _steps):
    speakers, present = checks.get("speakers", 0), checks.get("present")
    if not present:
        return False, _("No one present.")
    share = Decimal(speakers) * 100 / Decimal(present)
    values = {
        "n": speakers,
        "present": present,
        "share": _rate_text(share, param),
        "limit": fmt(param),
    }
    if share >= param:
        return True, _("%(n)s of %(present)s present spoke = %(share)s %% ≥ %(limit)s %%") % values
    return False, _(
        "%(n)s of %(present)s present spoke = %(share)s %%, under %(limit)s %%"
    ) % values


def _minutes(meeting, checks, _param, steps):
    missing = []
    if not meeting.chair_id:
        missing.append(_("the chair"))
    if not meeting.minutes_secretary_id:
        missing.append(_("the minutes secretary"))
    if not (meeting.started_at and meeting.ended_at):
        missing.append(_("the start and end times"))
    for step in Step:
        if step not in steps:
            missing.append(_("an item in step “%(step)s”") % {"step": step.label})
    if missing:
        return False, _("Missing: %(list)s.") % {"list": "; ".join(missing)}
    return True, _("Chair, secretary, times and the three steps recorded.")


def _resolution(meeting, checks, _param, _steps):
    if checks.get("has_resolution"):
        return True, _("A resolution or conclusion was adopted.")
    return False, _("No resolution or conclusion recorded.")


RULES = {
    AutoRule.ATTENDANCE_RATE: _attendance,
    AutoRule.NO_UNEXCUSED: _unexcused,
    AutoRule.NO_CONSECUTIVE: _consecutive,
    AutoRule.DURATION: _duration,
    AutoRule.COMMITTEE_MEETING: _committee,
    AutoRule.DOCUMENTS_ON_TIME: _documents,
    AutoRule.SPEAKERS_SHARE: _speakers,
    AutoRule.MINUTES_COMPLETE: _minutes,
    AutoRule.RESOLUTION: _resolution,
}


def evaluate_auto(meeting: Meeting, rubric: Rubric) -> dict[int, tuple[Decimal, str]]:
    """{criterion id: (points, reason)} for the criteria the data decides: full points when
    the check passes, 0 otherwise. Reads the checks frozen when the minutes were approved; a
    meeting without them cannot be scored (ValidationError). Reasons are in Vietnamese, as
    they are written into the minutes."""
    checks = meeting.checks
    if meeting.status not in LOCKED_STATUSES or not checks:
        raise ValidationError(str(NOT_APPROVED))
    criteria = [c for c in rubric.all_criteria() if c.auto_rule]
    steps = set()
    if any(c.auto_rule == AutoRule.MINUTES_COMPLETE for c in criteria):
        steps = set(meeting.agenda.values_list("step", flat=True).distinct())
    out = {}
    with translation.override(settings.LANGUAGE_CODE):
        for c in criteria:
            ok, reason = RULES[c.auto_rule](meeting, checks, c.auto_param, steps)
            out[c.pk] = (c.max_points if ok else ZERO, str(reason))
    return out


# ---- points ---------------------------------------------------------------------------------


def field_name(criterion_id: int) -> str:
    """The name of a criterion's input on the sheet, and the key of its errors."""
    return f"criterion_{criterion_id}"


def _points(value, maximum: Decimal) -> Decimal | str:
    """The points (0 to `maximum`, one decimal) as a Decimal, or the message saying what is
    wrong with them."""
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return _("Enter a number.")
    if not d.is_finite():
        return _("Enter a number.")
    if d < 0 or d > maximum:
        return _("Give from 0 to %(max)s points.") % {"max": fmt(maximum)}
    if d != d.quantize(TENTH):
        return _("Use at most one decimal, e.g. 2.5.")
    return d.quantize(TENTH)


def _top_ok(criteria, points: dict[int, Decimal]) -> bool:
    """Full marks on every criterion marked as needed for the top level."""
    return all(points.get(c.pk, ZERO) >= c.max_points for c in criteria if c.required_for_top)


def totals(rubric: Rubric, points: dict[int, Decimal]) -> tuple[Decimal, str]:
    """The total and the level of a column of points."""
    criteria = rubric.all_criteria()
    total = sum((points.get(c.pk, ZERO) for c in criteria), ZERO)
    return total, rubric.level_for(total, _top_ok(criteria, points))


def parse_column(rubric: Rubric, raw: dict, *, manual_only: bool) -> tuple[dict, dict]:
    """Points typed on the sheet or sent to the API ({criterion id: value}) → (points, errors
    keyed by field_name). Missing values are errors; with `manual_only` automatic criteria
    are not read (their points are fixed in the self column)."""
    points, errors = {}, {}
    known = {c.pk: c for c in rubric.all_criteria()}
    for cid in raw:
        if cid not in known:
            errors["points"] = _("%(id)s is not a criterion of this rubric.") % {"id": cid}
    for c in known.values():
        if manual_only and c.auto_rule:
            continue
        value = raw.get(c.pk)
        if value is None or str(value).strip() == "":
            errors[field_name(c.pk)] = _("Give the points for this criterion.")
            continue
        result = _points(value, c.max_points)
        if isinstance(result, Decimal):
            points[c.pk] = result
        else:
            errors[field_name(c.pk)] = result
    return points, errors


# ---- self-score and confirmation ---------------------------------------------------------------


def may_self_score(scope: Scope, meeting: Meeting) -> bool:
    """The cell's managers (Cap.MANAGE_MEMBERS on the cell) score their own meeting."""
    return scope.level_for(meeting.organization) >= Level.CELL


@transaction.atomic
def record_self_score(
    meeting: Meeting, points: dict, *, by, on: dt.date | None = None
) -> MeetingScore:
    """The cell committee's score ({criterion id: points} for the manual criteria; automatic
    ones take their automatic result). May be redone until the level above confirms it."""
    # Lock the meeting row: two simultaneous scorings then run one after the other (a no-op
    # on SQLite, which serializes writers anyway).
    Meeting.objects.select_for_update().filter(pk=meeting.pk).exists()
    existing = MeetingScore.objects.filter(meeting=meeting).first()
    rubric = rubric_for(meeting, existing)
    problem = scoring_problem(meeting, rubric)
    if problem:
        raise ValidationError(problem)
    if existing is not None and existing.status == ScoreStatus.CONFIRMED:
        raise ValidationError(
            _("The level above has confirmed this score: the cell can no longer change it.")
        )
    manual, errors = parse_column(rubric, points, manual_only=True)
    for cid in points:
        if cid in {c.pk for c in rubric.all_criteria() if c.auto_rule}:
            errors["points"] = _(
                "Automatic criteria take the result of the data; only the level above may "
                "change them, with a remark."
            )
    if errors:
        raise ValidationError(errors)
    auto = evaluate_auto(meeting, rubric)
    column = {**manual, **{cid: pts for cid, (pts, _r) in auto.items()}}
    total, level = totals(rubric, column)
    score = existing or MeetingScore(
        province_id=meeting.province_id,
        meeting=meeting,
        organization_id=meeting.organization_id,
        period_year=meeting.period_year,
        period_month=meeting.period_month,
        rubric=rubric,
    )
    score.status = ScoreStatus.SELF_SCORED
    score.self_total = total
    score.self_level = level
    score.self_by = by
    score.self_on = on or timezone.localdate()
    score.final_level = level
    score._history_user = by
    score.save()
    score.lines.all().delete()
    created_lines = CriterionScore.objects.bulk_create(
        CriterionScore(
            province_id=meeting.province_id,
            score=score,
            criterion=c,
            auto_points=auto[c.pk][0] if c.pk in auto else None,
            auto_reason=auto[c.pk][1] if c.pk in auto else "",
            self_points=column[c.pk],
        )
        for c in rubric.all_criteria()
    )
    record_bulk(CriterionScore, Action.CREATE, len(created_lines), user=by, score=score.pk)
    summaries.recompute_for_meeting(meeting)  # the summary row, in this transaction
    return score


def _strict_ancestor_level(scope: Scope, cell: Organization) -> Level:
    """The user's level through a committee above the cell (not through the cell itself)."""
    paths = followers.committee_paths(cell)
    return max((scope.level_for_path(p) for p in paths), default=Level.NONE)


def may_confirm(scope: Scope, user, meeting: Meeting) -> str | None:
    """Who may confirm the meeting's score, and as what (ConfirmerRole), else None:

    * the attending supervisor — following the cell on the meeting's day
      (meetings.SupervisorAssignment), or who visited that meeting (oversight.Visit, not as a
      cross-attending secretary, not cancelled);
    * the committee above — Cap.MANAGE_STRUCTURE on the cell's parent.

    Never the cell's own managers through their role on the cell: a confirmation comes from
    above. Admins confirm as the committee above."""
    if user is None or not user.is_authenticated or scope.is_anonymous:
        return None
    cell = meeting.organization
    above = _strict_ancestor_level(scope, cell)
    if above < Level.READ:
        return None
    follows = (
        followers.in_force(cell, meeting.local_date).filter(user_id=user.pk).exists()
        or Visit.objects.filter(meeting=meeting, visitor_id=user.pk)
        .exclude(kind=VisitKind.CROSS)
        .exclude(status=VisitStatus.CANCELLED)
        .exists()
    )
    if follows:
        return ConfirmerRole.SUPERVISOR
    parent_path = cell.path[: -Organization.steplen]
    if scope.level_for_path(parent_path) >= Level.STAFF:
        return ConfirmerRole.COMMITTEE
    return None


@transaction.atomic
def confirm_score(
    score: MeetingScore,
    points: dict | None,
    *,
    by,
    role: str,
    note: str = "",
    total=None,
    on: dt.date | None = None,
) -> MeetingScore:
    """The level above's column. `points` ({criterion id: points}, any criterion; those not
    given keep the self-score), or only a `total` (e.g. a visit report's observed score), or
    neither to confirm the self-score as it is. Changing an automatic result needs a remark.
    The final level becomes the confirmed one; the self column is kept."""
    if role not in ConfirmerRole.values:
        raise ValidationError(_("Only the attending supervisor or the committee above confirm."))
    MeetingScore.objects.select_for_update().filter(pk=score.pk).exists()
    rubric = with_sheet(Rubric.objects.filter(pk=score.rubric_id)).get()
    criteria = rubric.all_criteria()
    lines = {line.criterion_id: line for line in score.lines.all()}
    note = (note or "").strip()
    errors = {}
    if points is not None and total not in (None, ""):
        raise ValidationError(_("Give either the points of each criterion or a total, not both."))
    column = {c.pk: lines[c.pk].self_points for c in criteria if c.pk in lines}
    per_line = points is not None
    if per_line:
        known = {c.pk for c in criteria}
        for cid in points:
            if cid not in known:
                errors["points"] = _("%(id)s is not a criterion of this rubric.") % {"id": cid}
        for c in criteria:
            if c.pk not in points or str(points[c.pk]).strip() == "":
                continue
            result = _points(points[c.pk], c.max_points)
            if isinstance(result, Decimal):
                column[c.pk] = result
            else:
                errors[field_name(c.pk)] = result
        changed_auto = [
            c
            for c in criteria
            if c.auto_rule
            and c.pk in lines
            and field_name(c.pk) not in errors
            and column[c.pk] != lines[c.pk].auto_points
        ]
        if changed_auto and not note:
            errors["note"] = _(
                "You changed the automatic result of “%(criterion)s”: say why in the remarks."
            ) % {"criterion": changed_auto[0].text}
        confirmed_total, level = totals(rubric, column)
    elif total not in (None, ""):
        result = _points(total, rubric.total_points)
        if not isinstance(result, Decimal):
            raise ValidationError({"total": result})
        confirmed_total = result
        level = rubric.level_for(result, _top_ok(criteria, column))
    else:
        confirmed_total, level = totals(rubric, column)
    if errors:
        raise ValidationError(errors)
    score.status = ScoreStatus.CONFIRMED
    score.confirmed_total = confirmed_total
    score.confirmed_level = level
    score.confirmed_by = by
    score.confirmed_on = on or timezone.localdate()
    score.confirmer_role = role
    score.confirm_note = note
    score.final_level = level
    score._history_user = by
    score.save()
    for line in lines.values():
        line.confirmed_points = (
            column.get(line.criterion_id) if (per_line or total in (None, "")) else None
        )
    CriterionScore.objects.bulk_update(list(lines.values()), ["confirmed_points"])
    record_bulk(CriterionScore, Action.UPDATE, len(lines), user=by, score=score.pk)
    summaries.recompute_for_meeting(score.meeting)  # the summary row, in this transaction
    return score


# ---- the year -------------------------------------------------------------------------------


def year_level(rubric: Rubric, levels: list[str]) -> str:
    """A cell's year from the levels of its regular meetings, by the rubric's annual rule:
    good with at least `year_good_min` good meetings and none below `year_good_floor`; fair
    with none below `year_fair_floor`; average with none below `year_average_floor`; else
    weak. No scored meeting: "" (no level)."""
    levels = [lv for lv in levels if lv]
    if not levels:
        return ""
    worst = min(QUALITY_RANK[lv] for lv in levels)
    good = sum(1 for lv in levels if lv == QualityLevel.GOOD)
    if good >= rubric.year_good_min and worst >= QUALITY_RANK[rubric.year_good_floor]:
        return QualityLevel.GOOD
    if worst >= QUALITY_RANK[rubric.year_fair_floor]:
        return QualityLevel.FAIR
    if worst >= QUALITY_RANK[rubric.year_average_floor]:
        return QualityLevel.AVERAGE
    return QualityLevel.WEAK


# ---- rubric versions ---------------------------------------------------------------------------


def criterion_problems(c: dict) -> dict[str, str]:
    """What is wrong with one criterion (text, max_points, auto_rule, auto_param): shared by
    the editor's rows and save_version."""
    problems = {}
    if not (c.get("text") or "").strip():
        problems["text"] = _("Write the criterion.")
    mp = c.get("max_points")
    if mp is None or mp <= 0 or mp > 100:
        problems["max_points"] = _("Give from 0.5 to 100 points.")
    rule = c.get("auto_rule") or ""
    if rule and rule not in AutoRule.values:
        problems["auto_rule"] = _("Choose a rule from the list.")
    param = c.get("auto_param")
    if rule in RATE_RULES and param is None:
        problems["auto_param"] = _("This rule compares a rate: give it, e.g. 85 (%).")
    elif param is not None and (param < 0 or param > 100):
        problems["auto_param"] = _("Give a rate from 0 to 100.")
    return problems


def sheet_problems(data: dict) -> dict[str, list[str]]:
    """Rubric-wide rules: thresholds descend within the total, criteria add up to the total."""
    errors: dict[str, list[str]] = {}
    total = data.get("total_points") or Decimal(100)
    good, fair, average = data["good_from"], data["fair_from"], data["average_from"]
    if not (good > fair > average >= 0):
        errors.setdefault("good_from", []).append(
            _(
                "The thresholds must descend: good (%(good)s) above fair (%(fair)s) above "
                "average (%(average)s), and none below 0."
            )
            % {"good": fmt(good), "fair": fmt(fair), "average": fmt(average)}
        )
    if good > total:
        errors.setdefault("good_from", []).append(
            _("“Good” cannot need more than the total of %(total)s points.") % {"total": fmt(total)}
        )
    groups = data.get("groups") or []
    criteria = [c for g in groups for c in g.get("criteria") or []]
    if not criteria:
        errors.setdefault("groups", []).append(_("Add at least one criterion."))
    for g in groups:
        if not (g.get("name") or "").strip():
            errors.setdefault("groups", []).append(_("Every group needs a name."))
            break
    for c in criteria:
        for msg in criterion_problems(c).values():
            errors.setdefault("groups", []).append(
                _("“%(criterion)s”: %(problem)s")
                % {"criterion": c.get("text") or "—", "problem": msg}
            )
    if criteria and not errors.get("groups"):
        added = sum((c["max_points"] for c in criteria), ZERO)
        if added != total:
            errors.setdefault("total_points", []).append(
                _(
                    "The criteria add up to %(sum)s points, not %(total)s: adjust the points or "
                    "the total."
                )
                % {"sum": fmt(added), "total": fmt(total)}
            )
    return errors


def _order_problem(province, kind, effective_from, replace: Rubric | None) -> str | None:
    others = Rubric.objects.filter(organization=province, kind=kind)
    if replace is not None:
        others = others.exclude(pk=replace.pk)
        before = others.filter(effective_from__lt=replace.effective_from)
        after = others.filter(effective_from__gt=replace.effective_from)
    else:
        before, after = others, others.none()
    last = before.order_by("-effective_from").first()
    nxt = after.order_by("effective_from").first()
    if last is not None and effective_from <= last.effective_from:
        return _("A version must take effect after the one before it (in force from %(date)s).") % {
            "date": vn_date(last.effective_from)
        }
    if nxt is not None and effective_from >= nxt.effective_from:
        return _("This version must take effect before the next one (in force from %(date)s).") % {
            "date": vn_date(nxt.effective_from)
        }
    return None


def is_frozen(rubric: Rubric) -> bool:
    """A version that has scored a meeting cannot change any more."""
    return rubric.scores.exists()


@transaction.atomic
def save_version(
    *,
    province: Organization,
    kind: str,
    data: dict,
    by=None,
    replace: Rubric | None = None,
    preset: str = "",
) -> Rubric:
    """Write a rubric version from `data` (presets.sheet_data's shape: the header fields and
    groups → criteria). `replace`: change that version in place, only while it has scored no
    meeting; otherwise a new version, which must take effect after the last one."""
    if province.depth != 1:
        raise ValidationError(_("Rubrics are issued by a province."))
    if kind not in RubricKind.values:
        raise ValidationError(_("Choose regular or thematic meetings."))
    if replace is not None and is_frozen(replace):
        raise ValidationError(
            _(
                "This version has already scored meetings: it cannot change. Save the changes "
                "as a new version from a later date."
            )
        )
    errors = sheet_problems(data)
    order = _order_problem(province, kind, data["effective_from"], replace)
    if order:
        errors.setdefault("effective_from", []).append(order)
    if errors:
        raise ValidationError(errors)
    header = {
        f: data[f]
        for f in (
            "name",
            "source",
            "effective_from",
            "good_from",
            "fair_from",
            "average_from",
            "year_good_min",
            "year_good_floor",
            "year_fair_floor",
            "year_average_floor",
        )
    }
    header["total_points"] = data.get("total_points") or Decimal(100)
    if replace is not None:
        rubric = replace
        for f, v in header.items():
            setattr(rubric, f, v)
        rubric.groups.all().delete()
    else:
        rubric = Rubric(
            province_id=province.pk,
            organization=province,
            kind=kind,
            created_by=by,
            preset=preset,
            **header,
        )
    rubric._history_user = by
    rubric.save()
    for gi, g in enumerate(data["groups"], start=1):
        group = CriterionGroup.objects.create(
            province_id=province.pk, rubric=rubric, order=gi, name=g["name"].strip()
        )
        Criterion.objects.bulk_create(
            Criterion(
                province_id=province.pk,
                group=group,
                order=ci,
                text=c["text"].strip(),
                max_points=c["max_points"],
                required_for_top=bool(c.get("required_for_top")),
                auto_rule=c.get("auto_rule") or "",
                auto_param=c.get("auto_param") if c.get("auto_rule") in RATE_RULES else None,
            )
            for ci, c in enumerate(g["criteria"], start=1)
        )
        record_bulk(Criterion, Action.CREATE, len(g["criteria"]), user=by, rubric=str(rubric.uuid))
    return rubric


def rubric_data(rubric: Rubric) -> dict:
    """A version as save_version's data: the starting point of the next version."""
    return {
        "name": rubric.name,
        "source": rubric.source,
        "effective_from": rubric.effective_from,
        "total_points": rubric.total_points,
        "good_from": rubric.good_from,
        "fair_from": rubric.fair_from,
        "average_from": rubric.average_from,
        "year_good_min": rubric.year_good_min,
        "year_good_floor": rubric.year_good_floor,
        "year_fair_floor": rubric.year_fair_floor,
        "year_average_floor": rubric.year_average_floor,
        "groups": [
            {
                "name": g.name,
                "criteria": [
                    {
                        "text": c.text,
                        "max_points": c.max_points,
                        "required_for_top": c.required_for_top,
                        "auto_rule": c.auto_rule,
                        "auto_param": c.auto_param,
                    }
                    for c in g.criteria.all()
                ],
            }
            for g in rubric.groups.all()
        ],
    }


@transaction.atomic
def install_preset(
    province: Organization, key: str, effective_from: dt.date, *, by=None
) -> list[Rubric]:
    """Install a preset (quality/presets.py) for the province: its regular and thematic sheets,
    each a new version from `effective_from`. All or nothing."""
    preset = presets.PRESETS.get(key)
    if preset is None:
        raise ValidationError({"preset": _("Choose one of the presets.")})
    installed = []
    errors = []
    for kind, sheet in preset.sheets.items():
        data = {**presets.sheet_data(sheet), "effective_from": effective_from}
        try:
            with transaction.atomic():
                installed.append(
                    save_version(province=province, kind=kind, data=data, by=by, preset=key)
                )
        except ValidationError as e:
            for msg in e.messages:
                errors.append(f"{RubricKind(kind).label}: {msg}")
    if errors:
        raise ValidationError({"effective_from": errors})
    return installed
