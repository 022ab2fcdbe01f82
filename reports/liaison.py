"""`liaison-213`: residence liaison under QĐ 213 (brief §15 seed 004 figures 3–5).

For the working members of the subtree (by their home cell): eligible, introduced to their
residence, received there, due a comment and commented for the year of the end date, commented
as doing well. The counting is liaison.services.workplace_counts' own, grouped by home cell so
that the organization and all its children come out of one query (a test checks each child
against workplace_counts). The residence side (members introduced to a commune or cell of the
subtree) is liaison.services.residence_counts for the organization itself.

Liaison states are today's (a liaison keeps no dated history of its state); only the year of
the comments follows the period.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from liaison import services
from liaison.models import (
    ACTIVITY_EXEMPTIONS,
    INTRODUCED_STATUSES,
    AnnualComment,
    LiaisonStatus,
    Overall,
)
from members.models import Member
from organizations.models import Organization, subtree_q
from organizations.selectors import sort_nodes
from reports.periods import Period
from reports.registry import Column, Group, Item, Report, Result, Rollup, active_q, register

KEYS = ("working", "exempt", "introduced", "received", "due", "commented", "well")


def grouped_workplace_counts(org: Organization, year: int):
    """workplace_counts' figures per home cell: [(cell path, {key: n})], one query."""
    members = services.eligible(Member.objects.filter(subtree_q(org.path, "organization__")))

    def has(**kw):
        return Exists(services.open_liaisons().filter(member_id=OuterRef("pk"), **kw))

    def has_comment(**kw):
        return Exists(
            AnnualComment.objects.filter(
                liaison__member_id=OuterRef("pk"),
                liaison__status=LiaisonStatus.RECEIVED,
                year=year,
                **kw,
            ).exclude(liaison__exemption__in=ACTIVITY_EXEMPTIONS)
        )

    rows = (
        members.alias(
            x_exempt=has(status=LiaisonStatus.EXEMPT),
            x_intro=has(status__in=INTRODUCED_STATUSES),
            x_recv=has(status=LiaisonStatus.RECEIVED),
            x_due=Exists(
                services.open_liaisons()
                .filter(member_id=OuterRef("pk"), status=LiaisonStatus.RECEIVED)
                .exclude(exemption__in=ACTIVITY_EXEMPTIONS)
            ),
            x_commented=has_comment(),
            x_well=has_comment(overall=Overall.GOOD),
        )
        .values("organization__path")
        .annotate(
            working=Count("pk"),
            exempt=Count("pk", filter=Q(x_exempt=True)),
            introduced=Count("pk", filter=Q(x_intro=True)),
            received=Count("pk", filter=Q(x_recv=True)),
            due=Count("pk", filter=Q(x_due=True)),
            commented=Count("pk", filter=Q(x_commented=True)),
            well=Count("pk", filter=Q(x_well=True)),
        )
        .order_by()
    )
    return [(r["organization__path"], {k: r[k] for k in KEYS}) for r in rows]


@register
class LiaisonReport(Report):
    name = "liaison-213"
    title = _("Residence liaison (QĐ 213)")
    description = _(
        "Working members eligible for introduction to their place of residence, introduced, "
        "received, commented on for the year and commented on as doing well."
    )
    chart_column = "introduced"
    columns = [
        Column("working", _("Working members")),
        Column("exempt", _("Exempt from introduction")),
        Column("eligible", _("Eligible")),
        Column("introduced", _("Introduced"), of="eligible"),
        Column("received", _("Received"), of="introduced"),
        Column("due", _("Due a comment")),
        Column("commented", _("Commented"), of="due"),
        Column("well", _("Commented as doing well"), of="commented"),
    ]

    def compute(self, org: Organization, period: Period) -> Result:
        year = period.end.year
        children = sort_nodes(
            Organization.objects.filter(active_q(period.end)).filter(
                subtree_q(org.path), depth=org.depth + 1
            )
        )
        roll = Rollup(org, children)
        for path, counts in grouped_workplace_counts(org, year):
            for key, n in counts.items():
                roll.add(path, key, n)
        total, rows = roll.rows(children)
        for row in (total, *rows):
            row.values["eligible"] = row.values.get("working", 0) - row.values.get("exempt", 0)
        res = services.residence_counts(org, year)
        t = total.values
        groups = [
            Group(
                "workplace",
                _("Working members of the organization, %(year)s") % {"year": year},
                [
                    Item("eligible", _("Eligible"), t["eligible"]),
                    Item("introduced", _("Introduced"), t.get("introduced", 0), t["eligible"]),
                    Item("received", _("Received"), t.get("received", 0), t.get("introduced", 0)),
                    Item("commented", _("Commented"), t.get("commented", 0), t.get("due", 0)),
                    Item(
                        "well",
                        _("Commented as doing well"),
                        t.get("well", 0),
                        t.get("commented", 0),
                    ),
                ],
            ),
            Group(
                "residence",
                _("Members introduced to a residence in the organization, %(year)s")
                % {"year": year},
                [
                    Item("introduced", _("Introduced"), res["introduced"]),
                    Item("received", _("Received"), res["received"], res["introduced"]),
                    Item("commented", _("Commented"), res["commented"], res["due"]),
                    Item("well", _("Commented as doing well"), res["well"], res["commented"]),
                ],
            ),
        ]
        notes = [_("Liaison states are today's; comments are those of %(year)s.") % {"year": year}]
        return Result(self, org, period, self.columns, total, rows, groups, notes)
