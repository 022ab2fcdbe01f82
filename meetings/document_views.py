"""Downloads of the minutes and the resolution (DOCX, PDF) and the cell's minutes book.

Minutes carry members' names, absences and reasons: they are for the cell's
managers and the committees above (Level.READ through the cell), not for every
member who may open the meeting page. Anything else is a 404, like anything out
of scope. Nothing here may be cached on the way.
"""

import datetime as dt
import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.access import Level, get_meeting, get_organization
from meetings import documents
from meetings.documents import content, pdf, word
from meetings.models import MeetingStatus
from organizations import selectors as org_selectors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
# One committee term: a longer book would take minutes to print and nobody needs it at once.
MAX_BOOK_DAYS = 5 * 366


def _meeting(request, uuid):
    meeting = get_meeting(request.scope, uuid)
    if request.scope.level_for(meeting.organization) < Level.READ:
        raise Http404  # a plain member reads the meeting page, not the cell's minutes
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED):
        raise Http404  # no meeting was held: there is nothing to record
    return meeting


def _file(data: bytes, content_type: str, filename: str, started: float) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if content_type == PDF else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # How long the document took, for anyone tuning the server (seen in the browser's tools).
    response["Server-Timing"] = f"render;dur={(time.perf_counter() - started) * 1000:.0f}"
    return response


@never_cache
@login_required
def minutes_docx(request, uuid):
    started = time.perf_counter()
    meeting = _meeting(request, uuid)
    data = word.write([content.minutes_for(meeting)])
    return _file(data, DOCX, documents.meeting_filename(meeting, "bien-ban", "docx"), started)


@never_cache
@login_required
def minutes_pdf(request, uuid):
    started = time.perf_counter()
    meeting = _meeting(request, uuid)
    data = pdf.write([content.minutes_for(meeting)])
    return _file(data, PDF, documents.meeting_filename(meeting, "bien-ban", "pdf"), started)


def _resolution_doc(request, uuid):
    meeting = _meeting(request, uuid)
    resolution = content.resolution_of(meeting)
    if resolution is None:
        raise Http404
    return meeting, content.resolution_for(meeting, resolution)


@never_cache
@login_required
def resolution_docx(request, uuid):
    started = time.perf_counter()
    meeting, doc = _resolution_doc(request, uuid)
    data = word.write([doc])
    return _file(data, DOCX, documents.meeting_filename(meeting, "nghi-quyet", "docx"), started)


@never_cache
@login_required
def resolution_pdf(request, uuid):
    started = time.perf_counter()
    meeting, doc = _resolution_doc(request, uuid)
    data = pdf.write([doc])
    return _file(data, PDF, documents.meeting_filename(meeting, "nghi-quyet", "pdf"), started)


# ---- the minutes book ------------------------------------------------------------------------


def _date_field(label):
    return forms.DateField(
        label=label,
        error_messages={
            "invalid": gettext_lazy("Enter a date as dd/mm/yyyy, e.g. 01/07/2025."),
            "required": gettext_lazy("Give the date as dd/mm/yyyy."),
        },
        widget=forms.TextInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )


class PeriodForm(forms.Form):
    """The period of the book; the query keys are `from` and `to`, so fields are added by name."""

    def __init__(self, data):
        super().__init__(data)
        self.fields["from"] = _date_field(gettext_lazy("From"))
        self.fields["to"] = _date_field(gettext_lazy("To"))

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The end date is before the start date."))
            if (end - start).days > MAX_BOOK_DAYS:
                raise forms.ValidationError(
                    _("Choose a period of at most five years (one committee term).")
                )
        return data


def _period_form(request) -> PeriodForm:
    """The period asked for; an empty bound is this year's (the book is kept by the year)."""
    data = request.GET.copy()
    year = timezone.localdate().year
    if not data.get("from", "").strip():
        data["from"] = f"01/01/{year}"
    if not data.get("to", "").strip():
        data["to"] = f"31/12/{year}"
    return PeriodForm(data)


def _cell(request, uuid):
    org = get_organization(request.scope, uuid)
    if not org.is_cell:
        raise Http404  # minutes are kept by cells
    return org


def _book(org, start: dt.date, end: dt.date, ancestors=None):
    ancestors = org_selectors.ancestors(org) if ancestors is None else ancestors
    info = content.CellInfo(org, ancestors[-1] if ancestors else None)
    docs = content.book_docs(info, content.book_meetings(org, start, end))
    cover = pdf.Cover(
        upper_body=content.upper(info.parent.name) if info.parent else "",
        issuer=content.upper(org.name),
        start=start,
        end=end,
        count=len(docs),
    )
    return docs, cover


@never_cache
@login_required
def minutes_book(request, uuid):
    org = _cell(request, uuid)
    form = _period_form(request)
    ancestors = org_selectors.ancestors(org)
    ctx = {"org": org, "ancestors": ancestors, "form": form, "docs": [], "cover": None}
    if form.is_valid():
        start, end = form.cleaned_data["from"], form.cleaned_data["to"]
        docs, cover = _book(org, start, end, ancestors)
        ctx.update(pdf.context(docs, cover, for_pdf=False))
        ctx["query"] = f"from={start:%d/%m/%Y}&to={end:%d/%m/%Y}"
    return render(request, "meetings/documents/book.html", ctx)


@never_cache
@login_required
def minutes_book_pdf(request, uuid):
    started = time.perf_counter()
    org = _cell(request, uuid)
    form = _period_form(request)
    page = reverse("meetings:minutes_book", args=[org.uuid])
    if not form.is_valid():
        # The book page shows what is wrong with the dates.
        return redirect(f"{page}?{request.GET.urlencode()}")
    start, end = form.cleaned_data["from"], form.cleaned_data["to"]
    docs, cover = _book(org, start, end)
    if not docs:
        messages.info(request, _("No approved minutes in this period: there is nothing to print."))
        return redirect(f"{page}?from={start:%d/%m/%Y}&to={end:%d/%m/%Y}")
    data = pdf.write(docs, cover)
    return _file(data, PDF, documents.book_filename(org, start, end), started)
