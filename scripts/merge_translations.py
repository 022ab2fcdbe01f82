"""Fill locale/vi/LC_MESSAGES/django.po from the reviewed fragments in locale/fragments/*.po.

A small PO reader/writer (no third-party package): entries are keyed by
(msgctxt, msgid); plural entries get one form, as Vietnamese has one
(nplurals=1). Prints the entries still untranslated.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def parse(text: str):
    """Yield entries as dicts: comments (list), ctx, id, plural, strs (dict index→str)."""
    entries, cur, field = [], None, None

    def flush():
        if cur is not None and cur.get("id") is not None:
            entries.append(cur)

    for line in text.splitlines():
        if not line.strip():
            flush()
            cur, field = None, None
            continue
        if cur is None:
            cur = {"comments": [], "ctx": None, "id": None, "plural": None, "strs": {}}
        if line.startswith("#"):
            cur["comments"].append(line)
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if field[0] == "strs":
                cur["strs"][field[1]] += value
            else:
                cur[field] += value
            continue
        key, _sep, rest = line.partition(" ")
        value = ast.literal_eval(rest)
        if key == "msgctxt":
            cur["ctx"], field = value, "ctx"
        elif key == "msgid":
            cur["id"], field = value, "id"
        elif key == "msgid_plural":
            cur["plural"], field = value, "plural"
        elif key == "msgstr":
            cur["strs"][0], field = value, ("strs", 0)
        elif key.startswith("msgstr["):
            n = int(key[7:-1])
            cur["strs"][n], field = value, ("strs", n)
    flush()
    return entries


def quote(s: str) -> str:
    return (
        '"'
        + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        + '"'
    )


def render(entries) -> str:
    out = []
    for e in entries:
        lines = list(e["comments"])
        if e["ctx"] is not None:
            lines.append(f"msgctxt {quote(e['ctx'])}")
        lines.append(f"msgid {quote(e['id'])}")
        if e["plural"] is not None:
            lines.append(f"msgid_plural {quote(e['plural'])}")
            lines.append(f"msgstr[0] {quote(e['strs'].get(0, ''))}")
        else:
            lines.append(f"msgstr {quote(e['strs'].get(0, ''))}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def main():
    known = {}
    for frag in sorted((ROOT / "locale" / "fragments").glob("*.po")):
        for e in parse(frag.read_text(encoding="utf-8")):
            if e["id"] and e["strs"].get(0):
                known.setdefault((e["ctx"], e["id"]), e["strs"][0])
    entries = parse(PO.read_text(encoding="utf-8"))
    missing = []
    for e in entries:
        if e["id"] == "":
            header = e["strs"][0]
            header = header.replace("Language: \\n", "Language: vi\\n").replace(
                "Language: \n", "Language: vi\n"
            )
            e["strs"][0] = header
            e["comments"] = [c for c in e["comments"] if c != "#, fuzzy"]
            continue
        e["comments"] = [c for c in e["comments"] if c != "#, fuzzy"]
        tr = known.get((e["ctx"], e["id"]))
        if tr:
            e["strs"] = {0: tr}
        else:
            missing.append((e["ctx"], e["id"], [c for c in e["comments"] if c.startswith("#:")]))
    PO.write_text(render(entries), encoding="utf-8")
    for ctx, msgid, refs in missing:
        print(f"UNTRANSLATED {msgid!r} {('[' + ctx + ']') if ctx else ''} {' '.join(refs)}")
    print(f"{len(entries) - 1} entries, {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
