"""`manage.py security_report`: the table of security goals S1–S13 as measured now.

Each goal is backed by tests (docs/security-report.md lists them). The command runs those
tests in a child pytest with a JUnit report, then prints, per goal: what the goal asks, what
was measured this run (the figures the tests record with pytest's `record_property`, named
"S4.cases", "S10.lost_writes", …, and the number of cases run), and whether it holds. The
figures are never copied from an earlier run: a goal whose tests did not run says so.

    manage.py security_report                # every goal (15,820 tests; most are the S2 matrix)
    manage.py security_report --goals S5,S13 # some goals
    manage.py security_report --json out.json

The database is the one the tests use: SQLite by default, PostgreSQL with DATABASE_URL.
The exit status is 1 when a goal does not hold, so CI can run it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET  # noqa: S405 - parses the report our own child pytest wrote
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


@dataclass(frozen=True)
class Source:
    """Tests of a goal: a file or folder, optionally only the tests whose name matches."""

    path: str
    names: str | None = None  # a regular expression on the test function's name

    def covers(self, file: str, name: str) -> bool:
        if not (file == self.path or file.startswith(self.path.rstrip("/") + "/")):
            return False
        return self.names is None or re.search(self.names, name) is not None


@dataclass(frozen=True)
class Goal:
    key: str
    target: str
    sources: tuple[Source, ...]


SECURITY = "accounts/tests/test_security.py"
GOALS = (
    Goal(
        "S1",
        "check --deploy clean with production settings; refuses to start without them",
        (Source("chibo/tests/test_deploy.py"),),
    ),
    Goal(
        "S2",
        "Authorization matrix: every role × scope × endpoint × method; out of scope → 404",
        (
            Source("accounts/tests/test_authorization_matrix.py"),
            Source("accounts/tests/test_api_authorization_matrix.py"),
            Source("accounts/tests/test_access.py"),
        ),
    ),
    Goal(
        "S3",
        "API fuzzing (schemathesis) as two roles: 0 server errors, 0 schema violations, "
        "0 cross-scope successes",
        (Source("api/tests/test_schemathesis.py"),),
    ),
    Goal(
        "S4",
        "Bad-input corpus ≥ 300 cases: 0 server errors, 0 partial imports; bombs rejected",
        (
            Source("chibo/tests/badinput"),
            Source("spreadsheets/tests/test_templates_and_uploads.py"),
        ),
    ),
    Goal(
        "S5",
        "Lockout after ≤ 5 failures per (username, IP); no user enumeration",
        (Source(SECURITY, r"lock|unknown|hasher|wrong_confirmations"),),
    ),
    Goal(
        "S6",
        "TOTP for every role above member; codes single-use; backup codes hashed",
        (
            Source(
                SECURITY, r"totp|backup|device|second_factor|second_step|code|enrol|plain_member"
            ),
        ),
    ),
    Goal(
        "S7",
        "New session key at login; idle and absolute timeouts; disabled users signed out",
        (
            Source(SECURITY, r"session|timeout|deactivat|leaving|transferred|anonymous|password"),
            Source("chibo/tests/test_deploy.py", r"hardened"),
        ),
    ),
    Goal(
        "S8",
        "Audit trail of logins, refusals, views, exports and changes; append-only",
        (
            Source("audit/tests/test_logging.py"),
            Source("audit/tests/test_record_reads.py"),
            Source("audit/tests/test_append_only.py"),
            Source("audit/tests/test_views.py"),
        ),
    ),
    Goal(
        "S9",
        "Import worker killed 20 times: 0 duplicates, jobs resume or roll back, integrity ok",
        (Source("spreadsheets/tests/test_worker_kill.py"),),
    ),
    Goal(
        "S10",
        "PostgreSQL restarted under load: clean 503, recovery, 0 acknowledged writes lost",
        (Source("chibo/tests/test_pg_restart.py"), Source("chibo/tests/test_unavailable.py")),
    ),
    Goal(
        "S11",
        "Backup and restore round-trip (SQLite and PostgreSQL), same reports",
        (Source("backups/tests"),),
    ),
    Goal(
        "S12",
        "Data-subject export: everything stored about a person and its access log",
        (Source("audit/tests/test_subject.py"),),
    ),
    Goal(
        "S13",
        "CSP with nonces, no inline script; no-store on personal pages; no personal data in URLs",
        (
            Source("chibo/tests/test_security_headers.py"),
            Source("chibo/tests/test_csp_report.py"),
            Source("e2e/test_csp.py"),
        ),
    ),
)


@dataclass
class Outcome:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    skip_reasons: set[str] = field(default_factory=set)
    figures: dict[str, str] = field(default_factory=dict)

    @property
    def holds(self) -> bool:
        return self.failed == 0 and self.passed > 0

    @property
    def verdict(self) -> str:
        if self.failed:
            return "FAIL"
        if not self.passed:
            return "NOT RUN"
        return "PASS"


def read_junit(path: Path) -> list[dict]:
    """Test cases of a JUnit (xunit1) report: file, name, outcome, skip reason, properties."""
    cases = []
    for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314 - our own file
        file = case.get("file") or (case.get("classname") or "").replace(".", "/") + ".py"
        outcome, reason = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed"
            elif child.tag == "skipped" and outcome != "failed":
                outcome, reason = "skipped", child.get("message") or ""
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        cases.append(
            {"file": file, "name": case.get("name") or "", "outcome": outcome, "reason": reason}
            | {"properties": props}
        )
    return cases


def tally(goals, cases) -> dict[str, Outcome]:
    out = {g.key: Outcome() for g in goals}
    for c in cases:
        base = c["name"].split("[", 1)[0]
        for g in goals:
            if any(s.covers(c["file"], base) for s in g.sources) or any(
                k.startswith(g.key + ".") for k in c["properties"]
            ):
                o = out[g.key]
                setattr(o, c["outcome"], getattr(o, c["outcome"]) + 1)
                if c["reason"]:
                    o.skip_reasons.add(c["reason"])
                for k, v in c["properties"].items():
                    if k.startswith(g.key + "."):
                        o.figures[k.split(".", 1)[1]] = v
    return out


class Command(BaseCommand):
    help = "Run the tests behind goals S1–S13 and print the figures measured now."

    def add_arguments(self, parser):
        parser.add_argument("--goals", default="", help="Comma-separated goals, e.g. S4,S9.")
        parser.add_argument("--json", dest="json_path", default="", help="Also write JSON here.")
        parser.add_argument(
            "--from-junit",
            default="",
            help="Read an existing JUnit (xunit1) report instead of running the tests.",
        )

    def handle(self, *args, goals="", json_path="", from_junit="", **options):
        chosen = self.chosen(goals)
        if from_junit:
            cases = read_junit(Path(from_junit))
        else:
            cases = self.run_tests(chosen)
        outcomes = tally(chosen, cases)
        self.print_table(chosen, outcomes)
        if json_path:
            rows = [
                {
                    "goal": g.key,
                    "target": g.target,
                    "passed": outcomes[g.key].passed,
                    "failed": outcomes[g.key].failed,
                    "skipped": outcomes[g.key].skipped,
                    "figures": outcomes[g.key].figures,
                    "verdict": outcomes[g.key].verdict,
                }
                for g in chosen
            ]
            Path(json_path).write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        if not all(outcomes[g.key].holds for g in chosen):
            sys.exit(1)

    def chosen(self, goals: str) -> tuple[Goal, ...]:
        if not goals:
            return GOALS
        keys = {k.strip().upper() for k in goals.split(",") if k.strip()}
        unknown = keys - {g.key for g in GOALS}
        if unknown:
            raise CommandError(f"Unknown goal(s): {', '.join(sorted(unknown))} (S1–S13).")
        return tuple(g for g in GOALS if g.key in keys)

    def run_tests(self, goals) -> list[dict]:
        root = Path(settings.BASE_DIR)
        paths = sorted({s.path for g in goals for s in g.sources if (root / s.path).exists()})
        if not paths:
            return []
        with tempfile.TemporaryDirectory(prefix="chibo-security-") as tmp:
            report = Path(tmp) / "junit.xml"
            cmd = [
                sys.executable,
                "-m",
                "pytest",
                *paths,
                "-q",
                "-p",
                "no:cacheprovider",
                f"--junitxml={report}",
                "-o",
                "junit_family=xunit1",
            ]
            self.stderr.write("Running: " + " ".join(cmd[3:]))
            # The child's progress goes to our stderr; the table alone to stdout.
            subprocess.run(cmd, cwd=root, stdout=sys.stderr, check=False)  # noqa: S603
            if not report.exists():
                raise CommandError("pytest did not write its report; see the output above.")
            return read_junit(report)

    def print_table(self, goals, outcomes):
        rows = []
        for g in goals:
            o = outcomes[g.key]
            figures = [f"{k}={v}" for k, v in sorted(o.figures.items())]
            cases = f"{o.passed} passed"
            if o.failed:
                cases += f", {o.failed} failed"
            if o.skipped:
                cases += f", {o.skipped} skipped"
            rows.append((g.key, g.target, "; ".join(figures) or "—", cases, o.verdict))
            for reason in sorted(o.skip_reasons):
                rows.append(("", f"  skipped: {reason}"[:150], "", "", ""))
        self.stdout.write(render_table(("Goal", "Target", "Measured now", "Tests", "Result"), rows))
        held = sum(outcomes[g.key].holds for g in goals)
        self.stdout.write(f"\n{held} of {len(goals)} goals hold.")


def render_table(header, rows, widths=(4, 60, 60, 28, 7)) -> str:
    """A plain-text table; long cells wrap inside their column."""

    def wrap(text, width):
        text = str(text)
        lines = []
        while len(text) > width:
            cut = text.rfind(" ", 0, width)
            cut = cut if cut > 0 else width
            lines.append(text[:cut])
            text = text[cut:].lstrip()
        return [*lines, text]

    def line(cells):
        wrapped = [wrap(c, w) for c, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        return "\n".join(
            " | ".join(
                (w[i] if i < len(w) else "").ljust(width)
                for w, width in zip(wrapped, widths, strict=True)
            ).rstrip()
            for i in range(height)
        )

    sep = "-+-".join("-" * w for w in widths)
    return "\n".join([line(header), sep, *(line(r) for r in rows)])
