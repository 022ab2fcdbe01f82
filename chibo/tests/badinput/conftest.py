"""The corpus's tally: each case's outcome, for the summary figures (test_zz_summary.py)."""

import pytest

CORPUS_FILES = (
    "test_forms.py",
    "test_api.py",
    "test_imports.py",
    "test_identity.py",
    "test_exports.py",
    "test_get.py",
)
TALLY: dict[str, str] = {}  # nodeid → "passed" / "server_error" / "partial_write" / "failed"


def _kind_of_failure(report) -> str:
    text = str(report.longrepr)
    if "wrote {" in text:
        return "partial_write"
    if "status_code < 500" in text or "Internal Server Error" in text or "status_code=500" in text:
        return "server_error"
    return "failed"


def pytest_runtest_logreport(report):
    if not any(f"badinput/{f}::" in report.nodeid for f in CORPUS_FILES):
        return
    if report.when == "call" or (report.when == "setup" and report.failed):
        TALLY[report.nodeid] = "passed" if report.passed else _kind_of_failure(report)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The summary reads the tally: it runs after every case, whatever the order plugins chose."""
    last = [i for i in items if "badinput/test_zz_summary.py" in i.nodeid]
    items[:] = [i for i in items if i not in last] + last
