"""Meeting-quality pages: a province's rubrics (versions by kind and date, presets), a rubric,
its editor, a meeting's score sheet with its two columns, and a cell's year.

Who may do what (rules in quality.services, access in accounts.access):
* rubrics are read by everyone with a role in the province; the province's organization board
  (Cap.MANAGE_STRUCTURE on the province) installs presets and writes versions;
* a score sheet is read by whoever reads the meeting; the cell's managers (Cap.MANAGE_MEMBERS)
  self-score once the minutes are approved; the attending supervisor or the committee above
  confirm (services.may_confirm);
* a cell's year is read by the readers of the cell. Out of scope → 404.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import Cap, get_meeting, get_organization, get_province_rules, get_rubric
from lib.forms import apply_validation_error
from lib.text import vn_date
from meetings.models import REGULAR_KINDS, MeetingStatus
from organizations.selectors import ancestors
from quality import presets, services
from quality.forms import (
    ConfirmNoteForm,
    CriterionFormSet,
    PresetForm,
    RubricForm,
    criterion_initial,
)
from quality.models import (
    QUALITY_DESC,
    MeetingScore,
    QualityLevel,
    Rubric,
    RubricKind,
    ScoreStatus,
)

MAX_EXTRA_ROWS = 30


# ---- a province's rubrics ------------------------------------------------------------------


def _rubrics_context(request, province, preset_form=None) -> dict:
    versions = list(
        Rubric.objects.filter(organization=province)
        .annotate(scored=Count("scores"))
        .order_by("kind", "-effective_from")
    )
    today = timezone.localdate()
    kinds = []
    for kind, label in RubricKind.choices:
        rows = [v for v in versions if v.kind == kind]
        current = next((v for v in rows if v.effective_from <= today), None)
        for v in rows:
            v.is_current = v is current
            v.is_future = v.effective_from > today
        kinds.append((kind, label, rows))
    can_edit = request.scope.can(Cap.MANAGE_STRUCTURE, province)
    return {
        "province": province,
        "kinds": kinds,
        "can_edit": can_edit,
        "preset_form": (preset_form or PresetForm()) if can_edit else None,
        "presets": presets.PRESETS.values(),
    }


@never_cache
@login_required
def rubrics(request, uuid):
    """Tiêu chí đánh giá chất lượng sinh hoạt: the versions of each kind, the one in force."""
    province = get_province_rules(request.scope, uuid)
    return render(request, "quality/rubrics.html", _rubrics_context(request, province))


@login_required
@require_POST
def install_preset(request, uuid):
    province = get_province_rules(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    form = PresetForm(request.POST)
    if form.is_valid():
        try:
            installed = services.install_preset(
                province,
                form.cleaned_data["preset"],
                form.cleaned_data["effective_from"],
                by=request.user,
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("Installed %(n)s rubrics, in force from %(date)s.")
                % {"n": len(installed), "date": vn_date(form.cleaned_data["effective_from"])},
            )
            return redirect("quality:rubrics", uuid=province.uuid)
    return render(request, "quality/rubrics.html", _rubrics_context(request, province, form))


# ---- one rubric ----------------------------------------------------------------------------


def _with_sheet(rubric: Rubric) -> Rubric:
    return services.with_sheet(
        Rubric.objects.filter(pk=rubric.pk).select_related("organization", "province")
    ).get()


@never_cache
@login_required
def rubric(request, uuid):
    r = _with_sheet(get_rubric(request.scope, uuid))
    scored = r.scores.count()
    versions = list(
        Rubric.objects.filter(organization_id=r.organization_id, kind=r.kind).order_by(
            "-effective_from"
        )
    )
    return render(
        request,
        "quality/rubric.html",
        {
            "rubric": r,
            "province": r.province,
            "groups": [
                (g, g.criteria.all(), sum((c.max_points for c in g.criteria.all()), Decimal(0)))
                for g in r.groups.all()
            ],
            "scored": scored,
            "versions": versions,
            "can_edit": request.scope.can(Cap.MANAGE_STRUCTURE, r.organization),
        },
    )


@never_cache
@login_required
def rubric_edit(request, uuid):
    """The editor: the header and the criteria as rows. A version that has scored meetings is
    frozen: saving makes a new version from a later date; an unused one may also be changed in
    place."""
    r = _with_sheet(get_rubric(request.scope, uuid, Cap.MANAGE_STRUCTURE))
    frozen = services.is_frozen(r)
    data = services.rubric_data(r)
    try:
        extra = min(max(int(request.GET.get("extra", 3)), 1), MAX_EXTRA_ROWS)
    except ValueError:
        extra = 3
    header_initial = {k: _plain(v) for k, v in data.items() if k != "groups"}
    if frozen:
        header_initial["effective_from"] = None
    if request.method == "POST":
        form = RubricForm(request.POST)
        formset = CriterionFormSet(request.POST, prefix="c")
        as_new = frozen or request.POST.get("mode") != "replace"
        if form.is_valid() and formset.is_valid():
            sheet = {**form.cleaned_data, "groups": formset.groups()}
            try:
                saved = services.save_version(
                    province=r.organization,
                    kind=r.kind,
                    data=sheet,
                    by=request.user,
                    replace=None if as_new else r,
                )
            except ValidationError as e:
                apply_validation_error(form, e, rename={"groups": None})
            else:
                messages.success(
                    request,
                    (
                        _("New version saved, in force from %(date)s.")
                        if as_new
                        else _("Version saved, in force from %(date)s.")
                    )
                    % {"date": vn_date(saved.effective_from)},
                )
                return redirect(saved.get_absolute_url())
    else:
        form = RubricForm(initial=header_initial)
        rows = [{k: _plain(v) for k, v in row.items()} for row in criterion_initial(data)]
        formset = CriterionFormSet(prefix="c", initial=rows)
        formset.extra = extra  # read when the rows are built, in the template
    return render(
        request,
        "quality/rubric_edit.html",
        {
            "rubric": r,
            "province": r.province,
            "form": form,
            "formset": formset,
            "frozen": frozen,
            "more_rows": min(extra + 5, MAX_EXTRA_ROWS),
        },
    )


# ---- a meeting's score sheet ------------------------------------------------------------------


def _plain(v):
    """Decimals as the inputs show them (5, 2.5 rather than 5.0); other values unchanged."""
    return _value(v) if isinstance(v, Decimal) else v


def _value(v) -> str:
    """A value for a number input: 5, 2.5 (whatever the language), or what was typed."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return str(int(v)) if v == v.to_integral_value() else str(v.normalize())
    return str(v)


