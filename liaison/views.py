"""Residence-liaison pages: an organization's lists and rates (as workplace and as residence),
a residence cell's liaison members and meetings, the forms to introduce or exempt a member,
and the liaison page with the next step's form.

Who may do what: the workplace side (Cap.MANAGE_STRUCTURE on the workplace cell) introduces
and exempts; the residence side (Cap.MANAGE_STRUCTURE on the commune) receives; the residence
cell's managers (Cap.MANAGE_MEMBERS on it) or the commune comment; either side's committee ends
the liaison or marks an exemption from activities. Each side sees the liaison; neither → 404.
"""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import Cap, get_liaison, get_member, get_organization
from audit import log as audit_log
from liaison import documents, services
from liaison.forms import (
    ActivityExemptionForm,
    CommentForm,
    EndForm,
    ExemptForm,
    IntroduceForm,
    ReceiveForm,
)
from liaison.models import (
    ACTIVITY_EXEMPTIONS,
    CRITERIA,
    ELIGIBLE_STATUSES,
    INTRODUCED_STATUSES,
    OPEN_STATUSES,
    WORKPLACE_CELL_TYPES,
    AnnualComment,
    LiaisonStatus,
    Overall,
    ResidenceLiaison,
    Side,
)
from lib.downloads import docx_response
from lib.forms import apply_validation_error
from meetings.models import LOCKED_STATUSES, MeetingKind, MeetingStatus
from members.models import Member
from organizations.models import subtree_q
from organizations.selectors import ancestors

PAGE_SIZE = 50
HELD = (MeetingStatus.IN_PROGRESS, *LOCKED_STATUSES)


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


# ---- an organization's lists and rates ---------------------------------------------------

# (key, label) of the lists on each side; the label's count comes from the rates' query.
WORK_TABS = ("not_introduced", "exempt", "introduced", "waiting", "received")
COMMENT_TABS = ("not_commented", "commented", "well")
HOME_TABS = ("introduced", "waiting", "received")


def tab_labels():
    return {
        "not_introduced": _("Eligible, not yet introduced"),
        "exempt": _("Not introduced (HD 33 §1.2)"),
        "introduced": _("Introduced"),
        "waiting": _("Waiting for receipt"),
        "received": _("Received"),
        "not_commented": _("Not yet commented"),
        "commented": _("Commented"),
        "well": _("Commented as doing well"),
    }


def _comment_of(year: int, **extra):
    return AnnualComment.objects.filter(liaison_id=OuterRef("pk"), year=year, **extra)


def _liaison_rows(qs, tab: str, year: int):
    """Filter open liaisons to one list; each row gets the year's comment (one query)."""
    due = Q(status=LiaisonStatus.RECEIVED) & ~Q(exemption__in=ACTIVITY_EXEMPTIONS)
    filters = {
        "exempt": Q(status=LiaisonStatus.EXEMPT),
        "introduced": Q(status__in=INTRODUCED_STATUSES),
        "waiting": Q(status=LiaisonStatus.INTRODUCED),
        "received": Q(status=LiaisonStatus.RECEIVED),
        "not_commented": due & ~Exists(_comment_of(year)),
        "commented": due & Exists(_comment_of(year)),
        "well": due & Exists(_comment_of(year, overall=Overall.GOOD)),
    }
    return (
        qs.filter(filters[tab])
        .select_related("member__person", "workplace_cell", "residence_commune", "residence_cell")
        .annotate(year_overall=Subquery(_comment_of(year).values("overall")[:1]))
        .order_by("member__person__sort_key", "pk")
    )


