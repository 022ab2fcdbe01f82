"""Goal S10, for real: PostgreSQL restarted under load.

A private PostgreSQL cluster (initdb in a temporary directory, a free port; never the shared
server), the test world loaded into it, and two gunicorns in front of it, as in production
(DEBUG off, the second factor on, sessions made in the database): one with psycopg's pool
(DB_POOL), one with persistent connections (DB_CONN_MAX_AGE). Client threads read (member list,
meeting page, home page, the API) and write (a guest added to a meeting, each with a marker of
its own) while PostgreSQL is restarted three ways: `pg_ctl restart -m fast`, a stop of a few
seconds then a start, and `pg_ctl restart -m immediate` (a crash, with WAL recovery).

It checks that while the database is away the answer is the 503 page (JSON for the API) with
Retry-After, never a 500 and never a long wait; that both gunicorns answer again by themselves
within seconds of PostgreSQL accepting connections; and that every write acknowledged with a
redirect is in the database afterwards (and none of those answered 503 is).

The figures go to the security report (record_property "S10.*"). The test brings its own
cluster, so it runs in the SQLite run of the suite (`make test`); it is skipped in the
PostgreSQL run, which would only repeat it. 45–60 seconds on the 2-core machine (about 20 of
them the load itself, the rest starting the cluster and the two gunicorns).
"""

import contextlib
import glob
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SECRET = "s10-" + "x" * 60  # the loader signs the sessions, gunicorn checks them
CSRF = "S10csrfTokenS10csrfTokenS10csrfT"  # 32 characters: the cookie and the form field
CLIENTS = 8
USER = "secretary_k1"
# The longest wait the settings allow is the pool's (DB_POOL_TIMEOUT, 5 s; a refused connection
# fails at once, one that does not answer after DB_CONNECT_TIMEOUT, 3 s); plus slack for a
# 2-core machine shared with the load, both gunicorns, PostgreSQL and other work.
MAX_LATENCY_S = 10.0
RECOVERY_LIMIT_S = 15.0
STEADY_S = 3.0  # after each restart's recovery, before the next
WARMUP_S = 4.0  # the load before the first restart (the workers' first requests are slow)


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if not found:
        return None
    bindir = Path(found[-1]).parent
    return bindir if all((bindir / n).exists() for n in ("pg_ctl", "createdb")) else None


def _version(path: str) -> int:
    try:
        return int(Path(path).parent.parent.name)
    except ValueError:
        return 0


def _free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


# ---- the private cluster ---------------------------------------------------------------------


class Cluster:
    def __init__(self, bindir: Path, base: Path):
        self.bindir = bindir
        self.base = base
        self.data = base / "data"
        self.port = _free_port(55433)
        self.as_postgres = os.geteuid() == 0  # initdb refuses root: run the binaries as postgres

    def run(self, name, *args, check=True, timeout=60):
        cmd = [str(self.bindir / name), *args]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=timeout)

    def init(self):
        if self.as_postgres:
            shutil.chown(self.base, "postgres")
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        self.start()
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "chibo")

    @property
    def options(self) -> str:
        # fsync off: a throwaway cluster (an immediate restart still recovers from the WAL,
        # which the OS keeps); the socket in our own directory, not /var/run/postgresql.
        return (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=100"
        )

    def start(self):
        self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.base / "pg.log"), "-w", "-t", "60",
            "-o", self.options, "start",
        )  # fmt: skip

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self, mode):
        self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.base / "pg.log"), "-m", mode, "-w",
            "-t", "60", "-o", self.options, "restart",
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/chibo"


# ---- the application ---------------------------------------------------------------------

