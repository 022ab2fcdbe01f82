"""Forms of the calendar pages: a cell's schedule, a committee's schedule for a term, planning."""

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import OPEN_STATUSES, REGULAR_KINDS, Meeting, MeetingKind
from organizations.forms import date_field
from organizations.models import Organization

# "19:30", "19h30", "19h", "19.30", "7:30": the ways a time is written on paper and typed on phones.
_TIME = re.compile(r"^\s*(\d{1,2})\s*(?:[:.hHgG]\s*(\d{2})?)?\s*$")
# A committee term is at most five years; a little more allows a late congress (brief §2.1).
MAX_TERM_DAYS = 6 * 366


class TimeField(forms.Field):
    widget = forms.TextInput

    def __init__(self, label, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"placeholder": "19:30", "size": 6, "maxlength": 8}),
        )
        super().__init__(label=label, **kwargs)

    def prepare_value(self, value):
        return value.strftime("%H:%M") if isinstance(value, dt.time) else value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        m = _TIME.match(value)
        hour, minute = (int(m.group(1)), int(m.group(2) or 0)) if m else (99, 99)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(_("Enter a time as hh:mm, e.g. 19:30."), code="invalid")
        return dt.time(hour, minute)


def day_of_month_field():
    return forms.IntegerField(
        label=_("Day of the month"),
        min_value=1,
        max_value=28,
        help_text=_("1–28, so every month has it."),
        error_messages={
            "min_value": _("Choose a day between 1 and 28, so every month has it."),
            "max_value": _("Choose a day between 1 and 28, so every month has it."),
            "invalid": _("Choose a day between 1 and 28, so every month has it."),
        },
        widget=forms.NumberInput(attrs={"min": 1, "max": 28, "inputmode": "numeric"}),
    )


class _PeriodMixin:
    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end date is before the start date."))
        return data


class ScheduleForm(_PeriodMixin, forms.Form):
    day_of_month = day_of_month_field()
    time = TimeField(pgettext_lazy("time of day", "Time"))
    place = forms.CharField(label=_("Place"), max_length=200)
    valid_from = date_field(_("Valid from"))
    valid_to = date_field(
        _("Valid to"), required=False, help_text=_("Leave empty while the schedule holds.")
    )
    generate = forms.BooleanField(
        label=_("Plan the regular meetings up to the end of the year"),
        required=False,
        initial=True,
    )


class CommitteeScheduleForm(_PeriodMixin, forms.Form):
    day_of_month = day_of_month_field()
    time = TimeField(pgettext_lazy("time of day", "Time"))
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("The same for every cell, e.g. “Nhà văn hóa thôn”."),
    )
    valid_from = date_field(_("Term from"))
    valid_to = date_field(_("Term to"))

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and (end - start).days > MAX_TERM_DAYS:
            self.add_error("valid_to", _("A term lasts at most five years; check the end date."))
        return data


# Kinds a secretary plans by hand: the regular meeting normally comes from the schedule.
PLAN_KINDS = [
    MeetingKind.THEMATIC,
    MeetingKind.COMMITTEE,
    MeetingKind.COMBINED,
    MeetingKind.EXTRAORDINARY,
    MeetingKind.LIAISON,
    MeetingKind.YEAR_END,
    MeetingKind.REGULAR,
]


class PreparesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        local = timezone.localtime(obj.scheduled_at)
        return f"{obj.display_title} — {local:%d/%m/%Y %H:%M}"


class PlanForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"), choices=[(k.value, k.label) for k in PLAN_KINDS]
    )
    topic = forms.CharField(
        label=_("Topic"),
        max_length=250,
        required=False,
        help_text=_("For a thematic meeting: its topic."),
    )
    prepares = PreparesChoiceField(
        label=_("Prepares the regular meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("For a cell-committee meeting: the regular meeting it prepares."),
    )
    date = date_field(_("Date"))
    time = TimeField(pgettext_lazy("time of day", "Time"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    title = forms.CharField(
        label=_("Title"), max_length=250, required=False, help_text=_("Optional.")
    )

    def __init__(self, *args, cell: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        # The cell's coming regular meetings (a window, not a slice: the field filters it again).
        now = timezone.now()
        self.fields["prepares"].queryset = cell.meetings.filter(
            kind__in=REGULAR_KINDS,
            status__in=OPEN_STATUSES,
            scheduled_at__gte=now - dt.timedelta(days=1),
            scheduled_at__lte=now + dt.timedelta(days=190),
        ).order_by("scheduled_at")

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = timezone.localdate()
        if not today.replace(year=today.year - 1, day=1) <= day <= dt.date(today.year + 2, 12, 31):
            raise forms.ValidationError(
                _("Plan meetings from last year up to two years ahead; check the year.")
            )
        return day

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            data["scheduled_at"] = timezone.make_aware(
                dt.datetime.combine(data["date"], data["time"])
            )
        return data
