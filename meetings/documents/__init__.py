"""Minutes and resolutions as DOCX and PDF in the Party's format, and the printable minutes book.

content.py decides what the documents say (one block tree), word.py writes it as
DOCX, pdf.py as HTML and PDF through the templates in templates/meetings/documents/.
"""

import datetime as dt

from django.utils.text import slugify

from lib.text import fold
from meetings.models import REGULAR_KINDS, Meeting
from organizations.models import Organization


def slug(org: Organization) -> str:
    return slugify(fold(org.name)) or "chi-bo"


def meeting_filename(meeting: Meeting, prefix: str, ext: str) -> str:
    """bien-ban-2025-09-chi-bo-thon-dong.pdf; other kinds than the monthly one add the day."""
    if meeting.kind in REGULAR_KINDS:
        period = f"{meeting.period_year}-{meeting.period_month:02d}"
    else:
        period = meeting.local_date.strftime("%Y-%m-%d")
    return f"{prefix}-{period}-{slug(meeting.organization)}.{ext}"


def book_filename(org: Organization, start: dt.date, end: dt.date) -> str:
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        period = str(start.year)
    else:
        period = f"{start:%Y%m%d}-{end:%Y%m%d}"
    return f"so-bien-ban-{slug(org)}-{period}.pdf"
