"""The residence-liaison workflow, one function per transition (brief §3.3, §14.2 D).

    (eligible) ──introduce──▶ INTRODUCED ──receive──▶ RECEIVED ──end──▶ ENDED
        │                          └──────────────end───────────────────▲
        └──exempt (HD 33 §1.2)──▶ EXEMPT ──end (exemption lifted…)──────┘

Every function validates first and raises ValidationError (translated, nothing written), then
writes in one transaction. Ending tells the other side (liaison/notices.py): a LiaisonNotice
row and an e-mail to its staff.
"""

import datetime as dt
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import notices
from liaison.models import (
    ACTIVITY_EXEMPTIONS,
    CRITERIA,
    ELIGIBLE_STATUSES,
    INTRODUCED_STATUSES,
    INTRODUCTION_EXEMPTIONS,
    OPEN_STATUSES,
    WORKPLACE_CELL_TYPES,
    AnnualComment,
    EndReason,
    Level3,
    LiaisonNotice,
    LiaisonStatus,
    Overall,
    ResidenceLiaison,
    Side,
)
from lib.text import vn_date
from members.models import Member
from organizations.models import (
    CELL_KINDS,
    GRASSROOTS_KINDS,
    RESIDENTIAL_CELL_TYPES,
    CellVillage,
    Organization,
    OrgKind,
    subtree_q,
)

# ---- eligibility --------------------------------------------------------------------------


def eligible(members: QuerySet[Member]) -> QuerySet[Member]:
    """Members who must be introduced (QĐ 213 art. 1): probationary or official members whose
    home cell is a workplace (agency, public service, school, enterprise, army, police)."""
    return members.filter(
        status__in=ELIGIBLE_STATUSES, organization__cell_type__in=WORKPLACE_CELL_TYPES
    )


def open_liaisons() -> QuerySet[ResidenceLiaison]:
    return ResidenceLiaison.objects.filter(status__in=OPEN_STATUSES)


def not_yet_introduced(members: QuerySet[Member]) -> QuerySet[Member]:
    """Eligible members with no open liaison (neither introduced nor exempt)."""
    return eligible(members).filter(~Exists(open_liaisons().filter(member_id=OuterRef("pk"))))


def why_not_eligible(member: Member) -> str:
    """The reason a member is not introduced, or "" when they must be."""
    if member.status not in ELIGIBLE_STATUSES:
        return _(
            "%(name)s is not introduced: only probationary and official members are "
            "(status: %(status)s)."
        ) % {"name": member.person.full_name, "status": member.get_status_display()}
    if member.organization.cell_type not in WORKPLACE_CELL_TYPES:
        return _(
            "%(name)s is not introduced: their home cell, %(cell)s, is not a workplace cell "
            "(agency, public service, school, enterprise, army or police). Members of village "
            "and residential cells take part where they live already."
        ) % {"name": member.person.full_name, "cell": member.organization.name}
    return ""


def is_commune(org: Organization) -> bool:
    """A commune/ward committee: a grassroots organization of a residential type."""
    return org.kind in GRASSROOTS_KINDS and org.cell_type in RESIDENTIAL_CELL_TYPES


def communes(province_id: int) -> QuerySet[Organization]:
    """The active commune/ward committees of a province, the residence sides to choose from."""
    return Organization.objects.filter(
        dissolved_on__isnull=True,
        province_id=province_id,
        kind__in=GRASSROOTS_KINDS,
        cell_type__in=RESIDENTIAL_CELL_TYPES,
    ).order_by("sort_key", "path")


def residence_cells(commune: Organization) -> QuerySet[Organization]:
    """The active village and residential cells of a commune (the commune itself if it is a
    grassroots cell)."""
    if commune.kind == OrgKind.GRASSROOTS_CELL:
        return Organization.objects.filter(pk=commune.pk)
    return Organization.objects.filter(
        subtree_q(commune.path),
        dissolved_on__isnull=True,
        kind__in=CELL_KINDS,
        cell_type__in=RESIDENTIAL_CELL_TYPES,
    ).order_by("sort_key", "path")


def proposed_residence(member: Member, on: dt.date | None = None):
    """(commune, cell) from the member's recorded village of residence; None where unknown."""
    village = member.person.residence_village
    if village is None:
        return None, None
    on = on or timezone.localdate()
    link = (
        CellVillage.objects.active(on)
        .filter(village=village, organization__dissolved_on__isnull=True)
        .select_related("organization")
        .first()
    )
    return village.commune, link.organization if link else None


