from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    AgendaItem,
    DocumentKind,
    MeetingDocument,
    ResolutionKind,
    Step,
    TaskStatus,
)
from organizations.forms import date_field

DATETIME_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H.%M",
    "%d/%m/%Y %Hh%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
]


def _plausible_year(value):
    # 01/01/0001 00:00 in Vietnam's time zone is before the first instant Python can hold in
    # UTC: saving it raised OverflowError, a server error (chibo/tests/badinput).
    if value is not None and not 1900 <= value.year <= 2100:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.") % {"first": 1900, "last": 2100},
            code="implausible_year",
        )


def datetime_field(label, required=True):
    return forms.DateTimeField(
        label=label,
        required=required,
        validators=[_plausible_year],
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(
            format="%d/%m/%Y %H:%M",
            attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"},
        ),
        error_messages={
            "invalid": _("Enter a date and time as dd/mm/yyyy hh:mm, e.g. 05/09/2025 19:30.")
        },
    )


class MemberChoiceField(forms.TypedChoiceField):
    """A member picked from a list loaded once: rendering it many times costs no query
    (a ModelChoiceField re-runs its queryset at every render)."""

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, coerce=int, empty_value=None, **kwargs)
        self.members = {}
        if queryset is not None:
            self.queryset = queryset

    @property
    def queryset(self):
        return list(self.members.values())

    @queryset.setter
    def queryset(self, members):
        self.members = {m.pk: m for m in members}
        self.choices = [("", "—")] + [(m.pk, m.person.full_name) for m in self.members.values()]

    def clean(self, value):
        pk = super().clean(value)
        return self.members.get(pk) if pk is not None else None


class PrepareForm(forms.Form):
    draft_resolution = forms.CharField(
        label=_("Draft resolution agreed by the cell committee"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class StartForm(forms.Form):
    started_at = datetime_field(_("Started at"))
    chair = MemberChoiceField(label=_("Chair"), queryset=None)
    minutes_secretary = MemberChoiceField(label=_("Minutes secretary"), queryset=None)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = members
        self.fields["minutes_secretary"].queryset = members


class EndForm(forms.Form):
    ended_at = datetime_field(_("Ended at"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PostponeForm(ReasonForm):
    new_time = datetime_field(_("New date and time"))


class DocumentForm(forms.ModelForm):
    class Meta:
        model = MeetingDocument
        fields = ["kind", "title", "file", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = DocumentKind.choices

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Attach a file or write the text."))
        f = data.get("file")
        if f and f.size > 10 * 1024 * 1024:
            self.add_error("file", _("The file is larger than 10 MB."))
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["step", "title", "presenter", "notes", "conclusion"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "conclusion": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"] = MemberChoiceField(
            label=_("Presenter"), queryset=members, required=False
        )
        self.fields["step"].choices = Step.choices


class SpeechForm(forms.Form):
    speaker = MemberChoiceField(label=_("Speaker"), queryset=None)
    summary = forms.CharField(
        label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = members


class VoteForm(forms.Form):
    motion = forms.CharField(
        label=_("Motion"), max_length=300, initial=_("Adopt the resolution of the month")
    )
    yes = forms.IntegerField(label=_("For"), min_value=0, max_value=10000)
    no = forms.IntegerField(label=_("Against"), min_value=0, max_value=10000, initial=0)
    abstain = forms.IntegerField(label=_("Abstain"), min_value=0, max_value=10000, initial=0)


class ResolutionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ResolutionKind.choices)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    assessment = forms.CharField(
        label=_("Results of the past month"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    directions = forms.CharField(
        label=_("Tasks and directions for next month"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    vote = forms.ModelChoiceField(label=_("Adopted by the vote"), queryset=None, required=False)

    def __init__(self, *args, votes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vote"].queryset = votes


class TaskForm(forms.Form):
    description = forms.CharField(label=_("Task"), max_length=1000, required=False)
    assignee = MemberChoiceField(label=_("Assigned to"), queryset=None, required=False)
    assignee_group = forms.CharField(label=_("or a group"), max_length=150, required=False)
    due_date = date_field(_("Due"), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members


class AbsenceForm(forms.Form):
    reason = forms.CharField(label=_("Reason for your absence"), max_length=300)


class TaskReportForm(forms.Form):
    text = forms.CharField(
        label=_("Progress"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    result = forms.CharField(
        label=_("Result"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AmendForm(forms.Form):
    amend_reason = forms.CharField(
        label=_("Reason for the correction"), max_length=300, required=False
    )


def now_local():
    return timezone.localtime().replace(second=0, microsecond=0)
