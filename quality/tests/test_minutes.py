"""The score is written into the minutes (brief §2.7, Bình Thuận: "written into the minutes
with the score sheet") and shows in the cell's calendar."""

from decimal import Decimal

from django.urls import reverse

from meetings.documents.content import minutes_for
from quality import services
from quality.models import ConfirmerRole
from quality.tests.conftest import hold, manual_points


def texts(doc) -> str:
    return "\n".join("".join(r.text for r in b.runs) for b in doc.body if hasattr(b, "runs"))


def test_the_minutes_carry_the_self_score_then_the_confirmation(september, rubric, world):
    hold(september, world)
    assert "tự đánh giá chất lượng buổi" not in texts(minutes_for(september))
    score = services.record_self_score(september, manual_points(rubric), by=None)
    body = texts(minutes_for(september))
    assert "Chi bộ tự đánh giá chất lượng buổi sinh hoạt: 80 điểm, xếp loại Khá." in body
    manual = manual_points(rubric, value=Decimal(0))
    manual[next(iter(manual))] = Decimal("2.5")
    services.confirm_score(score, manual, by=None, role=ConfirmerRole.COMMITTEE)
    body = texts(minutes_for(september))
    assert "Cấp trên xác nhận: 37,5 điểm, xếp loại Kém." in body


def test_the_cell_calendar_shows_the_level(login, september, rubric, world, k1):
    hold(september, world)
    services.record_self_score(september, manual_points(rubric), by=None)
    url = reverse("meetings:cell_calendar", args=[k1.uuid]) + "?year=2025"
    page = login("secretary_k1").get(url).content.decode()
    assert 'class="badge q-fair"' in page
    assert reverse("quality:cell_year", args=[k1.uuid]) in page
