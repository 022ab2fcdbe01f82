"""Forms of the supervision pages: the visit rule, working groups, cross-attendance, visit
reports. They check shapes; the rules live in oversight/services.py and oversight/following.py."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.forms import date_field
from quality.models import QualityLevel


class PlanDateForm(forms.Form):
    """A visit to a cell on a day without a meeting in the calendar (a working visit)."""

    planned_on = date_field(_("Date of the visit"))


class PolicyForm(forms.Form):
    visits_per_quarter = forms.IntegerField(
        label=_("Visits per cell and quarter"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("Each cell below is attended at least this many times a quarter."),
    )
    effective_from = date_field(_("In force from"), initial=timezone.localdate)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    members = forms.TypedMultipleChoiceField(
        label=_("Members"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People who hold a role in this committee or above."),
    )
    cells = forms.TypedMultipleChoiceField(
        label=_("Cells followed"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    valid_from = date_field(_("From"), initial=timezone.localdate)
    valid_to = date_field(
        _("To"), required=False, help_text=_("Leave empty while the group works.")
    )

    def __init__(self, *args, member_choices, cell_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = member_choices
        self.fields["cells"].choices = cell_choices


class CrossForm(forms.Form):
    visitor = forms.TypedChoiceField(
        label=_("Secretary attending"),
        coerce=int,
        help_text=_("The secretary or deputy secretary of a cell of this committee."),
    )
    cell = forms.TypedChoiceField(label=_("Cell visited"), coerce=int)
    valid_from = date_field(_("From"), initial=timezone.localdate)
    valid_to = date_field(_("To"), required=False)

    def __init__(self, *args, visitor_choices, cell_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].choices = [("", "—"), *visitor_choices]
        self.fields["cell"].choices = [("", "—"), *cell_choices]


class EndCrossForm(forms.Form):
    pair = forms.IntegerField(widget=forms.HiddenInput)
    on = date_field(_("Last day"), initial=timezone.localdate)


class ReportForm(forms.Form):
    reported_on = date_field(_("Reported on"), initial=timezone.localdate)
    observed_total = forms.DecimalField(
        label=_("Score observed"),
        required=False,
        min_value=Decimal(0),
        max_digits=5,
        decimal_places=1,
        help_text=_("On the province's score sheet, if you scored the meeting."),
    )
    observed_level = forms.ChoiceField(
        label=_("Quality observed"),
        required=False,
        choices=[("", "—"), *QualityLevel.choices],
        help_text=_("Left empty with a score: the level of the score."),
    )
    strengths = forms.CharField(
        label=_("Strengths"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    shortcomings = forms.CharField(
        label=_("Shortcomings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
