"""Validators for Vietnamese identifiers, with messages a secretary can act on."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lib.vn import CITIZEN_ID_PROVINCE_CODES

_CITIZEN_ID = re.compile(r"^\d{12}$")
# Dossier number (số lý lịch): 6 digits followed by the 1–3 letter province code.
_DOSSIER_NO = re.compile(r"^\d{6}[A-ZĐ]{1,3}$")
_CARD_NO = re.compile(r"^\d{8}$")
_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")


def validate_citizen_id(value: str) -> None:
    if not _CITIZEN_ID.match(value or ""):
        raise ValidationError(
            _("A citizen ID has exactly 12 digits (you entered %(n)s characters).")
            % {"n": len(value or "")},
            code="citizen_id_format",
        )
    if value[:3] not in CITIZEN_ID_PROVINCE_CODES:
        raise ValidationError(
            _("The first three digits %(code)s are not a province code of a citizen ID.")
            % {"code": value[:3]},
            code="citizen_id_province",
        )


def check_citizen_id_matches(value: str, birth_date: dt.date | None, sex: str | None) -> None:
    """The 4th digit encodes sex and century, the 5th–6th the birth year."""
    if not value or not _CITIZEN_ID.match(value):
        return
    century_sex = int(value[3])
    if birth_date:
        century = 1900 + 100 * (century_sex // 2)
        year = century + int(value[4:6])
        if year != birth_date.year:
            raise ValidationError(
                _(
                    "Digits 4–6 of the citizen ID say the person was born in %(year)s, "
                    "but the birth date is in %(birth)s."
                )
                % {"year": year, "birth": birth_date.year},
                code="citizen_id_birth_year",
            )
    if sex in ("M", "F"):
        id_sex = "F" if century_sex % 2 else "M"
        if id_sex != sex:
            raise ValidationError(
                _("The 4th digit of the citizen ID does not match the sex entered."),
                code="citizen_id_sex",
            )


def validate_dossier_no(value: str) -> None:
    if not _DOSSIER_NO.match(value or ""):
        raise ValidationError(
            _(
                "A dossier number is 6 digits followed by the 1–3 letter province code, "
                "for example 012345QN."
            ),
            code="dossier_no_format",
        )


def validate_card_no(value: str) -> None:
    if not _CARD_NO.match(value or ""):
        raise ValidationError(_("A party card number has exactly 8 digits."), code="card_no")


def validate_phone(value: str) -> None:
    if not _PHONE.match(re.sub(r"[\s.\-]", "", value or "")):
        raise ValidationError(
            _("Enter a Vietnamese phone number, for example 0912345678 or +84912345678."),
            code="phone",
        )


def mask_citizen_id(value: str) -> str:
    """Lists show only the province code and the last three digits."""
    if not value:
        return ""
    return value[:3] + "•" * max(len(value) - 6, 0) + value[-3:]


def refuse_nul(*values) -> None:
    """Refuse text holding a NUL character, for values read straight from request.POST by the
    one-screen sheets (attendance, dues, campaign results, guests). Django's form fields refuse
    NUL themselves; a raw value would reach PostgreSQL, which cannot store NUL in text and
    answers with a DataError, a server error (found by chibo/tests/badinput)."""
    from django.core.validators import ProhibitNullCharactersValidator

    if any("\x00" in (v or "") for v in values):
        raise ValidationError(ProhibitNullCharactersValidator.message, code="null_characters")
