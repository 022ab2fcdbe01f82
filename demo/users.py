"""The demo logins: one user per role, pointed at places in the demo province.

The places are found again from the database (first village commune, its first
village cell with three official members), so a second run finds the same ones
without replaying the generator. Demo accounts are marked by their e-mail domain;
an account of the same name that is not a demo account is never touched.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from demo.meeting_cell import YEAR_START
from demo.structure import REFORM
from members.models import Member, Membership, MembershipKind, MemberStatus
from organizations.models import CellType, Organization, OrgKind, subtree_q

PASSWORD = "chibo-demo-2026"  # printed with the logins: these are demo accounts
EMAIL_DOMAIN = "demo.chibo.invalid"
USERNAMES = ["admin", "tinh.tochuc", "xa.uyvien", "xa.tochuc", "bithu", "phobithu", "dangvien"]


@dataclass
class Login:
    role: str
    username: str
    password: str
    sees: str


def demo_places(province: Organization):
    """(commune, cell, [secretary, deputy, member]) used by the demo logins."""
    commune = (
        Organization.objects.filter(
            province=province,
            depth=province.depth + 1,
            kind=OrgKind.GRASSROOTS_COMMITTEE,
            cell_type=CellType.VILLAGE,
            dissolved_on__isnull=True,
        )
        .order_by("path")
        .first()
    )
    if commune is None:
        return None, None, []
    cell = (
        Organization.objects.filter(
            subtree_q(commune.path),
            kind=OrgKind.CELL,
            cell_type=CellType.VILLAGE,
            dissolved_on__isnull=True,
        )
        .annotate(n=Count("home_members", filter=Q(home_members__status=MemberStatus.OFFICIAL)))
        .filter(n__gte=3)
        .order_by("path")
        .first()
    )
    if cell is None:
        return commune, None, []
    # The rule of demo.meeting_cell.officers, so the demo secretary chairs the seeded
    # meetings: official and in the cell through all of the demo year, not attached elsewhere.
    elsewhere = Membership.objects.filter(kind=MembershipKind.TEMPORARY).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=YEAR_START)
    )
    officials = list(
        Member.objects.filter(
            organization=cell,
            status=MemberStatus.OFFICIAL,
            official_date__lt=YEAR_START,
            memberships__organization=cell,
            memberships__kind=MembershipKind.HOME,
            memberships__start_date__lte=YEAR_START,
            memberships__end_date__isnull=True,
        )
        .exclude(pk__in=elsewhere.values("member_id"))
        .select_related("person")
        .order_by("dossier_no")
    )
    # Secretaries are usually of working age: prefer members born 1960–1990.
    officials.sort(key=lambda m: not 1960 <= m.person.birth_date.year <= 1990)
    return commune, cell, officials[:3]


def ensure_demo_users(province: Organization) -> tuple[list[Login], list[str]]:
    """Create the demo users (or re-point existing demo users) at this province."""
    commune, cell, members = demo_places(province)
    members = members + [None] * (3 - len(members))
    plan = [
        ("admin", Role.ADMIN, None, None, _("Everything, in every province")),
        (
            "tinh.tochuc",
            Role.ORG_STAFF,
            province,
            None,
            _("Manages all of %(org)s") % {"org": province.name},
        ),
        (
            "xa.uyvien",
            Role.COMMITTEE,
            commune,
            None,
            _("Reads everything in %(org)s") % {"org": commune.name if commune else "-"},
        ),
        (
            "xa.tochuc",
            Role.ORG_STAFF,
            commune,
            None,
            _("Manages %(org)s: its cells, members and roles")
            % {"org": commune.name if commune else "-"},
        ),
        (
            "bithu",
            Role.SECRETARY,
            cell,
            members[0],
            _("Manages the members of %(org)s") % {"org": cell.name if cell else "-"},
        ),
        (
            "phobithu",
            Role.DEPUTY,
            cell,
            members[1],
            _("Manages the members of %(org)s") % {"org": cell.name if cell else "-"},
        ),
        ("dangvien", None, None, members[2], _("Only their own record")),
    ]
    logins, warnings = [], []
    # Staff accounts are not members of the demo cells; give them a name to show.
    staff_names = {
        "admin": "Quản trị hệ thống",
        "tinh.tochuc": "Hoàng Thị Thu Hà",
        "xa.tochuc": "Nông Văn Phúc",
        "xa.uyvien": "Lương Thị Nga",
    }
    hashed = None  # hash the shared password once: each hash costs ~0.4 s in production
    for username, role, org, member, sees in plan:
        if role not in (None, Role.ADMIN) and org is None:
            warnings.append(
                _("No place for %(user)s in this province; skipped.") % {"user": username}
            )
            continue
        user = User.objects.filter(username=username).first()
        if user is not None and not user.email.endswith("@" + EMAIL_DOMAIN):
            warnings.append(
                _("User %(user)s exists and is not a demo account; it was left untouched.")
                % {"user": username}
            )
            continue
        if member is not None:
            # One login per member record: free it from another demo account first.
            others = User.objects.filter(member=member).exclude(username=username)
            others.filter(email__endswith="@" + EMAIL_DOMAIN).update(member=None)
            if others.exists():
                member = None
        full_name = member.person.full_name if member else staff_names.get(username, "")
        if user is None:
            hashed = hashed or make_password(PASSWORD)
            user = User.objects.create_user(
                username=username,
                email=f"{username}@{EMAIL_DOMAIN}",
                password=None,
                first_name=full_name,
                member=member,
            )
            user.password = hashed
            user.save(update_fields=["password"])
        else:
            user.member, user.first_name, user.is_active = member, full_name, True
            user.save(update_fields=["member", "first_name", "is_active"])
            user.role_assignments.all().delete()
        if role is not None:
            RoleAssignment.objects.create(
                user=user,
                role=role,
                organization=org,
                valid_from=REFORM,
                note=_("Demo account"),
            )
        if member is not None:
            sees = f"{sees} — {member.person.full_name}"
        label = Role(role).label if role else _("Party member (no role)")
        logins.append(Login(str(label), username, PASSWORD, str(sees)))
    return logins, warnings


def delete_demo_users():
    User.objects.filter(username__in=USERNAMES, email__endswith="@" + EMAIL_DOMAIN).delete()
