"""Inspection and supervision (kiểm tra, giám sát): a committee's yearly plan, the inspections
of organizations below it and of members of its cells, their conclusions and the follow-up of
each conclusion (issue 5 item 6; brief §2.8, seed 002).

One function per step. Each validates everything first, raises ValidationError with a message
the user can act on, and writes in one transaction; nothing is written when one is raised.

    planned ──start──▶ in progress ──conclude──▶ concluded ──▶ follow-ups (add, complete)

Who may call them (Cap.MANAGE_STRUCTURE on the committee) is the views' and the API's
business (accounts.access.get_inspection / get_inspection_plan).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.text import vn_date
from members.models import ACTIVE_STATUSES, Member
from organizations.models import Organization, OrgKind, subtree_q
from oversight.models import (
    FollowUp,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionStatus,
)

# A plan or an inspection further than this from today is a typing error, not a programme.
YEARS_AHEAD = 1
FIRST_YEAR = 2000


def can_carry_out(org: Organization) -> bool:
    """Any party committee or cell committee (chi ủy) carries out inspections and supervisions
    (seed 002: the cell committee too adopts a yearly programme); a party group does not."""
    return org.kind != OrgKind.PARTY_GROUP


def _require_committee(committee: Organization) -> None:
    if not can_carry_out(committee):
        raise ValidationError(_("A party group does not carry out inspections or supervisions."))
    if not committee.is_active:
        raise ValidationError(_("%(org)s is dissolved.") % {"org": committee.name})


def _not_in_future(field: str, value: dt.date, label: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("%(what)s cannot be in the future.") % {"what": label}})


def _check_year(year: int, field: str = "year") -> None:
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year + YEARS_AHEAD:
        raise ValidationError(
            {
                field: _("Enter a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": today.year + YEARS_AHEAD}
            }
        )


# ---- the yearly plan ---------------------------------------------------------------------


def _check_plan(committee, year, approved_on, exclude_pk=None) -> None:
    _check_year(year)
    if approved_on is not None:
        _not_in_future("approved_on", approved_on, _("The adoption date"))
        # A year's programme is adopted late the year before or early in the year.
        if not year - 1 <= approved_on.year <= year:
            raise ValidationError(
                {
                    "approved_on": _(
                        "A plan for %(year)s is adopted in %(before)s or %(year)s, not on %(date)s."
                    )
                    % {"year": year, "before": year - 1, "date": vn_date(approved_on)}
                }
            )
    clash = InspectionPlan.objects.filter(organization=committee, year=year)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {
                "year": _("%(org)s already has a plan for %(year)s.")
                % {"org": committee.name, "year": year}
            }
        )


def adopt_plan(
    committee: Organization,
    *,
    year: int,
    number: str = "",
    approved_on: dt.date | None = None,
    summary: str = "",
    by=None,
) -> InspectionPlan:
    """Record the committee's inspection and supervision programme for a year."""
    _require_committee(committee)
    _check_plan(committee, year, approved_on)
    try:
        with transaction.atomic():
            return InspectionPlan.objects.create(
                province_id=committee.province_id,
                organization=committee,
                year=year,
                number=number.strip(),
                approved_on=approved_on,
                summary=summary.strip(),
                created_by=by,
            )
    except IntegrityError as e:  # the same plan saved twice at once
        raise ValidationError(
            {
                "year": _("%(org)s already has a plan for %(year)s.")
                % {"org": committee.name, "year": year}
            }
        ) from e


@transaction.atomic
def update_plan(
    plan: InspectionPlan,
    *,
    year: int,
    number: str = "",
    approved_on: dt.date | None = None,
    summary: str = "",
    by=None,
) -> InspectionPlan:
    """Correct the plan's number, date, content or year. Its inspections must stay in its year."""
    _check_plan(plan.organization, year, approved_on, exclude_pk=plan.pk)
    if year != plan.year and plan.inspections.exclude(planned_from__year=year).exists():
        raise ValidationError(
            {
                "year": _(
                    "Inspections of this plan are planned in %(year)s: the year cannot change."
                )
                % {"year": plan.year}
            }
        )
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    plan.year = year
    plan.number = number.strip()
    plan.approved_on = approved_on
    plan.summary = summary.strip()
    plan.save()
    return plan


# ---- inspections ---------------------------------------------------------------------------


