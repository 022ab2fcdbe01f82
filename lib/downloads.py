"""File downloads: a Word file as an attachment with a Vietnamese file name.

The header carries the name twice (RFC 6266): `filename*` in UTF-8 with the diacritics for
every current browser, and `filename` folded to ASCII for old clients.
"""

from urllib.parse import quote

from django.http import HttpResponse
from django.utils.text import slugify

from lib.text import fold

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def ascii_name(name: str) -> str:
    """ "Phiếu nhận xét 2025 - Lê Văn Nam" → "phieu-nhan-xet-2025-le-van-nam"."""
    return slugify(fold(name)) or "tai-lieu"


def docx_response(data: bytes, name: str) -> HttpResponse:
    """`name` without the extension, in Vietnamese."""
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_name(name)}.docx"; '
        f"filename*=UTF-8''{quote(name + '.docx')}"
    )
    return response
