"""Forms of the transfer pages: start (out or in), the letter, the receipt, completion, cancel."""

import datetime as dt
import re

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.text import search_terms
from members.models import ACTIVE_STATUSES, Member
from organizations.forms import date_field
from organizations.models import CELL_KINDS, Organization
from transfers.models import (
    LETTER_FOR_KIND,
    LetterType,
    TransferKind,
    TransferReason,
)

_MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


class MonthField(forms.Field):
    """A month typed as mm/yyyy (the letter's "dues paid up to" box); the first day of it."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "01/2026", "size": 8, "maxlength": 7})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.strftime("%m/%Y") if isinstance(value, dt.date) else value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        m = _MONTH.match(value)
        if not m or not 1 <= int(m.group(1)) <= 12:
            raise forms.ValidationError(
                _("Enter a month as mm/yyyy, e.g. 01/2026."), code="invalid"
            )
        return dt.date(int(m.group(2)), int(m.group(1)), 1)


def _cell_label(org):
    return f"{org.name} ({org.code})"


CELL_MATCHES = 20  # a short list of radio buttons: readable on a phone, light to send


def cell_matches(cells, query: str, selected=None) -> list:
    """Up to CELL_MATCHES cells of `cells` whose name or code has words starting with the
    query's (diacritics and case ignored: "dong" finds "Chi bộ thôn Đông"), the selected one first, each with its
    parent's name to tell apart the many "Chi bộ thôn 1". Three queries at most."""
    found = []
    if selected is not None:
        found.append(selected)
    words = search_terms(query or "")  # word starts, as every other search of the project
    if words:
        qs = cells
        for w in words:
            qs = qs.filter(search_text__contains=w)
        found += [c for c in qs[:CELL_MATCHES] if selected is None or c.pk != selected.pk]
    found = found[:CELL_MATCHES]
    step = Organization.steplen
    parents = {
        o.path: o.name
        for o in Organization.objects.filter(
            path__in={c.path[:-step] for c in found if len(c.path) > step}
        ).only("path", "name")
    }
    for c in found:
        c.parent_name = parents.get(c.path[:-step], "")
    return found


