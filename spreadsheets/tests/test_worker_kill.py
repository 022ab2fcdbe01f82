"""Goal S9: the worker killed mid-job, again and again, loses nothing and doubles nothing.

The real thing: `manage.py run_worker` processes (django-tasks-db's DatabaseBackend, as
in production) on a copy of the test database (an SQLite file, or a PostgreSQL database
test_chibo_kill_<pid>), SIGKILLed at seeded random points of the jobs (while reading,
checking, writing the rows in their transaction, writing an export, or while the worker
starts and recovers), and restarted: 20 times, each a new process forked from one that
imported Django once (see KillDB.forked_worker), then a last worker started cold from the
command line that runs what is left. Then every job must have ended, each member of a
succeeded import exist once and those of a failed one not at all, and the database pass
its integrity checks. The recovery rules themselves are tested below it, inline.
"""

import contextlib
import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from members.models import Member, Membership, Person
from spreadsheets import tasks, worker
from spreadsheets.models import Job, JobKind, JobStatus
from spreadsheets.tests.conftest import label, member_file, member_row

SEED = 9
KILLS = 20
IMPORTS = 7  # member imports of ROWS rows each
ROWS = 1500
SEED_ROWS = 3000  # members imported before any worker runs, for the exports to write
EXPORT_AT = (2, 5)  # places of the two member exports in the queue
PYTHON = sys.executable
BASE_DIR = Path(settings.BASE_DIR)

# Phases the job page shows (the jobs run in English), in order.
READING, CHECKING, WRITING = "Reading the file", "Checking the rows", "Writing to the database"
IMPORT_PHASES = [READING, CHECKING, WRITING]


def rows_of(j: int, count: int = ROWS) -> list[dict]:
    """The file of import j: new members of K1 and K2, keys of their own (7x0000 + i)."""
    rows = []
    for i in range(count):
        n = 700000 + j * 10000 + i
        left = i % 10 == 3
        rows.append(
            member_row(
                cell_code="K1" if i % 2 else "K2",
                full_name=f"Nguyễn Văn Thử {n}",
                dossier_no=f"{n:06d}TN",
                card_no=f"{70000000 + j * 10000 + i}",
                citizen_id=f"001090{n:06d}",
                phone=f"09{n:08d}",
                start_date=dt.date(2016, 3, 2) + dt.timedelta(days=i % 300),
                status=label("status", "left" if left else "official"),
                left_reason=label("left_reason", "death") if left else "",
                status_date="01/01/2025" if left else "",
            )
        )
    return rows


# ---- the database the worker subprocesses share with this test ----------------------


