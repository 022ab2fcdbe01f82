import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lib.validators import (
    check_citizen_id_matches,
    mask_citizen_id,
    validate_card_no,
    validate_citizen_id,
    validate_dossier_no,
    validate_phone,
)


@pytest.mark.parametrize(
    "value", ["00119700123", "0011970012345", "00119700123a", "", "001 970012345"]
)
def test_citizen_id_needs_exactly_12_digits(value):
    with pytest.raises(ValidationError) as e:
        validate_citizen_id(value)
    assert e.value.code == "citizen_id_format"


def test_citizen_id_must_start_with_a_province_code():
    with pytest.raises(ValidationError) as e:
        validate_citizen_id("003070001234")
    assert e.value.code == "citizen_id_province"
    validate_citizen_id("001070001234")


def test_citizen_id_encodes_century_sex_and_birth_year():
    check_citizen_id_matches("001070001234", dt.date(1970, 5, 1), "M")
    check_citizen_id_matches("001170001234", dt.date(1970, 5, 1), "F")
    check_citizen_id_matches("001205001234", dt.date(2005, 5, 1), "M")
    with pytest.raises(ValidationError):
        check_citizen_id_matches("001071001234", dt.date(1970, 5, 1), "M")
    with pytest.raises(ValidationError):
        check_citizen_id_matches("001070001234", dt.date(1970, 5, 1), "F")


def test_masked_citizen_id_shows_province_and_last_three():
    assert mask_citizen_id("001070001234") == "001••••••234"
    assert mask_citizen_id("") == ""


def test_dossier_card_and_phone_formats():
    validate_dossier_no("012345QN")
    validate_dossier_no("012345Đ")
    for bad in ("12345QN", "012345", "012345QNAB", "O12345QN"):
        with pytest.raises(ValidationError):
            validate_dossier_no(bad)
    validate_card_no("12345678")
    with pytest.raises(ValidationError):
        validate_card_no("1234567")
    validate_phone("0912345678")
    validate_phone("+84912345678")
    validate_phone("0912 345 678")
    with pytest.raises(ValidationError):
        validate_phone("12345")
