"""`manage.py security_report`: reads the tests' JUnit report into the S1–S13 table."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from audit.management.commands.security_report import GOALS, read_junit, tally

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="chibo.tests.test_deploy" file="chibo/tests/test_deploy.py"
  name="test_check_deploy_has_no_warning_in_production">
  <properties><property name="S1.deploy_issues" value="0"/></properties>
</testcase>
<testcase classname="accounts.tests.test_security" file="accounts/tests/test_security.py"
  name="test_five_failures_lock_the_username_on_that_ip_only">
  <properties><property name="S5.lockout_after_failures" value="5"/></properties>
</testcase>
<testcase classname="accounts.tests.test_security" file="accounts/tests/test_security.py"
  name="test_a_totp_code_is_accepted_once"><failure message="boom">x</failure></testcase>
<testcase classname="chibo.tests.test_pg_restart" file="chibo/tests/test_pg_restart.py"
  name="test_restart"><skipped message="PostgreSQL binaries are missing">x</skipped></testcase>
<testcase classname="chibo.tests.badinput.test_corpus" file="chibo/tests/badinput/test_corpus.py"
  name="test_case[member-name-nul]"/>
<testcase classname="chibo.tests.badinput.test_corpus" file="chibo/tests/badinput/test_corpus.py"
  name="test_case[member-name-sql]"/>
</testsuite></testsuites>
"""


@pytest.fixture
def junit(tmp_path) -> Path:
    path = tmp_path / "junit.xml"
    path.write_text(JUNIT)
    return path


def test_cases_are_counted_under_their_goals_with_their_figures(junit):
    out = tally(GOALS, read_junit(junit))
    assert (out["S1"].passed, out["S1"].figures) == (1, {"deploy_issues": "0"})
    assert out["S4"].passed == 2 and out["S4"].verdict == "PASS"
    assert out["S5"].figures == {"lockout_after_failures": "5"} and out["S5"].holds
    assert out["S6"].failed == 1 and out["S6"].verdict == "FAIL"
    assert out["S10"].verdict == "NOT RUN"
    assert out["S10"].skip_reasons == {"PostgreSQL binaries are missing"}


def test_the_table_says_what_holds_and_the_exit_status_is_1_when_a_goal_fails(
    junit, tmp_path, capsys
):
    with pytest.raises(SystemExit) as stop:
        call_command("security_report", from_junit=str(junit), json_path=str(tmp_path / "o.json"))
    assert stop.value.code == 1
    table = capsys.readouterr().out
    assert "lockout_after_failures=5" in table and "PostgreSQL binaries are missing" in table
    assert "3 of 13 goals hold." in table
    rows = {r["goal"]: r for r in json.loads((tmp_path / "o.json").read_text())}
    assert rows["S6"]["verdict"] == "FAIL" and rows["S1"]["figures"] == {"deploy_issues": "0"}


def test_a_chosen_goal_that_holds_exits_normally(junit, capsys):
    call_command("security_report", from_junit=str(junit), goals="s1, S5")
    assert "2 of 2 goals hold." in capsys.readouterr().out


def test_an_unknown_goal_is_a_clear_error(junit):
    with pytest.raises(CommandError, match="Unknown goal"):
        call_command("security_report", from_junit=str(junit), goals="S14")


def test_every_goal_names_tests_that_exist():
    """A renamed test file would silently drop a goal's figures."""
    root = Path(settings.BASE_DIR)
    assert [g.key for g in GOALS] == [f"S{i}" for i in range(1, 14)]
    missing = [s.path for g in GOALS for s in g.sources if not (root / s.path).exists()]
    assert missing == []
