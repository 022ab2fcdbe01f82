"""The request for a summary report (reports/summary_docx.py): organization, kind, month, year."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.summary_docx import MIN_YEAR, summary_period


class SummaryForm(forms.Form):
    # The organization is chosen among those the page offers; the view loads it through the
    # caller's scope (outside it: 404), so the form only carries its uuid.
    org = forms.ChoiceField(label=_("Organization"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of summary"),
        choices=[("month", _("Monthly")), ("year", _("Annual"))],
        initial="month",
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=[(m, f"{m:02d}") for m in range(1, 13)],
        coerce=int,
        required=False,
    )
    year = forms.IntegerField(label=_("Year"))

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(str(o.uuid), o.name) for o in orgs]
        today = timezone.localdate()
        self.fields["month"].initial = today.month
        self.fields["year"].initial = today.year
        self.fields["year"].widget.attrs.update(min=MIN_YEAR, max=today.year)
        if orgs:
            self.fields["org"].initial = str(orgs[0].uuid)

    def clean(self):
        data = super().clean()
        kind, year = data.get("kind"), data.get("year")
        if kind and year is not None:
            try:
                data["period"] = summary_period(kind, year, data.get("month"), timezone.localdate())
            except ValueError as e:
                raise forms.ValidationError(str(e)) from e
        return data
