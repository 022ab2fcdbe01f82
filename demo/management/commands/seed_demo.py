import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from demo import generator
from demo import ratings as demo_ratings
from demo.structure import SCALES


class Command(BaseCommand):
    help = (
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
            help="small: two communes (for tests); province: about 35,000 members.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete this demo province (its whole subtree) and the demo users first.",
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
            self.stdout.write(
                _(
                    "Review and rating of %(year)s: %(cycles)s reviews, %(reviews)s members "
                    "(%(decided)s decided, %(proposed)s proposed by their cell, %(waiting)s "
                    "waiting, %(excluded)s not rated), %(collectives)s collectives decided."
                )
                % {
                    "year": demo_ratings.YEAR,
                    "cycles": c["review_cycles"],
                    "reviews": c["member_reviews"],
                    "decided": c["reviews_decided"],
                    "proposed": c["reviews_proposed"],
                    "waiting": c["reviews_waiting"],
                    "excluded": c["reviews_excluded"],
                    "collectives": c["collectives_decided"],
                }
            )
            self.stdout.write(
                _(
                    "Meeting quality and oversight: %(scores)s meetings of Q4 scored (%(good)s "
                    "good, %(fair)s fair, %(average)s average, %(weak)s weak; %(confirmed)s "
                    "confirmed by the level above); %(followed)s cells followed by a committee "
                    "member or a working group, %(groups)s working groups, %(pairs)s "
                    "cross-attendance pairs; %(visits)s visits "
                    "reported, %(cancelled)s cancelled; %(inspections)s inspections "
                    "(%(violations)s with violations), %(follow_ups)s follow-up items "
                    "(%(overdue)s overdue on 31/12/2025)."
                )
                % {
                    "scores": c["scores"],
                    "good": c["scores_good"],
                    "fair": c["scores_fair"],
                    "average": c["scores_average"],
                    "weak": c["scores_weak"],
                    "confirmed": c["scores_confirmed"],
                    "followed": c["cells_followed"],
                    "groups": c["working_groups"],
                    "pairs": c["cross_pairs"],
                    "visits": c["visits_reported"],
                    "cancelled": c["visits_cancelled"],
                    "inspections": c["inspections"],
                    "violations": c["inspections_violations"],
                    "follow_ups": c["follow_ups"],
                    "overdue": c["follow_ups_overdue"],
                }
            )
            self.stdout.write(
                _(
                    "Village posts: %(posts)s village heads and Front work-committee heads in "
                    "office (%(members)s of them party members); %(campaigns)s emulation "
                    "campaigns with %(results)s monthly results."
                )
                % {
                    "posts": c["village_posts"],
                    "members": c["village_posts_members"],
                    "campaigns": c["campaigns"],
                    "results": c["campaign_results"],
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
