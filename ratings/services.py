"""The review and rating workflow, one function per step (brief §4, §14.2 G).

    open_cycle ──▶ MemberReview: EXCLUDED (with the reason)  or  PENDING
    PENDING ──record_self_review──▶ SELF_REVIEWED ──propose (cell vote)──▶ PROPOSED
    PROPOSED ──decide (superior; cap on the top level)──▶ DECIDED (re-decided while open)
    DECIDED ──lodge_complaint (the member)──▶ COMPLAINED ──answer_complaint (superior:
        keeps or changes the level, the cap checked again)──▶ DECIDED
    OrganizationReview ──decide_org (after its members and collectives)──▶ decided
    close_cycle once everyone is decided: nothing changes afterwards.

Every function validates first and raises ValidationError (translated, nothing written), then
writes in one transaction.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.access import CAP_LEVEL, Cap
from admissions.models import add_months
from audit.log import record_bulk
from audit.models import Action
from lib.text import vn_date
from lifecycle.models import DecisionKind, StatusDecision
from members.models import Member, MemberStatus
from organizations.models import CellType, Organization, OrgKind, subtree_q
from ratings.models import (
    LEVEL_NAMES,
    RANK,
    SCORED,
    CapBase,
    CycleStatus,
    Exclusion,
    FormType,
    Level,
    MemberReview,
    OrganizationReview,
    ReviewCycle,
    ReviewStatus,
    level_for_score,
    rule_set_for,
)

# Organizations that run a review: a grassroots committee or cell reviews its members and
# collectives; a committee under the province or the province may run one for its subtree.
RUNS_REVIEWS = (
    OrgKind.PROVINCE,
    OrgKind.PROVINCE_UNIT,
    OrgKind.GRASSROOTS_COMMITTEE,
    OrgKind.GRASSROOTS_CELL,
)
# Party groups (tổ đảng) are not collectives that are rated.
RATED_KINDS = tuple(k for k in OrgKind if k != OrgKind.PARTY_GROUP)
# Members of these cells work in the political system (form 2B unless they hold a leadership
# post, 2A); members of the others — villages, residential groups, private firms — do not (2C).
POLITICAL_SYSTEM_CELLS = (
    CellType.AGENCY,
    CellType.PUBLIC_SERVICE,
    CellType.SCHOOL,
    CellType.STATE_ENTERPRISE,
    CellType.ARMY,
    CellType.POLICE,
)
RATED_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)
# Decisions in the period that count as discipline against a collective's top level.
DISCIPLINE_KINDS = (DecisionKind.SUSPENSION, DecisionKind.EXPULSION, DecisionKind.STRIKE_OFF)
MIN_MONTHS = 6  # admitted less than 6 months before the end of the period: not rated


# ---- rules that do not touch the database --------------------------------------------------


def default_form(member: Member) -> str:
    cell_type = member.organization.cell_type
    return FormType.B if cell_type in POLITICAL_SYSTEM_CELLS else FormType.C


def exclusion_for(member: Member, period_end: dt.date) -> str:
    """Why a member is not rated in a period ending on `period_end` (QĐ 124 art. 5.2.1), or ""."""
    if member.status == MemberStatus.EXEMPT:
        return Exclusion.EXEMPT
    if member.status == MemberStatus.SUSPENDED:
        return Exclusion.SUSPENDED
    admitted = member.party_age_start
    if admitted and add_months(admitted, MIN_MONTHS) > period_end:
        return Exclusion.RECENTLY_ADMITTED
    return ""


def _score(value, field: str, cycle: ReviewCycle):
    """A score on the 100-point scale, or None; only cycles under QĐ 366 are scored."""
    if value in (None, ""):
        return None
    if not cycle.is_scored:
        raise ValidationError(
            {
                field: _("Ratings under %(rules)s are not scored on 100 points.")
                % {"rules": cycle.get_rule_set_display()}
            }
        )
    try:
        score = Decimal(str(value)).quantize(Decimal("0.1"))
    except InvalidOperation as e:
        raise ValidationError({field: _("Give the score as a number from 0 to 100.")}) from e
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({field: _("Give the score as a number from 0 to 100.")})
    return score


def _check_level(level: str, score, field: str, cycle: ReviewCycle, subject: str = "member"):
    """The level is one of the four and not above the band of the score (QĐ 366 art. 11)."""
    if level not in Level.values:
        raise ValidationError({field: _("Choose one of the four levels.")})
    if score is None:
        return
    band = level_for_score(score)
    if RANK[level] > RANK[band]:
        raise ValidationError(
            {
                field: _(
                    "A score of %(score)s falls in “%(band)s”: the level cannot be higher. "
                    "The bands are 90 and over, 70 to under 90, 50 to under 70 and under 50."
                )
                % {
                    "score": formats.number_format(score, 1),
                    "band": cycle.level_name(band, subject),
                }
            }
        )


def _check_on(on: dt.date, cycle: ReviewCycle, field: str = "on") -> dt.date:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    if on < cycle.period_start:
        raise ValidationError(
            {
                field: _("The review of %(period)s cannot be dated before %(date)s.")
                % {"period": cycle.period_label, "date": vn_date(cycle.period_start)}
            }
        )
    return on


def _check_open(cycle: ReviewCycle):
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError(
            _("The review of %(period)s is closed: its ratings can no longer change.")
            % {"period": cycle.period_label}
        )


def _save(obj, by):
    if by is not None:
        obj._history_user = by
    obj.save()


# ---- the cap on the top level -----------------------------------------------------------


def cap_allowed(cycle: ReviewCycle, levels: list[str]) -> int | None:
    """How many may be rated excellent in a group whose levels (decided, else proposed,
    the excellent ones included) are `levels`; None when the cycle has no cap."""
    pct = cycle.excellent_cap_percent
    if pct is None:
        return None
    counted = (Level.GOOD,) if cycle.cap_base == CapBase.GOOD else (Level.GOOD, Level.EXCELLENT)
    base = sum(1 for lv in levels if lv in counted)
    return base * pct // 100


def _check_cap(cycle, subject_pk, group: list, group_name: str, subject: str):
    """Deciding one more excellent in `group` (reviews with current_level / decided_level)
    must keep the count within the cap."""
    others = [r for r in group if r.pk != subject_pk]
    levels = [r.current_level for r in others] + [Level.EXCELLENT]
    allowed = cap_allowed(cycle, levels)
    if allowed is None:
        return
    decided = sum(1 for r in others if r.decided_level == Level.EXCELLENT)
    if decided + 1 > allowed:
        counted = (Level.GOOD,) if cycle.cap_base == CapBase.GOOD else (Level.GOOD, Level.EXCELLENT)
        base = sum(1 for lv in levels if lv in counted)
        raise ValidationError(
            {
                "level": _(
                    "The cap on “%(top)s” in %(group)s is %(pct)s%% %(base)s: %(allowed)s "
                    "of %(count)s. %(decided)s already decided at that level."
                )
                % {
                    "top": cycle.level_name(Level.EXCELLENT, subject),
                    "group": group_name,
                    "pct": cycle.excellent_cap_percent,
                    "base": cycle.get_cap_base_display(),
                    "allowed": allowed,
                    "count": base,
                    "decided": decided,
                }
            }
        )


# ---- opening and closing a cycle ----------------------------------------------------------


@transaction.atomic
def open_cycle(
    org: Organization,
    *,
    year: int,
    quarter: int | None = None,
    excellent_cap_percent: int | None = 20,
    cap_base: str = CapBase.GOOD,
    on: dt.date | None = None,
    by=None,
) -> ReviewCycle:
    """Open the review of a year (or quarter) for an organization's subtree: one MemberReview
    per member (the excluded with their reason) and one OrganizationReview per collective."""
    today = timezone.localdate()
    on = on or today
    if org.kind not in RUNS_REVIEWS:
        raise ValidationError(
            _(
                "%(name)s does not run a review: the grassroots committee or cell above it "
                "does, for all its cells."
            )
            % {"name": org.name}
        )
    if not org.is_active:
        raise ValidationError(_("%(name)s has been dissolved.") % {"name": org.name})
    rule_set = rule_set_for(year)
    if rule_set is None:
        raise ValidationError({"year": _("Reviews before 2008 are not kept here.")})
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("A quarter is 1, 2, 3 or 4.")})
    if quarter and rule_set not in SCORED:
        raise ValidationError({"quarter": _("Quarterly ratings began with QĐ 366-QĐ/TW (2025).")})
    cycle = ReviewCycle(
        province_id=org.province_id,
        organization=org,
        year=year,
        quarter=quarter,
        rule_set=rule_set,
        level_names={
            k: {str(lv): n for lv, n in v.items()} for k, v in LEVEL_NAMES[rule_set].items()
        },
        excellent_cap_percent=excellent_cap_percent,
        cap_base=cap_base,
        opened_on=on,
        opened_by=by,
    )
    if cycle.period_start > today:
        raise ValidationError(
            {"year": _("%(period)s has not started yet.") % {"period": cycle.period_label}}
        )
    if on > today:
        raise ValidationError({"on": _("This date is in the future.")})
    if excellent_cap_percent is not None and not 0 <= excellent_cap_percent <= 100:
        raise ValidationError({"excellent_cap_percent": _("Give a percentage from 0 to 100.")})
    if cap_base not in CapBase.values:
        raise ValidationError({"cap_base": _("Choose how the cap is counted.")})
    step = Organization.steplen
    ancestors = [org.path[:end] for end in range(step, len(org.path) + 1, step)]
    overlap = (
        ReviewCycle.objects.filter(year=year, quarter=quarter)
        .filter(Q(organization__path__in=ancestors) | subtree_q(org.path, "organization__"))
        .select_related("organization")
        .first()
    )
    if overlap:
        raise ValidationError(
            _("%(org)s already runs the review of %(period)s, which covers these members.")
            % {"org": overlap.organization.name, "period": cycle.period_label}
        )
    _save(cycle, by)

    members = list(
        Member.objects.filter(
            subtree_q(org.path, "organization__"),
            status__in=(*RATED_STATUSES, MemberStatus.EXEMPT, MemberStatus.SUSPENDED),
        ).select_related("organization")
    )
    end = cycle.period_end
    reviews = []
    for m in members:
        if m.party_age_start and m.party_age_start > end:
            continue  # admitted after the period: not a member then
        reason = exclusion_for(m, end)
        reviews.append(
            MemberReview(
                province_id=cycle.province_id,
                cycle=cycle,
                member=m,
                cell=m.organization,
                status=ReviewStatus.EXCLUDED if reason else ReviewStatus.PENDING,
                exclusion=reason,
                form_type=default_form(m),
            )
        )
    bulk_create_with_history(reviews, MemberReview, default_user=by)
    record_bulk(MemberReview, Action.CREATE, len(reviews), user=by, cycle=str(cycle.uuid))
    orgs = Organization.objects.filter(
        subtree_q(org.path), kind__in=RATED_KINDS, dissolved_on__isnull=True
    )
    org_reviews = bulk_create_with_history(
        [
            OrganizationReview(province_id=cycle.province_id, cycle=cycle, organization=o)
            for o in orgs
        ],
        OrganizationReview,
        default_user=by,
    )
    record_bulk(OrganizationReview, Action.CREATE, len(org_reviews), user=by, cycle=str(cycle.uuid))
    return cycle


@transaction.atomic
def close_cycle(cycle: ReviewCycle, *, on: dt.date | None = None, by=None) -> ReviewCycle:
    """Close a cycle once every member and collective is decided (or not rated)."""
    _check_open(cycle)
    on = _check_on(on, cycle)
    complaints = cycle.member_reviews.filter(status=ReviewStatus.COMPLAINED).count()
    if complaints:
        raise ValidationError(
            _("%(n)s complaint(s) are not answered yet: answer every complaint before closing.")
            % {"n": complaints}
        )
    waiting = cycle.member_reviews.exclude(
        status__in=(ReviewStatus.EXCLUDED, ReviewStatus.DECIDED)
    ).count()
    if waiting:
        raise ValidationError(
            _("%(n)s member(s) are not decided yet: decide every rating before closing.")
            % {"n": waiting}
        )
    orgs = cycle.org_reviews.filter(decided_level="").count()
    if orgs:
        raise ValidationError(
            _("%(n)s organization(s) are not decided yet: decide every rating before closing.")
            % {"n": orgs}
        )
    cycle.status = CycleStatus.CLOSED
    cycle.closed_on = on
    cycle.closed_by = by
    _save(cycle, by)
    return cycle


# ---- a member's review: self-review, cell proposal, superior decision ---------------------


@transaction.atomic
def record_self_review(
    review: MemberReview,
    *,
    form_type: str,
    results: str,
    strengths: str = "",
    shortcomings: str = "",
    remedies: str = "",
    self_level: str,
    self_score=None,
    on: dt.date | None = None,
    by=None,
) -> MemberReview:
    """Step 1: the member's self-review on form 2A/2B/2C and self-classification."""
    cycle = review.cycle
    _check_open(cycle)
    if review.status == ReviewStatus.EXCLUDED:
        raise ValidationError(
            _("This member is not rated in this review: %(why)s.")
            % {"why": review.get_exclusion_display()}
        )
    if review.status not in (ReviewStatus.PENDING, ReviewStatus.SELF_REVIEWED):
        raise ValidationError(
            _("The cell has already proposed a level: the self-review can no longer change.")
        )
    if form_type not in FormType.values:
        raise ValidationError({"form_type": _("Choose the self-review form.")})
    if not (results or "").strip():
        raise ValidationError({"results": _("Write the results of the tasks.")})
    score = _score(self_score, "self_score", cycle)
    _check_level(self_level, score, "self_level", cycle)
    on = _check_on(on, cycle)
    review.form_type = form_type
    review.results = results.strip()
    review.strengths = (strengths or "").strip()
    review.shortcomings = (shortcomings or "").strip()
    review.remedies = (remedies or "").strip()
    review.self_level = self_level
    review.self_score = score
    review.self_reviewed_on = on
    review.self_reviewed_by = by
    review.status = ReviewStatus.SELF_REVIEWED
    _save(review, by)
    return review


