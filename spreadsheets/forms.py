from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from spreadsheets import xlsx
from spreadsheets.xlsx import inspect_upload


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",")


class ImportForm(forms.Form):
    """An .xlsx upload, checked in full before a job is queued."""

    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    province = forms.ModelChoiceField(label=_("Province"), queryset=None, required=False)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.provinces = list(provinces)
        self.fields["province"].queryset = provinces
        if len(self.provinces) <= 1:
            self.fields["province"].widget = forms.HiddenInput()

    def clean_province(self):
        province = self.cleaned_data.get("province")
        if len(self.provinces) == 1:
            return self.provinces[0]
        if province is None:
            raise forms.ValidationError(_("Choose the province the file is for."))
        return province

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _(
                    "Only Excel .xlsx files can be imported. In Excel, use “Save as” → “Excel Workbook”."
                ),
                code="not_xlsx",
            )
        limit = settings.CHIBO_MAX_IMPORT_BYTES
        if f.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s MB; at most %(max)s MB can be imported at once. "
                    "Split it into several files."
                )
                % {"size": _megabytes(f.size), "max": _megabytes(limit)},
                code="too_large",
            )
        inspect_upload(f, max_rows=xlsx.MAX_DATA_ROWS)
        return f
