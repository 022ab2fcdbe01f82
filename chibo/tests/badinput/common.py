"""Shared checks of the corpus: what a refusal must look like."""

from urllib.parse import urlsplit

from organizations.models import Organization

# How pages show a refusal: a form's error list, or a flash message.
MESSAGE_MARKERS = ('class="errorlist"', 'role="alert"', 'class="messages"', "has-error")


def shows_message(client, response) -> bool:
    if response.status_code in (301, 302, 303):
        response = client.get(response["Location"])
    body = response.content.decode(errors="replace")
    return any(m in body for m in MESSAGE_MARKERS)


def resolve(value, form=None, name=""):
    """'@K1' → the primary key of the organization coded K1 (for select boxes); '#n' → the
    n-th non-empty choice the form offers for the field (select options, radios, boxes)."""
    if isinstance(value, str) and value.startswith("@"):
        return str(Organization.objects.get(code=value[1:]).pk)
    if isinstance(value, str) and value.startswith("#") and form is not None:
        choices = []
        for f in form.fields:
            if f.name == name:
                choices += [v for v, _sel in f.options if v] if f.kind == "select" else [f.value]
        return choices[int(value[1:]) - 1]
    return value


def path_of(url: str) -> str:
    return urlsplit(url).path
