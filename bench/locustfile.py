"""HTTP load on the demo province (goal P6), driven by bench/load.py — not run by `make test`.

Run as a script (`python bench/locustfile.py HOST USERS SECONDS`) it drives locust as a library
for a bounded time and prints the statistics as one JSON line: locust's own `--run-time` ended
runs at once on this machine, so the time is kept here.

Each simulated user logs in as one of the demo accounts and then reads the pages its role
uses every day. The pages are the ones of goal P6 and issue 7: the member list (50 rows),
a meeting page, the home dashboard, and a report. bench/load.py passes the URLs that need
ids (a meeting of the demo cell, the demo commune) through the environment.
"""

import itertools
import json
import os
import re
import sys
import time

import gevent
from locust import HttpUser, between, task
from locust.env import Environment

PASSWORD = os.environ.get("LOAD_PASSWORD", "chibo-demo-2026")
MEETING = os.environ["LOAD_MEETING_URL"]
COMMUNE = os.environ["LOAD_COMMUNE_UUID"]
LOGINS = itertools.cycle(["xa.tochuc", "tinh.tochuc", "bithu", "xa.tochuc", "phobithu"])
SECRETARIES = ("bithu", "phobithu")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class DailyUser(HttpUser):
    # Think time between pages: people read a page before opening the next.
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.username = next(LOGINS)
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"login of {self.username} failed: {response.status_code}")

    @task(4)
    def member_list(self):
        self.client.get("/members/", name="member list")

    @task(2)
    def dashboard(self):
        self.client.get("/", name="home dashboard")

    @task(2)
    def meeting(self):
        with self.client.get(MEETING, name="meeting page", catch_response=True) as r:
            # A secretary of another cell may not see it: a 404 here is the rule, not a failure.
            if r.status_code == 404:
                r.success()

    @task(1)
    def report(self):
        # A secretary sees their own cell's report; the staff see the demo commune's.
        org = "" if self.username in SECRETARIES else f"org={COMMUNE}&"
        self.client.get(
            f"/reports/meetings/?{org}from=01/01/2025&to=31/12/2025",
            name="meetings report (year)",
        )


def run(host: str, users: int, seconds: float) -> dict:
    env = Environment(user_classes=[DailyUser], host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    started = time.monotonic()
    gevent.sleep(seconds)
    runner.quit()
    elapsed = time.monotonic() - started
    pages = []
    for (name, _method), e in sorted(env.stats.entries.items()):
        pages.append(
            {
                "page": name,
                "requests": e.num_requests,
                "errors": e.num_failures,
                "p50_ms": e.get_response_time_percentile(0.5),
                "p95_ms": e.get_response_time_percentile(0.95),
                "rps": round(e.num_requests / elapsed, 1),
            }
        )
    errors = [f"{v.method} {v.name}: {v.error} ×{v.occurrences}" for v in env.stats.errors.values()]
    return {"pages": pages, "errors": errors, "seconds": round(elapsed, 1)}


if __name__ == "__main__":
    host, users, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    print(json.dumps(run(host, users, seconds)))
