"""The month sheet's own fields: the month it is for and the day the dues were collected.

The member rows are plain inputs named s_<member id> (state), a_<id> (amount) and n_<id>
(note, or the reason when excused), read by dues.views.posted_rows: the sheet is one form
without JavaScript, and each row posts alone with HTMX.
"""

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.forms import date_field

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(value) -> dt.date | None:
    """ "2025-09" → 1 September 2025; None when it is not a month."""
    m = _MONTH.match((value or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        return None
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


class SheetForm(forms.Form):
    paid_on = date_field(
        _("Paid on"),
        initial=timezone.localdate,
        help_text=_("The day the dues were collected: given to the rows saved now."),
    )
