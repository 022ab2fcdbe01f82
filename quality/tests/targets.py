"""Quality objects in the province of a given cell of the test world, for the authorization
matrices."""

import datetime as dt

from quality import services
from quality.models import Rubric, RubricKind


def rubric_in(world, cell_code: str) -> Rubric:
    """The regular-meeting rubric of the cell's province (the provincial preset, from 2025)."""
    province = world.org(cell_code).province
    rubric = Rubric.objects.filter(organization=province, kind=RubricKind.REGULAR).first()
    if rubric is None:
        services.install_preset(province, "provincial_100", dt.date(2025, 1, 1))
        rubric = Rubric.objects.get(organization=province, kind=RubricKind.REGULAR)
    return rubric