@transaction.atomic
def propose(
    review: MemberReview,
    *,
    level: str,
    votes_for: int,
    votes_eligible: int,
    score=None,
    comment: str = "",
    on: dt.date | None = None,
    by=None,
) -> MemberReview:
    """Step 2: the cell's review meeting votes on the level it proposes (more than half of
    the members entitled to vote, brief §5.9)."""
    cycle = review.cycle
    _check_open(cycle)
    if review.status == ReviewStatus.EXCLUDED:
        raise ValidationError(
            _("This member is not rated in this review: %(why)s.")
            % {"why": review.get_exclusion_display()}
        )
    if review.status == ReviewStatus.PENDING:
        raise ValidationError(_("The member has not handed in the self-review yet."))
    if review.status == ReviewStatus.DECIDED:
        raise ValidationError(_("The superior has already decided the level."))
    score = _score(score, "score", cycle)
    if cycle.is_scored and score is None:
        raise ValidationError({"score": _("Give the score on the 100-point scale (QĐ 366).")})
    _check_level(level, score, "level", cycle)
    if votes_eligible is None or votes_eligible < 1:
        raise ValidationError({"votes_eligible": _("Give the number of members entitled to vote.")})
    if votes_for is None or not 0 <= votes_for <= votes_eligible:
        raise ValidationError(
            {"votes_for": _("The votes for must be between 0 and the members entitled to vote.")}
        )
    if votes_for * 2 <= votes_eligible:
        raise ValidationError(
            {
                "votes_for": _(
                    "%(yes)s of %(n)s is not more than half of the members entitled to vote: "
                    "the proposal is not adopted."
                )
                % {"yes": votes_for, "n": votes_eligible}
            }
        )
    on = _check_on(on, cycle)
    if review.self_reviewed_on and on < review.self_reviewed_on:
        raise ValidationError(
            {
                "on": _("The cell proposes after the self-review (%(date)s).")
                % {"date": vn_date(review.self_reviewed_on)}
            }
        )
    review.cell_level = level
    review.score = score
    review.votes_for = votes_for
    review.votes_eligible = votes_eligible
    review.cell_comment = (comment or "").strip()
    review.proposed_on = on
    review.proposed_by = by
    review.status = ReviewStatus.PROPOSED
    _save(review, by)
    return review


