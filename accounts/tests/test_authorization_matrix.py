"""The authorization matrix, generated from the URL conf.

Every URL pattern of the site is discovered from the resolver; each must be
declared below with the capability it needs and the kind of object its
parameters name. A new view without a declaration fails
`test_every_url_is_declared`, so every new page is covered automatically by
the matrix: each role × (own cell, sibling cell, other grassroots organization,
other province) × anonymous, for GET and POST.

Expectations are written independently of accounts/access.py: the table
VISIBLE says which targets each user may see, and LEVEL what they may do.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members.models import Member
from organizations.models import OrgEvent

# url name → (object kind of its parameters, capability needed)
#   kinds: None (no parameter), "org", "cell" (an org that must be a cell), "member",
#          "village", "role" (org + role assignment), "token", "job",
#          "province" (the target cell's province), "agenda_template" (one of its templates)
#   capabilities: "login" (any signed-in user), "view", "members", "structure", "roles"
DECLARED = {
    "home": (None, "login"),
    # Browsers' CSP violation reports, POST only, anonymous (chibo/tests/test_csp_report.py).
    "csp_report": (None, "public_post"),
    "set_language": (None, "public_redirect"),
    # The installable app (chibo/pwa.py): the same for everyone, nothing personal.
    "pwa_manifest": (None, "public"),
    "pwa_service_worker": (None, "public"),
    "pwa_offline": (None, "public"),
    "accounts:login": (None, "public"),
    "accounts:logout": (None, "public"),
    "accounts:profile": (None, "login"),
    "accounts:tokens": (None, "login"),
    "accounts:token_create": (None, "login"),
    "accounts:two_factor_verify": (None, "login"),
    "accounts:two_factor_setup": (None, "login"),
    "accounts:backup_codes_regenerate": (None, "login"),
    "accounts:confirm": (None, "login"),
    "accounts:end_other_sessions": (None, "login"),
    "accounts:password_change": (None, "login"),
    "accounts:token_revoke": ("token", "owner"),
    "accounts:org_roles": ("org", "roles"),
    "accounts:end_role": ("role", "roles"),
    "organizations:tree": (None, "org_access"),
    "organizations:villages": (None, "org_access"),
    "organizations:village_create": (None, "structure_anywhere"),
    "organizations:create_province": (None, "admin"),
    "organizations:village_edit": ("village", "structure"),
    "organizations:village_post_add": ("village", "structure"),
    "organizations:village_post_end": ("village", "structure"),
    "organizations:detail": ("org", "view"),
    "organizations:children": ("org", "view"),
    "organizations:create_child": ("org", "structure"),
    "organizations:edit": ("org", "structure"),
    "organizations:rename": ("org", "structure"),
    "organizations:move": ("cell", "structure"),
    "organizations:split": ("cell", "structure"),
    "organizations:merge": ("cell", "structure"),
    "organizations:dissolve": ("org", "structure"),
    "organizations:villages_edit": ("cell", "structure"),
    "organizations:members": ("org", "view"),
    "members:list": (None, "org_access"),
    "members:create": (None, "members_anywhere"),
    "members:me": (None, "self"),
    "members:detail": ("member", "view"),
    "members:register_docx": ("member", "view"),
    "members:edit": ("member", "members"),
    "members:move": ("member", "structure"),
    "members:account": ("member", "members"),
    "meetings:mine": (None, "login"),
    "meetings:detail": ("meeting", "meeting_view"),
    "meetings:prepare": ("meeting", "members"),
    "meetings:notice": ("meeting", "members"),
    "meetings:start": ("meeting", "members"),
    "meetings:end": ("meeting", "members"),
    "meetings:approve": ("meeting", "members"),
    "meetings:archive": ("meeting", "members"),
    "meetings:postpone": ("meeting", "members"),
    "meetings:cancel": ("meeting", "members"),
    "meetings:upload_document": ("meeting", "members"),
    "meetings:request_absence": ("meeting", "own_cell_member"),
    "meetings:decide_absence": ("meeting_absence", "members"),
    "meetings:attendance": ("meeting", "members"),
    "meetings:mark": ("meeting_member", "members"),
    "meetings:attendance_sync": ("meeting", "members"),
    "meetings:add_guest": ("meeting", "members"),
    "meetings:add_item": ("meeting", "members"),
    "meetings:edit_item": ("meeting_item", "members"),
    "meetings:add_speech": ("meeting_item", "members"),
    "meetings:add_vote": ("meeting", "members"),
    "meetings:resolution": ("meeting", "members"),
    "meetings:task": ("task", "members"),
    "meetings:minutes_docx": ("meeting", "view"),
    "meetings:minutes_pdf": ("meeting", "view"),
    "meetings:resolution_docx": ("meeting_with_resolution", "view"),
    "meetings:resolution_pdf": ("meeting_with_resolution", "view"),
    "meetings:minutes_book": ("cell", "view"),
    "meetings:minutes_book_pdf": ("cell", "view"),
    "meetings:cell_schedule": ("cell", "members"),
    "meetings:plan": ("cell", "members"),
    "meetings:cell_calendar": ("cell", "meeting_view"),
    "meetings:committee_schedule": ("commune", "structure"),
    "meetings:committee_calendar": ("commune", "view"),
    "meetings:committee_yearly": ("commune", "view"),
    "meetings:agenda_templates": ("province", "view"),
    "meetings:agenda_template_customize": ("province", "structure"),
    "meetings:agenda_template_edit": ("agenda_template", "structure"),
    "meetings:agenda_template_delete": ("agenda_template", "structure"),
    "meetings:cell_followers": ("cell", "view"),
    "meetings:cell_follower_end": ("cell", "structure"),
    "meetings:feeds": (None, "login"),
    # The token in the address is the credential (calendar apps cannot log in): see
    # test_feed_tokens_are_the_only_credential below and meetings/tests/test_feeds.py.
    "meetings:feed": ("feed", "token"),
    "spreadsheets:index": (None, "org_access"),
    "spreadsheets:template_members": (None, "members_anywhere"),
    "spreadsheets:import_members": (None, "members_anywhere"),
    "spreadsheets:template_organizations": (None, "structure_anywhere"),
    "spreadsheets:import_organizations": (None, "structure_anywhere"),
    "spreadsheets:export_members": (None, "org_access"),
    "spreadsheets:export_organizations": (None, "org_access"),
    "spreadsheets:job": ("job", "owner"),
    "spreadsheets:job_status": ("job", "owner"),
    "spreadsheets:job_download": ("job", "owner"),
    "liaison:org": ("org", "view"),
    "liaison:cell": ("cell", "view"),
    "liaison:introduce": ("member", "structure"),
    "liaison:exempt": ("member", "structure"),
    "liaison:detail": ("liaison", "view"),
    "liaison:comment_docx": ("liaison", "view"),
    "liaison:receive": ("liaison", "structure"),
    "liaison:activity_exemption": ("liaison", "structure"),
    "liaison:end": ("liaison", "structure"),
    "liaison:comment": ("liaison", "members"),
    "lifecycle:member": ("member", "view"),
    "lifecycle:decision_new": ("member", "structure"),
    "lifecycle:card_event_new": ("member", "structure"),
    "lifecycle:badge_new": ("member", "structure"),
    "lifecycle:interruption_new": ("member", "structure"),
    "lifecycle:strike_off": ("org", "view"),
    "lifecycle:badges_due": ("org", "view"),
    "admissions:pipeline": ("org", "view"),
    "admissions:recognition_due": ("org", "view"),
    "admissions:targets": ("org", "view"),
    "admissions:targets_edit": ("org", "structure"),
    "admissions:create": ("cell", "members"),
    "admissions:open_probation": ("member", "members"),
    "admissions:detail": ("candidate", "view"),
    "admissions:sympathizer": ("candidate", "members"),
    "admissions:certificate": ("candidate", "members"),
    "admissions:dossier": ("candidate", "members"),
    "admissions:check": ("candidate", "structure"),
    "admissions:vote": ("candidate", "members"),
    "admissions:decision": ("candidate", "structure"),
    "admissions:ceremony": ("candidate", "members"),
    "admissions:recognition_vote": ("candidate", "members"),
    "admissions:recognition_decision": ("candidate", "structure"),
    "admissions:strike_off": ("candidate", "structure"),
    "admissions:reject": ("candidate", "members"),
    "transfers:org_list": ("org", "view"),
    "transfers:incoming_start": ("cell", "structure"),
    "transfers:start": ("member", "members"),
    "transfers:cells": ("member", "members"),
    "transfers:detail": ("transfer", "view"),
    "transfers:sheet_docx": ("transfer", "view"),
    "transfers:issue": ("transfer", "structure"),
    "transfers:receive": ("transfer", "structure"),
    "transfers:complete": ("transfer", "structure"),
    "transfers:cancel": ("transfer", "members"),
    "ratings:org": ("org", "view"),
    "ratings:open": ("org", "structure"),
    "ratings:cycle": ("review_cycle", "view"),
    "ratings:close": ("review_cycle", "structure"),
    "ratings:cycle_docx": ("review_cycle", "view"),
    "ratings:review": ("member_review", "view"),
    "ratings:review_docx": ("member_review", "view"),
    "ratings:self_review": ("member_review", "members"),
    "ratings:propose": ("member_review", "members"),
    "ratings:decide": ("member_review", "structure"),
    "ratings:complain": ("member_review", "members"),
    "ratings:answer_complaint": ("member_review", "structure"),
    "ratings:decide_org": ("org_review", "structure"),
    # Meeting quality (quality/views.py): a province's rubrics are read by everyone with a role
    # in the province ("province_rules", "rubric"), written by its organization board.
    "quality:rubrics": ("province_rules", "view"),
    "quality:install_preset": ("province_rules", "structure"),
    "quality:rubric": ("rubric", "view"),
    "quality:rubric_edit": ("rubric", "structure"),
    "quality:score": ("meeting", "meeting_view"),
    "quality:preview": ("meeting", "meeting_view"),
    "quality:self_score": ("meeting", "members"),
    # The committee above confirms (an attending supervisor too: quality/tests/test_views.py).
    "quality:confirm": ("meeting", "structure"),
    "quality:cell_year": ("cell", "view"),
    # Supervision and visits (oversight/views_visits.py, views_following.py): "above" = a role in
    # a committee above the meeting's cell; "visitor" = the visit's own visitor only.
    "oversight:schedule": (None, "login"),
    "oversight:register": ("meeting", "above"),
    "oversight:meeting_report": ("meeting", "above"),
    "oversight:visit": ("visit", "view"),
    "oversight:visit_report": ("visit", "visitor"),
    "oversight:visit_cancel": ("visit", "structure"),
    "oversight:cell_visits": ("cell", "view"),
    "oversight:cell_plan": ("cell", "above"),
    "oversight:committee_visits": ("commune", "view"),
    "oversight:policy": ("commune", "structure"),
    "oversight:groups": ("commune", "view"),
    "oversight:group_create": ("commune", "structure"),
    "oversight:group": ("working_group", "view"),
    "oversight:group_edit": ("working_group", "structure"),
    "oversight:cross": ("commune", "view"),
    "oversight:cross_create": ("commune", "structure"),
    "oversight:cross_end": ("commune", "structure"),
    # The compliance board and the monthly report (oversight/views_board.py): readers of the
    # committee see them and export the report; its staff send reminders.
    "oversight:board": ("commune", "view"),
    "oversight:board_remind": ("commune", "structure"),
    "oversight:board_remind_all": ("commune", "structure"),
    "oversight:report": ("commune", "view"),
    "oversight:report_export": ("commune", "view"),
    # Inspection and supervision (oversight/views_inspections.py): the target cell's own
    # programme ("inspection_plan"); the committee above's inspection of the cell, concluded,
    # with one follow-up item ("inspection", "follow_up"): oversight/tests/inspection_targets.py.
    "oversight:inspections": ("org", "view"),
    "oversight:plan_create": ("org", "structure"),
    "oversight:inspection_create": ("org", "structure"),
    "oversight:inspection_subjects": ("org", "structure"),
    "oversight:plan": ("inspection_plan", "view"),
    "oversight:plan_edit": ("inspection_plan", "structure"),
    "oversight:inspection": ("inspection", "view"),
    "oversight:inspection_start": ("inspection", "structure"),
    "oversight:inspection_conclude": ("inspection", "structure"),
    "oversight:follow_up_add": ("inspection", "structure"),
    "oversight:follow_up_done": ("follow_up", "structure"),
    "dues:cell": ("cell", "view"),
    "dues:month": ("cell", "members"),
    "dues:mark": ("cell", "members"),
    # Statistical reports (reports/views.py): "report" = a report for the target cell (?org=).
    "reports:index": (None, "org_access"),
    "reports:report": ("report", "view"),
    "reports:export": ("report", "view"),
    # Emulation campaigns (campaigns/views.py): "campaign" = a campaign launched by the target
    # cell; "campaign_org" = that campaign's month sheet of the target cell.
    "campaigns:list": (None, "org_access"),
    "campaigns:create": ("org", "structure"),
    "campaigns:detail": ("campaign", "view"),
    "campaigns:edit": ("campaign", "structure"),
    "campaigns:sheet": ("campaign_org", "members"),
    "campaigns:sheet_xlsx": ("campaign_org", "members"),
    # The summary (DOCX) job: POST-only; the organization is in the body (tested in
    # reports/tests/test_summary_docx.py).
    "reports:summary_docx": (None, "org_access"),
    # The audit trail (audit/views.py): the staff's log; who viewed a record (the member
    # themself through "mine", the staff above the cell); the personal-data export (POST).
    "audit:log": (None, "structure_anywhere"),
    "audit:mine": (None, "self"),
    "audit:accesses": ("member", "structure"),
    "audit:subject_export": ("member", "structure"),
    # The in-app guide (guide/views.py): the same text for every signed-in user.
    "guide:index": (None, "login"),
    "guide:month": (None, "login"),
    "guide:pages": (None, "login"),
}

# Patterns tested elsewhere (the JSON API has its own generated matrix over the OpenAPI schema).
EXCLUDED_PREFIXES = ("api/",)

USERS = [
    "admin",
    "staff_p1",
    "staff_c1",
    "committee_c1",
    "secretary_k1",
    "member_k1",
    "staff_p2",
    "nobody",
]

# Target cells as seen from secretary_k1's seat: own cell, sibling cell, other grassroots org, other province.
TARGETS = {"own": "K1", "sibling": "K2", "other_grassroots": "K3", "other_province": "K4"}
TARGET_MEMBER = {
    "K1": "Lê Văn Nam",
    "K2": "Hoàng Văn Bình",
    "K3": "Vũ Thị Mai",
    "K4": "Bùi Văn Tâm",
}
TARGET_VILLAGE = {"K1": "V1", "K2": "V2", "K3": "V5", "K4": "V4"}
# Views that only accept POST: a GET is 405 for everyone signed in (no data either way).
POST_ONLY = {
    "accounts:end_role",
    "accounts:token_revoke",
    "accounts:logout",
    "accounts:backup_codes_regenerate",
    "accounts:end_other_sessions",
    "spreadsheets:import_members",
    "spreadsheets:import_organizations",
    "spreadsheets:export_members",
    "spreadsheets:export_organizations",
    "meetings:prepare",
    "meetings:notice",
    "meetings:start",
    "meetings:end",
    "meetings:approve",
    "meetings:archive",
    "meetings:postpone",
    "meetings:cancel",
    "meetings:upload_document",
    "meetings:request_absence",
    "meetings:decide_absence",
    "meetings:mark",
    "meetings:attendance_sync",
    "meetings:add_guest",
    "meetings:add_speech",
    "meetings:add_vote",
    "meetings:agenda_template_customize",
    "meetings:agenda_template_delete",
    "meetings:cell_follower_end",
    "liaison:receive",
    "liaison:activity_exemption",
    "liaison:end",
    "admissions:open_probation",
    "admissions:sympathizer",
    "admissions:certificate",
    "admissions:dossier",
    "admissions:check",
    "admissions:vote",
    "admissions:decision",
    "admissions:ceremony",
    "admissions:recognition_vote",
    "admissions:recognition_decision",
    "admissions:strike_off",
    "admissions:reject",
    "transfers:issue",
    "transfers:receive",
    "transfers:complete",
    "transfers:cancel",
    "ratings:close",
    "ratings:self_review",
    "ratings:propose",
    "ratings:decide",
    "ratings:complain",
    "ratings:answer_complaint",
    "ratings:decide_org",
    "quality:install_preset",
    "quality:self_score",
    "quality:confirm",
    "oversight:register",
    "oversight:cell_plan",
    "oversight:visit_cancel",
    "oversight:cross_end",
    "oversight:board_remind",
    "oversight:board_remind_all",
    "oversight:report_export",
    "oversight:inspection_start",
    "oversight:inspection_conclude",
    "oversight:follow_up_add",
    "oversight:follow_up_done",
    "dues:mark",
    "reports:summary_docx",
    "organizations:village_post_add",
    "organizations:village_post_end",
    "audit:subject_export",
}

# What each user may do on each target cell: 0 none (404), 1 read, 2 manage members, 3 structure/roles.
LEVEL = {
    "admin": {"K1": 3, "K2": 3, "K3": 3, "K4": 3},
    "staff_p1": {"K1": 3, "K2": 3, "K3": 3, "K4": 0},
    "staff_c1": {"K1": 3, "K2": 3, "K3": 0, "K4": 0},
    "committee_c1": {"K1": 1, "K2": 1, "K3": 0, "K4": 0},
    "secretary_k1": {"K1": 2, "K2": 0, "K3": 0, "K4": 0},
    "member_k1": {"K1": 0, "K2": 0, "K3": 0, "K4": 0},
    "staff_p2": {"K1": 0, "K2": 0, "K3": 0, "K4": 3},
    "nobody": {"K1": 0, "K2": 0, "K3": 0, "K4": 0},
}
NEEDED = {
    "view": 1,
    "members": 2,
    "structure": 3,
    "roles": 3,
    "meeting_view": 1,
    "own_cell_member": 1,
    "above": 1,
    "visitor": 1,
}
# Matrix users who are members of a cell: they read its meetings and ask to be excused.
HOME_CELL = {"secretary_k1": "K1", "member_k1": "K1"}
MEETING_KINDS = (
    "meeting",
    "meeting_item",
    "meeting_member",
    "meeting_absence",
    "meeting_with_resolution",
    "task",
)
HAS_ORG_ACCESS = {u: any(LEVEL[u].values()) for u in USERS}


def all_url_names():
    names = {}

    def walk(patterns, prefix="", ns=None):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route, ":".join(filter(None, [ns, p.namespace])) or None)
            elif isinstance(p, URLPattern) and p.name:
                names[f"{ns}:{p.name}" if ns else p.name] = route

    walk(get_resolver().url_patterns)
    return {n: r for n, r in names.items() if not r.startswith(EXCLUDED_PREFIXES)}


def test_every_url_is_declared():
    undeclared = sorted(set(all_url_names()) - set(DECLARED))
    assert not undeclared, f"Declare these views in the authorization matrix: {undeclared}"
    stale = sorted(set(DECLARED) - set(all_url_names()))
    assert not stale, f"These declared views no longer exist: {stale}"


def _url(world, name, kind, cell_code):
    from accounts.models import RoleAssignment
    from organizations.models import Village

    if kind is None:
        return reverse(name)
    cell = world.org(cell_code)
    if kind in ("org", "cell"):
        return reverse(name, args=[cell.uuid])
    if kind == "report":
        return reverse(name, args=["structure"]) + f"?org={cell.uuid}"
    if kind == "commune":
        return reverse(name, args=[cell.parent_org().uuid])
    if kind in ("province", "agenda_template"):
        province = cell.province
        if kind == "province":
            return reverse(name, args=[province.uuid])
        from meetings.models import AgendaTemplate

        template, _ = AgendaTemplate.objects.get_or_create(
            province=province,
            kind="regular",
            cell_type="",
            defaults={"items": [{"step": "opening", "title": "Khai mạc"}]},
        )
        return reverse(name, args=[province.uuid, template.pk])
    if kind == "member":
        return reverse(name, args=[world.member(TARGET_MEMBER[cell_code], cell_code).uuid])
    if kind == "village":
        code = TARGET_VILLAGE[cell_code]
        return reverse(name, args=[Village.objects.get(code=code).uuid])
    if kind in MEETING_KINDS:
        from meetings import services as meeting_services
        from meetings.tests import targets

        if kind == "task":
            return reverse(name, args=[targets.task_in(world, cell_code).pk])
        if kind == "meeting_with_resolution":
            return reverse(name, args=[targets.task_in(world, cell_code).resolution.meeting.uuid])
        if kind == "meeting_absence":
            req = targets.absence_in(world, cell_code)
            return reverse(name, args=[req.meeting.uuid, req.pk])
        meeting = targets.meeting_in(world, cell_code)
        if kind == "meeting_item":
            meeting_services.fill_agenda(meeting)
            return reverse(name, args=[meeting.uuid, meeting.agenda.first().pk])
        if kind == "meeting_member":
            member = world.member(targets.NO_LOGIN_MEMBER[cell_code], cell_code)
            return reverse(name, args=[meeting.uuid, member.pk])
        return reverse(name, args=[meeting.uuid])
    if kind == "transfer":
        from transfers.tests import targets as transfer_targets

        return reverse(name, args=[transfer_targets.transfer_in(world, cell_code).uuid])
    if kind == "candidate":
        from admissions.tests import targets as admission_targets

        return reverse(name, args=[admission_targets.candidate_in(world, cell_code).uuid])
    if kind == "liaison":
        from liaison.tests import targets as liaison_targets

        return reverse(name, args=[liaison_targets.liaison_in(world, cell_code).uuid])
    if kind in ("review_cycle", "member_review", "org_review"):
        from ratings.tests import targets as rating_targets

        if kind == "member_review":
            return reverse(name, args=[rating_targets.review_in(world, cell_code).uuid])
        if kind == "org_review":
            return reverse(name, args=[rating_targets.org_review_in(world, cell_code).uuid])
        return reverse(name, args=[cell.uuid, rating_targets.cycle_in(world, cell_code).uuid])
    if kind == "role":
        ra = RoleAssignment.objects.filter(organization=cell).first()
        if ra is None:
            from accounts.models import User

            holder, _ = User.objects.get_or_create(username=f"holder_{cell_code}")
            ra = RoleAssignment.objects.create(user=holder, role="committee", organization=cell)
        return reverse(name, args=[cell.uuid, ra.pk])
    if kind in ("visit", "working_group"):
        from oversight.tests import visits_targets

        if kind == "visit":
            return reverse(name, args=[visits_targets.visit_in(world, cell_code).uuid])
        return reverse(name, args=[visits_targets.group_in(world, cell_code).uuid])
    if kind in ("inspection_plan", "inspection", "follow_up"):
        from oversight.tests import inspection_targets

        if kind == "inspection_plan":
            return reverse(name, args=[inspection_targets.plan_in(world, cell_code).uuid])
        if kind == "follow_up":
            item = inspection_targets.follow_up_in(world, cell_code)
            return reverse(name, args=[item.inspection.uuid, item.pk])
        return reverse(name, args=[inspection_targets.inspection_in(world, cell_code).uuid])
    if kind in ("campaign", "campaign_org"):
        from campaigns.tests.targets import campaign_in

        campaign = campaign_in(world, cell_code)
        if kind == "campaign_org":
            return reverse(name, args=[campaign.uuid, cell.uuid])
        return reverse(name, args=[campaign.uuid])
    if kind in ("province_rules", "rubric"):
        from quality.tests import targets as quality_targets

        rubric = quality_targets.rubric_in(world, cell_code)
        target = rubric.province if kind == "province_rules" else rubric
        return reverse(name, args=[target.uuid])
    raise AssertionError(f"no target for {kind}: token and job views are tested with their owners")


def effective_level(user, kind, cap, cell_code):
    """LEVEL adjusted for the objects whose visibility is not just their cell's."""
    level = LEVEL[user][cell_code]
    if kind == "village" and user == "secretary_k1":
        level = 0  # villages belong to the commune's territory, outside a cell secretary's scope
    if kind == "member" and user == "member_k1" and cell_code == "K1":
        level = 0  # the target member of K1 is not member_k1's own record
    member_reads = (
        ("meeting", "meeting_item", "meeting_member")
        if cap != "meeting_view"
        else ("meeting", "cell")
    )
    if (
        kind in member_reads
        and cap in ("meeting_view", "members", "own_cell_member", "above", "structure")
        and user == "member_k1"
        and cell_code == "K1"
    ):
        level = 1  # a plain member reads their own cell's meetings
    if kind in ("commune", "working_group") and user == "secretary_k1":
        level = 0  # a cell secretary's scope is the cell, not the committee above it
    if kind in ("province", "agenda_template") and user not in ("admin", "staff_p1", "staff_p2"):
        level = 0  # only a role on the province itself reaches the province's own pages
    if kind == "task" and level < 2:
        level = 0  # a task page is for the cell's managers and the task's assignee
    if kind == "meeting_absence" and user == "member_k1" and cell_code == "K1":
        level = 1  # the meeting is theirs to read; deciding is the secretary's (403)
    if cap == "own_cell_member" and level and HOME_CELL.get(user) != cell_code:
        level = -1  # visible, but only the cell's own members ask to be excused
    if cap == "above" and level and (user == "admin" or HOME_CELL.get(user) == cell_code):
        level = -1  # visible, but only a role in a committee above the cell visits it
    if cap == "visitor" and level > 0:
        level = -1  # visible, but only the visitor files the report
    if kind in ("province_rules", "rubric"):
        # Province-wide rules: read by every role in the province, written by its own board.
        province_cells = ["K4"] if cell_code == "K4" else ["K1", "K2", "K3"]
        board = {"admin": True, "staff_p1": cell_code != "K4", "staff_p2": cell_code == "K4"}
        level = 3 if board.get(user) else int(any(LEVEL[user][c] for c in province_cells))
    return level