def _shown(v) -> str:
    """A value as text: 5, 2,5 in Vietnamese."""
    if isinstance(v, Decimal):
        return services.fmt(v)
    return "" if v is None else str(v)


def sheet_context(request, meeting, *, errors=None, posted=None, column="") -> dict:
    """Everything the score sheet shows, in a fixed number of queries."""
    scope = request.scope
    errors = errors or {}
    score = (
        MeetingScore.objects.filter(meeting=meeting)
        .select_related("self_by", "confirmed_by")
        .first()
    )
    r = services.rubric_for(meeting, score)
    problem = None if score else services.scoring_problem(meeting, r)
    lines = {line.criterion_id: line for line in score.lines.all()} if score else {}
    auto = {}
    if not score and not problem:
        auto = services.evaluate_auto(meeting, r)
    elif score:
        auto = {
            cid: (ln.auto_points, ln.auto_reason)
            for cid, ln in lines.items()
            if ln.auto_points is not None
        }
    confirm_role = services.may_confirm(scope, request.user, meeting) if score else None
    # The cell's managers score (the commune's staff may enter it for a cell); once the cell
    # has scored, those who confirm see only their own column.
    may_self = (
        services.may_self_score(scope, meeting)
        and problem is None
        and (score is None or (score.status != ScoreStatus.CONFIRMED and confirm_role is None))
    )
    groups = []
    self_column, confirm_column = {}, {}
    if r is not None:
        for g in r.groups.all():
            rows = []
            for c in g.criteria.all():
                name = services.field_name(c.pk)
                line = lines.get(c.pk)
                a = auto.get(c.pk)
                self_value = line.self_points if line else (a[0] if a else None)
                confirm_value = line.confirmed_points if line else None
                if posted is not None and column == "self" and not c.auto_rule:
                    self_value = posted.get(name, "")
                if posted is not None and column == "confirm":
                    confirm_value = posted.get(name, "")
                self_column[c.pk] = self_value
                confirm_column[c.pk] = (
                    confirm_value if confirm_value not in (None, "") else self_value
                )
                rows.append(
                    {
                        "criterion": c,
                        "name": name,
                        "auto": a,
                        "self": _value(self_value),
                        "self_shown": _shown(self_value),
                        "confirmed": _value(confirm_value),
                        "confirmed_shown": _shown(confirm_value),
                        "error": errors.get(name, ""),
                    }
                )
            groups.append((g, rows))
    return {
        "meeting": meeting,
        "org": meeting.organization,
        "ancestors": ancestors(meeting.organization) + [meeting.organization],
        "score": score,
        "rubric": r,
        "reads_rubric": scope.works_in_province(meeting.organization),
        "problem": problem,
        "groups": groups,
        "may_self": may_self,
        "confirm_role": confirm_role,
        "errors": errors,
        "column": column,
        "self_totals": _totals(r, self_column) if r is not None else None,
        "confirm_totals": _totals(r, confirm_column) if r is not None else None,
        "note_form": ConfirmNoteForm(
            posted if column == "confirm" else None,
            initial={"note": score.confirm_note if score else ""},
        ),
    }


