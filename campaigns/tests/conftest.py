import datetime as dt

import pytest
from django.utils import translation

from campaigns.tests.targets import campaign_in


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def campaign(world):
    """The province P1's "Tiết kiệm làm theo Bác", from 2025 on, without an end."""
    return campaign_in(world, "P1", name="Tiết kiệm làm theo Bác", starts_on=dt.date(2025, 1, 1))
