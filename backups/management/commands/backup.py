"""manage.py backup [--out PATH] [--gzip] [--keep N]: back up the whole database while the
application runs (docs/operations.md, "Backups")."""

from django.core.management.base import BaseCommand, CommandError

from backups import engine


class Command(BaseCommand):
    help = (
        "Back up the whole database: SQLite through the online backup API (checked, optionally "
        "gzipped), PostgreSQL with pg_dump -Fc. Files are named chibo-<db>-<YYYYmmdd-HHMMSS>."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            help="a file, or a directory for a timestamped name (default: CHIBO_BACKUP_DIR, "
            "var/backups)",
        )
        parser.add_argument("--gzip", action="store_true", help="compress (SQLite only)")
        parser.add_argument(
            "--keep", type=int, help="then keep only the newest N timestamped backups there"
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, out=None, gzip=False, keep=None, database="default", **options):
        try:
            path = engine.backup(database, out, compress=gzip, keep=keep)
        except engine.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Backup written: {path} ({path.stat().st_size:,} bytes)")
