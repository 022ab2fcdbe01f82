from django import forms
from django.core.exceptions import ValidationError

from lib.forms import apply_validation_error


class F(forms.Form):
    date = forms.CharField(required=False)


def test_field_errors_land_on_their_field_renamed_or_on_top():
    f = F({})
    assert f.is_valid()
    apply_validation_error(
        f, ValidationError({"scheduled_at": "Sai ngày", "other": "Khác"}), {"scheduled_at": "date"}
    )
    assert f.errors["date"] == ["Sai ngày"] and f.non_field_errors() == ["Khác"]
    g = F({})
    g.is_valid()
    apply_validation_error(g, ValidationError("Không được"))
    assert g.non_field_errors() == ["Không được"]
