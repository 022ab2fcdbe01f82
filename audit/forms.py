from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from organizations.forms import date_field


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), max_length=150, required=False)
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All"))] + list(Action.choices), required=False
    )
    # dd/mm/yyyy as everywhere else (a browser's date picker shows mm/dd/yyyy in some locales).
    date_from = date_field(_("From"), required=False)
    date_to = date_field(_("To"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
