from django.utils.translation import gettext as _

from organizations.models import CellVillage, Organization, OrgEvent
from spreadsheets.models import JobStatus
from spreadsheets.tests.conftest import ORG_HEADERS, label, org_file, org_row


def errors_of(job):
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


def parent_code(code):
    return Organization.objects.get_parent(Organization.objects.get(code=code)).code


def snapshot():
    return Organization.objects.count(), Organization.history.count(), OrgEvent.objects.count()


def test_an_organization_file_creates_a_child_cell_with_its_villages(login, upload, world):
    login("staff_c1")
    _response, job = upload("organizations", org_file([org_row(villages="thon nam")]))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert job.summary == {"created": 1, "updated": 0, "unchanged": 0, "rows": 1}
    cell = Organization.objects.get(code="K9")
    assert parent_code("K9") == "C1"
    assert cell.kind == "cell" and cell.cell_type == "village"
    assert cell.province == world.org("P1")
    # Matched to “Thôn Nam” of the commune, without case or diacritics.
    assert list(
        CellVillage.objects.active()
        .filter(organization=cell)
        .values_list("village__code", flat=True)
    ) == ["V3"]


def test_a_parent_code_may_name_a_row_further_down_the_file(login, upload, world):
    login("staff_p1")
    rows = [
        org_row(code="K10", name="Chi bộ thôn Mới", parent_code="C9"),
        org_row(
            code="C9",
            name="Đảng bộ xã Mới",
            kind=label("kind", "grassroots_committee"),
            cell_type="",
            parent_code="P1",
        ),
    ]
    _response, job = upload("organizations", org_file(rows))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert parent_code("K10") == "C9"
    assert parent_code("C9") == "P1"


def test_importing_the_same_organizations_again_changes_nothing(login, upload, world):
    login("staff_c1")
    content = org_file(
        [
            org_row(villages="Thôn Nam"),
            org_row(
                code="K1",
                name="Chi bộ thôn Đông",
                founded_on="01/01/2000",
                villages="Thôn Đông; Thôn Nam",
            ),
        ]
    )
    _response, job = upload("organizations", content)
    assert job.summary["created"] == 1 and job.summary["unchanged"] == 1, job.errors
    before = snapshot()
    _response, job = upload("organizations", content)
    assert job.summary == {"created": 0, "updated": 0, "unchanged": 2, "rows": 2}
    assert snapshot() == before


def test_a_changed_name_renames_the_organization(login, upload, world):
    login("staff_c1")
    _response, job = upload(
        "organizations",
        org_file(
            [
                org_row(
                    code="K2",
                    name="Chi bộ thôn Tây Mới",
                    founded_on="01/01/2000",
                    villages="Thôn Tây",
                )
            ]
        ),
    )
    assert job.summary == {"created": 0, "updated": 1, "unchanged": 0, "rows": 1}, job.errors
    assert world.org("K2").name == "Chi bộ thôn Tây Mới"
    assert OrgEvent.objects.filter(organization__code="K2", kind="renamed").exists()


def test_bad_organization_rows_are_reported_and_nothing_is_created(login, upload, world):
    login("staff_c1")
    before = snapshot()
    rows = [
        org_row(),  # row 2: fine
        org_row(code="K11", kind="Hợp tác xã"),  # 3: unknown kind
        org_row(code="K12", parent_code="C2"),  # 4: parent outside the scope
        org_row(code="K13", parent_code="NOPE"),  # 5: parent that does not exist
        org_row(code="K14", kind=label("kind", "grassroots_committee")),  # 6: not allowed under C1
        org_row(code="K15", cell_type=""),  # 7: a cell without a type
        org_row(code="K16", villages="Thôn Không Có"),  # 8: unknown village
        org_row(code="K3", name="Chi bộ khác"),  # 9: a code used outside the scope
        org_row(code="K17", founded_on="2020-13-01"),  # 10: bad date
    ]
    _response, job = upload("organizations", org_file(rows))
    assert job.status == JobStatus.FAILED
    assert snapshot() == before
    errors = errors_of(job)
    h = ORG_HEADERS
    assert (3, h["kind"]) in errors
    missing = _("No organization with code %(code)s in your scope.")
    assert errors[(4, h["parent_code"])] == missing % {"code": "C2"}
    assert errors[(5, h["parent_code"])] == missing % {"code": "NOPE"}
    assert (6, h["kind"]) in errors
    assert errors[(7, h["cell_type"])] == _("Choose the cell type.")
    assert (8, h["villages"]) in errors
    assert (9, h["code"]) in errors
    assert (10, h["founded_on"]) in errors
    assert 2 not in {row for row, _col in errors}


def test_a_secretary_cannot_import_organizations(login, upload, world):
    login("secretary_k1")
    response, job = upload("organizations", org_file([org_row()]))
    assert response.status_code == 403 and job is None
    assert not Organization.objects.filter(code="K9").exists()