@transaction.atomic
def decide(
    review: MemberReview,
    *,
    level: str,
    note: str = "",
    on: dt.date | None = None,
    by=None,
) -> MemberReview:
    """Step 3: the competent superior decides the level (QĐ 124 art. 13: it may also change a
    decision while the cycle is open). An excellent rating must fit the cap of the cell."""
    cycle = review.cycle
    _check_open(cycle)
    if review.status == ReviewStatus.EXCLUDED:
        raise ValidationError(
            _("This member is not rated in this review: %(why)s.")
            % {"why": review.get_exclusion_display()}
        )
    if review.status not in (ReviewStatus.PROPOSED, ReviewStatus.DECIDED):
        raise ValidationError(_("The cell has not proposed a level yet."))
    _check_level(level, review.score, "level", cycle)
    on = _check_on(on, cycle)
    if review.proposed_on and on < review.proposed_on:
        raise ValidationError(
            {
                "on": _("The decision comes after the cell's proposal (%(date)s).")
                % {"date": vn_date(review.proposed_on)}
            }
        )
    if level == Level.EXCELLENT and review.decided_level != Level.EXCELLENT:
        group = list(
            MemberReview.objects.select_for_update()
            .filter(cycle=cycle, cell_id=review.cell_id)
            .exclude(status=ReviewStatus.EXCLUDED)
        )
        _check_cap(cycle, review.pk, group, review.cell.name, "member")
    review.decided_level = level
    review.decided_on = on
    review.decided_by = by
    review.decision_note = (note or "").strip()
    review.status = ReviewStatus.DECIDED
    _save(review, by)
    return review


