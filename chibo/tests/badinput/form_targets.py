"""The site's POST forms the corpus attacks, declared by URL name.

Each target names the page that shows the form (by default the form's own address), the
form's action when it posts elsewhere (the meeting page posts to start/, postpone/, …),
the user who fills it in, the fields to attack with their kind, and what the baseline needs
beyond the page's own defaults so that, unattacked, it would be accepted.
"""

from dataclasses import dataclass, field

from accounts.tests.test_authorization_matrix import DECLARED, _url


@dataclass(frozen=True)
class FormTarget:
    name: str  # URL name of the page showing the form
    fields: dict  # field name → kind (text, date, number, count, choice, datetime, time)
    action: str = ""  # the form's action ends with this ("" = posts to the page itself)
    user: str = "admin"
    base: dict = field(default_factory=dict)  # values the baseline needs
    label: str = ""  # distinguishes two forms on one page in the case id
    # False where the world's object cannot take the baseline (K1 still has a party group, so
    # it cannot be dissolved): the bad values are still refused, but no success is asserted.
    baseline_ok: bool = True

    @property
    def id(self) -> str:
        return self.label or (self.name + (f"[{self.action.strip('/')}]" if self.action else ""))

    def url(self, world) -> str:
        kind, _cap = DECLARED[self.name]
        return _url(world, self.name, kind, "K1")


PERSON = {
    "full_name": "text",
    "birth_name": "text",
    "birth_date": "date",
    "native_place": "text",
    "residence": "text",
    "citizen_id": "text",
    "phone": "text",
    "qualification_detail": "text",
    "sex": "choice",
    "ethnicity": "choice",
}
MEMBER = {
    "dossier_no": "text",
    "card_no": "text",
    "admission_decision_date": "date",
    "ceremony_date": "date",
    "official_date": "date",
    "status": "choice",
    "status_note": "text",
}
NEW_PERSON = {
    "full_name": "Đinh Thị Corpus",
    "sex": "F",
    "birth_date": "02/03/1990",
    "ethnicity": "01",
}