def expected(user, name, kind, cap, cell_code, url):
    """The status a GET must return."""
    if cap == "public_post":
        return 405
    if user is None:
        if name == "accounts:logout":
            return 405
        return {"public": 200, "public_redirect": None}.get(cap, 302)
    if name in POST_ONLY:
        return 405
    if kind is None:
        if cap in ("public", "login", "public_redirect"):
            return None  # may be 200 or a redirect; only checked to be < 400
        if cap == "org_access":
            if HAS_ORG_ACCESS[user]:
                return 200
            # Plain members are sent to their own record; others get 404.
            return 302 if user == "member_k1" and name == "members:list" else 404
        if cap == "self":
            return 302 if user in ("member_k1", "secretary_k1") else 404
        if cap == "structure_anywhere":
            return 200 if any(v >= 3 for v in LEVEL[user].values()) else 404
        if cap == "admin":
            return 200 if user == "admin" else 404
        if cap == "members_anywhere":
            return 200 if any(v >= 2 for v in LEVEL[user].values()) else 404
    level = effective_level(user, kind, cap, cell_code)
    if level == -1:
        return 403
    if level == 0:
        return 404
    if level < NEEDED[cap]:
        return 403
    if name == "organizations:members":
        return 302
    if name == "meetings:minutes_book_pdf":
        return None  # a PDF, or back to the page when the period has no approved minutes
    return 200


