"""Database triggers refusing UPDATE and DELETE on audit entries (audit/triggers.py)."""

from django.db import migrations

from audit import triggers


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_entry")]

    operations = [migrations.RunPython(triggers.install, triggers.uninstall, elidable=False)]
