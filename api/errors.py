"""Every error the API returns is JSON with a translated `detail`.

404 "Not found." for anything missing or outside the caller's scope (an outsider
must not learn that it exists), 403 when it is visible but the action needs a
higher level, 401 without valid credentials, 422 with one item per problem:
`{"loc": [...], "field": "person.citizen_id", "msg": "...", "type": "..."}`.
Pydantic's own messages are English only, so they are replaced by ours, chosen
by the error type.
"""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

# Parts of a pydantic location that are not field names.
SOURCES = {"body", "query", "path", "header", "cookie", "form"}
BODY_PARAM = "payload"


class ApiValidationError(Exception):
    """Raised by endpoints for semantic errors (forms, services, model validation)."""

    def __init__(self, items: list[dict]):
        self.items = items
        super().__init__(items)


def _item(loc: tuple, msg: str, type_: str) -> dict:
    # ninja puts the body parameter's own name in the location; clients never see it.
    loc = [p for i, p in enumerate(loc) if not (i == 1 and loc[0] == "body" and p == BODY_PARAM)]
    names = [str(p) for p in loc if p not in SOURCES]
    return {"loc": loc, "field": ".".join(names) or "__all__", "msg": str(msg), "type": type_}


def _pydantic_message(err: dict) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "null_character":
        return _("Null characters are not allowed.")
    if kind == "string_too_long":
        return _("Enter at most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("This field is required.")
        return _("Enter at least %(n)s characters.") % {"n": ctx.get("min_length")}
    if kind in ("uuid_parsing", "uuid_type", "uuid_version"):
        return _("Enter a valid identifier (UUID).")
    if kind.startswith("datetime"):
        return _("Enter a date and time as YYYY-MM-DDTHH:MM, e.g. 2025-09-05T19:30.")
    if kind.startswith("date"):
        return _("Enter a date as YYYY-MM-DD, e.g. 2025-07-01.")
    if kind in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        return _("Enter a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return _("Enter a number of at least %(n)s.") % {"n": limit}
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        return _("Enter a number of at most %(n)s.") % {"n": limit}
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(values)s.") % {"values": ctx.get("expected", "")}
    if kind in ("string_type", "str_type"):
        return _("Enter text.")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Send a JSON object.")
    if kind == "list_type":
        return _("Send a list.")
    if kind == "extra_forbidden":
        return _("This field is not known; check its name.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("This value is not valid.")


def pydantic_items(errors: list[dict]) -> list[dict]:
    return [
        _item(tuple(e.get("loc", ())), _pydantic_message(e), e.get("type", "invalid"))
        for e in errors
    ]


def form_items(form, prefix: tuple = ("body",)) -> list[dict]:
    """A bound, invalid Django form's errors, messages rendered in the active language."""
    items = []
    for field, errs in form.errors.get_json_data().items():
        loc = prefix + ((field,) if field != "__all__" else ())
        for e in errs:
            items.append(_item(loc, e["message"], e.get("code") or "invalid"))
    return items


def django_items(
    error: DjangoValidationError,
    prefix: tuple = ("body",),
    default_field: str | None = None,
    fields: dict | None = None,
) -> list[dict]:
    """A ValidationError from a service or full_clean. Non-field errors go to `default_field`;
    `fields` maps model field names to where they sit in the request (e.g. person.sex)."""
    if hasattr(error, "error_dict"):
        pairs = [(f, e) for f, errs in error.error_dict.items() for e in errs]
    else:
        pairs = [(None, e) for e in error.error_list]
    items = []
    for field, err in pairs:
        if field in (None, "__all__"):
            field = default_field
        path = (fields or {}).get(field, prefix + ((field,) if field else ()))
        for msg in err.messages:
            items.append(_item(path, msg, err.code or "invalid"))
    return items


HTTP_ERROR_MESSAGES = {
    "Unauthorized": lambda: _(
        "Log in, or send a personal API token in the header 'Authorization: Bearer <token>'."
    ),
}


def install(api):
    """Register the handlers on a NinjaAPI."""

    def not_found(request, exc):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    def forbidden(request, exc):
        return api.create_response(
            request, {"detail": _("You do not have permission to do this.")}, status=403
        )

    def http_error(request, exc: HttpError):
        message = str(exc)
        if message.startswith("Cannot parse request body"):
            # Same shape as every other input error, so clients have one path for them.
            item = _item(("body",), _("The request body is not valid JSON."), "json_invalid")
            return api.create_response(request, {"detail": [item]}, status=422)
        for known, text in HTTP_ERROR_MESSAGES.items():
            if message.startswith(known):
                message = text()
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    def unauthenticated(request, exc: AuthenticationError):
        response = http_error(request, exc)
        response["WWW-Authenticate"] = 'Bearer realm="chibo"'
        return response

    def invalid(request, exc: NinjaValidationError):
        return api.create_response(request, {"detail": pydantic_items(exc.errors)}, status=422)

    def semantic(request, exc: ApiValidationError):
        return api.create_response(request, {"detail": exc.items}, status=422)

    def model_invalid(request, exc: DjangoValidationError):
        return api.create_response(request, {"detail": django_items(exc)}, status=422)

    def suspicious(request, exc: SuspiciousOperation):
        # E.g. a body over DATA_UPLOAD_MAX_MEMORY_SIZE: the client's fault, not ours.
        return api.create_response(request, {"detail": _("The request was refused.")}, status=400)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(NinjaValidationError, invalid)
    api.add_exception_handler(ApiValidationError, semantic)
    api.add_exception_handler(DjangoValidationError, model_invalid)
    api.add_exception_handler(SuspiciousOperation, suspicious)
