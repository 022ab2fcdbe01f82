"""Pages of the admission pipeline: the pipeline of an organization, a candidate's page with
the form of the next step, the new-candidate form, and the probationary members due for
recognition.

Who acts (accounts/access.py maps roles to levels): the cell's own steps — listing, the
sympathizer resolution, recording the class certificate, the dossier, the cell's votes, the
ceremony, taking someone off the list — are the cell's work, so they need MANAGE_MEMBERS
(level CELL: the cell's secretary and deputy, and the organization-board staff above).
The background check and the upper committee's decisions (admission, recognition,
removal from the probationary list) are not the cell's: the grassroots committee verifies
and certifies the personal history and the competent committee decides (brief §5.1–5.2).
They need MANAGE_STRUCTURE (level STAFF: organization-board staff of a committee above the
cell), so a cell secretary cannot approve their own cell's proposal. Committee members
(READ) see the pipeline but do not record in it, as everywhere else.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import Cap, get_candidate, get_member, get_organization
from admissions import deadlines, forms, services
from admissions import targets as admission_targets
from admissions.models import (
    CANDIDATE_STAGES,
    CLOSED_STAGES,
    OPEN_STAGES,
    PROBATION_STAGES,
    TARGET_MAX_YEAR,
    TARGET_MIN_YEAR,
    AdmissionTarget,
    Candidate,
    Stage,
    VoteKind,
)
from lib.forms import apply_validation_error
from members.models import Member, MemberStatus
from organizations import selectors as org_selectors
from organizations.models import subtree_q

PAGE_SIZE = 50


@dataclass(frozen=True)
class Step:
    name: str
    title: Promise
    stages: tuple
    cap: Cap
    form: type
    service: object
    done: Promise
    exit: bool = False  # a side exit (shown folded), not the pipeline's next step


STEPS = {
    s.name: s
    for s in [
        Step(
            "sympathizer",
            gettext_lazy("Admit to the sympathizer list"),
            (Stage.LISTED,),
            Cap.MANAGE_MEMBERS,
            forms.SympathizerForm,
            services.make_sympathizer,
            gettext_lazy("The cell's resolution is recorded: the person is a Party sympathizer."),
        ),
        Step(
            "certificate",
            gettext_lazy("Record the Party-awareness class certificate"),
            (Stage.SYMPATHIZER,),
            Cap.MANAGE_MEMBERS,
            forms.CertificateForm,
            services.record_certificate,
            gettext_lazy("The class certificate is recorded."),
        ),
        Step(
            "dossier",
            gettext_lazy("Record the application dossier"),
            (Stage.TRAINED,),
            Cap.MANAGE_MEMBERS,
            forms.DossierForm,
            services.record_dossier,
            gettext_lazy("The application, the personal history and the introducers are recorded."),
        ),
        Step(
            "check",
            gettext_lazy("Record the background check"),
            (Stage.DOSSIER,),
            Cap.MANAGE_STRUCTURE,
            forms.CheckForm,
            services.record_background_check,
            gettext_lazy("The background check is recorded."),
        ),
        Step(
            "vote",
            gettext_lazy("Record the cell's vote on the admission"),
            (Stage.CHECKED,),
            Cap.MANAGE_MEMBERS,
            forms.VoteForm,
            services.record_admission_vote,
            gettext_lazy("The cell's vote is recorded."),
        ),
        Step(
            "decision",
            gettext_lazy("Record the admission decision"),
            (Stage.VOTED,),
            Cap.MANAGE_STRUCTURE,
            forms.DecisionForm,
            services.record_admission_decision,
            gettext_lazy("The admission decision is recorded."),
        ),
        Step(
            "ceremony",
            gettext_lazy("Record the admission ceremony"),
            (Stage.DECIDED,),
            Cap.MANAGE_MEMBERS,
            forms.CeremonyForm,
            services.record_ceremony,
            gettext_lazy("Admitted: the new probationary member is on the cell's list."),
        ),
        Step(
            "recognition_vote",
            gettext_lazy("Record the cell's recognition vote"),
            (Stage.PROBATION,),
            Cap.MANAGE_MEMBERS,
            forms.VoteForm,
            services.record_recognition_vote,
            gettext_lazy("The cell's recognition vote is recorded."),
        ),
        Step(
            "recognition_decision",
            gettext_lazy("Record the recognition as official member"),
            (Stage.RECOGNITION_VOTED, Stage.REFERRED),
            Cap.MANAGE_STRUCTURE,
            forms.RecognitionDecisionForm,
            services.record_recognition_decision,
            gettext_lazy("Recognised: the member is official as of the end of probation."),
        ),
        Step(
            "strike_off",
            gettext_lazy("Remove from the probationary list"),
            PROBATION_STAGES,
            Cap.MANAGE_STRUCTURE,
            forms.StrikeOffForm,
            services.strike_off,
            gettext_lazy("Removed from the probationary list."),
            exit=True,
        ),
        Step(
            "reject",
            gettext_lazy("Take off the list or record a withdrawal"),
            CANDIDATE_STAGES,
            Cap.MANAGE_MEMBERS,
            forms.CloseForm,
            services.close_candidacy,
            gettext_lazy("The candidacy is closed."),
            exit=True,
        ),
    ]
}


def _steps_for(candidate: Candidate):
    return [s for s in STEPS.values() if candidate.stage in s.stages]


def _person_visible_id(scope, candidate: Candidate) -> str:
    """The citizen ID in full only to those who manage the cell (as for members)."""
    person = candidate.person
    return (
        person.citizen_id
        if scope.can(Cap.MANAGE_MEMBERS, candidate.acting_cell)
        else person.masked_citizen_id
    )


def _detail(request, candidate: Candidate, bound: dict | None = None, status=200):
    """The candidate's page; `bound` = {step name: bound form with errors} after a bad POST."""
    scope = request.scope
    today = timezone.localdate()
    bound = bound or {}
    actions, waiting = [], []
    for step in _steps_for(candidate):
        if scope.can(step.cap, candidate.acting_cell):
            form = bound.get(step.name) or step.form(candidate=candidate, auto_id=f"{step.name}_%s")
            actions.append((step, form))
        elif not step.exit:
            waiting.append(step)
    votes = list(candidate.votes.all())
    return render(
        request,
        "admissions/candidate.html",
        {
            "candidate": candidate,
            "person": candidate.person,
            "citizen_id": _person_visible_id(scope, candidate),
            "org": candidate.organization,
            "ancestors": org_selectors.ancestors(candidate.organization),
            "introducers": list(candidate.introducers.select_related("member__person")),
            "admission_votes": [v for v in votes if v.kind == VoteKind.ADMISSION],
            "recognition_votes": [v for v in votes if v.kind == VoteKind.RECOGNITION],
            "due": deadlines.due_for(candidate, today),
            "ceremony_late": deadlines.ceremony_was_late(candidate),
            "ceremony_deadline": (
                deadlines.ceremony_deadline(candidate.decision_received_on)
                if candidate.decision_received_on
                else None
            ),
            "probation_end": candidate.probation_end,
            "person_age": candidate.person.age_on(today),
            "over_60": candidate.person.age_on(today) >= 60 and candidate.stage in CANDIDATE_STAGES,
            "actions": [a for a in actions if not a[0].exit],
            "exits": [a for a in actions if a[0].exit],
            "waiting": waiting,
            "today": today,
        },
        status=status,
    )


