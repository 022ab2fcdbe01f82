"""Forms of the rating pages. The rules live in ratings/services.py; the forms only parse input
(dates as dd/mm/yyyy) and show each level under the name it has in the cycle."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.forms import date_field
from ratings.models import LEVELS_DESC, CapBase, FormType


def _level_choices(cycle, subject="member", empty=True):
    return [("", "—")] * empty + [(lv.value, cycle.level_name(lv, subject)) for lv in LEVELS_DESC]


def _score_field(label):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=_(
            "100-point scale (QĐ 366): 90 and over, 70 to under 90, 50 to under 70, under 50."
        ),
    )


class OpenCycleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2008, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("The whole year"))]
        + [(q, _("Quarter %(q)s") % {"q": q}) for q in (1, 2, 3, 4)],
    )
    excellent_cap_percent = forms.IntegerField(
        label=_("Cap on “completed tasks excellently” (%)"),
        required=False,
        min_value=0,
        max_value=100,
        initial=20,
        help_text=_("Within each cell, and among collectives of the same level. Empty: no cap."),
    )
    cap_base = forms.ChoiceField(
        label=_("Cap counted"), choices=CapBase.choices, initial=CapBase.GOOD
    )


class SelfReviewForm(forms.Form):
    form_type = forms.ChoiceField(label=_("Self-review form"), choices=FormType.choices)
    results = forms.CharField(
        label=_("Results of the tasks"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    strengths = forms.CharField(
        label=_("Strengths"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    shortcomings = forms.CharField(
        label=_("Shortcomings and their causes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    remedies = forms.CharField(
        label=_("Direction and measures to overcome them"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    self_level = forms.ChoiceField(label=_("Self-assessed level"))
    self_score = _score_field(_("Self-assessed score"))

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["self_level"].choices = _level_choices(cycle)
        if not cycle.is_scored:
            del self.fields["self_score"]


class ProposeForm(forms.Form):
    score = _score_field(_("Score"))
    level = forms.ChoiceField(label=_("Level proposed by the cell"))
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0)
    votes_eligible = forms.IntegerField(label=_("Members entitled to vote"), min_value=1)
    comment = forms.CharField(
        label=_("The cell's comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    on = date_field(_("Date of the cell's review meeting"), initial=timezone.localdate)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = _level_choices(cycle)
        if not cycle.is_scored:
            del self.fields["score"]


class DecideForm(forms.Form):
    level = forms.ChoiceField(label=_("Level decided"))
    note = forms.CharField(
        label=_("Decision / note"),
        required=False,
        max_length=300,
        help_text=_("E.g. the decision number, 05-QĐ/ĐU."),
    )
    on = date_field(_("Decided on"), initial=timezone.localdate)

    def __init__(self, *args, cycle, subject="member", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = _level_choices(cycle, subject)


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label=_("What you dispute and why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    on = date_field(_("Lodged on"), initial=timezone.localdate)

    def __init__(self, *args, cycle=None, **kwargs):
        # Takes the cycle like the other step forms (the text needs nothing from it).
        super().__init__(*args, **kwargs)


class AnswerComplaintForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level after the complaint"),
        help_text=_("Keep the level to reject the complaint, or choose another to rate again."),
    )
    score = _score_field(_("Score"))
    answer = forms.CharField(
        label=_("Answer to the complaint"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    on = date_field(_("Answered on"), initial=timezone.localdate)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = _level_choices(cycle)
        if not cycle.is_scored:
            del self.fields["score"]
