"""Vietnamese text helpers: search folding and dictionary sort keys.

Both are stored in columns rather than computed in SQL so that SQLite and
PostgreSQL behave identically and the columns can be indexed.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_name(value: str) -> str:
    """NFC-normalize and collapse whitespace.

    NFD input ("Nguyễn" typed on some phones decomposes the tone mark) and NFC
    input must be stored the same way, or the same person appears twice.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def fold(value: str) -> str:
    """Lowercase, drop diacritics, map đ to d: "Nguyễn Văn Đức" -> "nguyen van duc".

    đ/Đ is a letter of its own, not a letter plus a mark, so NFD leaves it alone
    and it must be mapped explicitly ("dang" must find "Đảng").
    """
    decomposed = unicodedata.normalize("NFD", value or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.lower()).strip()


def search_text(*parts: str) -> str:
    """The stored search column: folded words framed by spaces.

    The frame lets a query match at word starts only (" dang" matches
    " dang bo" but " an" does not match " van").
    """
    words = " ".join(fold(p) for p in parts if p)
    return f" {words} " if words else ""


def search_terms(query: str) -> list[str]:
    """Split a user query into folded word prefixes, each to be matched as ' word'.

    NUL bytes are dropped: no stored text holds one, and PostgreSQL refuses one even in a
    LIKE pattern (a DataError: a server error for a search box, found by chibo/tests/badinput).
    """
    return [f" {w}" for w in fold((query or "").replace("\x00", "")).split(" ") if w][:8]


# Vietnamese alphabet order. Letters with a breve/circumflex/horn are letters of
# their own, sorted after their base; tones are compared only when the letters tie.
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER_CODE = {ch: f"{i + 11:02d}" for i, ch in enumerate(_ALPHABET)}
# Traditional tone order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}


def _letters_and_tones(word: str) -> tuple[str, str]:
    codes, tones = [], []
    for ch in word.lower():
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        tone = "0"
        letter = base
        for m in marks:
            if m in _TONES:
                tone = _TONES[m]
            elif m == "\u0306":
                letter = "ă"
            elif m == "\u0302":
                letter = {"a": "â", "e": "ê", "o": "ô"}.get(base, base)
            elif m == "\u031b":
                letter = {"o": "ơ", "u": "ư"}.get(base, base)
        if ch == "đ":
            letter = "đ"
        code = _LETTER_CODE.get(letter)
        if code is None:
            if letter.isdigit():
                code = f"0{letter}"
            else:
                continue
        codes.append(code)
        tones.append(tone)
    return "".join(codes), "".join(tones)


def sort_key(value: str, given_name_first: bool = False) -> str:
    """A digits-only key that sorts in Vietnamese dictionary order under any collation.

    With given_name_first, "Nguyễn Văn Đức" sorts by "Đức", then "Nguyễn", then
    "Văn": the order of Vietnamese member registers. Digits only, so PostgreSQL's
    locale collation and SQLite's byte order agree.
    """
    words = [w for w in fold_keep_marks(value).split(" ") if w]
    if given_name_first and len(words) > 1:
        words = [words[-1], words[0], *words[1:-1]]
    # Per word: letter codes, a "00" separator (below every letter code, so "An"
    # sorts before "Anh"), then the tones, compared only when the letters tie.
    key = []
    for w in words:
        letters, tones = _letters_and_tones(w)
        key.append(letters + "00" + tones)
    return "".join(key)[:250]


def fold_keep_marks(value: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def given_name(full_name: str) -> str:
    parts = normalize_name(full_name).split(" ")
    return parts[-1] if parts else ""


def vn_date(value) -> str:
    """A date as Vietnamese messages write it, dd/mm/yyyy, whatever the active language."""
    return value.strftime("%d/%m/%Y")
