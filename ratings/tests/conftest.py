import pytest
from django.utils import translation

from ratings import services


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English (the site's default language is Vietnamese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(world):
    """The 2025 annual review of C1 (cells K1 and K2), under QĐ 366 (scored)."""
    return services.open_cycle(world.org("C1"), year=2025, by=world.user("staff_c1"))


def review_of(cycle, world, name, cell="K1"):
    return cycle.member_reviews.select_related("cycle__organization", "cell", "member").get(
        member=world.member(name, cell)
    )


def self_review(review, level="good", score=None, by=None):
    return services.record_self_review(
        review,
        form_type="2C",
        results="Hoàn thành các nhiệm vụ được giao.",
        self_level=level,
        self_score=score,
        by=by,
    )


def to_proposed(review, level="good", score=80, by=None):
    self_review(review)
    return services.propose(review, level=level, score=score, votes_for=3, votes_eligible=4, by=by)
