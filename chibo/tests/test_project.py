"""Project-wide checks: migrations, translations, settings."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent.parent


def test_no_migration_is_pending(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_every_migration_has_a_name():
    auto = [p for p in ROOT.glob("*/migrations/0*.py") if re.search(r"_auto_\d", p.name)]
    assert not auto


def test_vietnamese_catalogue_is_complete_and_compiled():
    po = (ROOT / "locale/vi/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if re.search(r'^msgstr(\[0\])? ""\Z', e.strip(), re.M)]
    assert not untranslated, untranslated[:5]
    assert "#, fuzzy" not in po
    mo = ROOT / "locale/vi/LC_MESSAGES/django.mo"
    assert mo.stat().st_mtime >= (ROOT / "locale/vi/LC_MESSAGES/django.po").stat().st_mtime - 5


def test_interface_is_vietnamese_by_default_and_english_on_request(client, world):
    body = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in body and 'lang="vi"' in body
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in to Chibo" in body
    with translation.override("vi"):
        from organizations.models import OrgKind

        assert str(OrgKind.GRASSROOTS_CELL.label) == "Chi bộ cơ sở"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_settings(missing):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "CHIBO_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "chibo.example",
        "DATABASE_URL": "postgres://u@127.0.0.1/db",
    }
    env.pop(missing)
    r = subprocess.run(
        [sys.executable, "-c", "import chibo.settings"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode != 0 and missing in r.stderr


@override_settings(LANGUAGE_CODE="vi")
def test_dates_are_shown_dd_mm_yyyy(client, login, world):
    m = world.member("Nguyễn Văn Đức", "K1")
    body = login("staff_p1").get(f"/members/{m.uuid}/").content.decode()
    assert "02/03/1970" in body
