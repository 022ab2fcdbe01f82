"""Read the <form method="post"> elements of a page the way a browser would submit them.

The corpus takes a form's own defaults (what a user sees before typing) as the baseline
and changes one field at a time, so each case tests one field with one bad value.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, date, number, select, checkbox, radio, hidden, file, ...
    value: str = ""
    options: list = field(default_factory=list)
    multiple: bool = False
    checked: bool = False


@dataclass
class Form:
    action: str
    fields: list = field(default_factory=list)

    def baseline(self) -> dict:
        """The body a browser sends when the user only presses the first submit button."""
        data: dict = {}
        for f in self.fields:
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    data.setdefault(f.name, []).append(f.value or "on")
            elif f.kind == "select":
                chosen = [v for v, sel in f.options if sel]
                if not chosen and f.options and not f.multiple:
                    chosen = [f.options[0][0]]
                if chosen:
                    data.setdefault(f.name, []).extend(chosen)
            elif f.kind in ("submit", "file", "button", "reset", "image"):
                continue
            else:
                data.setdefault(f.name, []).append(f.value)
        submit = next((f for f in self.fields if f.kind == "submit"), None)
        if submit is not None and submit.name not in data:
            data[submit.name] = [submit.value]
        return data

    def by_name(self, name) -> Field | None:
        return next((f for f in self.fields if f.name == self.real_name(name)), None)

    def real_name(self, name: str) -> str:
        """A declared name with "*" for a number the page chose (done*-result: done17-result,
        the follow-up's primary key, which differs between databases)."""
        if "*" not in name:
            return name
        pattern = re.compile(re.escape(name).replace(r"\*", r"\d+") + "$")
        return next((f.name for f in self.fields if pattern.match(f.name)), name)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: Field | None = None
        self.option: list | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.current = Form(action=a.get("action", ""))
                self.forms.append(self.current)
            return
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "text" and a.get("placeholder") == "dd/mm/yyyy":
                kind = "date"
            self.current.fields.append(
                Field(name, kind, a.get("value", ""), checked="checked" in a)
            )
        elif tag == "button" and name:
            self.current.fields.append(Field(name, "submit", a.get("value", "")))
        elif tag == "select" and name:
            self.select = Field(name, "select", multiple="multiple" in a)
            self.current.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and name:
            self.textarea = Field(name, "textarea")
            self.current.fields.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        if self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self._close_option()
            self.select = None
        elif tag == "option":
            self._close_option()
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the newline right after <textarea>.
            if self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]
            self.textarea = None

    def _close_option(self):
        if self.option is not None and self.select is not None:
            value, selected, text = self.option
            self.select.options.append((text.strip() if value is None else value, selected))
        self.option = None


def post_forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms
