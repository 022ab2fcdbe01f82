import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.vn import ETHNICITIES, Sex
from lib.widgets import FastSelect
from members.models import Member, MemberStatus, Person
from organizations.forms import date_field
from organizations.models import CellType

# The fields users edit, in the order forms show them; imports and the API reuse them.
PERSON_FIELDS = [
    "full_name",
    "birth_name",
    "sex",
    "birth_date",
    "ethnicity",
    "religion",
    "native_place",
    "residence",
    "residence_village",
    "citizen_id",
    "phone",
    "general_education",
    "political_theory",
    "qualification",
    "qualification_detail",
    "youth_union",
]
MEMBER_FIELDS = [
    "dossier_no",
    "card_no",
    "admission_decision_date",
    "ceremony_date",
    "official_date",
    "status",
    "left_reason",
    "status_date",
    "status_note",
]


class PersonForm(forms.ModelForm):
    birth_date = date_field(_("Date of birth"))

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "citizen_id": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residence_village"].queryset = (
            villages if villages is not None else self.fields["residence_village"].queryset.none()
        )
        self.fields["sex"].choices = [("", "—"), *Sex.choices]

    def clean_citizen_id(self):
        return (self.cleaned_data.get("citizen_id") or "").strip()

    def clean_phone(self):
        return (self.cleaned_data.get("phone") or "").replace(" ", "").replace(".", "")


class MemberForm(forms.ModelForm):
    admission_decision_date = date_field(_("Admission decision date"), required=False)
    ceremony_date = date_field(_("Admission ceremony date"), required=False)
    official_date = date_field(_("Official member since"), required=False)
    status_date = date_field(_("Status since"), required=False)

    class Meta:
        model = Member
        fields = MEMBER_FIELDS

    def clean_dossier_no(self):
        return (self.cleaned_data.get("dossier_no") or "").strip().upper()

    def validate_unique(self):
        # Uniqueness is per province, which the instance only gets from its cell; the
        # view checks it (see members.views._check_unique) with a clear message.
        pass


def uniqueness_errors(
    person_data: dict, member_data: dict, province_id, person=None, member=None
) -> dict:
    """Per-province uniqueness of dossier number, card number and citizen ID.

    The model constraints include the province, which an instance only gets from
    its cell, so forms cannot check them; pages and API call this instead and get
    {field: message} naming what clashes.
    """
    from django.utils.translation import gettext

    errors = {}
    others = Member.objects.filter(province_id=province_id).exclude(pk=getattr(member, "pk", None))
    dossier = member_data.get("dossier_no")
    if dossier and others.filter(dossier_no=dossier).exists():
        errors["dossier_no"] = gettext(
            "Another member of this province has dossier number %(n)s."
        ) % {"n": dossier}
    card = member_data.get("card_no")
    if card and others.filter(card_no=card).exists():
        errors["card_no"] = gettext("Another member of this province has card number %(n)s.") % {
            "n": card
        }
    cid = person_data.get("citizen_id")
    if (
        cid
        and Person.objects.filter(province_id=province_id, citizen_id=cid)
        .exclude(pk=getattr(person, "pk", None))
        .exists()
    ):
        errors["citizen_id"] = gettext("Another person in this province has this citizen ID.")
    return errors


class CellChoiceForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Cell"), queryset=None)
    start_date = date_field(_("Member of this cell since"))

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = cells


class MoveForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("New cell"), queryset=None)
    effective_on = date_field(_("Effective on"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=250, required=False)

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = cells


AGE_BANDS = [
    ("", _("Any age")),
    ("-30", _("30 or younger")),
    ("31-40", "31–40"),
    ("41-50", "41–50"),
    ("51-60", "51–60"),
    ("61-70", "61–70"),
    ("71-", _("71 or older")),
]

STATUS_FILTER = [
    ("active", _("Current members (not left)")),
    *MemberStatus.choices,
    ("all", _("All, including those who left")),
]

ETHNICITY_FILTER = [("", _("Any ethnicity")), ("minority", _("Ethnic minorities")), *ETHNICITIES]


class MemberFilterForm(forms.Form):
    """Validates list filters; shared by the member page, the export and the API."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    org = forms.UUIDField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"), choices=STATUS_FILTER, required=False, widget=FastSelect
    )
    cell_type = forms.ChoiceField(
        label=_("Cell type"),
        choices=[("", _("Any type")), *CellType.choices],
        required=False,
        widget=FastSelect,
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", _("Any")), *Sex.choices], required=False, widget=FastSelect
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity"), choices=ETHNICITY_FILTER, required=False, widget=FastSelect
    )
    age = forms.ChoiceField(label=_("Age"), choices=AGE_BANDS, required=False, widget=FastSelect)
    youth_union = forms.ChoiceField(
        label=_("Youth Union"),
        choices=[
            ("", _("Any")),
            ("1", _("Youth Union members")),
            ("0", _("Not in the Youth Union")),
        ],
        required=False,
        widget=FastSelect,
    )


def age_band_bounds(band: str, today: dt.date):
    """Birth-date bounds (born_after, born_on_or_before) for an age band like '31-40'."""
    low, _sep, high = band.partition("-")

    def years_ago(n):
        try:
            return today.replace(year=today.year - n)
        except ValueError:  # 29 February
            return today.replace(year=today.year - n, day=28)

    born_on_or_before = years_ago(int(low)) if low else None
    born_after = years_ago(int(high) + 1) if high else None
    return born_after, born_on_or_before


class MemberAccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        help_text=_("At least 10 characters; ask the member to change it."),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_username(self):
        from django.contrib.auth import get_user_model

        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken; choose another."))
        return username

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data["password"]
        validate_password(password)
        return password

    def save(self):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.create_user(
            username=self.cleaned_data["username"],
            password=self.cleaned_data["password"],
            first_name=self.member.person.full_name,
            member=self.member,
        )
