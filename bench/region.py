"""`make bench`, region part: the region data set (10 provinces) on PostgreSQL and its goals.

The region is ten demo provinces in one database: `seed_demo --scale province` run once per
province seed (REGION_SEEDS: the bench seed itself, then seed + 1000, + 2000, …), each in its
own process and transaction, so the data is exactly what the generator makes for a province
(tree paths, province keys, summaries), ten times over. The database is named
`chibo_bench_region_s<seed>_<schema hash>` (the hash of every migration file). A finished set
is marked by the database's comment (with its generation times) and reused; a set made before
new migrations is brought forward with `migrate` and renamed (as prepare() reuses the province
set) rather than regenerated, which takes most of an hour on 2 cores; an unfinished one
(generation interrupted) is completed, the provinces already loaded being skipped.
BENCH_REGION_REBUILD=1 drops the set and makes it again.

Then, in a child process on that database (DEBUG off): the region's year report (P3 region: the
province report's code path, `reports.meetings.compute`, at the region's top — the tree has no
organization above the provinces, so the top is the virtual root whose subtree is every
province, the scope of a national administrator), the month roll-up and its hand-written SQL
(P1, P2), and the subtree queries of one organization (P5), whose plans are read with EXPLAIN
and fail the goal on a sequential scan of organizations or members, or a recursive CTE.

    .venv/bin/python -m bench.region        # region only (bench/run.py calls run_region())
    BENCH_REGION=0 make bench               # skip it
    BENCH_REGION_REBUILD=1 make bench       # regenerate it
"""

import hashlib
import json
import os
import subprocess
import sys
import time

from bench.run import PG_BASE, REPEAT, ROOT, SEED, _pg_up, count_queries, measure

PROVINCES = int(os.environ.get("BENCH_REGION_PROVINCES", "10"))
REGION_SEEDS = [SEED + 1000 * i for i in range(PROVINCES)]
DB = "postgresql-region"
DONE = "chibo bench region: complete "
MANAGE = "manage.py"


