"""HTTP load test (goal P6): gunicorn on loopback, locust at 10 and 50 users, bounded runs.

    .venv/bin/python -m bench.load            # after `make bench` prepared the data sets
    LOAD_SECONDS=60 LOAD_DATABASES=sqlite .venv/bin/python -m bench.load

For each data set bench/run.py prepared (the demo province on SQLite, and on PostgreSQL when it
answers), it starts gunicorn (2 workers × 4 threads, DEBUG off) on a free loopback port, runs
locust headless with bench/locustfile.py for LOAD_SECONDS at each user count, reads locust's
CSV statistics and prints p50/p95 and errors per page. Results are merged into
bench/results.json under "load". Locust and gunicorn share the machine's cores with the server,
so the figures are an upper bound of what a dedicated server would show.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.run import ROOT, SEED, database_urls

SECONDS = int(os.environ.get("LOAD_SECONDS", "30"))
USERS = [int(n) for n in os.environ.get("LOAD_USERS", "10,50").split(",")]
# Goal P6: the member list's p95 at 10 and at 50 users, in ms.
P6 = {10: 100.0, 50: 300.0}
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def targets(env: dict) -> dict:
    """The ids the locustfile needs: an approved meeting of the demo cell, the demo commune."""
    code = (
        "import json\n"
        "from demo.users import demo_places\n"
        "from meetings.models import Meeting\n"
        "from organizations.models import Organization\n"
        f"p = Organization.objects.get(code='DEMO-PROVINCE-{SEED}')\n"
        "commune, cell, _ = demo_places(p)\n"
        "m = Meeting.objects.filter(organization=cell, status='approved').order_by('-pk').first()\n"
        "print(json.dumps({'meeting': f'/meetings/{m.uuid}/', 'commune': str(commune.uuid)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 -- our own loopback server
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def run_one(db: str, url: str) -> list[dict]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }
    ids = targets(env)
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "chibo.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    results = []
    try:
        wait_until_up(f"http://127.0.0.1:{port}/accounts/login/")
        for users in USERS:
            out = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "locustfile.py"),
                    f"http://127.0.0.1:{port}",
                    str(users),
                    str(SECONDS),
                ],
                env={
                    **os.environ,
                    "LOAD_MEETING_URL": ids["meeting"],
                    "LOAD_COMMUNE_UUID": ids["commune"],
                },
                check=True,
                capture_output=True,
                text=True,
            )
            stats = json.loads(out.stdout.strip().splitlines()[-1])
            for e in stats["errors"]:
                print(f"  {db}, {users} users: {e}", flush=True)
            for row in stats["pages"]:
                if row["page"] in ("login form", "login"):
                    continue
                goal = P6.get(users) if row["page"] == "member list" else None
                results.append(
                    {
                        "name": f"load_{row['page'].split(' (')[0].replace(' ', '_')}_{users}_users",
                        "database": db,
                        "users": users,
                        "seconds": stats["seconds"],
                        **row,
                        "goal": "P6" if goal else None,
                        "goal_ms": goal,
                        "pass": (row["p95_ms"] <= goal and row["errors"] == 0) if goal else None,
                    }
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main():
    wanted = os.environ.get("LOAD_DATABASES")
    urls = database_urls()
    if wanted:
        urls = {k: v for k, v in urls.items() if k in wanted.split(",")}
    results = []
    for db, url in urls.items():
        print(f"Load on {db}: {USERS} users, {SECONDS} s each…", flush=True)
        results += run_one(db, url)
    path = ROOT / "bench" / "results.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data["load"] = {
        "tool": "locust (bench/locustfile.py) against gunicorn 2 workers × 4 threads, loopback",
        "date": time.strftime("%Y-%m-%d"),
        "results": results,
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(
        f"\n{'page':34} {'db':11} {'users':>5} {'requests':>8} {'errors':>6} {'p50 ms':>7}"
        f" {'p95 ms':>7} {'goal':>5}  pass"
    )
    for r in results:
        goal = f"{r['goal_ms']:g}" if r["goal_ms"] else "–"
        ok = "–" if r["pass"] is None else ("yes" if r["pass"] else "NO")
        print(
            f"{r['page']:34} {r['database']:11} {r['users']:5} {r['requests']:8} {r['errors']:6}"
            f" {r['p50_ms']:7.0f} {r['p95_ms']:7.0f} {goal:>5}  {ok}"
        )


if __name__ == "__main__":
    main()