LOADER = """
import datetime as dt, json, sys
import django
django.setup()
from django.conf import settings

class NoMigrations(dict):  # the tables straight from the models: seconds, not a minute
    def __contains__(self, item): return True
    def __getitem__(self, item): return None

settings.MIGRATION_MODULES = NoMigrations()
from django.core.management import call_command
call_command("migrate", run_syncdb=True, verbosity=0)

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from accounts.models import ApiToken
from accounts.security import mark_session_verified
from chibo.testing import build_world
from meetings import services
from meetings.models import MeetingKind

world = build_world()
user = world.user(sys.argv[1])
meeting = services.plan_meeting(
    world.org("K1"), kind=MeetingKind.THEMATIC, topic="S10",
    scheduled_at=timezone.now() + dt.timedelta(days=3),
)
sessions = []
for _ in range(int(sys.argv[2])):  # a signed-in browser each, second factor given
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    mark_session_verified(s)
    s.create()
    sessions.append(s.session_key)
_token, raw = ApiToken.issue(user, "s10")
print(json.dumps({"meeting": str(meeting.uuid), "meeting_id": meeting.pk,
                  "sessions": sessions, "token": raw}))
"""


def _env(cluster: Cluster, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DB_", "DATABASE_URL", "REPLICA_", "TEST_DATABASE", "CHIBO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="chibo.settings",
        DATABASE_URL=cluster.url,
        SECRET_KEY=SECRET,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CHIBO_TESTING="false",
        CHIBO_REQUIRE_2FA="true",
        LOG_LEVEL="CRITICAL",  # the expected 503s would fill the test's output
    )
    env.update(extra)
    return env


class Gunicorn:
    def __init__(self, name: str, cluster: Cluster, base: Path, **env):
        self.name = name
        self.port = _free_port(18000 if name == "pool" else 18100)
        self.log = open(base / f"gunicorn-{name}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "chibo.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],  # fmt: skip
            cwd=ROOT,
            env=_env(cluster, **env),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited: {self.proc.returncode}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/accounts/login/")
                if c.getresponse().status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn {self.name} did not answer in {timeout} s")

    def stop(self):
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()


# ---- the load ------------------------------------------------------------------------------


@dataclass
class Result:
    server: str
    kind: str  # read | write | api
    path: str
    t0: float
    t1: float
    status: int  # 0: no HTTP answer (refused, reset, timed out)
    retry_after: str | None = None
    content_type: str = ""
    body: bytes = b""
    marker: str | None = None
    error: str = ""

    @property
    def latency(self) -> float:
        return self.t1 - self.t0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400


@dataclass
class Load:
    servers: list
    app: dict
    results: list = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, i: int):
        server = self.servers[i % len(self.servers)]
        session = self.app["sessions"][i]
        meeting = self.app["meeting"]
        cookie = f"sessionid={session}; csrftoken={CSRF}"
        plan = [
            ("read", "GET", "/members/"),
            ("write", "POST", f"/meetings/{meeting}/guests/"),
            ("read", "GET", f"/meetings/{meeting}/"),
            ("read", "GET", "/"),
            ("write", "POST", f"/meetings/{meeting}/guests/"),
            ("api", "GET", "/api/v1/members"),
        ]
        n = 0
        while not self.stop.is_set():
            kind, method, path = plan[n % len(plan)]
            n += 1
            headers = {"Cookie": cookie, "Connection": "close"}
            body = None
            marker = None
            if kind == "write":
                marker = f"S10-{i}-{n}-{uuid.uuid4().hex[:6]}"
                body = f"name={marker}&title=S10&csrfmiddlewaretoken={CSRF}"
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            if kind == "api":
                headers = {"Authorization": f"Bearer {self.app['token']}", "Connection": "close"}
            self.results.append(self.one(server, kind, method, path, headers, body, marker))
            time.sleep(0.04)

    @staticmethod
    def one(server, kind, method, path, headers, body, marker) -> Result:
        t0 = time.monotonic()
        try:
            c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            c.request(method, path, body=body, headers=headers)
            r = c.getresponse()
            content = r.read()
            c.close()
        except (OSError, http.client.HTTPException) as e:
            return Result(
                server.name, kind, path, t0, time.monotonic(), 0, marker=marker, error=repr(e)
            )
        return Result(
            server.name, kind, path, t0, time.monotonic(), r.status,
            retry_after=r.getheader("Retry-After"), content_type=r.getheader("Content-Type", ""),
            body=content if r.status >= 500 else b"", marker=marker,
        )  # fmt: skip

    def since(self, t: float, server: str) -> list[Result]:
        return [r for r in list(self.results) if r.t0 >= t and r.server == server]


