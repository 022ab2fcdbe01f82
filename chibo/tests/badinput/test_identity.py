"""The same person typed two ways is the same person: NFD and NFC Vietnamese, identifiers with
spaces around them — on the member form, in the API and in search."""

import json
import unicodedata

from django.urls import reverse

from accounts.models import ApiToken
from chibo.tests.badinput.snapshot import changes, snapshot
from members.models import Member, Person

NFC = "Nguyễn Thị Ngọc Ánh"
NFD = unicodedata.normalize("NFD", NFC)


def _member_form(world, **values):
    data = {
        "organization": world.org("K1").pk,
        "start_date": "01/02/2015",
        "full_name": NFD,
        "sex": "F",
        "birth_date": "02/03/1990",
        "ethnicity": "01",
        "dossier_no": "123456TN",
        "status": "official",
        "admission_decision_date": "01/01/2014",
        "ceremony_date": "15/01/2014",
        "official_date": "15/01/2015",
        "citizen_id": "001190000111",
    }
    data.update(values)
    return data


def test_an_nfd_name_from_the_form_is_stored_nfc_and_found_by_either_form(client, world):
    assert NFD != NFC
    client.force_login(world.user("admin"))
    response = client.post(reverse("members:create"), _member_form(world))
    assert response.status_code == 302
    person = Person.objects.get(citizen_id="001190000111")
    assert person.full_name == NFC
    for query in (NFC, NFD, "nguyen thi ngoc anh"):
        page = client.get(reverse("members:list"), {"q": query, "status": "all"})
        assert page.status_code == 200
        assert NFC in page.content.decode(), query


def test_a_duplicate_citizen_id_or_dossier_with_spaces_is_still_a_duplicate(client, world):
    client.force_login(world.user("admin"))
    assert client.post(reverse("members:create"), _member_form(world)).status_code == 302
    before = snapshot()
    again = _member_form(
        world,
        full_name=NFC,
        citizen_id=" 001190000111 ",
        dossier_no=" 123456tn ",
    )
    response = client.post(reverse("members:create"), again)
    assert response.status_code in (200, 400)
    assert not changes(before, snapshot())
    body = response.content.decode()
    assert 'class="errorlist"' in body
    form_errors = {}
    for _title, form in response.context["sections"]:
        form_errors.update(form.errors)
    assert "citizen_id" in form_errors or "dossier_no" in form_errors, form_errors


def test_a_duplicate_citizen_id_in_full_width_digits_is_refused(client, world):
    """Unicode digits (０-９) pass a \\d pattern; stored, they would be a second identity."""
    client.force_login(world.user("admin"))
    assert client.post(reverse("members:create"), _member_form(world)).status_code == 302
    before = snapshot()
    wide = "".join(chr(ord(c) + 0xFEE0) for c in "001190000111")
    response = client.post(
        reverse("members:create"),
        _member_form(world, citizen_id=wide, dossier_no="123457TN"),
    )
    assert response.status_code < 500
    assert not changes(before, snapshot())


def test_the_api_stores_an_nfd_name_as_nfc_and_finds_it_by_nfd(world):
    from django.test import Client

    _t, raw = ApiToken.issue(world.user("admin"), "badinput")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    body = {
        "cell": str(world.org("K1").uuid),
        "start_date": "2015-02-01",
        "person": {"full_name": NFD, "sex": "F", "birth_date": "1990-03-02", "ethnicity": "01"},
        "member": {
            "dossier_no": "123456TN",
            "status": "official",
            "ceremony_date": "2014-01-15",
            "admission_decision_date": "2014-01-01",
            "official_date": "2015-01-15",
        },
    }
    response = api.post("/api/v1/members", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content[:300]
    assert Member.objects.get(dossier_no="123456TN").person.full_name == NFC
    found = api.get("/api/v1/members", {"q": NFD})
    assert found.status_code == 200
    assert any(item["full_name"] == NFC for item in found.json()["items"]), found.json()
    body["member"]["dossier_no"] = " 123456tn "
    body["person"]["full_name"] = NFC
    before = snapshot()
    again = api.post("/api/v1/members", json.dumps(body), content_type="application/json")
    assert again.status_code == 422, again.content[:300]
    assert not changes(before, snapshot())
