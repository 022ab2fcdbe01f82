import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are matched in English here; the pages are tested in Vietnamese."""
    with translation.override("en"):
        yield