def _psql(sql: str, db: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", "-X", "-qAt", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def schema_hash() -> str:
    """Short hash of every migration file of the project's apps (their names and contents)."""
    h = hashlib.sha1()  # noqa: S324 -- a cache key, not security
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    h.update(str(PROVINCES).encode())
    return h.hexdigest()[:8]


def database_name() -> str:
    return f"chibo_bench_region_s{SEED}_{schema_hash()}"


def prepare_region() -> tuple[str, dict]:
    """Create, complete, migrate or reuse the region database. Returns its URL and how it was
    made: {"generation_s": seconds of the ten seed_demo runs and the VACUUM, "reused": …}."""
    name = database_name()
    url = f"{PG_BASE}/{name}"
    listed = _psql("SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database")
    comments = {
        db: comment
        for db, comment in (line.split("|", 1) for line in listed.splitlines())
        if db.startswith(f"chibo_bench_region_s{SEED}_")
    }
    env = {**os.environ, "DATABASE_URL": url}
    py = sys.executable

    def migrate() -> bool:
        done = subprocess.run([py, MANAGE, "migrate", "-v0"], cwd=ROOT, env=env, check=False)
        return done.returncode == 0

    if os.environ.get("BENCH_REGION_REBUILD") == "1":
        for other in comments:
            print(f"  dropping {other} (BENCH_REGION_REBUILD=1)", flush=True)
            _psql(f"DROP DATABASE {other}")
        comments = {}
    if name not in comments and comments:
        # A set made before the last migrations: bring it forward (as prepare() does for the
        # province) rather than spend most of an hour regenerating it. A failed migration
        # keeps the data: BENCH_REGION_REBUILD=1 remakes it.
        old = sorted(comments)[-1]
        print(f"  migrating {old} to the current schema ({name})", flush=True)
        _psql(f"ALTER DATABASE {old} RENAME TO {name}")
        comments[name] = comments.pop(old)
        if not migrate():
            sys.exit(f"Migrations failed on {name} (BENCH_REGION_REBUILD=1 remakes it).")
    for other in comments:
        if other != name:  # another set of the same seed: several GB each
            print(f"  dropping {other}", flush=True)
            _psql(f"DROP DATABASE {other}")
    comment = comments.get(name) or ""
    if comment.startswith(DONE):
        return url, json.loads(comment[len(DONE) :]) | {"reused": True}
    if name not in comments:
        _psql(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    t = time.perf_counter()
    if not migrate():
        sys.exit(f"Migrations failed on {name}")
    made = {"provinces": {}}
    for i, seed in enumerate(REGION_SEEDS, 1):
        loaded = "SELECT 1 FROM organizations_organization WHERE depth = 1 AND code = '%s'"
        if _psql(loaded % f"DEMO-PROVINCE-{seed}", name):  # demo.structure.root_code
            continue  # loaded by an earlier, interrupted run
        s = time.perf_counter()
        subprocess.run(
            [py, MANAGE, "seed_demo", "--scale", "province", "--seed", str(seed)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        made["provinces"][seed] = round(time.perf_counter() - s)
        print(
            f"  province {i}/{len(REGION_SEEDS)} (seed {seed}): {made['provinces'][seed]} s",
            flush=True,
        )
    # Bulk loads leave the visibility map unset: without a VACUUM the subtree counts cannot
    # be index-only scans, as they are on a database that autovacuum has caught up with.
    s = time.perf_counter()
    _psql("VACUUM (ANALYZE)", name)
    made["vacuum_s"] = round(time.perf_counter() - s)
    made["generation_s"] = round(time.perf_counter() - t)
    made["complete_in_one_run"] = len(made["provinces"]) == len(REGION_SEEDS)
    _psql(f"COMMENT ON DATABASE {name} IS '{DONE}{json.dumps(made)}'")
    return url, made | {"reused": False}


# ---- measuring (in a child process on the region database) -------------------------------

SCAN_FORBIDDEN = ("organizations_organization", "members_member")


def plan_of(fn) -> dict:
    """EXPLAIN of every query one run of fn issues: its node types (with relation and index),
    and whether it keeps to P5's rule (no sequential scan of organizations or members, no
    recursive CTE, an index used)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    nodes, bad = [], []
    for q in ctx.captured_queries:
        sql = q["sql"]
        if "RECURSIVE" in sql.upper():
            bad.append("recursive CTE")
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cur.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        stack = [plan[0]["Plan"]]
        while stack:
            node = stack.pop()
            kind, rel = node["Node Type"], node.get("Relation Name")
            label = kind + (f" on {rel}" if rel else "")
            if node.get("Index Name"):
                label += f" using {node['Index Name']}"
            nodes.append(label)
            if kind == "Seq Scan" and rel in SCAN_FORBIDDEN:
                bad.append(label)
            if kind in ("Recursive Union", "WorkTable Scan"):
                bad.append(kind)
            stack.extend(reversed(node.get("Plans", [])))
    if not any("Index" in n for n in nodes):
        bad.append("no index used")
    return {"plan": nodes, "plan_ok": not bad, "plan_problems": bad}


def _with_plan(result: dict, fn) -> dict:
    result.update(plan_of(fn))
    if result["goal_ms"] is not None:
        result["pass"] = result["pass"] and result["plan_ok"]
    return result


def run_benchmarks() -> None:
    import datetime as dt

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    django.setup()
    from django.db import connection

    from bench.run import CALENDAR_MONTH, RAW_MONTH_SQL
    from members.models import Member
    from organizations.models import Organization, OrgKind, subtree_q
    from organizations.selectors import member_counts
    from reports import meetings as meeting_report
    from reports import supervision as supervision_report

    province = Organization.objects.get(code=f"DEMO-PROVINCE-{SEED}")
    commune = (
        Organization.objects.filter(province=province, kind=OrgKind.GRASSROOTS_COMMITTEE, depth=2)
        .order_by("path")
        .first()
    )
    # The tree has no organization above the provinces: the region's top is the virtual root
    # whose subtree (the empty path's range) is every province, as a national administrator
    # sees them. reports.meetings.compute takes it as it takes a province: its children are
    # the provinces.
    region = Organization(path="", depth=0, name="Region", kind=OrgKind.PROVINCE)
    provinces = Organization.objects.filter(depth=1).count()
    year, month = CALENDAR_MONTH
    first, last = dt.date(year, month, 1), dt.date(year, month, 31)
    jan, dec = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def raw_month(org):
        def run():
            with connection.cursor() as cur:
                out = []
                for sql in RAW_MONTH_SQL:
                    cur.execute(sql, [org.path + "%", year, month])
                    out.append(cur.fetchall())
                return out

        return run

    # P3 region, P1 and P2 on the region's data.
    results = [
        _case(
            "report_meetings_region_year",
            lambda: meeting_report.compute(region, jan, dec),
            150.0,
            "P3 (region)",
        ),
        _case(
            "report_meetings_region_year_10_calls",
            lambda: [
                meeting_report.compute(p, jan, dec)
                for p in Organization.objects.filter(depth=1).order_by("path")
            ],
        ),
        _case(
            "report_meetings_province_year",
            lambda: meeting_report.compute(province, jan, dec),
            20.0,
            "P3 (province)",
        ),
        _case("report_raw_sql_province_month", raw_month(province)),
        _case(
            "report_meetings_province_month",
            lambda: meeting_report.compute(province, first, last),
            150.0,
            "P1",
        ),
        _case(
            "report_supervision_province_month",
            lambda: supervision_report.compute(province, first, last),
            150.0,
            "P1",
        ),
    ]
    raw, rollup = results[3]["median_ms"], results[4]["median_ms"]
    results.append(_ratio(results[4], "report_meetings_province_month_vs_raw_sql", raw, rollup))
    region_raw = _case("report_raw_sql_region_month", raw_month(region), repeat=5)
    region_month = _case(
        "report_meetings_region_month", lambda: meeting_report.compute(region, first, last)
    )
    results += [
        region_raw,
        region_month,
        _ratio(
            region_month,
            "report_meetings_region_month_vs_raw_sql",
            region_raw["median_ms"],
            region_month["median_ms"],
        ),
    ]
    for r in results:
        if r["name"].startswith("report_meetings_region_year"):
            r["provinces"] = provinces
    # The region's report reads every cell's row: its plan is recorded (whole-table scans are
    # right there), not held to P5's rule, which is about one organization's subtree.
    results[0]["plan"] = plan_of(lambda: meeting_report.compute(region, jan, dec))["plan"]
    # P5: subtree queries of one organization, with their plans.
    p5 = [
        (
            "subtree_orgs_province",
            lambda: list(
                Organization.objects.filter(subtree_q(province.path)).values_list("pk", flat=True)
            ),
            5.0,
        ),
        (
            "subtree_orgs_commune",
            lambda: list(
                Organization.objects.filter(subtree_q(commune.path)).values_list("pk", flat=True)
            ),
            5.0,
        ),
        (
            "member_count_commune",
            lambda: (
                Member.objects.active().filter(subtree_q(commune.path, "organization__")).count()
            ),
            5.0,
        ),
        (
            "member_ids_commune",
            lambda: list(
                Member.objects.filter(subtree_q(commune.path, "organization__")).values_list(
                    "pk", flat=True
                )
            ),
            5.0,
        ),
        ("member_counts_by_status_commune", lambda: member_counts([commune]), 5.0),
        (
            "member_count_province",
            lambda: (
                Member.objects.active().filter(subtree_q(province.path, "organization__")).count()
            ),
            None,
        ),
    ]
    for name, fn, goal in p5:
        results.append(_with_plan(_case(name, fn, goal, "P5" if goal else ""), fn))
    setup = {
        "database": DB,
        "provinces": provinces,
        "province": f"{province.name} ({province.code})",
        "commune": f"{commune.name} ({commune.code})",
        "tables": table_sizes(),
    }
    print(json.dumps({"results": results, "setup": setup}, ensure_ascii=False))


def _case(name, fn, goal=None, goal_name="", repeat=REPEAT) -> dict:
    median, p95 = measure(fn, repeat)
    return {
        "name": name,
        "database": DB,
        "median_ms": round(median, 2),
        "p95_ms": round(p95, 2),
        "queries": count_queries(fn),
        "goal_ms": goal,
        "goal": goal_name or None,
        "pass": None if goal is None else median <= goal,
        "members": None,
    }


def _ratio(rollup: dict, name: str, raw: float, took: float) -> dict:
    return {
        **rollup,
        "name": name,
        "median_ms": round(took / raw, 2) if raw else None,
        "p95_ms": 0.0,
        "queries": 0,
        "goal_ms": 1.5,
        "goal": "P2 (ratio)",
        "pass": bool(raw) and took / raw <= 1.5,
    }


SIZED = [
    "organizations_organization",
    "members_person",
    "members_member",
    "members_membership",
    "meetings_meeting",
    "meetings_attendance",
    "meetings_agendaitem",
    "reports_cellmonth",
    "reports_cellyear",
]


def table_sizes() -> dict:
    """Rows and total size (with indexes and TOAST) of the main tables, and of the database."""
    from django.db import connection

    out = {}
    with connection.cursor() as cur:
        for table in SIZED:
            cur.execute(f"SELECT COUNT(*), pg_total_relation_size('{table}') FROM {table}")  # noqa: S608
            rows, size = cur.fetchone()
            out[table] = {"rows": rows, "mb": round(size / 2**20)}
        cur.execute("SELECT pg_database_size(current_database())")
        out["database"] = {"mb": round(cur.fetchone()[0] / 2**20)}
    return out


# ---- the parent: called from bench/run.py's main() ------------------------------------------


def run_region() -> list[dict]:
    """Prepare the region set and measure it; [] when PostgreSQL does not answer, when
    BENCH_REGION=0, or when BENCH_DATABASES leaves PostgreSQL out."""
    wanted = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    if os.environ.get("BENCH_REGION", "1") == "0" or "postgresql" not in wanted:
        return []
    if not _pg_up():
        print("PostgreSQL does not answer: no region benchmarks.", flush=True)
        return []
    print(f"Preparing the region data set ({PROVINCES} provinces) on PostgreSQL…", flush=True)
    url, made = prepare_region()
    if made["reused"]:
        print(f"  reusing {url.rsplit('/', 1)[1]}; measuring…", flush=True)
    else:
        print(f"  generated in {made['generation_s'] / 60:.1f} min; measuring…", flush=True)
    out = subprocess.run(
        [sys.executable, "-m", "bench.region", "--child"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
        },
        check=False,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.exit(f"The region benchmarks failed:\n{out.stderr}")
    child = json.loads(out.stdout.strip().splitlines()[-1])
    setup = child["setup"]
    setup["generation"] = made
    results = child["results"]
    results.append(
        {
            "name": "region_data_set",
            "database": DB,
            "median_ms": 0.0,
            "p95_ms": 0.0,
            "queries": 0,
            "goal_ms": None,
            "goal": None,
            "pass": None,
            "members": setup["tables"]["members_member"]["rows"],
            "setup": setup,
        }
    )
    for r in results:
        if r.get("plan_ok") is False:
            print(f"  {r['name']}: {', '.join(r['plan_problems'])}", flush=True)
    return results


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        run_benchmarks()
    else:
        for r in run_region():
            print(json.dumps(r, ensure_ascii=False))
