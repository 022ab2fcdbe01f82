"""Rebuild the per-(cell, month) summary table from the data (reports.summary.rebuild)."""

import time

from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization, OrgKind
from reports import summary


class Command(BaseCommand):
    help = "Rebuild the monthly cell summaries the reports read, for every province or one."

    def add_arguments(self, parser):
        parser.add_argument("--province", help="code of the province (default: every province)")
        parser.add_argument("--year", type=int, help="only this year's months")

    def handle(self, *args, province=None, year=None, **options):
        provinces = Organization.objects.filter(kind=OrgKind.PROVINCE, depth=1)
        if province:
            provinces = provinces.filter(code=province)
            if not provinces.exists():
                raise CommandError(f"No province with the code {province!r}.")
        started = time.perf_counter()
        total = 0
        for p in provinces.order_by("path"):
            result = summary.rebuild(p, year=year)
            total += result.rows
            self.stdout.write(
                f"{p.code} {p.name}: {result.rows} rows, {result.months} months, "
                f"{result.seconds:.2f} s"
            )
        self.stdout.write(f"{total} rows in {time.perf_counter() - started:.2f} s")