def subjects_below(committee: Organization):
    """The organizations a committee may inspect: the active ones strictly below it."""
    return (
        Organization.objects.filter(subtree_q(committee.path))
        .exclude(pk=committee.pk)
        .filter(dissolved_on__isnull=True)
    )


def members_below(committee: Organization):
    """The members a committee may inspect: members in the cells of its subtree (the cell's
    own members when the committee is a cell committee)."""
    return Member.objects.filter(
        subtree_q(committee.path, "organization__"), status__in=ACTIVE_STATUSES
    )


def _check_subject(committee, subject_org, subject_member) -> Organization:
    """The organization the inspection is of: the one given, or the member's cell."""
    if (subject_org is None) == (subject_member is None):
        raise ValidationError(
            {"subject_org": _("Choose the organization or the member inspected (one of them).")}
        )
    if subject_member is not None:
        cell = subject_member.organization
        if not cell.path.startswith(committee.path):
            raise ValidationError(
                {
                    "subject_member": _("%(name)s is not a member of a cell under %(org)s.")
                    % {"name": subject_member.person.full_name, "org": committee.name}
                }
            )
        if subject_member.status not in ACTIVE_STATUSES:
            raise ValidationError(
                {
                    "subject_member": _("%(name)s is no longer an active party member.")
                    % {"name": subject_member.person.full_name}
                }
            )
        return cell
    if subject_org.pk == committee.pk or not subject_org.path.startswith(committee.path):
        raise ValidationError(
            {
                "subject_org": _("%(subject)s is not an organization under %(org)s.")
                % {"subject": subject_org.name, "org": committee.name}
            }
        )
    if not subject_org.is_active:
        raise ValidationError(
            {"subject_org": _("%(org)s is dissolved.") % {"org": subject_org.name}}
        )
    return subject_org


def _check_dates(planned_from, planned_to) -> None:
    _check_year(planned_from.year, "planned_from")
    if planned_to is not None and planned_to < planned_from:
        raise ValidationError(
            {"planned_to": _("The end of the planned period cannot be before its start.")}
        )


def _check_plan_link(committee, plan, planned_from) -> None:
    if plan is None:
        return
    if plan.organization_id != committee.pk:
        raise ValidationError({"plan": _("This plan is another committee's.")})
    if plan.year != planned_from.year:
        raise ValidationError(
            {
                "plan": _("The plan is for %(year)s; the inspection is planned in %(other)s.")
                % {"year": plan.year, "other": planned_from.year}
            }
        )


@transaction.atomic
def create_inspection(
    committee: Organization,
    *,
    kind: str,
    topic: str,
    planned_from: dt.date,
    planned_to: dt.date | None = None,
    subject_org: Organization | None = None,
    subject_member: Member | None = None,
    plan: InspectionPlan | None = None,
    by=None,
) -> Inspection:
    """Plan an inspection or supervision of an organization below the committee or of a
    member of a cell below it, within the year's plan or outside it."""
    _require_committee(committee)
    if kind not in InspectionKind.values:
        raise ValidationError({"kind": _("Choose inspection or supervision.")})
    if not topic.strip():
        raise ValidationError({"topic": _("Say what is inspected or supervised.")})
    org = _check_subject(committee, subject_org, subject_member)
    _check_dates(planned_from, planned_to)
    _check_plan_link(committee, plan, planned_from)
    return Inspection.objects.create(
        province_id=committee.province_id,
        organization=committee,
        plan=plan,
        kind=kind,
        subject_org=org,
        subject_member=subject_member,
        topic=topic.strip(),
        planned_from=planned_from,
        planned_to=planned_to,
        created_by=by,
    )


def _locked(inspection: Inspection) -> Inspection:
    """The row under a lock, so two clicks cannot take the same step twice."""
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("organization", "subject_org", "subject_member__person", "plan")
        .get(pk=inspection.pk)
    )


def _require_status(inspection: Inspection, *allowed: str, action: str) -> None:
    if inspection.status not in allowed:
        raise ValidationError(
            _("This inspection is %(status)s: it cannot be %(action)s.")
            % {"status": inspection.get_status_display().lower(), "action": action}
        )