class KillDB:
    """A copy of the test database (schema and test world), reached by the workers through
    DATABASE_URL and by this test through a plain DB-API connection."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.vendor = connection.vendor
        self.media = tmp_path / "media"
        self.logs = tmp_path / "logs"
        self.logs.mkdir()
        self.conn = None
        self.zygote = None
        self.started = []  # every worker process, to kill those still alive at the end
        if self.vendor == "sqlite":
            self.path = tmp_path / "kill.sqlite3"
            connection.ensure_connection()
            # (The backup API would wait forever on the in-memory database this test's
            # transaction holds; a dump reads it through that same connection.)
            target = sqlite3.connect(self.path)
            target.executescript("\n".join(connection.connection.iterdump()))
            target.close()
            self.url = f"sqlite:///{self.path}"  # sqlite:////tmp/... (an absolute path)
        elif self.vendor == "postgresql":
            self.name = f"test_chibo_kill_{os.getpid()}"
            s = connection.settings_dict
            self.params = {
                "host": s["HOST"] or None,
                "port": s["PORT"] or None,
                "user": s["USER"] or None,
                "password": s["PASSWORD"] or None,
            }
            # A copy of the test database, schema and world (this test's own connection
            # stays inside its transaction: pg_dump reads what the world committed).
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                admin.execute(f'CREATE DATABASE "{self.name}"')
            pg_env = {**os.environ, "PGPASSWORD": s["PASSWORD"] or ""}
            where = ["-h", s["HOST"] or "localhost", "-p", str(s["PORT"] or 5432)]
            where += ["-U", s["USER"] or "postgres"]
            dump = subprocess.run(
                ["pg_dump", "--no-owner", "--no-privileges", *where, "-d", s["NAME"]],
                capture_output=True,
                env=pg_env,
                check=True,
            )
            subprocess.run(
                ["psql", "-q", "-v", "ON_ERROR_STOP=1", *where, "-d", self.name],
                input=dump.stdout,
                capture_output=True,
                env=pg_env,
                check=True,
            )
            auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
            self.url = (
                f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{self.name}"
            )
        else:
            pytest.skip(f"the kill test knows SQLite and PostgreSQL, not {self.vendor}")
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("REPLICA_DATABASE_URL", "DB_POOL")},
            "DATABASE_URL": self.url,
            "CHIBO_TESTING": "false",  # the production task backend, not the inline one
            "CHIBO_ENV": "development",
            "DEBUG": "false",
            "MEDIA_ROOT": str(self.media),
            "LOG_LEVEL": "WARNING",
        }

    def _admin(self):
        import psycopg

        return psycopg.connect(dbname="postgres", autocommit=True, **self.params)

    def connect(self):
        if self.vendor == "sqlite":
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        else:
            import psycopg

            self.conn = psycopg.connect(dbname=self.name, autocommit=True, **self.params)

    def rows(self, sql: str, params=()) -> list[tuple]:
        if self.vendor == "postgresql":
            sql = sql.replace("?", "%s")
        cur = self.conn.cursor()
        cur.execute(sql, params)
        return list(cur.fetchall())

    def value(self, sql: str, params=()):
        return self.rows(sql, params)[0][0]

    def close(self):
        for proc in self.started:  # a worker left alive by a failed assertion
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
        if self.zygote is not None:
            self.zygote.stdin.close()
            self.zygote.wait(timeout=30)
            self.zygote.stdout.close()
        if self.conn is not None:
            self.conn.close()
        if self.vendor == "postgresql":
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def django(self, code: str, *args: str):
        """Run `code` in a Django process on this database; the JSON it prints last."""
        prelude = (
            "import django, json, os, sys\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chibo.settings')\n"
            "django.setup()\n"
        )
        out = subprocess.run(
            [PYTHON, "-c", prelude + code, *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        return json.loads(out.stdout.strip().splitlines()[-1])

    def worker(self, n: int, *extra: str) -> subprocess.Popen:
        """A worker as production starts it: `manage.py run_worker`, a new process."""
        with (self.logs / f"worker-{n:02d}.log").open("w") as log:
            self.started.append(
                subprocess.Popen(
                    [PYTHON, "manage.py", "run_worker", *WORKER_ARGS, *extra],
                    cwd=BASE_DIR,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        return self.started[-1]

    def forked_worker(self, n: int) -> "Forked":
        """The same command in a new process forked from one that has imported Django once
        (a cold start costs 2 s of imports, 20 restarts 40 s): `manage.py run_worker` from
        its command line on, recovery and all, in a process of its own to SIGKILL."""
        if self.zygote is None:
            self.zygote = subprocess.Popen(
                [PYTHON, "-c", ZYGOTE],
                cwd=BASE_DIR,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        self.zygote.stdin.write(f"{self.logs / f'worker-{n:02d}.log'}\n")
        self.zygote.stdin.flush()
        self.started.append(Forked(int(self.zygote.stdout.readline())))
        return self.started[-1]


# The worker's options in the test: no autoreload, no random start delay, a short poll.
WORKER_ARGS = ["--no-reload", "--no-startup-delay", "--interval", "0.05"]

ZYGOTE = f"""
import os, signal, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
import django
django.setup()  # (opens no database connection: nothing is shared with the children)
from django.core.management import execute_from_command_line
import spreadsheets.management.commands.run_worker
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the killed children
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        fd = os.open(line.strip(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        try:
            execute_from_command_line(["manage.py", "run_worker", *{WORKER_ARGS!r}])
        finally:
            os._exit(1)
    print(pid, flush=True)
"""


class Forked:
    """A forked worker, by pid (the zygote is its parent, and reaps it)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None

    def poll(self):
        stat = worker._proc_stat(self.pid)
        if stat is None or stat[0] in ("Z", "X"):
            self.returncode = "exited"
            return self.returncode
        return None

    def send_signal(self, sig):
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, sig)

    def wait(self):
        deadline = time.monotonic() + 10
        while self.poll() is None:
            assert time.monotonic() < deadline, f"worker {self.pid} did not die"
            time.sleep(0.005)


SETUP_JOBS = """
from django.core.files import File
from accounts.models import User
from chibo.testing import build_world
from organizations.models import Organization
from spreadsheets import tasks
from spreadsheets.models import Job, JobKind

if not Organization.objects.filter(code="P1").exists():
    build_world()  # a transactional test before this one flushed the world away
user = User.objects.get(username="staff_p1")
p1 = Organization.objects.get(code="P1")
ids = []
for item in json.loads(sys.argv[1]):
    if item["kind"] in ("import", "seed"):
        job = Job(kind=JobKind.IMPORT_MEMBERS, user=user, province=p1, params={"language": "en"})
        with open(item["path"], "rb") as fh:
            job.source.save("kill.xlsx", File(fh), save=False)
        job.original_name = "kill.xlsx"
        job.save()
        if item["kind"] == "seed":  # members for the exports to write: run here, unkilled
            assert tasks.run_job.call(job.pk) == "succeeded"
            ids.append(job.pk)
            continue
    else:
        job = Job.objects.create(
            kind=JobKind.EXPORT_MEMBERS,
            user=user,
            province=p1,
            params={"language": "en", "org": None, "filters": {}},
        )
    tasks.start(job)  # a task row of django-tasks-db: no worker runs yet
    ids.append(job.pk)
print(json.dumps(ids))
"""


@pytest.fixture
def kill_db(db, tmp_path):
    if not Path("/proc/self/stat").exists() or not hasattr(os, "fork"):
        pytest.skip("the kill test forks workers and watches them through Linux's /proc")
    copy = KillDB(tmp_path)
    try:
        yield copy
    finally:
        copy.close()


def _running(db: KillDB, proc: subprocess.Popen):
    """(job, phase, attempts) of what worker `proc` runs (not the job a killed worker left
    RUNNING, until the new worker has recovered it)."""
    return db.rows(
        f"SELECT id, phase, attempts FROM {Job._meta.db_table} "  # noqa: S608
        "WHERE status = ? AND worker LIKE ?",
        (JobStatus.RUNNING.value, f"%:{proc.pid}:%"),
    )


def _unfinished(db: KillDB) -> int:
    return db.value(
        f"SELECT COUNT(*) FROM {Job._meta.db_table} WHERE status IN (?, ?)",  # noqa: S608
        (JobStatus.QUEUED.value, JobStatus.RUNNING.value),
    )


def _kill_plan(rng: random.Random) -> list[tuple[str, float]]:
    """(where, delay) of each kill: mostly inside an import's phases, the write most, and a
    few while the worker starts and recovers."""
    plan = []
    for _ in range(KILLS):
        where = rng.choices(["startup", READING, CHECKING, WRITING], weights=[2, 4, 5, 9])[0]
        # (A phase of an import of ROWS rows lasts a few tenths of a second.)
        delay = rng.uniform(0.0, 0.4) if where == "startup" else rng.uniform(0.0, 0.15)
        plan.append((where, delay))
    return plan


def _kill_at(db: KillDB, proc, jobs: dict, budget: dict, where: str, delay: float):
    """Wait for the kill point, SIGKILL the worker and reap it.

    A job whose run is beyond its budget of kills is let run to its end (so that some jobs
    are run again to success and some closed after MAX_ATTEMPTS runs). Returns
    (kind or "startup" or "idle", phase seen, the job or None)."""
    if where == "startup":
        time.sleep(delay)
        seen = _running(db, proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return ("startup", seen[0][1] if seen else "", seen[0][0] if seen else None)
    deadline = time.monotonic() + 60
    seen = None
    while seen is None and time.monotonic() < deadline:
        running = _running(db, proc)
        if running:
            pk, phase, attempts = running[0]
            if attempts > budget[pk]:
                pass  # spared: let it finish
            elif jobs[pk] != "import":
                seen = (jobs[pk], phase, pk)  # an export: a random moment after it starts
            elif phase in IMPORT_PHASES and IMPORT_PHASES.index(phase) >= IMPORT_PHASES.index(
                where
            ):
                seen = ("import", phase, pk)
        elif not _unfinished(db) and time.monotonic() > deadline - 59:
            seen = ("idle", "", None)  # nothing left to run: kill the idle worker
        if proc.poll() is not None:
            raise AssertionError(f"the worker exited by itself ({proc.returncode})")
        time.sleep(0.02)
    assert seen is not None, "no job reached its kill point within a minute"
    time.sleep(delay / 3 if seen[0] == "export" else delay)  # an export is shorter
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return seen


def test_killing_the_worker_20_times_loses_and_doubles_nothing(kill_db, record_property):
    db = kill_db
    started = time.monotonic()
    spec = [{"kind": "seed", "path": str(db.tmp / "seed.xlsx")}]
    (db.tmp / "seed.xlsx").write_bytes(member_file(rows_of(IMPORTS, SEED_ROWS)))
    imports = {0: IMPORTS}  # place in spec → j of rows_of
    for j in range(IMPORTS):
        path = db.tmp / f"import-{j}.xlsx"
        path.write_bytes(member_file(rows_of(j)))
        imports[len(spec)] = j
        spec.append({"kind": "import", "path": str(path)})
        if len(spec) - 1 in EXPORT_AT:
            spec.append({"kind": "export"})
    ids = db.django(SETUP_JOBS, json.dumps(spec))
    jobs = {pk: item["kind"] for pk, item in zip(ids, spec, strict=True)}
    import_of = {ids[i]: j for i, j in imports.items()}
    # Kills each job may take: two imports MAX_ATTEMPTS (closed as failed), the others
    # fewer (run again to success). Kills go round the queue (a job run again goes to its
    # end), so the budgets add up to about the kills, the failing ones' last kills last.
    rng = random.Random(SEED)
    budgets = [tasks.MAX_ATTEMPTS] * 2 + [2] * 2 + [1] * (IMPORTS - 4)
    rng.shuffle(budgets)
    budget = {pk: 2 for pk, kind in jobs.items() if kind == "export"}
    budget.update(zip([pk for pk, kind in jobs.items() if kind == "import"], budgets, strict=True))
    budget[ids[0]] = 0  # the seed import ran before any worker
    db.connect()
    times = {"setup": time.monotonic() - started}

    kills = []
    for n, (where, delay) in enumerate(_kill_plan(rng)):
        proc = db.forked_worker(n)
        kills.append(_kill_at(db, proc, jobs, budget, where, delay))
        # What the kill interrupted: a job still RUNNING (its work lost), or one that
        # finished in the moment between the last look and the kill.
        pk = kills[-1][2]
        if pk is not None:
            still = db.value(
                f"SELECT status FROM {Job._meta.db_table} WHERE id = ?",  # noqa: S608
                (pk,),
            )
            kills[-1] = (*kills[-1][:2], "interrupted" if still == "running" else "finished")
    # Restarted once more: it recovers, runs what is left and exits when the queue is empty.
    times["kills"] = time.monotonic() - started - times["setup"]
    final = db.worker(KILLS, "--batch")
    assert final.wait(timeout=180) == 0, (db.logs / f"worker-{KILLS:02d}.log").read_text()[-3000:]
    times["final"] = time.monotonic() - started - times["setup"] - times["kills"]

    job_table, member_table = Job._meta.db_table, Member._meta.db_table
    person_table, ms_table = Person._meta.db_table, Membership._meta.db_table
    hist_person = Person.history.model._meta.db_table
    status = dict(
        db.rows(f"SELECT id, status FROM {job_table}")  # noqa: S608
    )
    attempts = dict(db.rows(f"SELECT id, attempts FROM {job_table}"))  # noqa: S608
    phases = dict(db.rows(f"SELECT id, phase FROM {job_table}"))  # noqa: S608
    left = [pk for pk in jobs if status[pk] not in (JobStatus.SUCCEEDED, JobStatus.FAILED)]
    tasks_left = db.value(
        f"SELECT COUNT(*) FROM {DBTaskResult._meta.db_table} WHERE status IN (?, ?)",  # noqa: S608
        (TaskResultStatus.READY.value, TaskResultStatus.RUNNING.value),
    )

    # Each import's members: all of them exactly once if it succeeded, none if it failed.
    duplicates = 0
    wrong = []
    for pk, j in import_of.items():
        count = SEED_ROWS if j == IMPORTS else ROWS
        lo, hi = f"{700000 + j * 10000:06d}TN", f"{700000 + j * 10000 + count - 1:06d}TN"
        members, dossiers, cards = db.rows(
            f"SELECT COUNT(*), COUNT(DISTINCT dossier_no), COUNT(DISTINCT card_no) "  # noqa: S608
            f"FROM {member_table} WHERE dossier_no BETWEEN ? AND ?",
            (lo, hi),
        )[0]
        clo = f"001090{700000 + j * 10000:06d}"
        chi = f"001090{700000 + j * 10000 + count - 1:06d}"
        people, cids, no_member = db.rows(
            f"SELECT COUNT(*), COUNT(DISTINCT p.citizen_id), "  # noqa: S608
            f"SUM(CASE WHEN m.id IS NULL THEN 1 ELSE 0 END) FROM {person_table} p "
            f"LEFT JOIN {member_table} m ON m.person_id = p.id WHERE p.citizen_id BETWEEN ? AND ?",
            (clo, chi),
        )[0]
        periods = db.value(
            f"SELECT COUNT(DISTINCT ms.member_id) FROM {ms_table} ms "  # noqa: S608
            f"JOIN {member_table} m ON m.id = ms.member_id WHERE m.dossier_no BETWEEN ? AND ?",
            (lo, hi),
        )
        created = db.value(
            f"SELECT COUNT(*) FROM {hist_person} "  # noqa: S608
            f"WHERE history_type = '+' AND citizen_id BETWEEN ? AND ?",
            (clo, chi),
        )
        duplicates += (members - dossiers) + (members - cards) + (people - cids) + (no_member or 0)
        duplicates += max(created - people, 0)  # a "+" history record of a rolled-back row
        expected = count if status[pk] == JobStatus.SUCCEEDED else 0
        if (members, people, periods, created) != (expected,) * 4:
            wrong.append((pk, status[pk], attempts[pk], members, people, periods, created))
    # The whole province: no natural key twice.
    for table, key in ((member_table, "dossier_no"), (member_table, "card_no")):
        duplicates += db.value(
            f"SELECT COUNT(*) FROM (SELECT province_id, {key} FROM {table} "  # noqa: S608
            f"WHERE {key} <> '' GROUP BY province_id, {key} HAVING COUNT(*) > 1) d"
        )
    duplicates += db.value(
        f"SELECT COUNT(*) FROM (SELECT province_id, citizen_id FROM {person_table} "  # noqa: S608
        f"WHERE citizen_id <> '' GROUP BY province_id, citizen_id HAVING COUNT(*) > 1) d"
    )
    integrity = _integrity(db)

    interrupted = [k for k in kills if k[2] == "interrupted"]
    in_write = sum(1 for k in interrupted if k[:2] == ("import", WRITING))
    in_export = sum(1 for k in interrupted if k[0] == "export")
    resumed = sum(1 for pk in jobs if status[pk] == JobStatus.SUCCEEDED and attempts[pk] > 1)
    rolled_back = sum(
        1 for pk in jobs if status[pk] == JobStatus.FAILED and "stopped several times" in phases[pk]
    )
    elapsed = time.monotonic() - started
    print(
        f"\nS9 on {db.vendor}: {len(kills)} kills, {elapsed:.0f} s "
        f"({', '.join(f'{k} {v:.0f} s' for k, v in times.items())}); where: {kills}; "
        f"jobs: {[(pk, jobs[pk], status[pk], attempts[pk]) for pk in jobs]}"
    )
    record_property("S9.kills", len(kills))
    record_property("S9.duplicates", duplicates)
    record_property("S9.jobs_left_running", len(left) + tasks_left)
    record_property("S9.integrity", integrity)
    record_property("S9.resumed", resumed)
    record_property("S9.rolled_back", rolled_back)
    record_property("S9.kills_interrupting", len(interrupted))
    record_property("S9.kills_in_write", in_write)
    record_property("S9.kills_in_export", in_export)

    assert len(kills) == KILLS
    assert not left and not tasks_left, (left, tasks_left)
    assert duplicates == 0
    assert not wrong, wrong
    assert integrity == "ok"
    # Every job failed only for its worker stopping MAX_ATTEMPTS times, not for an error.
    for pk in jobs:
        if status[pk] == JobStatus.FAILED:
            assert "stopped several times" in phases[pk], phases[pk]
            assert attempts[pk] == tasks.MAX_ATTEMPTS
    # The kills did hit jobs, imports in their write transaction and exports among them,
    # and both recoveries happened: run again to success, and closed after MAX_ATTEMPTS.
    assert len(interrupted) >= KILLS // 2, kills
    assert in_write >= 3 and in_export >= 2, kills
    assert resumed >= 1 and rolled_back >= 1, (resumed, rolled_back)


def _integrity(db: KillDB) -> str:
    if db.vendor == "sqlite":
        check = db.rows("PRAGMA integrity_check")
        if check != [("ok",)]:
            return f"integrity_check: {check[:5]}"
        orphans = db.rows("PRAGMA foreign_key_check")
        return "ok" if not orphans else f"foreign_key_check: {orphans[:5]}"
    # PostgreSQL: every single-column foreign key holds (an anti-join per constraint), and
    # no index was left invalid.
    problems = []
    fks = db.rows(
        "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, af.attname "
        "FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] "
        "WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1"
    )
    assert fks, "no foreign keys found"
    for child, col, parent, pcol in fks:
        bad = db.value(
            f'SELECT COUNT(*) FROM {child} ch WHERE ch."{col}" IS NOT NULL AND NOT EXISTS '  # noqa: S608
            f'(SELECT 1 FROM {parent} p WHERE p."{pcol}" = ch."{col}")'
        )
        if bad:
            problems.append(f"{child}.{col}: {bad}")
    invalid = db.value("SELECT COUNT(*) FROM pg_index WHERE NOT indisvalid")
    if invalid:
        problems.append(f"{invalid} invalid indexes")
    return "ok" if not problems else "; ".join(problems)


# ---- the rules, inline ---------------------------------------------------------------


@pytest.fixture
def dead_pid():
    """The pid of a process that ran and was reaped."""
    proc = subprocess.Popen([PYTHON, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_process_identity_tells_a_live_worker_from_a_dead_or_reused_one(dead_pid):
    me = worker.identity()
    host, pid, start = worker.parse(me)
    assert (host, pid) == (worker.host(), os.getpid())
    assert worker.is_gone(me) is False
    assert worker.is_gone(f"{host}:{dead_pid}:{start}") is True
    if start:  # with /proc: the same pid with another start time is another process
        assert worker.is_gone(f"{host}:{pid}:{int(start) + 1}") is True
    assert worker.is_gone(f"another-host:{pid}:{start}") is None
    assert worker.is_gone("") is None and len(me) <= 64


def test_a_zombie_worker_counts_as_gone():
    proc = subprocess.Popen([PYTHON, "-c", "pass"])
    try:
        deadline = time.monotonic() + 10
        while worker._proc_stat(proc.pid) and worker._proc_stat(proc.pid)[0] != "Z":
            if time.monotonic() > deadline or not Path("/proc").exists():
                pytest.skip("no /proc to see the zombie state in")
            time.sleep(0.01)
        assert worker.process_alive(proc.pid) is False
    finally:
        proc.wait()


def _running_job(world, dead_ident: str, **fields) -> Job:
    job = Job.objects.create(
        kind=JobKind.EXPORT_MEMBERS,
        user=world.user("staff_p1"),
        status=JobStatus.RUNNING,
        params={"language": "en", "org": None, "filters": {}},
        worker=dead_ident,
        lease="00000000-0000-0000-0000-000000000001",
        attempts=1,
        heartbeat_at=timezone.now(),
        **fields,
    )
    job.task_row = DBTaskResult.objects.create(
        args_kwargs={"args": [job.pk], "kwargs": {}},
        task_path=tasks.RUN_JOB_PATH,
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        status=TaskResultStatus.RUNNING,
        worker_ids=[dead_ident],
    )
    return job


def test_a_restarted_worker_runs_again_the_job_of_a_dead_one(world, dead_pid):
    job = _running_job(world, f"{worker.host()}:{dead_pid}:")
    counts = tasks.recover_jobs()  # the tests' inline backend runs the new task at once
    job.refresh_from_db()
    assert counts == {"requeued": 1, "failed": 0, "tasks_closed": 1, "queued": 0}
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2 and job.result
    lost = DBTaskResult.objects.get(pk=job.task_row.pk)
    assert lost.status == TaskResultStatus.FAILED and "WorkerLost" in lost.exception_class_path


def test_after_max_attempts_the_job_is_closed_as_failed(world, dead_pid):
    job = _running_job(world, f"{worker.host()}:{dead_pid}:")
    Job.objects.filter(pk=job.pk).update(attempts=tasks.MAX_ATTEMPTS)
    assert tasks.recover_jobs()["failed"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "stopped several times" in job.phase
    assert job.finished_at is not None


def test_a_live_worker_keeps_its_job_and_another_hosts_only_after_its_silence(world):
    mine = _running_job(world, worker.identity())
    elsewhere = _running_job(world, "another-host:4242:77")
    assert tasks.recover_jobs() == {"requeued": 0, "failed": 0, "tasks_closed": 0, "queued": 0}
    Job.objects.filter(pk=elsewhere.pk).update(
        heartbeat_at=timezone.now() - tasks.STALE_AFTER - dt.timedelta(minutes=1)
    )
    assert tasks.recover_jobs()["requeued"] == 1
    mine.refresh_from_db()
    elsewhere.refresh_from_db()
    assert mine.status == JobStatus.RUNNING
    assert elsewhere.status == JobStatus.SUCCEEDED and elsewhere.attempts == 2


def test_a_queued_job_whose_task_row_was_lost_is_queued_again(world):
    job = Job.objects.create(
        kind=JobKind.EXPORT_MEMBERS,
        user=world.user("staff_p1"),
        params={"language": "en", "org": None, "filters": {}},
    )
    assert tasks.recover_jobs()["queued"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_a_run_that_lost_its_job_cannot_commit_its_rows(world, monkeypatch):
    """A run presumed dead, whose job a recovery gave to another run (committed by another
    connection, so the lease check in the write transaction fails), keeps none of its rows."""
    from django.core.files.base import ContentFile

    rows = rows_of(9)[:30]
    job = Job(kind=JobKind.IMPORT_MEMBERS, user=world.user("staff_p1"), province=world.org("P1"))
    job.source.save("tep.xlsx", ContentFile(member_file(rows)), save=False)
    job.save()
    checked = []

    def lost(self):
        checked.append(Person.objects.filter(citizen_id=rows[0]["citizen_id"]).exists())
        return False

    monkeypatch.setattr(Job, "holds_lease", lost)
    people = Person.objects.count()
    assert tasks.run_job.call(job.pk) == "superseded"
    assert checked == [True]  # checked inside the write transaction, the rows written
    assert Person.objects.count() == people  # then rolled back with it
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and not job.summary  # left to the other run


def test_a_worker_stopping_mid_job_gives_the_job_back(world, monkeypatch):
    def stop(job, scope):
        raise KeyboardInterrupt

    monkeypatch.setitem(tasks.HANDLERS, JobKind.EXPORT_MEMBERS, stop)
    job = Job.objects.create(kind=JobKind.EXPORT_MEMBERS, user=world.user("staff_p1"))
    queued = []
    # (Task is a frozen dataclass: its class is patched, for run_job, the only task.)
    monkeypatch.setattr(type(tasks.run_job), "enqueue", lambda task, pk: queued.append(pk))
    with pytest.raises(KeyboardInterrupt):
        tasks.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 1 and queued == [job.pk]
