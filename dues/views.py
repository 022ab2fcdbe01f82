"""Party dues pages of a cell: the year grid (members × months) and the month sheet.

Reading needs Cap.VIEW on the cell; recording needs Cap.MANAGE_MEMBERS (the cell's
secretaries and the organization board above). Outside the user's scope everything is 404
(accounts.access); an organization that is not a cell is 404 too.

The month sheet works like the attendance sheet: "all paid" first, then the exceptions.
With HTMX each row saves on its own and the counts above update; without JavaScript the
whole sheet is one form. Either way every save goes through dues.services.record_payments
(validated first, all or nothing).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import Cap, get_organization
from dues import selectors, services
from dues.forms import SheetForm, parse_month
from dues.models import DuesState, first_of_month
from dues.services import PaymentRow
from lifecycle.selectors import STRIKE_OFF_MONTHS
from organizations.selectors import ancestors


def _cell(request, uuid, cap=Cap.VIEW):
    org = get_organization(request.scope, uuid, cap)
    if not org.is_cell:
        raise Http404
    return org


def _add_months(month: dt.date, n: int) -> dt.date:
    k = month.year * 12 + month.month - 1 + n
    return dt.date(k // 12, k % 12 + 1, 1)


def posted_rows(data, paid_on=None) -> list[PaymentRow]:
    """The member rows of a posted sheet (s_<id>, a_<id>, n_<id>), in the posted order."""
    rows = []
    for key in data:
        if key.startswith("s_") and key[2:].isdigit():
            member_id = int(key[2:])
            rows.append(
                PaymentRow(
                    member_id=member_id,
                    state=data.get(key, ""),
                    amount=data.get(f"a_{member_id}", "")[:30],
                    note=data.get(f"n_{member_id}", "")[:300],
                    paid_on=paid_on,
                )
            )
    return rows


# ---- the year grid ------------------------------------------------------------------------


@never_cache
@login_required
def cell_dues(request, uuid):
    cell = _cell(request, uuid)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 1990), today.year)
    return render(
        request,
        "dues/cell.html",
        {
            "org": cell,
            "ancestors": ancestors(cell),
            "year": year,
            "prev_year": year - 1,
            "next_year": year + 1 if year < today.year else None,
            "grid": selectors.year_grid(cell, year, today),
            "this_month": first_of_month(today),
            "can_manage": request.scope.can(Cap.MANAGE_MEMBERS, cell),
            "strike_off_months": STRIKE_OFF_MONTHS,
        },
    )


# ---- the month sheet ----------------------------------------------------------------------


def _sheet_context(cell, month, rows, form, **extra):
    this_month = first_of_month(timezone.localdate())
    return {
        "org": cell,
        "month": month,
        "prev_month": _add_months(month, -1),
        "next_month": _add_months(month, 1) if month < this_month else None,
        "rows": rows,
        "summary": selectors.sheet_summary(rows),
        "form": form,
        "states": DuesState.choices,
        **extra,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def month_sheet(request, uuid):
    cell = _cell(request, uuid, Cap.MANAGE_MEMBERS)
    this_month = first_of_month(timezone.localdate())
    month = parse_month(request.POST.get("month") or request.GET.get("month"))
    if month is None or (request.method == "GET" and month > this_month):
        month = this_month
    if request.method == "POST":
        form = SheetForm(request.POST)
        rows = posted_rows(request.POST)
        if request.POST.get("all_paid"):
            # "All paid": every member without a row this month paid the amount shown.
            recorded = set(
                cell.dues_payments.filter(month=month).values_list("member_id", flat=True)
            )
            for r in rows:
                if r.state == DuesState.UNPAID and r.member_id not in recorded:
                    r.state = DuesState.PAID
        if form.is_valid():
            for r in rows:
                r.paid_on = form.cleaned_data["paid_on"]
            try:
                n = services.record_payments(cell, month, rows, by=request.user)
            except ValidationError as e:
                form.add_error(None, e.messages)
            else:
                messages.success(
                    request,
                    _("Dues of %(month)s saved (%(n)s changes).")
                    % {
                        "month": f"{month:%m/%Y}",
                        "n": n,
                    },
                )
                return redirect(reverse("dues:month", args=[cell.uuid]) + f"?month={month:%Y-%m}")
        sheet = selectors.month_sheet(cell, month)
        posted = {r.member_id: r for r in rows}
        for r in sheet:
            r.posted = posted.get(r.member_id)
        return render(
            request,
            "dues/month.html",
            _sheet_context(cell, month, sheet, form, ancestors=ancestors(cell)),
            status=400,
        )
    return render(
        request,
        "dues/month.html",
        _sheet_context(
            cell, month, selectors.month_sheet(cell, month), SheetForm(), ancestors=ancestors(cell)
        ),
    )


@login_required
@require_POST
def mark(request, uuid):
    """HTMX: save one row of the month sheet; returns the counts (and the row, to show an
    error or to clear one), out of band."""
    cell = _cell(request, uuid, Cap.MANAGE_MEMBERS)
    month = parse_month(request.POST.get("month"))
    # Inside the sheet's form HTMX posts every row: "member" names the one that changed.
    wanted = request.POST.get("member", "")
    rows = [r for r in posted_rows(request.POST) if str(r.member_id) == wanted]
    if month is None or not rows:
        raise Http404
    row = rows[0]
    form = SheetForm(request.POST)
    error = ""
    if not form.is_valid():
        error = " ".join(form.errors.get("paid_on", []))
    else:
        row.paid_on = form.cleaned_data["paid_on"]
        try:
            services.record_payments(cell, month, [row], by=request.user)
        except ValidationError as e:
            error = " ".join(e.messages)
    sheet = selectors.month_sheet(cell, month)
    shown = next((r for r in sheet if r.member_id == row.member_id), None)
    if shown is None:
        raise Http404
    if error:
        shown.posted = row
    return render(
        request,
        "dues/_row_update.html",
        {
            "org": cell,
            "month": month,
            "r": shown,
            "summary": selectors.sheet_summary(sheet),
            "error": error,
            "states": DuesState.choices,
            # The row is the user's own input: replaced only to show an error or to clear it.
            "replace_row": bool(error) or bool(request.POST.get(f"e_{row.member_id}")),
        },
    )