# ---- a complaint about the decided level and its answer (re-rating) ----------------------


@transaction.atomic
def lodge_complaint(
    review: MemberReview, *, text: str, on: dt.date | None = None, by=None
) -> MemberReview:
    """The member disputes the decided level (brief §14.2 G, KHIEU_NAI). While the cycle is
    open; the cycle cannot close until the superior has answered."""
    cycle = review.cycle
    _check_open(cycle)
    if review.status == ReviewStatus.COMPLAINED:
        raise ValidationError(_("A complaint about this rating is already being answered."))
    if review.status != ReviewStatus.DECIDED:
        raise ValidationError(_("Only a decided rating can be disputed."))
    text = (text or "").strip()
    if len(text) < 10:
        raise ValidationError(
            {"text": _("Write what you dispute and why (at least 10 characters).")}
        )
    on = _check_on(on, cycle)
    if review.decided_on and on < review.decided_on:
        raise ValidationError(
            {
                "on": _("A complaint comes after the decision (%(date)s).")
                % {"date": vn_date(review.decided_on)}
            }
        )
    review.complaint = text
    review.complained_on = on
    review.complained_by = by
    review.complaint_answer = ""
    review.complaint_answered_on = None
    review.complaint_answered_by = None
    review.status = ReviewStatus.COMPLAINED
    _save(review, by)
    return review


