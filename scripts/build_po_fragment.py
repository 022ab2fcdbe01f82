"""Write a PO fragment from a Python dict {msgid: msgstr} ((msgctxt, msgid) keys for contexts).

Used to keep translations as plain reviewable data; `make messages` merges fragments
into locale/vi/LC_MESSAGES/django.po (see scripts/merge_translations.sh).
"""

import importlib.util
import sys


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(src: str, dst: str):
    spec = importlib.util.spec_from_file_location("t", src)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Plural-Forms: nplurals=1; plural=0;\\n"',
        "",
    ]
    for key, value in mod.T.items():
        ctx = None
        if isinstance(key, tuple):
            ctx, key = key
        if ctx:
            lines.append(f"msgctxt {quote(ctx)}")
        if isinstance(value, tuple):  # plural: (msgid_plural, translation)
            plural, tr = value
            lines += [
                f"msgid {quote(key)}",
                f"msgid_plural {quote(plural)}",
                f"msgstr[0] {quote(tr)}",
                "",
            ]
        else:
            lines += [f"msgid {quote(key)}", f"msgstr {quote(value)}", ""]
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
