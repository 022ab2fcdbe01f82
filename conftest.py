import os

import pytest

os.environ.setdefault("CHIBO_TESTING", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the shared test world once; each test runs in a transaction rolled back after it."""
    from chibo.testing import build_world

    with django_db_blocker.unblock():
        build_world()


@pytest.fixture(scope="session", autouse=True)
def _test_logins_are_complete_sign_ins():
    """client.login() and force_login() stand for a whole sign-in: the password, then the
    authenticator code for those who need one (accounts/security.py). The second factor stays
    required in tests (CHIBO_REQUIRE_2FA on): the real login form overrides this mark, so
    accounts/tests and the browser tests go through the code and the enrolment for real."""
    from django.contrib.auth.signals import user_logged_in

    from accounts.security import mark_session_verified

    def mark(sender, request, user, **kwargs):
        mark_session_verified(request.session)

    user_logged_in.connect(mark, weak=False, dispatch_uid="tests.complete_sign_in")
    yield
    user_logged_in.disconnect(dispatch_uid="tests.complete_sign_in")


@pytest.fixture
def world(db):
    from chibo.testing import World

    return World()


@pytest.fixture
def login(client, world):
    """login("secretary_k1") → the client, logged in as that user."""
    from chibo.testing import PASSWORD

    def _login(username):
        assert client.login(username=username, password=PASSWORD)
        return client

    return _login


def pytest_collection_modifyitems(config, items):
    """Run browser tests last: their live server needs a flushed (transactional)
    database, which removes the shared world the other tests read."""
    items.sort(key=lambda item: "browser" in item.keywords)
