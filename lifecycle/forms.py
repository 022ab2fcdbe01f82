"""Forms of the member's status, card and badge pages. The rules are in lifecycle/services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifecycle.models import (
    ALLOWED_FROM,
    BADGE_YEARS,
    CardEventKind,
    CardSeries,
    DecisionKind,
    Ground,
    years_label,
)
from organizations.forms import date_field


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"))
    decision_no = forms.CharField(
        label=_("Decision number"),
        max_length=60,
        required=False,
        help_text=_("E.g. 12-QĐ/ĐU. Required for an exit from the Party."),
    )
    decision_date = date_field(_("Decision date"), initial=timezone.localdate)
    effective_date = date_field(
        _("Effective from"),
        initial=timezone.localdate,
        help_text=_("For a death: the date of death."),
    )
    end_date = date_field(
        _("Until"),
        required=False,
        help_text=_("For a temporary exemption or a suspension: the last day of the period."),
    )
    deciding_organization = forms.ModelChoiceField(
        label=_("Deciding organization"), queryset=None, empty_label=None
    )
    deciding_body = forms.CharField(
        label=_("Deciding body"),
        max_length=200,
        required=False,
        help_text=_("E.g. Ban Thường vụ Đảng ủy xã, or the cell meeting of 05/3/2025."),
    )
    ground = forms.ChoiceField(
        label=_("Ground"),
        required=False,
        choices=[("", "—"), *Ground.choices],
        help_text=_(
            "Exemption: old age or weak health; temporary exemption: working far away, "
            "health or other; strike-off: one of the grounds of QĐ 24 §8.1."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, member, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k.value, k.label) for k in DecisionKind if member.status in ALLOWED_FROM[k]
        ]
        self.fields["deciding_organization"].queryset = organizations
        self.fields["deciding_organization"].initial = member.organization_id


class CardEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Event"))
    card_no = forms.CharField(
        label=_("Party card number"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("8 digits. For a reissue, leave empty to keep the same number."),
    )
    series = forms.ChoiceField(
        label=_("Series"), required=False, choices=[("", "—"), *CardSeries.choices]
    )
    date = date_field(_("Date"), initial=timezone.localdate)
    decision_no = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    note = forms.CharField(
        label=_("Note"),
        max_length=250,
        required=False,
        help_text=_("For a loss: how the card was lost or damaged."),
    )

    def __init__(self, *args, state, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = {
            "none": [CardEventKind.ISSUE],
            "active": [CardEventKind.LOSS, CardEventKind.REPLACEMENT],
            "lost": [CardEventKind.REPLACEMENT],
        }[state]
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]


class BadgeAwardForm(forms.Form):
    years = forms.TypedChoiceField(
        label=_("Badge"), coerce=int, choices=[(y, years_label(y)) for y in BADGE_YEARS]
    )
    award_date = date_field(_("Award date"))
    decision_no = forms.CharField(label=_("Decision number"), max_length=60)
    badge_no = forms.CharField(label=_("Badge number"), max_length=30, required=False)
    note = forms.CharField(label=_("Note"), max_length=250, required=False)


class InterruptionForm(forms.Form):
    start_date = date_field(_("From"))
    end_date = date_field(_("To"))
    note = forms.CharField(
        label=_("Note"),
        max_length=250,
        help_text=_("What the interruption was, with its decision if any."),
    )
