"""Forms of the inspection pages: the yearly plan, a new inspection (with a search box for its
subject), and each step: start, conclude, add a follow-up item, record it done.

Forms check what a form can (types, required fields, the subject being one the caller sees);
the rules (subject under the committee, dates in order, states) are the service's, whose
ValidationError is shown on the form (lib.forms.apply_validation_error)."""

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lib.text import search_terms
from members.models import Member
from organizations.forms import date_field
from organizations.models import Organization
from oversight import services_inspections as services
from oversight.models import InspectionKind, InspectionPlan

SUBJECT_MATCHES = 15  # per kind (organizations, members): a short list, readable on a phone


def _year_initial():
    return timezone.localdate().year


class PlanForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, initial=_year_initial
    )
    number = forms.CharField(
        label=_("Number"),
        max_length=60,
        required=False,
        help_text=_("Number and symbol of the programme, e.g. 05-CTr/ĐU."),
    )
    approved_on = date_field(_("Adopted on"), required=False)
    summary = forms.CharField(
        label=_("Content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The programme's aims, subjects and timetable, as adopted."),
    )


def subject_matches(committee: Organization, query: str, selected=None) -> dict:
    """Organizations below the committee and members of its cells matching the query (words
    at a word start, accents ignored), the one already chosen first: two queries. Without a
    query, the units directly below."""
    words = search_terms(query or "")
    orgs = services.subjects_below(committee).order_by("depth", "sort_key")
    members = services.members_below(committee).select_related("person", "organization")
    if isinstance(selected, Organization):
        orgs = orgs.exclude(pk=selected.pk)
    elif selected is not None:
        members = members.exclude(pk=selected.pk)
    if words:
        for w in words:
            orgs = orgs.filter(search_text__contains=w)
            members = members.filter(person__search_text__contains=w)
        members = list(members.order_by("person__sort_key", "pk")[:SUBJECT_MATCHES])
    else:
        orgs = orgs.filter(depth=committee.depth + 1)
        members = []
    return {
        "orgs": list(orgs[:SUBJECT_MATCHES]),
        "members": members,
        "limit": SUBJECT_MATCHES,
        "selected": selected,
        "selected_value": subject_value(selected) if selected is not None else "",
    }


def subject_value(obj) -> str:
    """The radio value naming an organization or a member: org:<uuid> / member:<uuid>."""
    prefix = "org" if isinstance(obj, Organization) else "member"
    return f"{prefix}:{obj.uuid}"


class SubjectPicker(forms.Widget):
    """A search box and the matching organizations and members as radio buttons (instead of a
    select of every cell and member of a province). With HTMX the list follows the typing;
    without JavaScript the "Find" button posts the form, which comes back with the matches
    and nothing saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = None
        self.search_url = ""
        self.query = ""
        self.selected = None

    def render(self, name, value, attrs=None, renderer=None):
        return render_to_string(
            "oversight/inspection_subject_picker.html",
            {
                "name": name,
                "id": (attrs or {}).get("id", f"id_{name}"),
                "query": self.query,
                "search_url": self.search_url,
                **subject_matches(self.committee, self.query, self.selected),
            },
        )


class SubjectField(forms.Field):
    """org:<uuid> or member:<uuid>, resolved among what the caller sees (the service then
    checks it is under the committee, with its own message)."""

    widget = SubjectPicker
    default_error_messages = {
        "required": _("Choose the organization or the member inspected."),
        "invalid": _("Choose the organization or the member from the list."),
    }

    def __init__(self, *, scope=None, **kwargs):
        super().__init__(**kwargs)
        self.scope = scope

    def to_python(self, value):
        if isinstance(value, Organization | Member):
            return value
        value = (value or "").strip()
        if not value:
            return None
        kind, _sep, uuid = value.partition(":")
        qs = {
            "org": self.scope.organizations(),
            "member": self.scope.members().select_related("person", "organization"),
        }.get(kind)
        if qs is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return qs.get(uuid=uuid)
        except (qs.model.DoesNotExist, ValueError, forms.ValidationError) as e:
            # forms.ValidationError is also what a malformed uuid raises.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from e


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=InspectionKind.choices,
        widget=forms.RadioSelect,
        initial=InspectionKind.INSPECTION,
    )
    subject = SubjectField(label=_("Organization or member inspected"))
    topic = forms.CharField(
        label=_("Content"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E.g. the leadership of the cell's meetings in 2025; the member's declaration of assets."
        ),
    )
    planned_from = date_field(_("Planned from"), initial=timezone.localdate)
    planned_to = date_field(_("Planned to"), required=False)
    plan = forms.ModelChoiceField(
        label=pgettext_lazy("inspection", "Plan"),
        queryset=InspectionPlan.objects.none(),
        required=False,
        empty_label=_("Outside the plan"),
    )

    def __init__(self, *args, committee: Organization, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        field = self.fields["subject"]
        field.scope = scope
        picker = field.widget
        picker.committee = committee
        picker.search_url = reverse("oversight:inspection_subjects", args=[committee.uuid])
        picker.query = (self.data.get("subject_q") or "") if self.is_bound else ""
        chosen = self.data.get("subject") if self.is_bound else self.initial.get("subject")
        try:
            picker.selected = field.to_python(chosen)
        except forms.ValidationError:
            picker.selected = None
        plans = InspectionPlan.objects.filter(organization=committee).order_by("-year")
        self.fields["plan"].queryset = plans
        self.fields["plan"].label_from_instance = _plan_label
        self.fields["plan"].to_field_name = "uuid"

    def subject_parts(self) -> dict:
        subject = self.cleaned_data["subject"]
        if isinstance(subject, Organization):
            return {"subject_org": subject, "subject_member": None}
        return {"subject_org": None, "subject_member": subject}


def _plan_label(plan: InspectionPlan) -> str:
    label = str(_("Plan %(year)s")) % {"year": plan.year}
    return f"{label} ({plan.number})" if plan.number else label


class StartForm(forms.Form):
    started_on = date_field(_("Started on"), initial=timezone.localdate)


class ConcludeForm(forms.Form):
    concluded_on = date_field(_("Concluded on"), initial=timezone.localdate)
    conclusion_no = forms.CharField(
        label=_("Conclusion number"),
        max_length=60,
        required=False,
        help_text=_("E.g. 12-KL/ĐU."),
    )
    conclusion = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    violation_found = forms.BooleanField(label=_("Violations found"), required=False)


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("To do"), max_length=400)
    responsible = forms.CharField(
        label=_("Responsible"),
        max_length=200,
        required=False,
        help_text=_("The organization or person who carries it out."),
    )
    due_on = date_field(_("Due"), required=False)


class FollowUpDoneForm(forms.Form):
    done_on = date_field(_("Done on"), initial=timezone.localdate)
    result = forms.CharField(label=_("Result"), max_length=400)
