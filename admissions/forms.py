"""Forms of the admission pipeline. Each step's form has the field names of its service
function's arguments, so a service's ValidationError lands on the right field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admissions.models import SHARE_FIELDS, Candidate, UnionIntroduction
from admissions.services import official_member_count
from lib.vn import Sex
from members.models import Member, MemberStatus, Person
from organizations.forms import date_field

PERSON_FIELDS = [
    "full_name",
    "birth_name",
    "sex",
    "birth_date",
    "ethnicity",
    "religion",
    "citizen_id",
    "phone",
    "native_place",
    "residence",
    "general_education",
    "qualification",
    "youth_union",
]


class CandidateForm(forms.ModelForm):
    """The person listed as an outstanding non-member, with the listing's date and source.
    The Person fields and validators are members.Person's own."""

    birth_date = date_field(_("Date of birth"))
    listed_on = date_field(_("Listed on"))
    recommended_by = forms.CharField(
        label=_("Recommended by"),
        max_length=200,
        required=False,
        help_text=_("E.g. the village Youth Union branch."),
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "citizen_id": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", "—"), *Sex.choices]

    def clean_citizen_id(self):
        return (self.cleaned_data.get("citizen_id") or "").strip()

    def clean_phone(self):
        return (self.cleaned_data.get("phone") or "").replace(" ", "").replace(".", "")

    def validate_unique(self):
        # Per province, which the person only gets from the cell: the service checks it.
        pass


class MemberField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.person.full_name


def official_members(cell):
    return (
        Member.objects.filter(organization=cell, status=MemberStatus.OFFICIAL)
        .select_related("person")
        .order_by("person__sort_key")
    )


class StepForm(forms.Form):
    """A step on one candidate; kwargs() gives the service's keyword arguments."""

    def __init__(self, *args, candidate: Candidate, **kwargs):
        self.candidate = candidate
        super().__init__(*args, **kwargs)

    def kwargs(self) -> dict:
        return dict(self.cleaned_data)


class SympathizerForm(StepForm):
    resolution_no = forms.CharField(label=_("Cell resolution number"), max_length=60)
    on = date_field(_("Resolution date"))
    helper = MemberField(label=_("Helping member"), queryset=Member.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].queryset = official_members(self.candidate.organization)
        self.fields["helper"].help_text = _("An official member of the cell.")


class CertificateForm(StepForm):
    number = forms.CharField(label=_("Certificate number"), max_length=60)
    on = date_field(_("Certificate date"))
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        help_text=_("The political centre or the committee that held the class."),
    )


class DossierForm(StepForm):
    applied_on = date_field(_("Application date"))
    personal_history_on = date_field(_("Personal history date"))
    union_introduction = forms.ChoiceField(
        label=_("Introduced by a union"), choices=UnionIntroduction.choices, required=False
    )
    union_introduction_on = date_field(_("Union introduction date"), required=False)
    introducer_1 = MemberField(label=_("First introducer"), queryset=Member.objects.none())
    known_since_1 = date_field(_("Worked or lived with the applicant since"))
    introducer_2 = MemberField(
        label=_("Second introducer"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("Not needed when a union introduces the applicant."),
    )
    known_since_2 = date_field(_("Worked or lived with the applicant since"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = official_members(self.candidate.organization)
        self.fields["introducer_1"].queryset = members
        self.fields["introducer_2"].queryset = members

    def kwargs(self) -> dict:
        d = self.cleaned_data
        introducers = [(d["introducer_1"], d["known_since_1"])]
        if d.get("introducer_2"):
            introducers.append((d["introducer_2"], d.get("known_since_2")))
        return {
            "applied_on": d["applied_on"],
            "personal_history_on": d["personal_history_on"],
            "union_introduction": d.get("union_introduction") or "",
            "union_introduction_on": d.get("union_introduction_on"),
            "introducers": introducers,
        }


class CheckForm(StepForm):
    on = date_field(_("Background check completed on"))
    by = forms.CharField(
        label=_("Checked by"),
        max_length=200,
        help_text=_("The committee or the members who carried out the check."),
    )


class VoteForm(StepForm):
    on = date_field(_("Date of the vote"))
    votes_for = forms.IntegerField(label=_("Official members in favour"), min_value=0)
    eligible = forms.IntegerField(
        label=_("Official members of the cell"),
        min_value=0,
        help_text=_("Probationary members do not vote. Two thirds are needed."),
    )
    resolution_no = forms.CharField(label=_("Resolution number"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "eligible",
                official_member_count(self.candidate.acting_cell, timezone.localdate()),
            )


class DecisionForm(StepForm):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    on = date_field(_("Decision date"))
    by = forms.CharField(
        label=_("Decided by"), max_length=200, help_text=_("E.g. Ban Thường vụ Đảng ủy xã.")
    )
    received_on = date_field(
        _("Received by the cell on"),
        help_text=_("The ceremony is due within 30 working days of this day."),
    )


class CeremonyForm(StepForm):
    on = date_field(_("Ceremony date"))
    dossier_no = forms.CharField(
        label=_("Dossier number"),
        max_length=9,
        help_text=_("Số lý lịch: 6 digits and the province letters, e.g. 012345QN."),
    )
    late_reason = forms.CharField(
        label=_("Reason for the late ceremony"),
        max_length=250,
        required=False,
        help_text=_("Only if later than 30 working days after the decision was received."),
    )


class RecognitionDecisionForm(StepForm):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    on = date_field(_("Decision date"))
    by = forms.CharField(label=_("Decided by"), max_length=200)


class StrikeOffForm(StepForm):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    on = date_field(_("Decision date"))
    reason = forms.CharField(label=_("Reason"), max_length=250)


class CloseForm(StepForm):
    withdrawn = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[
            ("0", _("Taken off the list by the cell")),
            ("1", _("The person withdrew")),
        ],
        coerce=lambda v: v == "1",
    )
    on = date_field(_("Date"))
    reason = forms.CharField(label=_("Reason"), max_length=250)


class TargetForm(forms.Form):
    """One unit's admission target for a year (a row of the targets form); empty: no target."""

    admissions = forms.IntegerField(label=_("New members to admit"), min_value=0, required=False)
    minority_share = forms.IntegerField(
        label=_("Ethnic minorities (%)"), min_value=0, max_value=100, required=False
    )
    women_share = forms.IntegerField(
        label=_("Women (%)"), min_value=0, max_value=100, required=False
    )
    under_30_share = forms.IntegerField(
        label=_("Under 30 (%)"), min_value=0, max_value=100, required=False
    )
    youth_union_share = forms.IntegerField(
        label=_("Youth Union members (%)"), min_value=0, max_value=100, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # shown in a table without visible labels
            field.widget.attrs["aria-label"] = field.label

    def clean(self):
        data = super().clean()
        shares = [data.get(f) for f in SHARE_FIELDS]
        if data.get("admissions") is None and any(s is not None for s in shares):
            raise forms.ValidationError(_("Give the number of new members to admit first."))
        return data

    def value(self) -> dict | None:
        """The target to save, or None to remove it."""
        data = self.cleaned_data
        if data.get("admissions") is None:
            return None
        return {"admissions": data["admissions"], **{f: data.get(f) for f in SHARE_FIELDS}}
