"""One inspection plan, inspection and follow-up item per target cell, for the authorization
matrices (accounts/tests/test_authorization_matrix.py, test_api_authorization_matrix.py).

The plan is the cell committee's own (so its readers are the cell's); the inspection is the
committee above's, of the cell, concluded with one open follow-up item: its readers are those
of the committee and of the cell, exactly the matrix's LEVEL table."""

import datetime as dt

from oversight.models import FollowUp, Inspection, InspectionPlan, InspectionStatus

YEAR = 2025
MARK = "Kiểm tra việc thực hiện nghị quyết (matrix)"


def plan_in(world, cell_code) -> InspectionPlan:
    cell = world.org(cell_code)
    plan, _ = InspectionPlan.objects.get_or_create(
        organization=cell,
        year=YEAR,
        defaults={
            "province_id": cell.province_id,
            "number": "01-CTr/CB",
            "summary": "Chương trình",
        },
    )
    return plan


def inspection_in(world, cell_code) -> Inspection:
    cell = world.org(cell_code)
    committee = cell.parent_org()
    inspection = Inspection.objects.filter(subject_org=cell, topic=MARK).first()
    if inspection is None:
        inspection = Inspection.objects.create(
            province_id=cell.province_id,
            organization=committee,
            kind="inspection",
            subject_org=cell,
            topic=MARK,
            status=InspectionStatus.CONCLUDED,
            planned_from=dt.date(YEAR, 3, 1),
            started_on=dt.date(YEAR, 3, 2),
            concluded_on=dt.date(YEAR, 3, 20),
            conclusion="Kết luận",
        )
        FollowUp.objects.create(
            province_id=cell.province_id,
            inspection=inspection,
            text="Khắc phục hạn chế",
            due_on=dt.date(YEAR, 6, 30),
        )
    return inspection


def follow_up_in(world, cell_code) -> FollowUp:
    return inspection_in(world, cell_code).follow_ups.order_by("pk").first()