CASES = [
    (user, name, relation)
    for name, (kind, cap) in sorted(DECLARED.items())
    if kind not in ("token", "job", "feed")
    for user in [*USERS, None]
    for relation in (TARGETS if kind else ["none"])
]


@pytest.mark.parametrize(("user", "name", "relation"), CASES)
def test_get_matrix(client, world, user, name, relation):
    kind, cap = DECLARED[name]
    cell_code = TARGETS.get(relation)
    url = _url(world, name, kind, cell_code)
    if user is not None:
        client.force_login(world.user(user))
    response = client.get(url)
    want = expected(user, name, kind, cap, cell_code, url)
    if want is None:
        assert response.status_code < 400, (url, response.status_code)
    else:
        assert response.status_code == want, (
            f"{user} GET {url}: {response.status_code}, expected {want}"
        )
    if want == 404:
        # Nothing of the target leaks into the error page.
        body = response.content.decode()
        assert world.org(cell_code).name not in body if cell_code else True
    if want == 302 and user is None:
        assert response["Location"].startswith(reverse("accounts:login"))


def _snapshot():
    from admissions.models import AdmissionTarget, Candidate
    from campaigns.models import Campaign, CampaignResult
    from dues.models import DuesPayment
    from liaison.models import AnnualComment, ResidenceLiaison
    from meetings.models import (
        AbsenceRequest,
        AgendaTemplate,
        Attendance,
        Guest,
        Meeting,
        MeetingDocument,
        SupervisorAssignment,
        Task,
        Vote,
    )
    from organizations.models import VillagePost
    from oversight.models import (
        CrossAttendance,
        FollowUp,
        Inspection,
        InspectionPlan,
        Reminder,
        Visit,
        VisitPolicy,
        WorkingGroup,
    )
    from quality.models import MeetingScore, Rubric
    from ratings.models import MemberReview, OrganizationReview, ReviewCycle
    from spreadsheets.models import Job
    from transfers.models import Transfer

    return (
        VillagePost.history.count(),
        Visit.history.count(),
        WorkingGroup.history.count(),
        CrossAttendance.history.count(),
        VisitPolicy.history.count(),
        OrgEvent.objects.count(),
        Member.history.count(),
        Member.objects.filter(status="left").count(),
        list(Meeting.objects.order_by("pk").values_list("status", flat=True)),
        Attendance.history.count(),
        Vote.objects.count(),
        Task.history.count(),
        Guest.objects.count(),
        MeetingDocument.objects.count(),
        list(AbsenceRequest.objects.order_by("pk").values_list("status", flat=True)),
        AgendaTemplate.history.count(),
        SupervisorAssignment.history.count(),
        ResidenceLiaison.history.count(),
        AnnualComment.objects.count(),
        Candidate.history.count(),
        AdmissionTarget.history.count(),
        Transfer.history.count(),
        ReviewCycle.history.count(),
        MemberReview.history.count(),
        OrganizationReview.history.count(),
        Rubric.history.count(),
        MeetingScore.history.count(),
        DuesPayment.history.count(),
        InspectionPlan.history.count(),
        Inspection.history.count(),
        FollowUp.history.count(),
        Reminder.objects.count(),
        Job.objects.count(),
        Campaign.history.count(),
        CampaignResult.history.count(),
    )