@never_cache
@login_required
def org_overview(request, uuid):
    """Rates and lists of an organization, as the workplace of its working members and as
    the residence of the members introduced to it (brief §15, seed 004)."""
    scope = request.scope
    org = get_organization(scope, uuid, Cap.VIEW)
    year = _year(request)
    side = request.GET.get("side")
    side = side if side in Side.values else Side.WORKPLACE
    tabs = (WORK_TABS if side == Side.WORKPLACE else HOME_TABS) + COMMENT_TABS
    tab = request.GET.get("show")
    tab = tab if tab in tabs else tabs[0]
    work = services.workplace_counts(org, year)
    home = services.residence_counts(org, year)
    if side == Side.WORKPLACE and tab == "not_introduced":
        members = Member.objects.filter(subtree_q(org.path, "organization__"))
        rows = (
            services.not_yet_introduced(members)
            .select_related("person__residence_village", "organization")
            .order_by("person__sort_key", "pk")
        )
    elif side == Side.WORKPLACE:
        rows = _liaison_rows(
            ResidenceLiaison.objects.filter(
                subtree_q(org.path, "member__organization__"),
                status__in=OPEN_STATUSES,
                member__status__in=ELIGIBLE_STATUSES,
                member__organization__cell_type__in=WORKPLACE_CELL_TYPES,
            ),
            tab,
            year,
        )
    else:
        rows = _liaison_rows(
            ResidenceLiaison.objects.filter(
                services.residence_filter(org), status__in=INTRODUCED_STATUSES
            ),
            tab,
            year,
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    if tab == "not_introduced":
        for m in page:
            m.can_introduce = scope.can(Cap.MANAGE_STRUCTURE, m.organization)
    counts = work if side == Side.WORKPLACE else home
    count_of = {
        "not_introduced": work["not_introduced"],
        "exempt": work.get("exempt"),
        "introduced": counts["introduced"],
        "waiting": counts["introduced"] - counts["received"],
        "received": counts["received"],
        "not_commented": counts["due"] - counts["commented"],
        "commented": counts["commented"],
        "well": counts["well"],
    }
    labels = tab_labels()
    params = {"side": side, "show": tab, "year": year}
    return render(
        request,
        "liaison/org.html",
        {
            "org": org,
            "ancestors": ancestors(org),
            "year": year,
            "side": side,
            "tab": tab,
            "tab_label": labels[tab],
            "tabs": [(t, labels[t], count_of[t]) for t in tabs],
            "work": work,
            "home": home,
            "page": page,
            "querystring_base": urlencode(params) + "&",
            "is_cell": org.is_cell,
        },
    )


# ---- a residence cell's liaison members and its liaison meetings -------------------------


@never_cache
@login_required
def cell_page(request, uuid):
    """The members a residence cell expects at its liaison meetings (every 6 months, QĐ 213
    art. 4), the year's comments, and the cell's liaison meetings (the meetings app's kind)."""
    scope = request.scope
    cell = get_organization(scope, uuid, Cap.VIEW)
    if not cell.is_cell:
        raise Http404
    year = _year(request)
    today = timezone.localdate()
    liaisons = list(
        ResidenceLiaison.objects.filter(residence_cell=cell, status__in=INTRODUCED_STATUSES)
        .select_related("member__person", "workplace_cell", "residence_commune", "residence_cell")
        .annotate(year_overall=Subquery(_comment_of(year).values("overall")[:1]))
        .order_by("member__person__sort_key", "pk")
    )
    for row in liaisons:
        row.may_comment = row.status == LiaisonStatus.RECEIVED and row.can_comment(scope)
    expected = [
        r for r in liaisons if r.status == LiaisonStatus.RECEIVED and not r.exempt_from_activities
    ]
    meetings = list(
        scope.meetings()
        .filter(organization=cell, kind=MeetingKind.LIAISON, period_year=year)
        .order_by("scheduled_at", "pk")
    )
    halves = []
    for half, months in ((1, range(1, 7)), (2, range(7, 13))):
        rows = [m for m in meetings if m.period_month in months]
        ended = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
        halves.append(
            {
                "half": half,
                "meetings": rows,
                "held": any(m.status in HELD for m in rows),
                "past": ended < today,
            }
        )
    return render(
        request,
        "liaison/cell.html",
        {
            "cell": cell,
            "ancestors": ancestors(cell),
            "year": year,
            "liaisons": liaisons,
            "expected": expected,
            "halves": halves,
            "can_plan": scope.can(Cap.MANAGE_MEMBERS, cell) and cell.is_active,
        },
    )


# ---- the workplace side: introduce or exempt a member ------------------------------------


def _member_page(request, uuid, template: str, make_form, act):
    """Shared by introduce and exempt: the member, why they cannot be introduced, their
    liaisons so far, and the form while they have no open liaison."""
    member = get_member(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    why = services.why_not_eligible(member)
    history = list(
        member.liaisons.select_related("residence_commune", "residence_cell").order_by(
            "-created_at", "-pk"
        )
    )
    current = next((r for r in history if r.status in OPEN_STATUSES), None)
    form = None
    if not why and current is None:
        form = make_form(member)
        if request.method == "POST" and form.is_valid():
            try:
                liaison = act(member, form)
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                return redirect(liaison.get_absolute_url())
    elif request.method == "POST":
        messages.error(
            request,
            why or _("%(name)s already has an open liaison.") % {"name": member.person.full_name},
        )
    return render(
        request,
        template,
        {
            "member": member,
            "why": why,
            "current": current,
            "history": history,
            "form": form,
            "ancestors": ancestors(member.organization),
        },
    )


@never_cache
@login_required
def introduce(request, uuid):
    def make_form(member):
        commune, cell = services.proposed_residence(member)
        form = IntroduceForm(
            request.POST or None,
            communes=list(services.communes(member.province_id)),
            province_id=member.province_id,
            initial={"residence_commune": commune.pk if commune else None},
        )
        form.proposed_cell = cell
        return form

    def act(member, form):
        commune = form.commune()
        proposed = form.proposed_cell
        d = form.cleaned_data
        liaison = services.introduce(
            member,
            residence_commune=commune,
            residence_cell=proposed
            if proposed and commune and _inside(proposed, commune)
            else None,
            introduced_on=d["introduced_on"],
            letter_no=d["letter_no"],
            exemption=d["exemption"],
            exemption_reason=d["exemption_reason"],
            by=request.user,
        )
        messages.success(
            request,
            _("%(name)s is introduced to %(commune)s.")
            % {"name": member.person.full_name, "commune": commune.name},
        )
        return liaison

    return _member_page(request, uuid, "liaison/introduce.html", make_form, act)


def _inside(cell, commune) -> bool:
    return cell.pk == commune.pk or cell.path.startswith(commune.path)


@never_cache
@login_required
def exempt(request, uuid):
    def make_form(member):
        return ExemptForm(request.POST or None)

    def act(member, form):
        d = form.cleaned_data
        liaison = services.exempt(
            member, category=d["category"], reason=d["reason"], on=d["on"], by=request.user
        )
        messages.success(
            request,
            _("%(name)s is recorded as not introduced.") % {"name": member.person.full_name},
        )
        return liaison

    return _member_page(request, uuid, "liaison/exempt.html", make_form, act)


# ---- the liaison page and its steps --------------------------------------------------------


def _sides(request, liaison) -> list[str]:
    scope = request.scope
    sides = []
    if liaison.can_act_for_workplace(scope):
        sides.append(Side.WORKPLACE)
    if liaison.status != LiaisonStatus.EXEMPT and liaison.can_act_for_residence(scope):
        sides.append(Side.RESIDENCE)
    return sides


def _forms(request, liaison, bound: dict | None = None) -> dict:
    """The forms of the next steps this user may take (a bound one replaces its blank)."""
    bound = bound or {}
    sides = _sides(request, liaison)
    forms = {}
    if liaison.status == LiaisonStatus.INTRODUCED and liaison.can_act_for_residence(request.scope):
        forms["receive"] = bound.get("receive") or ReceiveForm(
            cells=list(services.residence_cells(liaison.residence_commune)),
            initial={"residence_cell": liaison.residence_cell_id},
        )
    if liaison.status in INTRODUCED_STATUSES and sides:
        forms["exemption"] = bound.get("exemption") or ActivityExemptionForm(
            initial={"exemption": liaison.exemption, "reason": liaison.exemption_reason}
        )
    if liaison.is_open and sides:
        forms["end"] = bound.get("end") or EndForm(
            exempt=liaison.status == LiaisonStatus.EXEMPT, sides=sides
        )
    return forms


def _render_detail(request, liaison, bound: dict | None = None):
    scope = request.scope
    comments = list(liaison.comments.select_related("commented_by"))
    notices = list(liaison.notices.select_related("from_org", "to_org", "sent_by"))
    history = list(liaison.history.select_related("history_user").order_by("-history_date")[:50])
    return render(
        request,
        "liaison/detail.html",
        {
            "liaison": liaison,
            "member": liaison.member,
            "comments": comments,
            "notices": notices,
            "history": history,
            "forms": _forms(request, liaison, bound),
            "can_comment": liaison.received_on is not None
            and liaison.status in (LiaisonStatus.RECEIVED, LiaisonStatus.ENDED)
            and liaison.can_comment(scope),
            "sees_member": scope.level_for(liaison.member.organization) > 0,
        },
    )


@never_cache
@login_required
def detail(request, uuid):
    liaison = get_liaison(request.scope, uuid)
    audit_log.record_view(liaison.member, "liaison")
    return _render_detail(request, liaison)


@login_required
@require_POST
def receive(request, uuid):
    liaison = get_liaison(request.scope, uuid)
    if not liaison.can_act_for_residence(request.scope):
        raise PermissionDenied
    if liaison.status != LiaisonStatus.INTRODUCED:
        messages.error(request, _("This member is not waiting for receipt."))
        return redirect(liaison.get_absolute_url())
    form = ReceiveForm(
        request.POST, cells=list(services.residence_cells(liaison.residence_commune))
    )
    if form.is_valid():
        try:
            services.receive(
                liaison,
                residence_cell=form.cell(),
                received_on=form.cleaned_data["received_on"],
                by=request.user,
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("%(name)s is received and assigned to %(cell)s.")
                % {"name": liaison.member.person.full_name, "cell": liaison.residence_cell.name},
            )
            return redirect(liaison.get_absolute_url())
    liaison.refresh_from_db()
    return _render_detail(request, liaison, {"receive": form})


@login_required
@require_POST
def activity_exemption(request, uuid):
    liaison = get_liaison(request.scope, uuid)
    if not _sides(request, liaison):
        raise PermissionDenied
    form = ActivityExemptionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.set_activity_exemption(
                liaison, category=d["exemption"], reason=d["reason"], on=d["on"], by=request.user
            )
        except ValidationError as e:
            apply_validation_error(form, e, rename={"exemption_reason": "reason"})
        else:
            messages.success(
                request,
                _("The exemption from activities is recorded.")
                if d["exemption"]
                else _("The exemption from activities is lifted."),
            )
            return redirect(liaison.get_absolute_url())
    liaison.refresh_from_db()
    return _render_detail(request, liaison, {"exemption": form})


@login_required
@require_POST
def end(request, uuid):
    liaison = get_liaison(request.scope, uuid)
    sides = _sides(request, liaison)
    if not sides:
        raise PermissionDenied
    form = EndForm(request.POST, exempt=liaison.status == LiaisonStatus.EXEMPT, sides=sides)
    if form.is_valid():
        d = form.cleaned_data
        try:
            _liaison, notice = services.end(
                liaison,
                on=d["on"],
                reason=d["reason"],
                side=d["side"],
                note=d["note"],
                by=request.user,
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            if notice is None:
                messages.success(request, _("The liaison has ended."))
            else:
                messages.success(
                    request,
                    _("The liaison has ended; %(org)s is informed.") % {"org": notice.to_org.name},
                )
            return redirect(liaison.get_absolute_url())
    liaison.refresh_from_db()
    return _render_detail(request, liaison, {"end": form})


@never_cache
@login_required
def comment(request, uuid):
    """The residence cell's annual comment, agreed with the village Front work committee."""
    liaison = get_liaison(request.scope, uuid)
    if not liaison.can_comment(request.scope):
        raise PermissionDenied
    received = liaison.received_on is not None and liaison.status in (
        LiaisonStatus.RECEIVED,
        LiaisonStatus.ENDED,
    )
    today = timezone.localdate()
    done = dict(liaison.comments.values_list("year", "commented_on"))
    # ?year=2025 (or the posted "correct") opens that year's comment to correct it.
    correcting = None
    wanted = request.POST.get("correct") or request.GET.get("year") or ""
    if wanted.isdigit() and int(wanted) in done:
        correcting = liaison.comments.get(year=int(wanted))
    form = None
    if received:
        default_year = today.year if today.month >= 10 else today.year - 1
        default_year = max(default_year, liaison.received_on.year)
        initial = {"year": default_year}
        if correcting is not None:
            initial = {
                "year": correcting.year,
                "overall": correcting.overall,
                "other_comments": correcting.other_comments,
                "front_opinion": correcting.front_opinion,
                "front_head": correcting.front_head,
                "signed_by": correcting.signed_by,
                "commented_on": correcting.commented_on,
                **{name: getattr(correcting, name) for name, _label in CRITERIA},
            }
        form = CommentForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                services.record_comment(
                    liaison,
                    year=d["year"],
                    answers=form.answers(),
                    overall=d["overall"],
                    commented_on=d["commented_on"],
                    other_comments=d["other_comments"],
                    front_opinion=d["front_opinion"],
                    front_head=d["front_head"],
                    signed_by=d["signed_by"],
                    # Only the year opened for correction is replaced, never another one.
                    correct=correcting is not None and d["year"] == correcting.year,
                    by=request.user,
                )
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(
                    request,
                    (
                        _("The comment on %(name)s for %(year)s is corrected.")
                        if correcting is not None and d["year"] == correcting.year
                        else _("The comment on %(name)s for %(year)s is recorded.")
                    )
                    % {"name": liaison.member.person.full_name, "year": d["year"]},
                )
                return redirect(liaison.get_absolute_url())
    elif request.method == "POST":
        messages.error(request, _("The residence cell comments on a member after receiving them."))
    return render(
        request,
        "liaison/comment.html",
        {
            "liaison": liaison,
            "member": liaison.member,
            "form": form,
            "done": sorted(done.items()),
            "correcting": correcting,
        },
    )


@never_cache
@login_required
def comment_docx(request, uuid):
    """The year's annual comment form as a Word file (?year=, default the latest commented
    year): filled when the comment is recorded, blank to fill by hand otherwise. Whoever sees
    the liaison's page may download it."""
    liaison = get_liaison(request.scope, uuid)
    raw = request.GET.get("year")
    if raw:
        try:
            year = int(raw)
        except ValueError:
            raise Http404 from None
        if not 2000 <= year <= 2100:
            raise Http404
    else:
        year = documents.default_year(liaison, timezone.localdate())
    audit_log.record_view(liaison.member, "liaison_docx", year=year)
    return docx_response(documents.comment_docx(liaison, year), documents.filename(liaison, year))
