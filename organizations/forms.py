from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import (
    CELL_KINDS,
    CellType,
    Organization,
    OrgKind,
    PostTenure,
    Village,
    VillageKind,
    VillagePostTitle,
)


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input: the format users write on paper, on every browser."""

    def __init__(self, **kwargs):
        super().__init__(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        )


def date_field(label, required=True, **kwargs):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy, e.g. 01/07/2025.")},
        **kwargs,
    )


class DecisionMixin(forms.Form):
    effective_on = date_field(_("Effective on"), initial=timezone.localdate)
    decision = forms.CharField(
        label=_("Decision"),
        max_length=120,
        required=False,
        help_text=_("Number and date of the decision, if any."),
    )


class OrganizationCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(
        label=_("Code"), max_length=32, help_text=_("Unique within the province, e.g. 01.02.003")
    )
    cell_type = forms.ChoiceField(
        label=_("Cell type"), choices=[("", "—"), *CellType.choices], required=False
    )
    founded_on = date_field(_("Founded on"), required=False)
    decision = forms.CharField(label=_("Decision"), max_length=120, required=False)

    def __init__(self, *args, parent: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = parent.allowed_child_kinds()
        self.fields["kind"].choices = [(k.value, k.label) for k in OrgKind if k in allowed]

    def clean(self):
        data = super().clean()
        if data.get("kind") in CELL_KINDS and not data.get("cell_type"):
            self.add_error("cell_type", _("Choose the cell type."))
        return data


class ProvinceCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=32)
    founded_on = date_field(_("Founded on"), required=False)
    decision = forms.CharField(label=_("Decision"), max_length=120, required=False)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if Organization.objects.filter(depth=1, code=code).exists():
            raise forms.ValidationError(
                _("Another province has the code %(code)s.") % {"code": code}
            )
        return code


class OrganizationEditForm(forms.ModelForm):
    founded_on = date_field(_("Founded on"), required=False)

    class Meta:
        model = Organization
        fields = ["code", "cell_type", "founded_on"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if (
            Organization.objects.filter(province_id=self.instance.province_id, code=code)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _("The code %(code)s is already used in this province.") % {"code": code}
            )
        return code

    def clean(self):
        data = super().clean()
        if self.instance.is_cell and not data.get("cell_type"):
            self.add_error("cell_type", _("Choose the cell type."))
        founded, dissolved = data.get("founded_on"), self.instance.dissolved_on
        if founded and dissolved and founded > dissolved:
            self.add_error("founded_on", _("The founding date is after the dissolution date."))
        if founded and founded > timezone.localdate():
            self.add_error("founded_on", _("The founding date cannot be in the future."))
        return data


class RenameForm(DecisionMixin):
    name = forms.CharField(label=_("New name"), max_length=200)
    field_order = ["name", "effective_on", "decision"]


class MoveForm(DecisionMixin):
    new_parent = forms.ModelChoiceField(
        label=_("New parent organization"), queryset=Organization.objects.none()
    )
    field_order = ["new_parent", "effective_on", "decision"]

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


class DissolveForm(DecisionMixin):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    field_order = ["reason", "effective_on", "decision"]


class MergeForm(DecisionMixin):
    sources = forms.ModelMultipleChoiceField(
        label=_("Cells to merge into this one"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["sources", "effective_on", "decision"]

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = candidates


class VillagesForm(forms.Form):
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages / residential groups covered"),
        queryset=Village.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    effective_on = date_field(_("Effective on"), initial=timezone.localdate)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = candidates


class VillageForm(forms.ModelForm):
    valid_from = date_field(_("Valid from"), required=False)
    valid_to = date_field(_("Valid to"), required=False)

    class Meta:
        model = Village
        fields = ["name", "kind", "code", "commune", "valid_from", "valid_to"]

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["kind"].choices = VillageKind.choices

    def clean(self):
        data = super().clean()
        commune = data.get("commune")
        code = (data.get("code") or "").strip()
        if commune and code:
            clash = Village.objects.filter(province_id=commune.province_id, code=code).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error(
                    "code",
                    _("The code %(code)s is already used in this province.") % {"code": code},
                )
        if (
            data.get("valid_from")
            and data.get("valid_to")
            and data["valid_to"] < data["valid_from"]
        ):
            self.add_error("valid_to", _("The end date is before the start date."))
        return data


class SplitPartForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=32)
    cell_type = forms.ChoiceField(label=_("Cell type"), choices=CellType.choices)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.full_name} — {obj.organization.name}"


class VillagePostForm(forms.Form):
    """A new holder of a village post: a party member from the list, or a name."""

    title = forms.ChoiceField(label=_("Position"), choices=VillagePostTitle.choices)
    member = MemberChoiceField(
        label=_("Party member"),
        queryset=None,
        required=False,
        empty_label=_("— not a party member —"),
        help_text=_("Active members of the commune's cells and members living in the village."),
    )
    holder_name = forms.CharField(
        label=_("Or the holder's name (not a party member)"), max_length=120, required=False
    )
    how = forms.ChoiceField(
        label=_("Took office"), choices=PostTenure.choices, initial=PostTenure.ELECTED
    )
    valid_from = date_field(_("From"), initial=timezone.localdate)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members

    def clean(self):
        data = super().clean()
        name = (data.get("holder_name") or "").strip()
        if data.get("member") and name:
            self.add_error("holder_name", _("Choose a party member or write a name, not both."))
        elif not data.get("member") and not name and "member" not in self.errors:
            self.add_error("member", _("Choose a party member or write the holder's name."))
        data["holder_name"] = name
        return data


class EndVillagePostForm(forms.Form):
    post = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    valid_to = date_field(_("Last day in the post"), initial=timezone.localdate)

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = village.posts.filter(valid_to__isnull=True)
        self.fields["post"].error_messages["invalid_choice"] = _(
            "This post is not a current post of the village."
        )