POST_CASES = [
    (user, name, relation)
    for name, (kind, cap) in sorted(DECLARED.items())
    if kind
    in (
        "org",
        "cell",
        "member",
        "village",
        "role",
        "province",
        "agenda_template",
        "liaison",
        "transfer",
        "candidate",
        "review_cycle",
        "member_review",
        "org_review",
        "province_rules",
        "rubric",
        "visit",
        "working_group",
        "inspection_plan",
        "inspection",
        "follow_up",
        "commune",
        "campaign",
        "campaign_org",
        *MEETING_KINDS,
    )
    for user in [*USERS, None]
    for relation in TARGETS
    # In-scope writes that are allowed are covered by each feature's own tests.
    if user is None or effective_level(user, kind, cap, TARGETS[relation]) < NEEDED[cap]
]


@pytest.mark.parametrize(("user", "name", "relation"), POST_CASES)
def test_post_outside_scope_is_404_and_changes_nothing(client, world, user, name, relation):
    kind, cap = DECLARED[name]
    cell_code = TARGETS[relation]
    level = 0 if user is None else effective_level(user, kind, cap, cell_code)
    url = _url(world, name, kind, cell_code)
    if user is not None:
        client.force_login(world.user(user))
    before = _snapshot()
    response = client.post(
        url,
        {
            "name": "X",
            "reason": "X",
            "effective_on": "01/01/2025",
            "new_parent": "",
            "sources": [],
            "villages": [],
            "draft_resolution": "X",
            "decision": "approve",
            "motion": "X",
            "yes": 1,
            "new_time": "01/12/2025 19:30",
            "started_at": "05/09/2025 19:30",
            "ended_at": "05/09/2025 21:30",
            "all_present": "1",
            "summary": "X",
        },
    )
    if user is None:
        assert response.status_code == 302
    elif level <= 0 and level != -1:
        assert response.status_code == 404, (user, url, response.status_code)
    else:
        assert response.status_code == 403, (user, url, response.status_code)
    assert before == _snapshot()


