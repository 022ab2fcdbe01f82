import pytest
from django.test import Client

from accounts.models import ApiToken


@pytest.fixture
def token_client(world):
    """token_client("secretary_k1") → a client sending that user's fresh API token."""

    def _make(username, **extra_headers):
        _token, raw = ApiToken.issue(world.user(username), "tests")
        return Client(headers={"Authorization": f"Bearer {raw}", **extra_headers})

    return _make


@pytest.fixture
def anon():
    return Client()