def _totals(r: Rubric, column: dict) -> dict:
    points = {}
    for cid, v in column.items():
        try:
            points[cid] = Decimal(str(v).replace(",", "."))
        except (ArithmeticError, ValueError):
            points[cid] = Decimal(0)
        if not points[cid].is_finite():
            points[cid] = Decimal(0)
    total, level = services.totals(r, points)
    return {"total": total, "level": level, "max": r.total_points}


@never_cache
@login_required
def score(request, uuid):
    meeting = get_meeting(request.scope, uuid)
    return render(request, "quality/sheet.html", sheet_context(request, meeting))


def _posted(request, r: Rubric, *, manual_only: bool) -> dict:
    out = {}
    for c in r.all_criteria():
        if manual_only and c.auto_rule:
            continue
        value = request.POST.get(services.field_name(c.pk), "")
        if manual_only or value.strip():
            out[c.pk] = value
    return out


@login_required
@require_POST
def self_score(request, uuid):
    meeting = get_meeting(request.scope, uuid, Cap.MANAGE_MEMBERS)
    existing = MeetingScore.objects.filter(meeting=meeting).first()
    r = services.rubric_for(meeting, existing)
    problem = services.scoring_problem(meeting, r)
    if problem:
        messages.error(request, problem)
        return redirect("quality:score", uuid=meeting.uuid)
    try:
        result = services.record_self_score(
            meeting, _posted(request, r, manual_only=True), by=request.user
        )
    except ValidationError as e:
        errors = e.message_dict if hasattr(e, "error_dict") else {}
        if not errors:
            messages.error(request, " ".join(e.messages))
            return redirect("quality:score", uuid=meeting.uuid)
        context = sheet_context(
            request, meeting, errors=_flat(errors), posted=request.POST, column="self"
        )
        return render(request, "quality/sheet.html", context)
    messages.success(
        request,
        _("Self-score saved: %(total)s points, %(level)s.")
        % {"total": services.fmt(result.self_total), "level": result.get_self_level_display()},
    )
    return redirect("quality:score", uuid=meeting.uuid)


def _flat(errors: dict) -> dict:
    return {k: " ".join(str(m) for m in v) for k, v in errors.items()}