def grassroots_of(org: Organization) -> Organization:
    """The grassroots organization (committee or grassroots cell) an organization belongs to."""
    step = Organization.steplen
    prefixes = [org.path[:end] for end in range(step, len(org.path) + 1, step)]
    found = (
        Organization.objects.filter(path__in=prefixes, kind__in=GRASSROOTS_KINDS)
        .order_by("-depth")
        .first()
    )
    return found or org


# ---- checks shared by the transitions -------------------------------------------------------


def _check_date(field: str, value: dt.date | None, not_before: dt.date | None, before_msg: str):
    if value is None:
        raise ValidationError({field: _("Give the date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    if not_before and value < not_before:
        raise ValidationError({field: before_msg % {"date": vn_date(not_before)}})


def _check_commune(commune: Organization | None):
    if commune is None:
        raise ValidationError({"residence_commune": _("Choose the commune or ward of residence.")})
    if not is_commune(commune):
        raise ValidationError(
            {
                "residence_commune": _(
                    "%(name)s is not a commune or ward party committee: members are introduced "
                    "to the committee of the commune or ward where they live."
                )
                % {"name": commune.name}
            }
        )
    if not commune.is_active:
        raise ValidationError(
            {"residence_commune": _("%(name)s has been dissolved.") % {"name": commune.name}}
        )


def _check_cell(cell: Organization, commune: Organization):
    inside = cell.pk == commune.pk or (
        cell.path.startswith(commune.path) and cell.path != commune.path
    )
    if not cell.is_cell or cell.cell_type not in RESIDENTIAL_CELL_TYPES:
        raise ValidationError(
            {
                "residence_cell": _("%(name)s is not a village or residential cell.")
                % {"name": cell.name}
            }
        )
    if not inside:
        raise ValidationError(
            {
                "residence_cell": _("%(cell)s is not a cell of %(commune)s.")
                % {"cell": cell.name, "commune": commune.name}
            }
        )
    if not cell.is_active:
        raise ValidationError(
            {"residence_cell": _("%(name)s has been dissolved.") % {"name": cell.name}}
        )


def _check_no_open(member: Member):
    current = open_liaisons().filter(member=member).select_related("residence_commune").first()
    if current is None:
        return
    if current.status == LiaisonStatus.EXEMPT:
        raise ValidationError(
            _("%(name)s is exempt from introduction (%(why)s): lift the exemption first.")
            % {"name": member.person.full_name, "why": current.get_exemption_display()}
        )
    raise ValidationError(
        _(
            "%(name)s is already introduced to %(commune)s (on %(date)s): end that liaison "
            "first if they moved."
        )
        % {
            "name": member.person.full_name,
            "commune": current.residence_commune.name,
            "date": vn_date(current.introduced_on),
        }
    )


def _check_activity_exemption(category: str, reason: str):
    if category and category not in ACTIVITY_EXEMPTIONS:
        raise ValidationError(
            {"exemption": _("Choose one of the cases exempt from activities (HD 33 §1.1).")}
        )
    if category and not (reason or "").strip():
        raise ValidationError({"exemption_reason": _("Give the reason for the exemption.")})


def _joined(member: Member) -> dt.date | None:
    return member.admission_decision_date or member.ceremony_date


def _save(obj, by):
    if by is not None:
        obj._history_user = by
    obj.save()


# ---- transitions ------------------------------------------------------------------------


@transaction.atomic
def introduce(
    member: Member,
    *,
    residence_commune: Organization,
    introduced_on: dt.date,
    letter_no: str = "",
    residence_cell: Organization | None = None,
    exemption: str = "",
    exemption_reason: str = "",
    by=None,
) -> ResidenceLiaison:
    """The workplace committee introduces the member to the commune committee of residence.

    The residence cell may be proposed (from the member's village); the commune confirms or
    changes it when it receives the member. A case of HD 33 §1.1 (exempt from activities at the
    residence) is recorded at the same time.
    """
    why = why_not_eligible(member)
    if why:
        raise ValidationError(why)
    _check_commune(residence_commune)
    if residence_cell is not None:
        _check_cell(residence_cell, residence_commune)
    _check_date(
        "introduced_on",
        introduced_on,
        _joined(member),
        _("The member joined the Party on %(date)s: the introduction cannot come before."),
    )
    _check_activity_exemption(exemption, exemption_reason)
    # Lock the member row: two simultaneous introductions cannot both pass the check below.
    Member.objects.select_for_update().filter(pk=member.pk).exists()
    _check_no_open(member)
    village = member.person.residence_village
    liaison = ResidenceLiaison(
        province_id=member.province_id,
        member=member,
        workplace_cell=member.organization,
        residence_commune=residence_commune,
        residence_cell=residence_cell,
        residence_village=village
        if village and village.commune_id == residence_commune.pk
        else None,
        status=LiaisonStatus.INTRODUCED,
        introduced_on=introduced_on,
        letter_no=(letter_no or "").strip(),
        introduced_by=by,
        exemption=exemption,
        exemption_reason=(exemption_reason or "").strip() if exemption else "",
        exempt_on=introduced_on if exemption else None,
    )
    _save(liaison, by)
    return liaison


@transaction.atomic
def receive(
    liaison: ResidenceLiaison,
    *,
    residence_cell: Organization,
    received_on: dt.date,
    by=None,
) -> ResidenceLiaison:
    """The commune committee receives the member, lists them and assigns them to the village or
    residential cell, which informs them how to keep contact (QĐ 213 art. 4)."""
    if liaison.status != LiaisonStatus.INTRODUCED:
        raise ValidationError(
            _("Only an introduced member waiting for receipt can be received (now: %(status)s).")
            % {"status": liaison.get_status_display()}
        )
    if residence_cell is None:
        raise ValidationError({"residence_cell": _("Choose the cell of residence.")})
    _check_cell(residence_cell, liaison.residence_commune)
    _check_date(
        "received_on",
        received_on,
        liaison.introduced_on,
        _("The member was introduced on %(date)s: the receipt cannot come before."),
    )
    liaison.status = LiaisonStatus.RECEIVED
    liaison.residence_cell = residence_cell
    liaison.received_on = received_on
    liaison.received_by = by
    _save(liaison, by)
    return liaison


def end(
    liaison: ResidenceLiaison,
    *,
    on: dt.date,
    reason: str,
    side: str = Side.WORKPLACE,
    note: str = "",
    by=None,
) -> tuple[ResidenceLiaison, LiaisonNotice | None]:
    """End the liaison (moved, changed job, left the Party…) and tell the other side.

    `side` is who reports the change: the notice goes to the other one. An exemption from
    introduction has no other side: ending it writes no notice.
    """
    with transaction.atomic():
        notice = _end(liaison, on=on, reason=reason, side=side, note=note, by=by)
        if notice is not None:
            # E-mail once the change is committed (at once outside a transaction).
            transaction.on_commit(partial(notices.send, notice))
    return liaison, notice


def _end(liaison, *, on, reason, side, note, by) -> LiaisonNotice | None:
    if liaison.status == LiaisonStatus.ENDED:
        raise ValidationError(
            _("This liaison already ended on %(date)s.") % {"date": vn_date(liaison.ended_on)}
        )
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Choose why the liaison ends.")})
    exempt = liaison.status == LiaisonStatus.EXEMPT
    if reason == EndReason.EXEMPTION_LIFTED and not exempt:
        raise ValidationError(
            {"reason": _("Only an exemption from introduction can be lifted this way.")}
        )
    if side not in Side.values:
        raise ValidationError({"side": _("Say which side reports the change.")})
    if reason == EndReason.OTHER and not (note or "").strip():
        raise ValidationError({"note": _("Say what changed.")})
    start = liaison.exempt_on if exempt else liaison.introduced_on
    _check_date(
        "on",
        on,
        max(filter(None, [start, liaison.received_on])),
        _("The liaison started on %(date)s: it cannot end before."),
    )
    liaison.status = LiaisonStatus.ENDED
    liaison.ended_on = on
    liaison.end_reason = reason
    liaison.end_note = (note or "").strip()
    liaison.ended_by_side = "" if exempt else side
    _save(liaison, by)
    if exempt:
        return None
    workplace = grassroots_of(liaison.workplace_cell)
    residence = liaison.residence_commune
    from_org, to_org = (workplace, residence) if side == Side.WORKPLACE else (residence, workplace)
    return LiaisonNotice.objects.create(
        province_id=liaison.province_id,
        liaison=liaison,
        from_org=from_org,
        to_org=to_org,
        kind=reason,
        event_on=on,
        note=liaison.end_note,
        sent_by=by,
    )


def end_for_member(
    member: Member, *, on: dt.date, reason: str, note: str = "", by=None
) -> list[LiaisonNotice]:
    """End the member's open liaison, if any, reported by the workplace: for the workflows that
    move a member to another cell or record their leaving the Party."""
    notices_sent = []
    for liaison in (
        open_liaisons().filter(member=member).select_related("workplace_cell", "residence_commune")
    ):
        if liaison.status == LiaisonStatus.EXEMPT and reason == EndReason.EXEMPTION_LIFTED:
            continue
        _liaison, notice = end(liaison, on=on, reason=reason, side=Side.WORKPLACE, note=note, by=by)
        if notice is not None:
            notices_sent.append(notice)
    return notices_sent


@transaction.atomic
def exempt(member: Member, *, category: str, reason: str, on: dt.date, by=None) -> ResidenceLiaison:
    """Record that the member is not introduced (HD 33 §1.2: secret missions, combat readiness…)."""
    why = why_not_eligible(member)
    if why:
        raise ValidationError(why)
    if category not in INTRODUCTION_EXEMPTIONS:
        raise ValidationError(
            {"category": _("Choose one of the cases not introduced (HD 33 §1.2).")}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the exemption.")})
    _check_date(
        "on",
        on,
        _joined(member),
        _("The member joined the Party on %(date)s: the exemption cannot come before."),
    )
    Member.objects.select_for_update().filter(pk=member.pk).exists()
    _check_no_open(member)
    liaison = ResidenceLiaison(
        province_id=member.province_id,
        member=member,
        workplace_cell=member.organization,
        status=LiaisonStatus.EXEMPT,
        exemption=category,
        exemption_reason=reason.strip(),
        exempt_on=on,
        introduced_by=by,
    )
    _save(liaison, by)
    return liaison


@transaction.atomic
def set_activity_exemption(
    liaison: ResidenceLiaison, *, category: str, reason: str = "", on: dt.date, by=None
) -> ResidenceLiaison:
    """Mark (or, with an empty category, lift) an HD 33 §1.1 exemption from activities at the
    residence: the member stays introduced but has no routine activities nor annual comment."""
    if liaison.status not in INTRODUCED_STATUSES:
        raise ValidationError(
            _("Only an open, introduced liaison can be exempt from activities (now: %(status)s).")
            % {"status": liaison.get_status_display()}
        )
    _check_activity_exemption(category, reason)
    if not category and not liaison.exemption:
        raise ValidationError({"exemption": _("There is no exemption to lift.")})
    _check_date(
        "on",
        on,
        liaison.introduced_on,
        _("The member was introduced on %(date)s: choose a later date."),
    )
    liaison.exemption = category
    liaison.exemption_reason = reason.strip() if category else ""
    liaison.exempt_on = on if category else None
    _save(liaison, by)
    return liaison


@transaction.atomic
def record_comment(
    liaison: ResidenceLiaison,
    *,
    year: int,
    answers: dict[str, str],
    overall: str,
    commented_on: dt.date,
    other_comments: str = "",
    front_opinion: str = "",
    front_head: str = "",
    signed_by: str = "",
    correct: bool = False,
    by=None,
) -> AnnualComment:
    """The residence cell's comment for a year, after meeting the village Front work committee.

    One per liaison and year. The member must have been received by that year; a member exempt
    from activities (HD 33 §1.1) is commented only when needed, which is allowed too.
    `correct=True` replaces the year's comment (a typing mistake, a late Front opinion): the
    earlier version stays in the history with who changed it.
    """
    if liaison.received_on is None or liaison.status not in (
        LiaisonStatus.RECEIVED,
        LiaisonStatus.ENDED,
    ):
        raise ValidationError(
            _("The residence cell comments on a member after receiving them (now: %(status)s).")
            % {"status": liaison.get_status_display()}
        )
    today = timezone.localdate()
    if not isinstance(year, int) or not liaison.received_on.year <= year <= today.year:
        raise ValidationError(
            {
                "year": _("Choose a year from %(first)s to %(last)s.")
                % {"first": liaison.received_on.year, "last": today.year}
            }
        )
    if liaison.ended_on and year > liaison.ended_on.year:
        raise ValidationError(
            {
                "year": _("The liaison ended on %(date)s: no comment for a later year.")
                % {"date": vn_date(liaison.ended_on)}
            }
        )
    errors = {}
    for name, _label in CRITERIA:
        if answers.get(name) not in Level3.values:
            errors[name] = _("Choose an answer.")
    if overall not in Overall.values:
        errors["overall"] = _("Choose the overall assessment.")
    if errors:
        raise ValidationError(errors)
    _check_date(
        "commented_on",
        commented_on,
        liaison.received_on,
        _("The member was received on %(date)s: the comment cannot come before."),
    )
    if commented_on.year < year:
        raise ValidationError(
            {
                "commented_on": _(
                    "A comment on %(year)s is given at the end of that year or later."
                )
                % {"year": year}
            }
        )
    existing = liaison.comments.filter(year=year).first()
    if existing is not None and not correct:
        raise ValidationError(
            {
                "year": _(
                    "The cell already commented on %(year)s (on %(date)s): open that comment "
                    "to correct it."
                )
                % {"year": year, "date": vn_date(existing.commented_on)}
            }
        )
    comment = existing or AnnualComment(province_id=liaison.province_id, liaison=liaison, year=year)
    comment.overall = overall
    comment.other_comments = other_comments.strip()
    comment.front_opinion = front_opinion.strip()
    comment.front_head = front_head.strip()
    comment.signed_by = signed_by.strip()
    comment.commented_on = commented_on
    comment.commented_by = by
    for name, _label in CRITERIA:
        setattr(comment, name, answers[name])
    _save(comment, by)
    return comment


# ---- the rates (brief §15 seed 004) ----------------------------------------------------------


def _rate(part: int, whole: int):
    return round(100 * part / whole, 2) if whole else None


def _comment_q(year: int, **extra):
    return AnnualComment.objects.filter(liaison_id=OuterRef("pk"), year=year, **extra)


def residence_filter(org: Organization) -> Q:
    """Liaisons whose residence (commune or cell) lies in the organization's subtree."""
    return subtree_q(org.path, "residence_commune__") | subtree_q(org.path, "residence_cell__")


def workplace_counts(org: Organization, year: int) -> dict:
    """Eligible / introduced / received / commented / commented well for the members working in
    the organization's subtree, in one grouped query."""
    members = eligible(Member.objects.filter(subtree_q(org.path, "organization__")))

    def has(**kw):
        return Exists(open_liaisons().filter(member_id=OuterRef("pk"), **kw))

    def has_comment(**kw):
        return Exists(
            AnnualComment.objects.filter(
                liaison__member_id=OuterRef("pk"),
                liaison__status=LiaisonStatus.RECEIVED,
                year=year,
                **kw,
            ).exclude(liaison__exemption__in=ACTIVITY_EXEMPTIONS)
        )

    row = members.alias(
        x_exempt=has(status=LiaisonStatus.EXEMPT),
        x_intro=has(status__in=INTRODUCED_STATUSES),
        x_recv=has(status=LiaisonStatus.RECEIVED),
        x_due=Exists(
            open_liaisons()
            .filter(member_id=OuterRef("pk"), status=LiaisonStatus.RECEIVED)
            .exclude(exemption__in=ACTIVITY_EXEMPTIONS)
        ),
        x_commented=has_comment(),
        x_well=has_comment(overall=Overall.GOOD),
    ).aggregate(
        working=Count("pk"),
        exempt=Count("pk", filter=Q(x_exempt=True)),
        introduced=Count("pk", filter=Q(x_intro=True)),
        received=Count("pk", filter=Q(x_recv=True)),
        due=Count("pk", filter=Q(x_due=True)),
        commented=Count("pk", filter=Q(x_commented=True)),
        well=Count("pk", filter=Q(x_well=True)),
    )
    row["eligible"] = row["working"] - row["exempt"]
    row["not_introduced"] = row["eligible"] - row["introduced"]
    return _with_rates(row)


def residence_counts(org: Organization, year: int) -> dict:
    """Introduced / received / commented / commented well for the members introduced to a
    residence in the organization's subtree, in one grouped query."""
    liaisons = ResidenceLiaison.objects.filter(
        residence_filter(org), status__in=INTRODUCED_STATUSES
    )
    not_exempt = ~Q(exemption__in=ACTIVITY_EXEMPTIONS)
    row = liaisons.alias(
        x_commented=Exists(_comment_q(year)),
        x_well=Exists(_comment_q(year, overall=Overall.GOOD)),
    ).aggregate(
        introduced=Count("pk"),
        received=Count("pk", filter=Q(status=LiaisonStatus.RECEIVED)),
        due=Count("pk", filter=Q(status=LiaisonStatus.RECEIVED) & not_exempt),
        commented=Count(
            "pk", filter=Q(status=LiaisonStatus.RECEIVED, x_commented=True) & not_exempt
        ),
        well=Count("pk", filter=Q(status=LiaisonStatus.RECEIVED, x_well=True) & not_exempt),
    )
    return _with_rates(row)


def _with_rates(row: dict) -> dict:
    if "eligible" in row:
        row["introduced_rate"] = _rate(row["introduced"], row["eligible"])
    row["received_rate"] = _rate(row["received"], row["introduced"])
    row["commented_rate"] = _rate(row["commented"], row["due"])
    row["well_rate"] = _rate(row["well"], row["commented"])
    return row
