import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from demo import generator
from demo.structure import SCALES


class Command(BaseCommand):
    help = gettext_lazy(
        "Load a fictional demo province with its organizations, villages, members and one "
        "login per role. The same scale and seed always give the same data; a second run "
        "only prints the logins. The seed data is bulk-inserted, so no change-history rows "
        "are written for it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=SCALES,
            default="small",
            help=gettext_lazy("small: two communes (for tests); province: about 35,000 members."),
        )
        parser.add_argument("--seed", type=int, default=1, help=gettext_lazy("Random seed."))
        parser.add_argument(
            "--reset",
            action="store_true",
            help=gettext_lazy(
                "Delete this demo province (its whole subtree) and the demo users first."
            ),
        )

    def handle(self, *args, scale, seed, reset, **options):
        # Management commands run untranslated by default; the demo speaks the UI language.
        with translation.override(settings.LANGUAGE_CODE):
            started = time.monotonic()
            result = generator.seed(scale, seed, reset=reset)
            if result.created:
                # Bulk loads leave the planner's statistics stale; refresh them once.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            elapsed = time.monotonic() - started
            p = result.province
            if result.created:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("Loaded %(name)s (code %(code)s) in %(seconds).1f s.")
                        % {"name": p.name, "code": p.code, "seconds": elapsed}
                    )
                )
            else:
                self.stdout.write(
                    _("%(name)s (code %(code)s) is already loaded; --reset rebuilds it.")
                    % {"name": p.name, "code": p.code}
                )
            c = result.counts
            self.stdout.write(
                _(
                    "%(grassroots)s grassroots organizations, %(cells)s cells, %(villages)s "
                    "villages, %(active)s active members (%(members)s records, %(periods)s "
                    "membership periods)."
                )
                % {
                    "grassroots": c["grassroots"],
                    "cells": c["cells"],
                    "villages": c["villages"],
                    "active": c["active_members"],
                    "members": c["members"],
                    "periods": c["memberships"],
                }
            )
            self.stdout.write(
                _(
                    "%(meetings)s meetings of 2025 with %(attendance)s attendance records; "
                    "%(upcoming)s regular meetings planned in the coming 60 days."
                )
                % {
                    "meetings": c["meetings"],
                    "attendance": c["attendance"],
                    "upcoming": c["upcoming"],
                }
            )
            self.stdout.write(
                _(
                    "%(candidates)s admission candidates (%(admitted)s admitted in 2025); "
                    "%(transfers)s completed transfers and %(open)s in progress; %(liaisons)s "
                    "residence liaisons (%(received)s received, %(comments)s comments for 2025); "
                    "%(decisions)s status decisions, %(cards)s card issues, %(badges)s party "
                    "badges."
                )
                % {
                    "candidates": c["candidates"],
                    "admitted": c["admitted"],
                    "transfers": c["transfers_completed"],
                    "open": c["transfers_open"],
                    "liaisons": c["liaisons"],
                    "received": c["liaisons_received"],
                    "comments": c["comments"],
                    "decisions": c["decisions"],
                    "cards": c["card_events"],
                    "badges": c["badges"],
                }
            )
            for w in result.warnings:
                self.stdout.write(self.style.WARNING(w))
            self._table(result.logins)

    def _table(self, logins):
        header = (_("Role"), _("Username"), _("Password"), _("What they see"))
        rows = [header] + [(x.role, x.username, x.password, x.sees) for x in logins]
        widths = [max(len(str(r[i])) for r in rows) for i in range(3)]
        self.stdout.write("")
        for i, row in enumerate(rows):
            cells = [str(v).ljust(widths[j]) for j, v in enumerate(row[:3])] + [str(row[3])]
            self.stdout.write("  ".join(cells))
            if i == 0:
                self.stdout.write("  ".join("-" * w for w in widths) + "  " + "-" * 20)
