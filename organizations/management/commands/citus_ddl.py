from django.core.management.base import BaseCommand

from organizations.citus import citus_ddl, render


class Command(BaseCommand):
    help = "Print the SQL that distributes the database by province on Citus (docs/scaling.md)."

    def handle(self, *args, **options):
        self.stdout.write(render(citus_ddl()), ending="")