FORMS = [
    # Members: the record, its move, its login.
    FormTarget(
        "members:create",
        {**PERSON, **MEMBER, "start_date": "date", "organization": "choice"},
        base={
            **NEW_PERSON,
            "organization": "@K1",
            "start_date": "01/02/2015",
            "dossier_no": "123456TN",
            "status": "official",
            "admission_decision_date": "01/01/2014",
            "ceremony_date": "15/01/2014",
            "official_date": "15/01/2015",
        },
    ),
    FormTarget("members:edit", {**PERSON, **MEMBER}),
    FormTarget(
        "members:move",
        {"note": "text", "effective_on": "date", "organization": "choice"},
        base={"organization": "@K2"},
    ),
    FormTarget(
        "members:account",
        {"username": "text"},
        base={"username": "corpus_login", "password": "Corpus-pass-2026!x"},
    ),
    # The organization tree.
    FormTarget(
        "organizations:create_child",
        {
            "name": "text",
            "code": "text",
            "founded_on": "date",
            "decision": "text",
            "kind": "choice",
        },
        base={"name": "Tổ đảng Corpus", "code": "TC1", "founded_on": "01/01/2020"},
    ),
    FormTarget(
        "organizations:create_province",
        {"name": "text", "code": "text", "founded_on": "date", "decision": "text"},
        base={"name": "Đảng bộ tỉnh Corpus", "code": "PC", "founded_on": "01/01/2020"},
    ),
    FormTarget("organizations:edit", {"code": "text", "founded_on": "date", "cell_type": "choice"}),
    FormTarget(
        "organizations:rename",
        {"name": "text", "effective_on": "date", "decision": "text"},
        base={"name": "Chi bộ thôn Đông Mới"},
    ),
    FormTarget(
        "organizations:dissolve",
        {"reason": "text", "effective_on": "date", "decision": "text"},
        base={"reason": "Sáp nhập"},
        baseline_ok=False,
    ),
    FormTarget(
        "organizations:village_create",
        {
            "name": "text",
            "code": "text",
            "valid_from": "date",
            "valid_to": "date",
            "kind": "choice",
        },
        base={"name": "Thôn Corpus", "code": "VC9", "kind": "thon", "commune": "@C1"},
    ),
    FormTarget(
        "organizations:village_edit",
        {"name": "text", "code": "text", "valid_from": "date", "commune": "choice"},
    ),
    FormTarget(
        "organizations:village_edit",
        {"post-holder_name": "text", "post-valid_from": "date", "post-title": "choice"},
        action="posts/new/",
        base={"post-holder_name": "Ông Trưởng Thôn", "post-how": "elected", "post-member": ""},
    ),
    # Meetings: planning, schedule, the meeting page's steps, minutes, resolution, tasks.
    FormTarget(
        "meetings:plan",
        {
            "topic": "text",
            "date": "date",
            "time": "time",
            "place": "text",
            "title": "text",
            "kind": "choice",
        },
        base={
            "kind": "extraordinary",
            "date": "25/12/2026",
            "time": "19:30",
            "place": "Hội trường",
        },
    ),
    FormTarget(
        "meetings:cell_schedule",
        {"day_of_month": "count", "time": "time", "place": "text", "valid_from": "date"},
        base={"day_of_month": "5", "time": "19:30", "place": "Nhà văn hóa"},
    ),
    FormTarget(
        "meetings:committee_schedule",
        {"day_of_month": "count", "time": "time", "place": "text", "valid_to": "date"},
        base={"day_of_month": "3", "place": "Hội trường xã"},
    ),
    FormTarget(
        "meetings:detail",
        {"draft_resolution": "text"},
        action="prepare/",
        base={"draft_resolution": "Dự thảo nghị quyết"},
    ),
    FormTarget(
        "meetings:detail",
        {"started_at": "datetime", "chair": "choice"},
        action="start/",
        base={"chair": "#1", "minutes_secretary": "#2"},
    ),
    FormTarget(
        "meetings:detail",
        {"reason": "text", "new_time": "datetime"},
        action="postpone/",
        base={"reason": "Bão", "new_time": "20/09/2025 19:30"},
    ),
    FormTarget("meetings:detail", {"reason": "text"}, action="cancel/", base={"reason": "Bão"}),
    FormTarget(
        "meetings:detail",
        {"title": "text", "text": "text", "kind": "choice"},
        action="documents/",
        base={"title": "Tài liệu", "text": "Nội dung"},
    ),
    FormTarget(
        "meetings:attendance",
        {"r_1": "text", "s_1": "choice"},
        label="meetings:attendance[sheet]",
        base={"s_1": "absent_excused", "r_1": "Ốm"},
    ),
    FormTarget(
        "meetings:attendance",
        {"name": "text", "title": "text"},
        action="guests/",
        base={"name": "Ông Khách", "title": "Bí thư Đảng ủy"},
    ),
    FormTarget(
        "meetings:add_item",
        {
            "title": "text",
            "notes": "text",
            "conclusion": "text",
            "step": "choice",
            "presenter": "choice",
        },
        base={"title": "Nội dung Corpus", "step": "proceedings"},
    ),
    FormTarget("meetings:edit_item", {"title": "text", "notes": "text", "conclusion": "text"}),
    FormTarget(
        "meetings:resolution",
        {
            "summary": "text",
            "assessment": "text",
            "directions": "text",
            "t-0-description": "text",
            "t-0-assignee_group": "text",
            "t-0-due_date": "date",
            "kind": "choice",
        },
        base={"kind": "conclusion", "summary": "Kết luận"},
        baseline_ok=False,  # the meeting has not started: refused whatever the values
    ),
    FormTarget(
        "meetings:task", {"text": "text"}, label="meetings:task[report]", base={"text": "Đã làm"}
    ),
    FormTarget(
        "meetings:cell_followers",
        {"valid_from": "date", "valid_to": "date", "user": "choice"},
        base={"user": "#1"},
    ),
    # Admissions.
    FormTarget(
        "admissions:create",
        {
            "full_name": "text",
            "birth_date": "date",
            "citizen_id": "text",
            "phone": "text",
            "native_place": "text",
            "recommended_by": "text",
            "listed_on": "date",
            "sex": "choice",
        },
        base={**NEW_PERSON, "listed_on": "06/01/2025"},
    ),
    FormTarget(
        "admissions:detail",
        {"on": "date", "votes_for": "count", "eligible": "count", "resolution_no": "text"},
        action="vote/",
        base={"on": "10/08/2023", "votes_for": "2"},
    ),
    FormTarget(
        "admissions:detail",
        {"on": "date", "reason": "text", "withdrawn": "choice"},
        action="reject/",
        base={"on": "01/09/2023", "reason": "Không đủ điều kiện"},
    ),
    FormTarget(
        "admissions:targets_edit",
        {"u3-admissions": "count", "u3-minority_share": "count", "u3-women_share": "count"},
        base={"u3-admissions": "3"},
    ),
    # Transfers.
    FormTarget(
        "transfers:start",
        {
            "reason_detail": "text",
            "trigger_date": "date",
            "started_on": "date",
            "end_date": "date",
            "to_org_name": "text",
            "to_code": "text",
            "note": "text",
            "kind": "choice",
        },
        base={
            "kind": "official",
            "reason": "job",
            "trigger_date": "05/01/2026",
            "started_on": "12/01/2026",
            "to_org_name": "Chi bộ thôn Bắc, tỉnh Khác",
            "find_cell": None,
        },
    ),
    FormTarget(
        "transfers:incoming_start",
        {
            "member_name": "text",
            "from_org_name": "text",
            "reason_detail": "text",
            "trigger_date": "date",
            "started_on": "date",
            "note": "text",
        },
        base={
            "member_name": "Đinh Văn Đến",
            "from_org_name": "Chi bộ thôn Bắc, tỉnh Khác",
            "reason": "job",
            "trigger_date": "05/01/2026",
            "started_on": "12/01/2026",
        },
    ),
    FormTarget(
        "transfers:detail",
        {
            "letter_no": "text",
            "register_no": "text",
            "issued_on": "date",
            "issued_by": "text",
            "dues_paid_until": "text",
            "letter_type": "choice",
        },
        action="issue/",
        base={"letter_no": "15"},
    ),
    FormTarget(
        "transfers:detail",
        {"reason": "text"},
        action="cancel/",
        base={"reason": "Không chuyển nữa"},
    ),
    # Residence liaison (QĐ 213).
    FormTarget(
        "liaison:comment",
        {
            "year": "count",
            "other_comments": "text",
            "front_opinion": "text",
            "front_head": "text",
            "signed_by": "text",
            "commented_on": "date",
            "overall": "choice",
        },
        base=dict.fromkeys(("exemplary", "policies", "activities", "citizen_duties"), "well")
        | {
            "contact": "done",
            "people": "done",
            "overall": "good",
            "year": "2025",
            "commented_on": "20/12/2025",
        },
    ),
    FormTarget(
        "liaison:detail",
        {"reason": "text", "on": "date", "exemption": "choice"},
        action="exemption/",
        base={"exemption": "mobile", "reason": "Lưu động"},
    ),
    FormTarget(
        "liaison:detail",
        {"note": "text", "on": "date", "reason": "choice"},
        action="end/",
        base={"reason": "moved"},
    ),
    # A member's life: decisions, cards, badges, interruptions.
    FormTarget(
        "lifecycle:decision_new",
        {
            "decision_no": "text",
            "decision_date": "date",
            "effective_date": "date",
            "end_date": "date",
            "deciding_body": "text",
            "reason": "text",
            "kind": "choice",
        },
        base={
            "kind": "#1",
            "decision_date": "01/08/2025",
            "effective_date": "01/08/2025",
            "end_date": "01/08/2026",
        },
    ),
    FormTarget(
        "lifecycle:card_event_new",
        {"card_no": "text", "date": "date", "decision_no": "text", "note": "text"},
        base={"card_no": "12345678"},
        baseline_ok=False,
    ),  # a probationary member
    FormTarget(
        "lifecycle:badge_new",
        {
            "award_date": "date",
            "decision_no": "text",
            "badge_no": "text",
            "note": "text",
            "years": "choice",
        },
        base={"decision_no": "7"},
        baseline_ok=False,
    ),  # nobody due a badge
    FormTarget(
        "lifecycle:interruption_new",
        {"start_date": "date", "end_date": "date", "note": "text"},
        base={"start_date": "01/07/2025", "end_date": "10/07/2025", "note": "Gián đoạn"},
    ),
    # Review and rating, meeting quality.
    FormTarget(
        "ratings:review",
        {
            "results": "text",
            "strengths": "text",
            "shortcomings": "text",
            "remedies": "text",
            "self_score": "count",
            "self_level": "choice",
        },
        action="self/",
        base={"form_type": "2C", "results": "Đã làm", "self_level": "good"},
    ),
    FormTarget(
        "ratings:cycle",
        {"level": "choice", "on": "date"},
        action="decide/",
        base={"level": "good"},
        baseline_ok=False,
    ),  # its members are not rated yet
    FormTarget(
        "quality:rubric_edit",
        {
            "name": "text",
            "source": "text",
            "effective_from": "date",
            "total_points": "count",
            "good_from": "count",
            "year_good_min": "count",
            "c-0-text": "text",
            "c-0-max_points": "count",
            "c-0-auto_param": "count",
        },
        base={"effective_from": "01/01/2031", "mode": "new"},
    ),
    FormTarget(
        "quality:rubrics",
        {"effective_from": "date", "preset": "choice"},
        action="presets/",
        base={"preset": "hd12_2018", "effective_from": "01/01/2031"},
    ),
    # Party dues and campaigns.
    FormTarget(
        "dues:month",
        {"paid_on": "date", "a_1": "count", "n_1": "text", "s_1": "choice"},
        base={"s_1": "paid", "a_1": "20000"},
    ),
    FormTarget(
        "campaigns:create",
        {"name": "text", "description": "text", "starts_on": "date", "ends_on": "date"},
        base={"name": "Chiến dịch Corpus", "starts_on": "01/01/2026", "collects_money": "on"},
    ),
    FormTarget("campaigns:edit", {"name": "text", "description": "text", "ends_on": "date"}),
    FormTarget(
        "campaigns:sheet",
        {"m_3": "count", "r_3": "count", "b_3": "count", "n_3": "text"},
        base={"m_3": "100000"},
    ),
    # Oversight: plans, inspections, follow-ups, visit rule, groups, cross-attendance, visits.
    FormTarget(
        "oversight:plan_create",
        {"year": "count", "number": "text", "approved_on": "date", "summary": "text"},
        base={"year": "2024", "number": "02-CTr/CB", "summary": "Chương trình"},
    ),
    FormTarget("oversight:plan_edit", {"number": "text", "approved_on": "date", "summary": "text"}),
    FormTarget(
        "oversight:inspection_create",
        {"topic": "text", "planned_from": "date", "planned_to": "date", "kind": "choice"},
        base={"topic": "Kiểm tra Corpus", "subject": "#1", "find_subject": None},
    ),
    FormTarget(
        "oversight:inspection",
        {"text": "text", "responsible": "text", "due_on": "date"},
        action="follow-ups/",
        base={"text": "Khắc phục hạn chế"},
    ),
    FormTarget(
        "oversight:inspection",
        {"done*-done_on": "date", "done*-result": "text"},
        action="done/",
        base={"done*-result": "Đã khắc phục"},
    ),
    FormTarget("oversight:policy", {"visits_per_quarter": "count", "effective_from": "date"}),
    FormTarget(
        "oversight:group_create",
        {"name": "text", "valid_from": "date", "valid_to": "date"},
        base={"name": "Tổ công tác Corpus", "members": "#1", "cells": "#1"},
    ),
    FormTarget(
        "oversight:cross_create",
        {"valid_from": "date", "valid_to": "date", "visitor": "choice", "cell": "choice"},
        base={"visitor": "#1", "cell": "#2"},
    ),
    FormTarget(
        "oversight:visit", {"reason": "text"}, action="cancel/", base={"reason": "Trùng lịch"}
    ),
    # Accounts: roles, tokens, password.
    FormTarget(
        "accounts:org_roles",
        {
            "username": "text",
            "full_name": "text",
            "valid_from": "date",
            "valid_to": "date",
            "role": "choice",
        },
        base={
            "username": "corpus_user",
            "full_name": "Người Dùng Corpus",
            "password": "Corpus-pass-2026!x",
        },
    ),
    FormTarget(
        "accounts:tokens",
        {"name": "text", "expires_in": "choice"},
        action="tokens/new/",
        base={"name": "Corpus"},
    ),
    FormTarget(
        "accounts:password_change",
        {"old_password": "text", "new_password1": "text"},
        user="staff_c1",
        baseline_ok=False,  # a password change adds no row
        base={
            "old_password": "test-password-123",
            "new_password1": "Corpus-pass-2026!x",
            "new_password2": "Corpus-pass-2026!x",
        },
    ),
    FormTarget(
        "accounts:login",
        {"username": "text", "password": "text"},
        user=None,
        base={"username": "member_k1", "password": "wrong-password"},
        baseline_ok=False,
    ),  # a failed sign-in writes nothing but its throttle count
    # Reports: the summary (Word) job.
    FormTarget(
        "reports:index",
        {"year": "count", "month": "choice", "kind": "choice"},
        action="summary-docx/",
    ),
]