@never_cache
@login_required
def detail(request, uuid):
    return _detail(request, get_candidate(request.scope, uuid))


@login_required
@require_POST
def act(request, uuid, step):
    """One step of the pipeline (its name in the URL; one URL name per step)."""
    spec = STEPS[step]
    candidate = get_candidate(request.scope, uuid, spec.cap)
    if candidate.stage not in spec.stages:
        messages.error(
            request,
            _("This step is not the next one any more: the candidate is at “%(stage)s”.")
            % {"stage": candidate.get_stage_display()},
        )
        return redirect(candidate)
    form = spec.form(request.POST, candidate=candidate, auto_id=f"{step}_%s")
    if form.is_valid():
        try:
            spec.service(candidate, **form.kwargs(), user=request.user)
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(request, spec.done)
            return redirect(candidate)
    candidate.refresh_from_db()
    return _detail(request, candidate, {step: form}, status=400)


def _stage_counts(org) -> dict:
    """Candidates per stage in the organization's subtree: one grouped query."""
    rows = (
        Candidate.objects.filter(subtree_q(org.path, "organization__"))
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


@never_cache
@login_required
def pipeline(request, uuid):
    """The admission pipeline of an organization and everything below it."""
    org = get_organization(request.scope, uuid)
    today = timezone.localdate()
    counts = _stage_counts(org)
    shown = request.GET.get("stage", "open")
    if shown == "open":
        stages = OPEN_STAGES
    elif shown == "closed":
        stages = CLOSED_STAGES
    elif shown in Stage.values:
        stages = (shown,)
    else:
        raise Http404
    qs = (
        Candidate.objects.filter(subtree_q(org.path, "organization__"), stage__in=stages)
        .select_related("person", "organization")
        .order_by("organization__sort_key", "organization_id", "person__sort_key", "pk")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(c, deadlines.due_for(c, today)) for c in page.object_list]
    return render(
        request,
        "admissions/pipeline.html",
        {
            "org": org,
            "ancestors": org_selectors.ancestors(org),
            "stages": [(s.value, s.label, counts.get(s.value, 0)) for s in Stage],
            "open_total": sum(counts.get(s, 0) for s in OPEN_STAGES),
            "closed_total": sum(counts.get(s, 0) for s in CLOSED_STAGES),
            "shown": shown,
            "page": page,
            "rows": rows,
            "can_add": org.is_cell and org.is_active and request.scope.can(Cap.MANAGE_MEMBERS, org),
        },
    )


@never_cache
@login_required
def create(request, uuid):
    """List a new outstanding non-member in a cell."""
    org = get_organization(request.scope, uuid, Cap.MANAGE_MEMBERS)
    if not org.is_cell or not org.is_active:
        raise Http404
    form = forms.CandidateForm(request.POST or None, initial={"listed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        try:
            candidate = services.create_candidate(
                person=person,
                organization=org,
                listed_on=form.cleaned_data["listed_on"],
                recommended_by=form.cleaned_data["recommended_by"],
                user=request.user,
            )
        except ValidationError as e:
            apply_validation_error(form, e)
        else:
            messages.success(
                request,
                _("%(name)s is listed as an outstanding non-member.") % {"name": person.full_name},
            )
            return redirect(candidate)
    return render(
        request,
        "admissions/create.html",
        {"org": org, "ancestors": org_selectors.ancestors(org), "form": form},
        status=400 if form.is_bound else 200,
    )


@never_cache
@login_required
def recognition_due(request, uuid):
    """Probationary members of the organization and below, with the recognition due dates
    (Đảng viên dự bị đến hạn xét chính thức), with or without a candidacy record."""
    org = get_organization(request.scope, uuid)
    today = timezone.localdate()
    members = list(
        Member.objects.filter(
            subtree_q(org.path, "organization__"), status=MemberStatus.PROBATIONARY
        )
        .select_related("person", "organization", "candidacy")
        .order_by("ceremony_date", "person__sort_key", "pk")
    )
    rows = []
    for m in members:
        candidacy = m.candidacy if _has_candidacy(m) else None
        due = (deadlines.due_for(candidacy, today) if candidacy else None) or (
            deadlines.due_for_member(m, today)
        )
        rows.append(
            {
                "member": m,
                "candidacy": candidacy,
                "probation_end": deadlines.probation_end(m.ceremony_date)
                if m.ceremony_date
                else None,
                "due": due,
                "can_open": candidacy is None
                and m.ceremony_date is not None
                and request.scope.can(Cap.MANAGE_MEMBERS, m.organization),
            }
        )
    return render(
        request,
        "admissions/recognition_due.html",
        {
            "org": org,
            "ancestors": org_selectors.ancestors(org),
            "rows": rows,
            "today": today,
            "overdue": sum(1 for r in rows if r["due"] and r["due"].overdue),
        },
    )


def _has_candidacy(member: Member) -> bool:
    try:
        member.candidacy  # noqa: B018 - loaded by select_related; raises when there is none
    except Candidate.DoesNotExist:
        return False
    return True


@login_required
@require_POST
def open_probation(request, uuid):
    """Open the pipeline record of a probationary member entered without one, to record the
    recognition here."""
    member = get_member(request.scope, uuid, Cap.MANAGE_MEMBERS)
    try:
        candidate = services.open_probation(member, user=request.user)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect(member)
    return redirect(candidate)


# ---- targets (chỉ tiêu kết nạp) ---------------------------------------------------------------


def _target_year(request) -> int:
    """The year asked for (?year=), this year by default; 404 outside the years targets have."""
    raw = request.GET.get("year") or str(timezone.localdate().year)
    try:
        year = int(raw)
    except ValueError:
        raise Http404 from None
    if not TARGET_MIN_YEAR <= year <= TARGET_MAX_YEAR:
        raise Http404
    return year


@never_cache
@login_required
def targets(request, uuid):
    """Admission targets of the organization and its direct units for a year, against the
    members admitted (ceremony in the year): constant queries however many units."""
    org = get_organization(request.scope, uuid)
    year = _target_year(request)
    children = org_selectors.children(org)
    data = admission_targets.table(org, children, year)
    return render(
        request,
        "admissions/targets.html",
        {
            "org": org,
            "ancestors": org_selectors.ancestors(org),
            "year": year,
            "years": (year - 1, year + 1),
            "rows": data["rows"],
            "total": data["total"],
            "can_edit": request.scope.can(Cap.MANAGE_STRUCTURE, org),
        },
    )


@never_cache
@login_required
def targets_edit(request, uuid):
    """Set the year's targets of the organization and of each of its direct units."""
    org = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    year = _target_year(request)
    units = [org, *org_selectors.children(org)]
    existing = {
        t.organization_id: t
        for t in AdmissionTarget.objects.filter(organization__in=units, year=year)
    }
    rows = []
    for unit in units:
        t = existing.get(unit.pk)
        initial = {"admissions": t.admissions, **t.shares()} if t else {}
        form = forms.TargetForm(request.POST or None, prefix=f"u{unit.pk}", initial=initial)
        rows.append((unit, form))
    error = None
    if request.method == "POST" and all(f.is_valid() for _u, f in rows):
        try:
            admission_targets.set_targets(
                org, year, {u: f.value() for u, f in rows}, user=request.user
            )
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(
                request, _("The admission targets for %(year)s are saved.") % {"year": year}
            )
            return redirect(f"{reverse('admissions:targets', args=[org.uuid])}?year={year}")
    return render(
        request,
        "admissions/targets_edit.html",
        {
            "org": org,
            "ancestors": org_selectors.ancestors(org),
            "year": year,
            "rows": rows,
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )
