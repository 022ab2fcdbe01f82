"""The campaign form, and the month field of the month sheet.

The sheet's rows are plain inputs named m_<org id> (money), r_<id> (rice), b_<id> (people
helped) and n_<id> (note), read by campaigns.views.posted_rows.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from organizations.forms import date_field


class CampaignForm(forms.ModelForm):
    starts_on = date_field(_("Starts on"))
    ends_on = date_field(
        _("Ends on"), required=False, help_text=_("Leave empty for a campaign without an end.")
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "description",
            "starts_on",
            "ends_on",
            "collects_money",
            "collects_rice",
            "collects_beneficiaries",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