@transaction.atomic
def start_inspection(inspection: Inspection, *, on: dt.date, by=None) -> Inspection:
    """Planned → in progress, on the day the team started work."""
    inspection = _locked(inspection)
    _require_status(inspection, InspectionStatus.PLANNED, action=_("started"))
    _not_in_future("started_on", on, _("The start date"))
    inspection.status = InspectionStatus.IN_PROGRESS
    inspection.started_on = on
    inspection.save(update_fields=["status", "started_on"])
    return inspection


@transaction.atomic
def conclude_inspection(
    inspection: Inspection,
    *,
    on: dt.date,
    conclusion: str,
    number: str = "",
    violation_found: bool = False,
    by=None,
) -> Inspection:
    """In progress → concluded, with the conclusion (its number and text) and whether
    violations were found. The follow-up items are added afterwards."""
    inspection = _locked(inspection)
    _require_status(inspection, InspectionStatus.IN_PROGRESS, action=_("concluded"))
    if not conclusion.strip():
        raise ValidationError({"conclusion": _("Write the conclusion to conclude.")})
    _not_in_future("concluded_on", on, _("The conclusion date"))
    if on < inspection.started_on:
        raise ValidationError(
            {
                "concluded_on": _("The conclusion cannot be dated before the start (%(date)s).")
                % {"date": vn_date(inspection.started_on)}
            }
        )
    inspection.status = InspectionStatus.CONCLUDED
    inspection.concluded_on = on
    inspection.conclusion = conclusion.strip()
    inspection.conclusion_no = number.strip()
    inspection.violation_found = violation_found
    inspection.save(
        update_fields=["status", "concluded_on", "conclusion", "conclusion_no", "violation_found"]
    )
    return inspection


# ---- follow-up of the conclusion -------------------------------------------------------------


@transaction.atomic
def add_follow_up(
    inspection: Inspection,
    *,
    text: str,
    responsible: str = "",
    due_on: dt.date | None = None,
    by=None,
) -> FollowUp:
    """One thing the conclusion asks to be done, by whom and by when."""
    inspection = _locked(inspection)
    if inspection.status != InspectionStatus.CONCLUDED:
        raise ValidationError(_("Follow-up items come from the conclusion: conclude first."))
    if not text.strip():
        raise ValidationError({"text": _("Say what is to be done.")})
    if due_on is not None and due_on < inspection.concluded_on:
        raise ValidationError(
            {
                "due_on": _("The due date cannot be before the conclusion (%(date)s).")
                % {"date": vn_date(inspection.concluded_on)}
            }
        )
    return FollowUp.objects.create(
        province_id=inspection.province_id,
        inspection=inspection,
        text=text.strip(),
        responsible=responsible.strip(),
        due_on=due_on,
    )


@transaction.atomic
def complete_follow_up(follow_up: FollowUp, *, done_on: dt.date, result: str, by=None) -> FollowUp:
    """Record that a follow-up item was done, when, and with what result."""
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("inspection")
        .get(pk=follow_up.pk)
    )
    if follow_up.done_on is not None:
        raise ValidationError(
            _("This item was already recorded as done on %(date)s.")
            % {"date": vn_date(follow_up.done_on)}
        )
    if not result.strip():
        raise ValidationError({"result": _("Write the result.")})
    _not_in_future("done_on", done_on, _("The date done"))
    concluded = follow_up.inspection.concluded_on
    if done_on < concluded:
        raise ValidationError(
            {
                "done_on": _("The date done cannot be before the conclusion (%(date)s).")
                % {"date": vn_date(concluded)}
            }
        )
    follow_up.done_on = done_on
    follow_up.result = result.strip()
    follow_up.save(update_fields=["done_on", "result"])
    return follow_up


# ---- counts for the committee's page and the API ------------------------------------------


def counts(inspections, follow_ups, today: dt.date) -> dict:
    """Planned / in progress / concluded / with violations among `inspections`, and the
    follow-up items overdue among `follow_ups`: two queries."""
    c = inspections.aggregate(
        total=Count("pk"),
        planned=Count("pk", filter=Q(status=InspectionStatus.PLANNED)),
        in_progress=Count("pk", filter=Q(status=InspectionStatus.IN_PROGRESS)),
        concluded=Count("pk", filter=Q(status=InspectionStatus.CONCLUDED)),
        violations=Count("pk", filter=Q(status=InspectionStatus.CONCLUDED, violation_found=True)),
    )
    c["overdue"] = follow_ups.overdue(today).count()
    return c