def _wait_recovered(load: Load, t_up: float, limit: float) -> dict[str, float]:
    """Seconds from PostgreSQL accepting connections to each server's first success."""
    deadline = t_up + limit
    found: dict[str, float] = {}
    while time.monotonic() < deadline and len(found) < len(load.servers):
        for s in load.servers:
            if s.name not in found:
                ok = [r.t1 for r in load.since(t_up, s.name) if r.ok]
                if ok:
                    found[s.name] = min(ok) - t_up
        time.sleep(0.05)
    return found


def _accepting(cluster: Cluster, timeout=30.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(psycopg.OperationalError):
            psycopg.connect(
                cluster.url.replace("postgres://", "postgresql://"), connect_timeout=2
            ).close()
            return
        time.sleep(0.05)
    raise RuntimeError("PostgreSQL did not come back")


# ---- the test ------------------------------------------------------------------------------


def test_postgresql_restarts_under_load(record_property):
    if settings.DATABASES["default"]["ENGINE"] != "chibo.sqlite":
        pytest.skip(
            "runs in the SQLite run of the suite (make test): it brings its own PostgreSQL "
            "cluster, so the PostgreSQL run would only repeat it"
        )
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("the PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot run the PostgreSQL binaries")

    base = Path(tempfile.mkdtemp(prefix="chibo-s10-"))
    cluster = Cluster(bindir, base)
    servers: list[Gunicorn] = []
    load = None
    threads = []
    phases = {"begin": time.monotonic()}
    try:
        cluster.init()
        phases["cluster"] = time.monotonic()
        loaded = subprocess.run(
            [sys.executable, "-c", LOADER, USER, str(CLIENTS)],
            cwd=ROOT,
            env=_env(cluster, CHIBO_TESTING="true"),  # fast password hashing for the world
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert loaded.returncode == 0, loaded.stderr[-3000:]
        app = json.loads(loaded.stdout.strip().splitlines()[-1])
        phases["data"] = time.monotonic()

        servers.append(
            Gunicorn("pool", cluster, base, DB_POOL="true", DB_POOL_MIN="2", DB_POOL_MAX="8")
        )
        servers.append(Gunicorn("persistent", cluster, base, DB_CONN_MAX_AGE="60"))
        for s in servers:
            s.wait_ready()
        phases["gunicorn"] = time.monotonic()

        load = Load(servers, app)
        threads = [threading.Thread(target=load.client, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(WARMUP_S)

        # Three restarts: (name, what is done, when PostgreSQL accepted connections again).
        events = []

        def restart(name, action):
            start = time.monotonic()
            action()
            _accepting(cluster)
            up = time.monotonic()
            recovered = _wait_recovered(load, up, RECOVERY_LIMIT_S)
            events.append((name, start, up, recovered))
            time.sleep(STEADY_S)

        def stop_then_start():
            cluster.stop("fast")
            time.sleep(3)  # a visible outage: every request in it must be a quick 503
            cluster.start()

        restart("restart -m fast", lambda: cluster.restart("fast"))
        restart("stop -m fast, 3 s, start", stop_then_start)
        restart("restart -m immediate", lambda: cluster.restart("immediate"))
        load.stop.set()
        for t in threads:
            t.join(60)
        t_end = time.monotonic()

        results = list(load.results)
        import psycopg

        with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as conn:
            stored = {
                row[0]
                for row in conn.execute(
                    "SELECT name FROM meetings_guest WHERE meeting_id = %s", [app["meeting_id"]]
                )
            }
    finally:
        if load is not None:
            load.stop.set()
        for t in threads:
            t.join(60)
        for s in servers:
            s.stop()
        cluster.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)

    # -- what happened
    # The requests that met an outage: those answered after a restart began and sent before
    # PostgreSQL accepted connections again (not the warm-up's first requests, which load the
    # URLs and templates of each gunicorn worker while the others wait for the CPU).
    first_restart = events[0][1]
    in_outage = [
        r
        for r in results
        if r.t0 >= first_restart - 1.0
        and any(r.t1 >= start and r.t0 <= up for _n, start, up, _rec in events)
    ]
    unavailable = [r for r in results if r.status == 503]
    server_errors = [r for r in results if r.status >= 500 and r.status != 503]
    no_answer = [r for r in results if r.status == 0]
    writes = [r for r in results if r.kind == "write"]
    acknowledged = {r.marker for r in writes if r.ok}
    refused = {r.marker for r in writes if r.status == 503}
    lost = acknowledged - stored
    half_done = refused & stored
    recovery = max(
        (secs for *_rest, rec in events for secs in rec.values()), default=RECOVERY_LIMIT_S
    )
    outage_503 = [r for r in unavailable if r.t0 >= first_restart - 1.0]
    max_latency = max((r.latency for r in in_outage + outage_503), default=0.0)

    record_property("S10.requests", len(results))
    record_property("S10.responses_503", len(unavailable))
    record_property("S10.responses_500", len(server_errors) + len(no_answer))
    record_property("S10.max_latency_ms", round(max_latency * 1000))
    record_property("S10.recovery_s", round(recovery, 2))
    record_property("S10.acknowledged_writes", len(acknowledged))
    record_property("S10.lost_writes", len(lost))
    summary = {
        "requests": len(results),
        "503": len(unavailable),
        "other 5xx": len(server_errors),
        "no answer": len(no_answer),
        "max latency in the outages (ms)": round(max_latency * 1000),
        "restarts": [
            (name, round(up - start, 2), {k: round(v, 2) for k, v in rec.items()})
            for name, start, up, rec in events
        ],
        "slowest in the outages": [
            (r.server, r.kind, r.status, round(r.latency, 2), round(r.t0 - results[0].t0, 2))
            for r in sorted(in_outage + outage_503, key=lambda r: r.latency)[-4:]
        ],
        "restart times": [round(start - results[0].t0, 2) for _n, start, _u, _r in events],
        "writes acknowledged": len(acknowledged),
        "writes refused (503)": len(refused),
        "lost": len(lost),
        "503 but stored": len(half_done),
        "seconds of load": round(t_end - results[0].t0, 1) if results else 0,
        "seconds of setup": {
            k: round(v - phases["begin"], 1) for k, v in phases.items() if k != "begin"
        },
    }
    print("S10", json.dumps(summary, ensure_ascii=False))

    # -- what must hold
    assert not server_errors, [(r.path, r.status, r.body[:300]) for r in server_errors[:5]]
    assert not no_answer, [(r.path, r.error) for r in no_answer[:5]]
    assert unavailable, "no request met the outage: the test did not test anything"
    for r in unavailable:
        assert r.retry_after == "60", r
        if r.kind == "api":
            assert r.content_type == "application/json", r
            assert set(json.loads(r.body)) == {"detail"}, r
        else:
            assert r.content_type.startswith("text/html"), r
            assert b"data-unavailable" in r.body, r.body[:500]
            assert "đang tạm thời gián đoạn".encode() in r.body or b"briefly" in r.body
    assert max_latency <= MAX_LATENCY_S, sorted(r.latency for r in in_outage)[-5:]
    for name, _start, _up, rec in events:
        assert set(rec) == {s.name for s in servers}, f"{name}: no success within the limit: {rec}"
    # Steady again after the last restart: every request of the last seconds succeeded.
    last_up = events[-1][2] + max(events[-1][3].values())
    tail = [r for r in results if r.t0 > last_up + 1.0]
    assert tail and all(r.ok for r in tail), [
        (r.server, r.path, r.status) for r in tail if not r.ok
    ]
    assert len(acknowledged) >= 20
    assert not lost, sorted(lost)
    assert not half_done, sorted(half_done)
