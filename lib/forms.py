"""Form helpers shared by the views."""

from django.core.exceptions import ValidationError


def apply_validation_error(form, error: ValidationError, rename: dict | None = None) -> None:
    """Show a service's ValidationError on the form: per field when it names fields the form
    has (optionally renamed, service name → form name), otherwise at the top of the form."""
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            field = rename.get(field, field)
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)