@login_required
@require_POST
def confirm(request, uuid):
    meeting = get_meeting(request.scope, uuid)
    role = services.may_confirm(request.scope, request.user, meeting)
    if role is None:
        raise PermissionDenied
    existing = MeetingScore.objects.filter(meeting=meeting).first()
    if existing is None:
        messages.error(request, _("The cell has not scored this meeting yet: nothing to confirm."))
        return redirect("quality:score", uuid=meeting.uuid)
    r = services.rubric_for(meeting, existing)
    try:
        result = services.confirm_score(
            existing,
            _posted(request, r, manual_only=False),
            by=request.user,
            role=role,
            note=request.POST.get("note", ""),
        )
    except ValidationError as e:
        errors = (
            _flat(e.message_dict) if hasattr(e, "error_dict") else {"points": " ".join(e.messages)}
        )
        context = sheet_context(
            request, meeting, errors=errors, posted=request.POST, column="confirm"
        )
        if "note" in errors:
            context["note_form"].add_error("note", errors["note"])
        return render(request, "quality/sheet.html", context)
    messages.success(
        request,
        _("Score confirmed: %(total)s points, %(level)s.")
        % {
            "total": services.fmt(result.confirmed_total),
            "level": result.get_confirmed_level_display(),
        },
    )
    return redirect("quality:score", uuid=meeting.uuid)


@login_required
def preview(request, uuid):
    """The totals of a column as typed (HTMX, while typing): nothing is saved, whatever the
    method."""
    meeting = get_meeting(request.scope, uuid)
    column = "confirm" if request.GET.get("column") == "confirm" else "self"
    existing = MeetingScore.objects.filter(meeting=meeting).first()
    r = services.rubric_for(meeting, existing)
    if r is None:
        return HttpResponse("")  # nothing to total: the sheet says why
    lines = {ln.criterion_id: ln for ln in existing.lines.all()} if existing else {}
    auto = {}
    if not existing and services.scoring_problem(meeting, r) is None:
        auto = {cid: pts for cid, (pts, _r) in services.evaluate_auto(meeting, r).items()}
    values = {}
    for c in r.all_criteria():
        typed = request.GET.get(services.field_name(c.pk), "").strip()
        base = lines[c.pk].self_points if c.pk in lines else auto.get(c.pk)
        if column == "self" and c.auto_rule:
            typed = ""
        values[c.pk] = typed if typed else (base if base is not None else 0)
    return render(
        request,
        "quality/_totals.html",
        {"totals": _totals(r, values), "column": column},
    )


# ---- a cell's year ------------------------------------------------------------------------------


@never_cache
@login_required
def cell_year(request, uuid):
    """The levels of the cell's meetings month by month, and the year by the annual rule."""
    cell = get_organization(request.scope, uuid)
    if not cell.is_cell:
        raise Http404
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    meetings = list(
        cell.meetings.filter(period_year=year, kind__in=services.RUBRIC_KIND)
        .exclude(status__in=(MeetingStatus.CANCELLED, MeetingStatus.POSTPONED))
        .select_related("quality")
        .order_by("period_month", "scheduled_at")
    )
    months = []
    for month in range(1, 13):
        in_month = [m for m in meetings if m.period_month == month]
        for m in in_month:
            m.score = getattr(m, "quality", None)  # None when not scored (select_related)
        months.append(
            {
                "month": month,
                "regular": [m for m in in_month if m.kind in REGULAR_KINDS],
                "other": [m for m in in_month if m.kind not in REGULAR_KINDS],
            }
        )
    levels = [m.score.final_level for m in meetings if m.kind in REGULAR_KINDS and m.score]
    on = min(today, today.replace(year=year, month=12, day=31)) if year <= today.year else None
    r = (
        services.rubric_in_force(cell.province_id, RubricKind.REGULAR, on, sheet=False)
        if on
        else None
    )
    counts = [(lv, sum(1 for x in levels if x == lv)) for lv in QUALITY_DESC]
    return render(
        request,
        "quality/year.html",
        {
            "org": cell,
            "ancestors": ancestors(cell) + [cell],
            "year": year,
            "years": [year - 1, year + 1] if year < today.year else [year - 1],
            "months": months,
            "rubric": r,
            "counts": counts,
            "scored": len(levels),
            "year_level": services.year_level(r, levels) if r else "",
            "good": QualityLevel.GOOD,
        },
    )