OWNER_CASES = [
    (user, name)
    for name, (kind, cap) in sorted(DECLARED.items())
    if kind in ("token", "job")
    for user in [*USERS, None]
]


@pytest.mark.parametrize(("user", "name"), OWNER_CASES)
def test_owner_only_objects_are_404_to_everyone_else(client, world, user, name):
    """Tokens and jobs belong to one user: anyone else gets 404, the anonymous a login redirect."""
    from accounts.models import ApiToken
    from spreadsheets.models import Job, JobKind

    owner = world.user("staff_p1")
    if DECLARED[name][0] == "token":
        token, _raw = ApiToken.issue(owner, "matrix")
        url = reverse(name, args=[token.pk])
    else:
        job = Job.objects.create(kind=JobKind.EXPORT_MEMBERS, user=owner, province=world.org("P1"))
        url = reverse(name, args=[job.uuid])
    if user is not None:
        client.force_login(world.user(user))
    response = client.post(url) if name in POST_ONLY else client.get(url)
    if user is None:
        assert response.status_code == 302
    elif user == "staff_p1":
        assert response.status_code < 400 or (
            DECLARED[name][0] == "job"
            and response.status_code == 404
            and name == "spreadsheets:job_download"
        )
    else:
        assert response.status_code == 404
    if DECLARED[name][0] == "token" and user not in (None, "staff_p1"):
        token.refresh_from_db()
        assert token.revoked_at is None


@pytest.mark.parametrize("user", [*USERS, None])
def test_feed_tokens_are_the_only_credential(client, world, user):
    """A feed address answers to its token alone: an unknown or revoked token is 404 for everyone."""
    from django.utils import timezone

    from meetings.models import CalendarFeed

    feed = CalendarFeed.objects.create(
        user=world.user("secretary_k1"), token="valid-token-" + "x" * 30
    )
    if user is not None:
        client.force_login(world.user(user))
    assert client.get(reverse("meetings:feed", args=["not-a-token"])).status_code == 404
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 200
    feed.revoked_at = timezone.now()
    feed.save()
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 404
