"""Forms of the residence-liaison pages. The rules live in liaison/services.py; the forms only
parse input (dates as dd/mm/yyyy) and offer the choices that make sense."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.models import (
    ACTIVITY_EXEMPTIONS,
    CRITERIA,
    INTRODUCTION_EXEMPTIONS,
    EndReason,
    Level3,
    Overall,
    Side,
)
from organizations.forms import date_field
from organizations.models import Organization

NO_EXEMPTION = [("", _("No: takes part in activities at the residence"))]


def _labels(values):
    return [(v.value, v.label) for v in values]


class _OrgChoiceForm(forms.Form):
    def _org_choices(self, field: str, orgs, empty: bool = True):
        self.orgs = {o.pk: o for o in orgs}
        self.fields[field].choices = [("", "—")] * empty + [(o.pk, o.name) for o in orgs]


class IntroduceForm(_OrgChoiceForm):
    residence_commune = forms.TypedChoiceField(
        label=_("Commune or ward party committee of residence"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("The committee the letter of introduction is addressed to."),
    )
    # A member may live across the provincial border from their workplace (QĐ 213 covers the
    # place of residence wherever it is). The sender does not see the other province's tree,
    # so the commune is named by its code, as for a transfer.
    other_province = forms.ModelChoiceField(
        label=_("…or in another province"),
        queryset=Organization.objects.none(),
        required=False,
    )
    other_code = forms.CharField(
        label=_("Code of the commune or ward committee in that province"),
        max_length=32,
        required=False,
    )
    introduced_on = date_field(_("Introduced on"), initial=timezone.localdate)
    letter_no = forms.CharField(
        label=_("Introduction letter number"),
        max_length=60,
        required=False,
        help_text=_("Number of the letter of introduction, e.g. 15-GGT/ĐU."),
    )
    exemption = forms.ChoiceField(
        label=_("Exempt from activities at the residence (HD 33 §1.1)"),
        required=False,
        choices=NO_EXEMPTION + _labels(ACTIVITY_EXEMPTIONS),
        help_text=_(
            "Introduced, but without routine activities and annual comment at the residence."
        ),
    )
    exemption_reason = forms.CharField(
        label=_("Reason for the exemption"), max_length=300, required=False
    )

    def __init__(self, *args, communes, province_id, **kwargs):
        super().__init__(*args, **kwargs)
        self._org_choices("residence_commune", communes)
        self.fields["other_province"].queryset = (
            Organization.objects.filter(depth=1).exclude(pk=province_id).order_by("sort_key")
        )
        # The exemption fields stay last, after the place of residence.
        order = ["residence_commune", "other_province", "other_code"]
        self.order_fields(order + [f for f in self.fields if f not in order])

    def clean(self):
        data = super().clean()
        province, code = data.get("other_province"), (data.get("other_code") or "").strip()
        data["other_commune"] = None
        if province or code:
            if data.get("residence_commune"):
                self.add_error("other_province", _("Choose one commune or ward only."))
            elif not (province and code):
                self.add_error(
                    "other_code", _("Choose the province and give the committee's code.")
                )
            else:
                commune = Organization.objects.filter(province=province, code=code).first()
                if commune is None:
                    self.add_error(
                        "other_code",
                        _("No organization with this code in %(p)s.") % {"p": province.name},
                    )
                data["other_commune"] = commune
        return data

    def commune(self):
        if self.cleaned_data.get("other_commune") is not None:
            return self.cleaned_data["other_commune"]
        return self.orgs.get(self.cleaned_data.get("residence_commune"))


class ExemptForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Case (HD 33 §1.2)"),
        choices=[("", "—")] + _labels(INTRODUCTION_EXEMPTIONS),
    )
    reason = forms.CharField(label=_("Reason and decision"), max_length=300)
    on = date_field(_("Exempt since"), initial=timezone.localdate)


class ReceiveForm(_OrgChoiceForm):
    residence_cell = forms.TypedChoiceField(
        label=_("Cell of residence"),
        coerce=int,
        help_text=_("The village or residential cell the member keeps contact with."),
    )
    received_on = date_field(_("Received on"), initial=timezone.localdate)

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self._org_choices("residence_cell", cells)

    def cell(self):
        return self.orgs.get(self.cleaned_data["residence_cell"])


class EndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"))
    on = date_field(_("Date of the change"), initial=timezone.localdate)
    side = forms.ChoiceField(label=_("Reported by"), choices=Side.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("E.g. the new address, the new workplace or the decision."),
    )

    def __init__(self, *args, exempt: bool, sides: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        reasons = [r for r in EndReason if exempt or r != EndReason.EXEMPTION_LIFTED]
        self.fields["reason"].choices = [("", "—")] + _labels(reasons)
        self.fields["side"].choices = [(s, Side(s).label) for s in sides]
        self.fields["side"].initial = sides[0] if sides else None
        if exempt or len(sides) < 2:
            self.fields["side"].widget = forms.HiddenInput()


class ActivityExemptionForm(forms.Form):
    exemption = forms.ChoiceField(
        label=_("Exempt from activities at the residence (HD 33 §1.1)"),
        required=False,
        choices=[("", _("No exemption (lift it)"))] + _labels(ACTIVITY_EXEMPTIONS),
    )
    reason = forms.CharField(label=_("Reason for the exemption"), max_length=300, required=False)
    on = date_field(_("From"), initial=timezone.localdate)


class CommentForm(forms.Form):
    """The annual comment form (phiếu nhận xét): one three-way answer per criterion."""

    year = forms.IntegerField(label=_("Year commented on"), min_value=2000, max_value=2100)
    overall = forms.ChoiceField(
        label=_("Overall assessment"), choices=Overall.choices, widget=forms.RadioSelect
    )
    other_comments = forms.CharField(
        label=_("Other comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    front_opinion = forms.CharField(
        label=_("Opinion of the Front work committee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the village Front work committee said at the joint meeting."),
    )
    front_head = forms.CharField(
        label=_("Head of the Front work committee"), max_length=120, required=False
    )
    signed_by = forms.CharField(
        label=_("Signed for the cell by"),
        max_length=120,
        required=False,
        help_text=_("Usually the cell secretary (T/M chi bộ)."),
    )
    commented_on = date_field(_("Commented on"), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = {
            name: forms.ChoiceField(label=label, choices=Level3.choices, widget=forms.RadioSelect)
            for name, label in CRITERIA
        }
        # The criteria come right after the year, in the order of the paper form.
        self.fields = {"year": self.fields.pop("year"), **criteria, **self.fields}

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name, _label in CRITERIA}