class CellPicker(forms.Widget):
    """A search box and the matching cells as radio buttons, instead of a select of every
    cell of the province (a thousand options: heavy on a phone, and unsearchable). With
    HTMX the list follows the typing; without JavaScript the "Tìm" button posts the form,
    which comes back with the matches and nothing saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.search_url = ""
        self.query = ""
        self.cells = None

    def render(self, name, value, attrs=None, renderer=None):
        selected = None
        if value not in (None, ""):
            selected = self.cells.filter(pk=value).first() if str(value).isdigit() else None
        return render_to_string(
            "transfers/_cell_picker.html",
            {
                "name": name,
                "id": (attrs or {}).get("id", f"id_{name}"),
                "query": self.query,
                "search_url": self.search_url,
                "matches": cell_matches(self.cells, self.query, selected),
                "selected": selected,
                "limit": CELL_MATCHES,
            },
        )


class StartForm(forms.Form):
    """The sending side starts a transfer: to a cell of the province, of another province
    (by its code, since the sender does not see that province) or outside the system."""

    kind = forms.ChoiceField(label=_("Kind of transfer"), choices=TransferKind.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=TransferReason.choices)
    reason_detail = forms.CharField(
        label=_("Details of the reason"),
        max_length=250,
        required=False,
        help_text=_("E.g. the decision number, the new workplace or school."),
    )
    trigger_date = date_field(
        _("Decision / move date"),
        help_text=_("Date of the job-transfer or retirement decision, or of the move."),
    )
    started_on = date_field(_("Procedure started on"), initial=timezone.localdate)
    end_date = date_field(
        _("Temporary until"),
        required=False,
        help_text=_("Temporary transfers only: 3 months to under 1 year; study up to 2 years."),
    )
    to_org = forms.ModelChoiceField(
        label=_("Receiving cell in this province"),
        queryset=Organization.objects.none(),
        required=False,
        widget=CellPicker,
    )
    to_province = forms.ModelChoiceField(
        label=_("…or in another province"),
        queryset=Organization.objects.none(),
        required=False,
    )
    to_code = forms.CharField(
        label=_("Code of the receiving cell in that province"), max_length=32, required=False
    )
    to_org_name = forms.CharField(
        label=_("…or an organization outside the system"),
        max_length=250,
        required=False,
        help_text=_("Full name: cell, committee, commune and province."),
    )
    note = forms.CharField(label=_("Note"), max_length=250, required=False)

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        cells = (
            Organization.objects.filter(
                province_id=member.province_id, kind__in=CELL_KINDS, dissolved_on__isnull=True
            )
            .exclude(pk=member.organization_id)
            .order_by("sort_key")
        )
        self.fields["to_org"].queryset = cells
        self.fields["to_org"].label_from_instance = _cell_label
        picker = self.fields["to_org"].widget
        picker.cells = cells
        picker.query = (self.data.get("to_org_q") or "") if self.is_bound else ""
        picker.search_url = reverse("transfers:cells", args=[member.uuid])
        self.fields["to_province"].queryset = (
            Organization.objects.filter(depth=1).exclude(pk=member.province_id).order_by("sort_key")
        )

    def clean(self):
        data = super().clean()
        province, code = data.get("to_province"), (data.get("to_code") or "").strip()
        if province or code:
            if data.get("to_org"):
                self.add_error("to_province", _("Choose one receiving cell only."))
            elif not (province and code):
                self.add_error("to_code", _("Choose the province and give the cell's code."))
            else:
                cell = Organization.objects.filter(
                    province=province, code=code, kind__in=CELL_KINDS
                ).first()
                if cell is None:
                    self.add_error(
                        "to_code", _("No cell with this code in %(p)s.") % {"p": province.name}
                    )
                else:
                    data["to_org"] = cell
        return data


class IncomingForm(forms.Form):
    """The receiving side records an official transfer from an organization outside the system."""

    member_name = forms.CharField(label=_("Member's full name"), max_length=120)
    from_org_name = forms.CharField(
        label=_("Sending organization"),
        max_length=250,
        help_text=_("Full name: cell, committee, commune and province."),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[c for c in TransferReason.choices if c[0] != TransferReason.STUDY],
    )
    reason_detail = forms.CharField(
        label=_("Details of the reason"), max_length=250, required=False
    )
    trigger_date = date_field(_("Decision / move date"))
    started_on = date_field(_("Procedure started on"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=250, required=False)


class LetterForm(forms.Form):
    letter_type = forms.ChoiceField(label=_("Letter type"), choices=LetterType.choices)
    letter_no = forms.CharField(label=_("Letter number"), max_length=40)
    register_no = forms.CharField(
        label=_("Register number"),
        max_length=40,
        required=False,
        help_text=_("Number in the committee's transfer register (số GTSHĐ)."),
    )
    issued_on = date_field(_("Issued on"), initial=timezone.localdate)
    issued_by = forms.CharField(label=_("Issued by"), max_length=250)
    dues_paid_until = MonthField(label=_("Dues paid up to (month)"), required=False)

    def __init__(self, *args, transfer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if transfer is not None and not self.is_bound:
            self.initial.setdefault("letter_type", LETTER_FOR_KIND[transfer.kind])
            if transfer.from_org_id:
                parent = transfer.from_org.parent_org()
                if parent is not None:
                    self.initial.setdefault(
                        "issued_by", _("Organization board of %(org)s") % {"org": parent.name}
                    )


class ReceiveForm(forms.Form):
    presented_on = date_field(_("Letter presented on"), initial=timezone.localdate)
    received_on = date_field(_("Received on"), initial=timezone.localdate)


class CompleteOfficialForm(forms.Form):
    effective_on = date_field(_("Effective on"), initial=timezone.localdate)
    member = forms.ModelChoiceField(
        label=_("The member's record in the receiving cell"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_(
            "Add the member to the receiving cell first (Thêm đảng viên), then choose them."
        ),
    )

    def __init__(self, *args, transfer, **kwargs):
        super().__init__(*args, **kwargs)
        if transfer.member_id is None and transfer.to_org_id:
            self.fields["member"].queryset = (
                Member.objects.filter(organization=transfer.to_org, status__in=ACTIVE_STATUSES)
                .select_related("person")
                .order_by("person__sort_key")
            )
        else:
            del self.fields["member"]


class ReturnForm(forms.Form):
    ended_on = date_field(_("Attached until"), initial=timezone.localdate)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=250)
