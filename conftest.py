import os

import pytest

os.environ.setdefault("CHIBO_TESTING", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the shared test world once; each test runs in a transaction rolled back after it."""
    from chibo.testing import build_world

    with django_db_blocker.unblock():
        build_world()


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
