"""Read replica routing (chibo/replicas.py) and PostgreSQL pooling settings."""

import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from chibo import replicas
from chibo.replicas import COOKIE, ReplicaMiddleware, ReplicaRouter, replica_reads
from chibo.settings import database_from_url
from members.models import Member

router = ReplicaRouter()


@pytest.fixture
def configured(monkeypatch):
    monkeypatch.setattr(replicas, "replica_configured", lambda: True)


def seen_by(request):
    """What a @replica_reads view's reads are routed to."""

    @replica_reads
    def view(request):
        return HttpResponse(router.db_for_read(Member) or "default")

    return view(request).content.decode()


def test_reports_read_from_the_replica_when_one_is_configured(configured):
    assert seen_by(RequestFactory().get("/reports/meetings/")) == "replica"
    assert router.db_for_read(Member) is None  # outside the view: the primary again


def test_without_a_replica_everything_reads_the_primary():
    assert seen_by(RequestFactory().get("/reports/meetings/")) == "default"


def test_a_browser_that_just_wrote_reads_its_writes_from_the_primary(configured, settings):
    request = RequestFactory().get("/reports/meetings/")
    request.COOKIES[COOKIE] = f"{time.time() - 2:.3f}"
    assert seen_by(request) == "default"
    request.COOKIES[COOKIE] = f"{time.time() - settings.REPLICA_LAG_SECONDS - 1:.3f}"
    assert seen_by(request) == "replica"
    request.COOKIES[COOKIE] = f"{time.time() + 0.0005:.3f}"  # rounded up: still "just now"
    assert seen_by(request) == "default"
    request.COOKIES[COOKIE] = f"{time.time() + 3600:.3f}"  # from the future: ignored
    assert seen_by(request) == "replica"
    request.COOKIES[COOKIE] = "not a time"
    assert seen_by(request) == "replica"


def test_writes_and_migrations_only_go_to_the_primary(configured):
    assert seen_by(RequestFactory().post("/reports/summary/")) == "default"
    assert router.db_for_write(Member) == "default"
    assert router.allow_migrate("default", "members") is True
    assert router.allow_migrate("replica", "members") is False


@pytest.mark.parametrize(
    "method,status,marked", [("post", 302, True), ("post", 400, False), ("get", 200, False)]
)
def test_the_middleware_marks_a_successful_write(configured, method, status, marked):
    response = ReplicaMiddleware(lambda r: HttpResponse(status=status))(
        getattr(RequestFactory(), method)("/")
    )
    assert (COOKIE in response.cookies) is marked
    if marked:
        assert response.cookies[COOKIE]["httponly"]
        assert abs(time.time() - float(response.cookies[COOKIE].value)) < 5


def test_the_middleware_does_nothing_without_a_replica():
    response = ReplicaMiddleware(lambda r: HttpResponse(status=302))(RequestFactory().post("/"))
    assert COOKIE not in response.cookies


def test_pooling_is_asked_for_by_environment(monkeypatch):
    url = "postgres://chibo:secret@db.example:5432/chibo"
    assert "pool" not in database_from_url(url)["OPTIONS"]
    monkeypatch.setenv("DB_POOL", "1")
    monkeypatch.setenv("DB_POOL_MAX", "20")
    monkeypatch.setenv("DB_CONN_MAX_AGE", "60")
    db = database_from_url(url)
    assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 20, "timeout": 5}
    assert db["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool


@pytest.fixture
def replica_alias(transactional_db, monkeypatch):
    """A "replica" connection to the test database itself (what a streaming replica is, minus
    the lag), for this test only: a second connection that sees the committed rows. It is
    built by hand rather than declared in DATABASES, which the test runner would set up as a
    database of its own."""
    from django.db import connections
    from django.db.utils import load_backend

    settings_dict = {**connections["default"].settings_dict}
    backend = load_backend(settings_dict["ENGINE"])
    setattr(connections._connections, "replica", backend.DatabaseWrapper(settings_dict, "replica"))
    monkeypatch.setattr(replicas, "replica_configured", lambda: True)
    yield connections
    connections["replica"].close()
    delattr(connections._connections, "replica")


def test_a_report_page_reads_from_the_replica_and_a_fresh_write_from_the_primary(replica_alias):
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role, RoleAssignment, User
    from organizations import services
    from organizations.models import OrgKind

    province = services.create_organization(
        parent=None, kind=OrgKind.PROVINCE, name="Đảng bộ tỉnh Thử", code="T1"
    )
    user = User.objects.create_user("staff", password="test-password-123")
    RoleAssignment.objects.create(
        user=user, role=Role.ORG_STAFF, organization=province, province=province
    )
    client = Client()
    client.force_login(user)
    url = f"/reports/structure/?org={province.uuid}"
    with CaptureQueriesContext(replica_alias["replica"]) as on_replica:
        with CaptureQueriesContext(replica_alias["default"]) as on_primary:
            assert client.get(url).status_code == 200
    assert len(on_replica) > 3  # the report's queries
    assert not any("organizations_organization" in q["sql"] for q in on_primary)
    # Right after a write the same browser reads from the primary.
    client.cookies[COOKIE] = f"{time.time():.3f}"
    with CaptureQueriesContext(replica_alias["replica"]) as on_replica:
        assert client.get(url).status_code == 200
    assert len(on_replica) == 0
