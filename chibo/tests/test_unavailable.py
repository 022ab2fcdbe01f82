"""Goal S10, the page: a database that does not answer gives a 503 with Retry-After and a light
translated page (JSON for the API), whether the error comes from a view or from a middleware,
and the page itself reads nothing from the database (chibo/unavailable.py).

The real restart of PostgreSQL under load is chibo/tests/test_pg_restart.py.
"""

import sqlite3

import psycopg
import psycopg_pool
import pytest
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.test import Client
from django.urls import get_resolver, path

from accounts.models import ApiToken
from chibo import urls as chibo_urls
from chibo.settings import database_from_url
from chibo.unavailable import RETRY_AFTER_SECONDS, database_unavailable, server_error
from organizations.models import Village

VI_TITLE = "Hệ thống đang tạm thời gián đoạn"
VI_UNSAVED = "Nội dung bạn vừa gửi chưa được lưu."
EN_TITLE = "The system is briefly unavailable"


def _lost(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def _write_then_lose(request):
    # A view writing outside any transaction of its own, then losing the database.
    Village.objects.filter(code="V1").update(name="Half-done write")
    raise OperationalError("server closed the connection unexpectedly")


def _bug(request):
    raise ValueError("a plain bug")


def _fine(request):
    return HttpResponse("ok")


# This module is also the URLconf of the tests marked below: the project's URLs plus a few
# views that fail, and the project's handler500.
urlpatterns = [
    path("boom/", _lost),
    path("boom/write/", _write_then_lose),
    path("boom/bug/", _bug),
    path("api/v1/boom/", _lost),
    path("fine/", _fine),
    *chibo_urls.urlpatterns,
]
handler500 = chibo_urls.handler500

here = pytest.mark.urls(__name__)


@pytest.fixture
def web():
    # The test client re-raises view exceptions by default; a browser gets the response.
    return Client(raise_request_exception=False)


class FailingDatabase:
    """Every query fails as it does while PostgreSQL restarts; counts the attempts."""

    def __init__(self):
        self.attempts = []

    def __call__(self, execute, sql, params, many, context):
        self.attempts.append(sql)
        raise OperationalError("terminating connection due to administrator command")


def assert_unavailable_page(response, *, text=VI_TITLE):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "data-unavailable" in html
    assert text in html
    assert "<script" not in html and "style=" not in html
    return html


def test_the_project_uses_the_503_aware_handler():
    assert get_resolver("chibo.urls").resolve_error_handler(500) is server_error


@here
def test_a_view_losing_the_database_gives_the_vietnamese_503_page(web, db):
    html = assert_unavailable_page(web.get("/boom/"))
    assert "Vui lòng thử lại sau một phút" in html
    assert VI_UNSAVED not in html  # a GET sent nothing to save
    assert 'href="/boom/"' in html  # "Try again" reloads the page


@here
def test_the_page_follows_the_chosen_language(web, db):
    web.cookies["django_language"] = "en"
    response = web.get("/boom/")
    html = assert_unavailable_page(response, text=EN_TITLE)
    assert "try again in a minute" in html
    assert response["Content-Language"] == "en"


@here
def test_a_post_that_got_the_503_says_it_was_not_saved_and_wrote_nothing(web, world):
    response = web.post("/boom/write/", {"name": "x"})
    html = assert_unavailable_page(response)
    assert VI_UNSAVED in html
    assert 'href="/"' in html  # retrying a POST means sending the form again, not a reload
    if connection.vendor == "postgresql":
        # One transaction per write request (DatabaseUnavailableMiddleware): the half-done
        # write is rolled back. SQLite keeps each statement's own commit (see the module).
        assert Village.objects.get(code="V1").name != "Half-done write"


@here
def test_the_api_gets_json(web, db):
    response = web.get("/api/v1/boom/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"] == "application/json"
    assert "Hệ thống đang tạm thời gián đoạn" in response.json()["detail"]


@here
def test_a_bug_stays_a_500(web, db):
    response = web.get("/boom/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_the_database_lost_in_the_middleware_of_a_signed_in_user(client, login):
    """The session and the user are read by the middleware (sessions, authentication, the
    second factor's clocks) before any view: the database fails there, and the page is built
    without trying it again (no user menu, no scope, no messages)."""
    login("secretary_k1")
    client.raise_request_exception = False
    failing = FailingDatabase()
    with connection.execute_wrapper(failing):
        response = client.get("/members/")
    html = assert_unavailable_page(response)
    assert "Đăng xuất" not in html and "Log out" not in html  # no user menu
    assert len(failing.attempts) == 1, failing.attempts  # the session, then nothing more


def test_a_signed_in_post_with_the_database_gone(client, login, world):
    login("secretary_k1")
    client.raise_request_exception = False
    failing = FailingDatabase()
    k1 = world.org("K1")
    with connection.execute_wrapper(failing):
        response = client.post(f"/org/{k1.uuid}/", {"name": "anything"})
    html = assert_unavailable_page(response)
    assert VI_UNSAVED in html
    assert len(failing.attempts) == 1, failing.attempts


def test_an_api_token_with_the_database_gone(world):
    _token, raw = ApiToken.issue(world.user("secretary_k1"), "tests")
    api = Client(headers={"Authorization": f"Bearer {raw}"}, raise_request_exception=False)
    with connection.execute_wrapper(FailingDatabase()):
        response = api.get("/api/v1/members")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert set(response.json()) == {"detail"}


@here
def test_a_working_request_is_untouched(web, db):
    response = web.get("/fine/")
    assert response.status_code == 200
    assert "Retry-After" not in response


@pytest.mark.parametrize(
    "exc, unavailable",
    [
        (OperationalError("Connection refused"), True),
        (InterfaceError("connection already closed"), True),
        (psycopg_pool.PoolTimeout("couldn't get a connection after 5.00 sec"), True),
        (psycopg.OperationalError("the database system is starting up"), True),
        (DatabaseError("integrity"), False),
        (ValueError("bug"), False),
        (None, False),
    ],
)
def test_which_errors_mean_the_database_is_unavailable(exc, unavailable):
    assert database_unavailable(exc) is unavailable


def _wrapped_sqlite(message):
    try:
        try:
            raise sqlite3.OperationalError(message)
        except sqlite3.OperationalError as e:
            raise OperationalError(message) from e
    except OperationalError as e:
        return e


def test_sqlite_schema_mistakes_stay_bugs():
    assert database_unavailable(_wrapped_sqlite("database is locked"))
    assert not database_unavailable(_wrapped_sqlite("no such table: members_member"))


def test_postgresql_connections_fail_fast_and_are_checked(monkeypatch):
    db = database_from_url("postgres://chibo@db.example:5432/chibo")
    assert db["OPTIONS"]["connect_timeout"] == 3
    assert db["CONN_HEALTH_CHECKS"] is True  # also gives the pool its connection check
    db = database_from_url("postgres://chibo@db.example:5432/chibo?connect_timeout=10")
    assert db["OPTIONS"]["connect_timeout"] == "10"
    monkeypatch.setenv("DB_POOL", "1")
    assert database_from_url("postgres://chibo@db/chibo")["OPTIONS"]["pool"]["timeout"] == 5