@transaction.atomic
def answer_complaint(
    review: MemberReview,
    *,
    level: str,
    answer: str,
    score=None,
    on: dt.date | None = None,
    by=None,
) -> MemberReview:
    """The superior answers (DANH_GIA_LAI): it keeps the level or rates again, with a new
    score when the cycle is scored; a new top level must fit the cap of the cell."""
    cycle = review.cycle
    _check_open(cycle)
    if review.status != ReviewStatus.COMPLAINED:
        raise ValidationError(_("There is no complaint to answer on this rating."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer to the complaint.")})
    new_score = _score(score, "score", cycle)
    if new_score is None:
        new_score = review.score
    _check_level(level, new_score, "level", cycle)
    on = _check_on(on, cycle)
    if review.complained_on and on < review.complained_on:
        raise ValidationError(
            {
                "on": _("The answer comes after the complaint (%(date)s).")
                % {"date": vn_date(review.complained_on)}
            }
        )
    if level == Level.EXCELLENT and review.decided_level != Level.EXCELLENT:
        group = list(
            MemberReview.objects.select_for_update()
            .filter(cycle=cycle, cell_id=review.cell_id)
            .exclude(status=ReviewStatus.EXCLUDED)
        )
        _check_cap(cycle, review.pk, group, review.cell.name, "member")
    review.level_before_complaint = review.decided_level
    review.decided_level = level
    review.score = new_score
    review.decided_on = on
    review.decided_by = by
    review.complaint_answer = answer
    review.complaint_answered_on = on
    review.complaint_answered_by = by
    review.status = ReviewStatus.DECIDED
    _save(review, by)
    return review


# ---- organizations: computed from their members and collectives ---------------------------


def suggest_level(member_levels: list[str], collective_levels: list[str], disciplined: bool):
    """The level an organization's results support [I — design rule, see docs/ratings.md]:
    half or more "not completed" → not completed; any → at most completed; two thirds or more
    "good" or above → excellent (good if a member was disciplined in the period); half or
    more → good; else completed. The worse of members and collectives counts."""

    def band(levels):
        n = len(levels)
        if not n:
            return Level.EXCELLENT
        bad = sum(1 for lv in levels if lv == Level.NOT_COMPLETED)
        good = sum(1 for lv in levels if RANK[lv] >= RANK[Level.GOOD])
        if bad * 2 >= n:
            return Level.NOT_COMPLETED
        if bad:
            return Level.COMPLETED
        if good * 3 >= n * 2:
            return Level.EXCELLENT
        if good * 2 >= n:
            return Level.GOOD
        return Level.COMPLETED

    if not member_levels and not collective_levels:
        return ""
    level = min(band(member_levels), band(collective_levels), key=RANK.get)
    if disciplined and level == Level.EXCELLENT:
        level = Level.GOOD
    return level


def member_rows(member_reviews) -> list[tuple]:
    """(cell path, status, decided level, count) rows from loaded reviews, the shape of the
    grouped query of the cycle page."""
    return [(r.cell.path, r.status, r.decided_level, 1) for r in member_reviews]


def org_basis(org_review, members: list[tuple], org_reviews, disciplined: set[str]) -> dict:
    """Counts behind an organization's suggested level, from already-loaded rows (no query):
    decided levels of the members of its subtree (`members`: see member_rows) and of its
    direct sub-collectives."""
    path = org_review.organization.path
    depth = len(path)
    decided = Counter()
    rated = 0
    for cell_path, status, level, n in members:
        if not cell_path.startswith(path) or status == ReviewStatus.EXCLUDED:
            continue
        rated += n
        if status == ReviewStatus.DECIDED:
            decided[level] += n
    children = [
        o
        for o in org_reviews
        if o.organization.path.startswith(path)
        and len(o.organization.path) == depth + Organization.steplen
    ]
    collectives = [o.decided_level for o in children if o.decided_level]
    is_disciplined = any(p.startswith(path) for p in disciplined)
    return {
        "members": dict(decided),
        "members_rated": rated,
        "members_decided": sum(decided.values()),
        "collectives": dict(Counter(collectives)),
        "collectives_total": len(children),
        "collectives_decided": len(collectives),
        "disciplined": is_disciplined,
        "suggested": suggest_level(list(decided.elements()), collectives, is_disciplined),
    }


def disciplined_paths(cycle: ReviewCycle, member_ids) -> set[str]:
    """Home-cell paths of members with a suspension, strike-off or expulsion in the period."""
    return set(
        StatusDecision.objects.filter(
            member_id__in=member_ids,
            kind__in=DISCIPLINE_KINDS,
            effective_date__range=(cycle.period_start, cycle.period_end),
        ).values_list("member__organization__path", flat=True)
    )


def may_decide_org(scope, org_review) -> bool:
    """The immediate superior decides: the cycle's organization for its collectives, and the
    committee above it for the organization running the cycle (path compare, no query)."""
    cycle_org = org_review.cycle.organization
    org = org_review.organization
    if org.pk != cycle_org.pk:
        return scope.can(Cap.MANAGE_STRUCTURE, cycle_org)
    parent = org.path[: -Organization.steplen] or org.path
    return scope.level_for_path(parent) >= CAP_LEVEL[Cap.MANAGE_STRUCTURE]


@transaction.atomic
def decide_org(
    org_review: OrganizationReview,
    *,
    level: str,
    score=None,
    note: str = "",
    on: dt.date | None = None,
    by=None,
) -> OrganizationReview:
    """The superior decides a collective's level, once its members and sub-collectives are
    decided (HD 43: on the ratings of its subordinate collectives and all its members). The
    suggestion and its counts are stored with the decision."""
    cycle = org_review.cycle
    _check_open(cycle)
    score = _score(score, "score", cycle)
    _check_level(level, score, "level", cycle, "organization")
    on = _check_on(on, cycle)
    path = org_review.organization.path
    members = list(
        MemberReview.objects.filter(subtree_q(path, "cell__"), cycle=cycle).select_related("cell")
    )
    waiting = [r for r in members if r.status not in (ReviewStatus.EXCLUDED, ReviewStatus.DECIDED)]
    if waiting:
        raise ValidationError(
            _("Decide its members first: %(n)s not decided yet.") % {"n": len(waiting)}
        )
    orgs = list(
        OrganizationReview.objects.filter(subtree_q(path, "organization__"), cycle=cycle)
        .exclude(pk=org_review.pk)
        .select_related("organization")
    )
    children = [o for o in orgs if len(o.organization.path) == len(path) + Organization.steplen]
    if any(not o.decided_level for o in children):
        raise ValidationError(_("Decide the collectives under it first."))
    # The organization running the cycle is alone in its group within the cycle: its cap is
    # its superior's, counted among that superior's collectives, not checked here.
    runs_cycle = org_review.organization_id == cycle.organization_id
    if level == Level.EXCELLENT and org_review.decided_level != Level.EXCELLENT and not runs_cycle:
        parent = path[: -Organization.steplen]
        siblings = (
            list(
                OrganizationReview.objects.select_for_update().filter(
                    cycle=cycle,
                    organization__path__startswith=parent,
                    organization__depth=org_review.organization.depth,
                )
            )
            if parent
            else []
        )
        for s in siblings:
            s.current_level = s.decided_level
        org_review.current_level = org_review.decided_level
        if siblings:
            _check_cap(
                cycle,
                org_review.pk,
                siblings,
                _("the collectives of the same level"),
                "organization",
            )
    disc = disciplined_paths(cycle, [r.member_id for r in members])
    org_review.basis = org_basis(org_review, member_rows(members), orgs, disc)
    org_review.proposed_level = org_review.basis["suggested"]
    org_review.decided_level = level
    org_review.score = score
    org_review.decided_on = on
    org_review.decided_by = by
    org_review.decision_note = (note or "").strip()
    _save(org_review, by)
    return org_review
