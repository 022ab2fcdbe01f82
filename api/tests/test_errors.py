import pytest

from members.models import Person
from organizations.models import Organization

JSON = "application/json"
NUL = "\x00"


def test_error_messages_are_vietnamese_by_default_and_english_on_request(token_client, world):
    client = token_client("staff_p1")
    body = {"parent": str(world.org("C1").uuid), "kind": "cell", "name": "Chi bộ"}
    vi = client.post("/api/v1/organizations", body, content_type=JSON)
    assert vi.status_code == 422
    assert vi.json()["detail"] == [
        {
            "loc": ["body", "code"],
            "field": "code",
            "msg": "Trường này là bắt buộc.",
            "type": "missing",
        }
    ]
    en = client.post(
        "/api/v1/organizations", body, content_type=JSON, headers={"Accept-Language": "en"}
    )
    assert en.json()["detail"][0]["msg"] == "This field is required."


def test_nested_fields_are_named_with_dots(token_client, world):
    body = {
        "cell": str(world.org("K1").uuid),
        "start_date": "2024-01-01",
        "person": {"full_name": "A", "sex": "X", "birth_date": "1990-13-01", "nickname": "x"},
        "member": {},
    }
    r = token_client("staff_p1").post(
        "/api/v1/members", body, content_type=JSON, headers={"Accept-Language": "en"}
    )
    assert r.status_code == 422
    by_field = {e["field"]: e for e in r.json()["detail"]}
    assert set(by_field) == {
        "person.sex",
        "person.birth_date",
        "person.nickname",
        "member.dossier_no",
    }
    assert by_field["person.birth_date"]["msg"] == "Enter a date as YYYY-MM-DD, e.g. 2025-07-01."
    assert by_field["person.birth_date"]["loc"] == ["body", "person", "birth_date"]


def test_invalid_json_is_422(token_client, world):
    r = token_client("staff_p1").post("/api/v1/organizations", "{not json", content_type=JSON)
    assert r.status_code == 422
    assert r.json()["detail"][0]["type"] == "json_invalid"


BAD_QUERIES = [
    "page=0",
    "page=abc",
    "page=99999999999999999999999",
    "page_size=201",
    "page_size=-1",
    "parent=not-a-uuid",
    f"q={NUL}",
    "q=" + "x" * 5000,
    "kind=castle",
    "include_dissolved=maybe",
    "cell_type=" + NUL,
    "parent=" + "0" * 36,
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_organization_queries_are_422_never_500(token_client, world, query):
    r = token_client("staff_p1").get(f"/api/v1/organizations?{query}")
    assert r.status_code == 422
    assert all(e["field"] and e["msg"] for e in r.json()["detail"])


@pytest.mark.parametrize(
    "query",
    [
        "org=xyz",
        f"q={NUL}",
        "q=" + "y" * 1000,
        "status=" + NUL,
        "age=abc",
        "youth_union=2",
        "ethnicity=99",
        "sex=" + "M" * 300,
        "page=-5",
    ],
)
def test_bad_member_queries_are_422_never_500(token_client, world, query):
    r = token_client("staff_p1").get(f"/api/v1/members?{query}")
    assert r.status_code == 422


@pytest.mark.parametrize(
    "query", ["commune=1", f"q={NUL}", "without_members=perhaps", "page_size=0"]
)
def test_bad_village_queries_are_422_never_500(token_client, world, query):
    assert token_client("staff_p1").get(f"/api/v1/villages?{query}").status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organizations/123",
        "/api/v1/members/' OR 1=1 --",
        "/api/v1/villages/%00",
        "/api/v1/organizations/" + "a" * 3000 + "/children",
    ],
)
def test_bad_identifiers_in_the_path_are_refused(token_client, world, url):
    r = token_client("admin").get(url)
    assert r.status_code in (404, 422)
    assert r["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "person",
    [
        {"full_name": NUL},
        {"full_name": "A" * 100_000},
        {"full_name": 12},
        {"full_name": None},
        {"birth_date": 1.5},
        {"sex": ["M"]},
        {"youth_union": "yes please"},
        {"residence_village": "nope"},
        {"residence_village": "00000000-0000-4000-8000-000000000000"},
        {"citizen_id": "0010900123" + NUL},
        {"ethnicity": "zz"},
    ],
)
def test_bad_member_bodies_are_422_and_change_nothing(token_client, world, person):
    body = {
        "cell": str(world.org("K1").uuid),
        "start_date": "2024-06-01",
        "person": {"full_name": "Đỗ Văn Minh", "sex": "M", "birth_date": "1990-02-03", **person},
        "member": {"dossier_no": "123456TN", "ceremony_date": "2024-06-01"},
    }
    before = Person.objects.count()
    r = token_client("secretary_k1").post("/api/v1/members", body, content_type=JSON)
    assert r.status_code == 422, r.content
    assert Person.objects.count() == before


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        {"code": 5},
        {"founded_on": "31/12/2020"},
        {"cell_type": "castle"},
        {"name": "", "effective_on": "2024-01-01"},
        {"name": "X", "effective_on": "yesterday"},
        {"decision": NUL, "name": "Y", "effective_on": "2024-01-01"},
        {"parent": "x"},
    ],
)
def test_bad_organization_patches_are_422_and_change_nothing(token_client, world, body):
    k2 = world.org("K2")
    r = token_client("staff_p1").patch(f"/api/v1/organizations/{k2.uuid}", body, content_type=JSON)
    assert r.status_code == 422, r.content
    assert Organization.objects.get(pk=k2.pk).name == "Chi bộ thôn Tây"


def test_a_body_over_the_upload_limit_is_refused_cleanly(token_client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = token_client("staff_p1").post(
        "/api/v1/organizations", {"name": "x" * 5000}, content_type=JSON
    )
    assert r.status_code == 400
    assert "detail" in r.json()


def test_forbidden_is_json_and_translated(token_client, world):
    k1 = world.org("K1")
    r = token_client("committee_c1").patch(
        f"/api/v1/organizations/{k1.uuid}",
        {"code": "Z"},
        content_type=JSON,
        headers={"Accept-Language": "en"},
    )
    assert r.status_code == 403
    assert r.json() == {"detail": "You do not have permission to do this."}
