"""manage.py restore PATH: replace the whole database by a backup (docs/operations.md,
"Restoring")."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backups import engine


class Command(BaseCommand):
    help = (
        "Replace the WHOLE database by a backup made with `manage.py backup` (SQLite: checked "
        "and copied in; PostgreSQL: pg_restore --clean --if-exists in one transaction)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args, path, database="default", interactive=True, **options):
        name = settings.DATABASES[database]["NAME"]
        if interactive:
            answer = input(
                f"This replaces every row of the database {name} by the content of {path}.\n"
                "Type 'yes' to continue: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            counts = engine.restore(path, database)
        except engine.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"Restored {path} into {name}: {len(counts)} tables, {sum(counts.values()):,} rows."
        )
