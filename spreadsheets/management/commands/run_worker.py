"""`manage.py run_worker`: the background worker for imports and exports.

django-tasks-db's `db_worker`, with the same options, which first recovers the jobs of
workers that died (killed, out of memory, the machine restarted): their RUNNING jobs are
run again from the start or closed as FAILED after a few runs, and their task rows are
closed (spreadsheets.tasks.recover_jobs; docs/excel.md, "When the worker stops mid-job").
Its worker id is the process's identity (host:pid:start), which the task rows record.
"""

import os

from django.db.utils import OperationalError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from spreadsheets import tasks, worker


class Command(db_worker.Command):
    help = (
        "Run the background worker (imports, exports), after recovering the jobs of "
        "workers that stopped mid-job."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # A restarted worker tells from this id whether the worker of a task row is gone.
        parser.set_defaults(worker_id=worker.identity())

    def handle(self, *args, **options):
        reloading = options["reload"] and not options["batch"]
        # With --reload the tasks run in a child process (this command again): it recovers.
        if not reloading or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            self.recover()
        super().handle(*args, **options)

    def recover(self):
        try:
            tasks.recover_jobs()  # logs what it recovered
        except OperationalError as e:
            # A database busy for long (another worker's big import on SQLite) must not
            # keep the worker from starting; the next start recovers.
            db_worker.logger.warning("Could not recover stopped jobs now: %s", e)
