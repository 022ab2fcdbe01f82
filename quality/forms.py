"""Forms of the quality pages, also used by the API: the rubric editor (a header and a flat list
of criterion rows, each naming its group), the preset installer, and the two columns of the
score sheet. The rules themselves are in quality.services."""

from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.forms import date_field
from quality import presets, services
from quality.models import AutoRule, QualityLevel

POINTS = {"min_value": Decimal(0), "max_digits": 5, "decimal_places": 1}


def _number(**attrs):
    return forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal", **attrs})


class RubricForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    source = forms.CharField(
        label=gettext_lazy("Basis"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("The guidance or decision it follows, e.g. HD 12-HD/BTCTW 2018."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    effective_from = date_field(gettext_lazy("In force from"))
    total_points = forms.DecimalField(
        label=gettext_lazy("Total points"), initial=100, widget=_number(), **POINTS
    )
    good_from = forms.DecimalField(
        label=gettext_lazy("“Good” from (points)"), initial=90, widget=_number(), **POINTS
    )
    fair_from = forms.DecimalField(
        label=gettext_lazy("“Fair” from (points)"), initial=70, widget=_number(), **POINTS
    )
    average_from = forms.DecimalField(
        label=gettext_lazy("“Average” from (points)"),
        initial=50,
        help_text=gettext_lazy("Below it: weak."),
        widget=_number(),
        **POINTS,
    )
    year_good_min = forms.IntegerField(
        label=gettext_lazy("Good meetings needed for a good year"),
        min_value=0,
        max_value=12,
        initial=7,
    )
    year_good_floor = forms.ChoiceField(
        label=gettext_lazy("A good year: no meeting below"),
        choices=QualityLevel.choices,
        initial=QualityLevel.FAIR,
    )
    year_fair_floor = forms.ChoiceField(
        label=gettext_lazy("A fair year: no meeting below"),
        choices=QualityLevel.choices,
        initial=QualityLevel.AVERAGE,
    )
    year_average_floor = forms.ChoiceField(
        label=gettext_lazy("An average year: no meeting below"),
        choices=QualityLevel.choices,
        initial=QualityLevel.WEAK,
        help_text=gettext_lazy("Otherwise the year is weak."),
    )


class CriterionRowForm(forms.Form):
    group = forms.CharField(
        label=gettext_lazy("Group"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Empty: the same group as the row above."),
    )
    text = forms.CharField(
        label=gettext_lazy("Criterion"), max_length=400, widget=forms.Textarea(attrs={"rows": 2})
    )
    max_points = forms.DecimalField(
        label=gettext_lazy("Maximum points"),
        min_value=Decimal("0.5"),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=1,
        widget=_number(),
    )
    required_for_top = forms.BooleanField(
        label=gettext_lazy("Full marks needed for “good”"), required=False
    )
    auto_rule = forms.ChoiceField(
        label=gettext_lazy("Decided by the data"),
        choices=[("", gettext_lazy("No: scored by hand")), *AutoRule.choices],
        required=False,
    )
    auto_param = forms.DecimalField(
        label=gettext_lazy("Rate (%)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=1,
        help_text=gettext_lazy("For the attendance and speakers rules, e.g. 85."),
        widget=_number(),
    )

    def clean(self):
        data = super().clean()
        for field, message in services.criterion_problems(data).items():
            if field not in self.errors and field in ("auto_param", "auto_rule"):
                self.add_error(field, message)
        if data.get("auto_rule") not in services.RATE_RULES:
            data["auto_param"] = None
        return data


class BaseCriterionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not self._deleted(f)]
        if not rows:
            raise forms.ValidationError(_("Add at least one criterion."))
        if not (rows[0].get("group") or "").strip():
            raise forms.ValidationError(_("Name the group of the first criterion."))

    def _deleted(self, form) -> bool:
        return self.can_delete and form.cleaned_data.get("DELETE")

    def groups(self) -> list[dict]:
        """The rows as groups → criteria: a row joins the group it names (in the order groups
        first appear) or, with no group, the group of the row above."""
        groups: dict[str, list] = {}
        current = None
        for form in self.forms:
            d = form.cleaned_data
            if not d or self._deleted(form):
                continue
            name = (d.get("group") or "").strip() or current
            current = name
            groups.setdefault(name, []).append(
                {
                    k: d.get(k)
                    for k in ("text", "max_points", "required_for_top", "auto_rule", "auto_param")
                }
            )
        return [{"name": n, "criteria": c} for n, c in groups.items()]


CriterionFormSet = formset_factory(
    CriterionRowForm, formset=BaseCriterionFormSet, extra=3, can_delete=True, max_num=200
)


def criterion_initial(data: dict) -> list[dict]:
    """Formset rows from a version's data: the group named on its first row only."""
    rows = []
    for g in data["groups"]:
        for i, c in enumerate(g["criteria"]):
            rows.append({**c, "group": g["name"] if i == 0 else ""})
    return rows


class PresetForm(forms.Form):
    preset = forms.ChoiceField(
        label=gettext_lazy("Preset"),
        choices=[(k, p.label) for k, p in presets.PRESETS.items()],
        widget=forms.RadioSelect,
    )
    effective_from = date_field(
        gettext_lazy("In force from"),
        initial=lambda: timezone.localdate().replace(month=1, day=1),
    )


class ConfirmNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Remarks of the level above"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Needed when you change an automatic result."),
    )
