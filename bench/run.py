"""`make bench`: timings on the generated province data set (never part of `make test`).

Generates the province once per seed into bench/data/ (SQLite, and PostgreSQL when
127.0.0.1:5432 answers), then times the hot paths of the foundation: subtree member
counts (province and one commune), member search, the member list page and the tree.
Prints a table of medians and writes bench/results.json.

    make bench                       # both databases when PostgreSQL is up
    BENCH_DATABASES=sqlite make bench
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
SEED = int(os.environ.get("BENCH_SEED", "1"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "25"))
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def database_urls():
    wanted = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    urls = {}
    if "sqlite" in wanted:
        urls["sqlite"] = f"sqlite:///{DATA / f'province-seed{SEED}.sqlite3'}"
    if "postgresql" in wanted and _pg_up():
        urls["postgresql"] = f"{PG_BASE}/chibo_bench_seed{SEED}"
    return urls


def _pg_up() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


def prepare(url: str):
    """Migrate and seed (seed_demo is idempotent: an existing data set is reused)."""
    DATA.mkdir(parents=True, exist_ok=True)
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        subprocess.run(
            [
                "psql",
                "-q",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-c",
                f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'",
            ],
            check=False,
            capture_output=True,
        )
    env = {**os.environ, "DATABASE_URL": url}
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [py, "manage.py", "seed_demo", "--scale", "province", "--seed", str(SEED)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def measure(fn, repeat=REPEAT):
    fn()  # warm caches, as a running server would have them
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def run_benchmarks(db: str):
    """Runs in a child process whose DATABASE_URL points at the data set."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    django.setup()
    from django.db import connection
    from django.test import Client

    from accounts.access import Scope
    from accounts.models import User
    from members.models import Member
    from members.selectors import filter_members
    from organizations.models import Organization, OrgKind, subtree_q
    from organizations.selectors import member_counts

    province = Organization.objects.get(code=f"DEMO-PROVINCE-{SEED}")
    commune = (
        Organization.objects.filter(province=province, kind=OrgKind.GRASSROOTS_COMMITTEE, depth=2)
        .order_by("path")
        .first()
    )
    staff = User.objects.get(username="tinh.tochuc")
    scope = Scope.for_user(staff)
    client = Client()
    client.force_login(staff)

    def search():
        qs = filter_members(scope, {"q": "nguyen van"}).select_related("person", "organization")
        return qs.count(), list(qs[:50])

    cases = [
        # name, function, goal in ms (None: no goal set yet), what the goal is
        (
            "subtree_orgs_province",
            lambda: list(
                Organization.objects.filter(subtree_q(province.path)).values_list("pk", flat=True)
            ),
            5.0,
            "P5",
        ),
        (
            "subtree_orgs_commune",
            lambda: list(
                Organization.objects.filter(subtree_q(commune.path)).values_list("pk", flat=True)
            ),
            5.0,
            "P5",
        ),
        (
            "member_count_province",
            lambda: (
                Member.objects.active().filter(subtree_q(province.path, "organization__")).count()
            ),
            None,
            "",
        ),
        (
            "member_count_commune",
            lambda: (
                Member.objects.active().filter(subtree_q(commune.path, "organization__")).count()
            ),
            5.0,
            "P5",
        ),
        ("member_counts_by_status_province", lambda: member_counts([province]), None, ""),
        ("member_counts_by_status_commune", lambda: member_counts([commune]), None, ""),
        ("member_search_nguyen_van", search, None, ""),
        ("page_member_list", lambda: client.get("/members/"), 100.0, "P6 (single user)"),
        (
            "page_member_search",
            lambda: client.get("/members/?q=nguyen+van+duc"),
            100.0,
            "P6 (single user)",
        ),
        (
            "page_tree_province_children",
            lambda: client.get(f"/org/{province.uuid}/children/"),
            None,
            "",
        ),
        (
            "page_tree_commune_children",
            lambda: client.get(f"/org/{commune.uuid}/children/"),
            None,
            "",
        ),
    ]
    results = []
    for name, fn, goal, goal_name in cases:
        median, p95 = measure(fn)
        results.append(
            {
                "name": name,
                "database": db,
                "median_ms": round(median, 2),
                "p95_ms": round(p95, 2),
                "goal_ms": goal,
                "goal": goal_name or None,
                "pass": None if goal is None else median <= goal,
                "members": Member.objects.count() if name == "member_count_province" else None,
            }
        )
    print(json.dumps({"database": db, "vendor": connection.vendor, "results": results}))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        run_benchmarks(sys.argv[2])
        return
    all_results = []
    for db, url in database_urls().items():
        print(f"Preparing the province data set on {db} (seed {SEED})…", flush=True)
        prepare(url)
        out = subprocess.run(
            [sys.executable, "-m", "bench.run", "--child", db],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": url,
                "DEBUG": "false",
                "ALLOWED_HOSTS": "testserver,127.0.0.1",
            },
            check=True,
            capture_output=True,
            text=True,
        )
        all_results += json.loads(out.stdout.strip().splitlines()[-1])["results"]
    machine = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "system": platform.platform(),
        "seed": SEED,
        "repeat": REPEAT,
        "date": time.strftime("%Y-%m-%d"),
    }
    (ROOT / "bench" / "results.json").write_text(
        json.dumps({"machine": machine, "results": all_results}, indent=2, ensure_ascii=False)
        + "\n"
    )
    print(f"\n{'benchmark':38} {'db':11} {'median ms':>10} {'p95 ms':>9} {'goal':>7}  pass")
    for r in all_results:
        goal = f"{r['goal_ms']:.0f}" if r["goal_ms"] else "–"
        ok = "–" if r["pass"] is None else ("yes" if r["pass"] else "NO")
        print(
            f"{r['name']:38} {r['database']:11} {r['median_ms']:10.2f} {r['p95_ms']:9.2f} {goal:>7}  {ok}"
        )
    print(
        f"\n{machine['cpus']} CPUs, Python {machine['python']}, {machine['system']}; results in bench/results.json"
    )


if __name__ == "__main__":
    main()
