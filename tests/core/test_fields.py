"""Model and form fields for IIN, BIN and phone numbers (R-X-3).

Forms accept what people type, refuse with the identifier's own sentence and a stable code, and
re-render with everything that was typed. Model fields store the canonical form and keep their
migration state (``deconstruct()``) unchanged.
"""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from qamqor.accounts.models import User
from qamqor.core.fields import (
    BINField,
    BINFormField,
    IINField,
    IINFormField,
    PhoneField,
    PhoneFormField,
)
from qamqor.core.identifiers import BIN_MESSAGES, IIN_MESSAGES, PHONE_MESSAGES
from qamqor.organizations.models import Organization

AIGERIM_IIN = "900101300017"
DAUREN_IIN = "850312300305"
ORG_BIN = "940140000385"


class PersonForm(forms.Form):
    iin = IINFormField()
    bin = BINFormField(required=False)
    phone = PhoneFormField(required=False)
    note = forms.CharField(required=False)


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["iin", "surname", "given_name", "phone"]


def form_error(field: forms.Field, value: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        field.clean(value)
    return info.value


def model_error(field: IINField | PhoneField, value: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        field.clean(value, None)
    return info.value


# --- Form fields: what people type ---------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "900101300017",
        "900101 300017",
        "9001 0130 0017",
        " 900101300017 ",
        "900101\u00a0300017",
        "900101\u2009300017",
        "900101300017\u200b",
    ],
)
def test_iin_form_field_accepts_the_iin_typed_with_spaces(typed: str) -> None:
    """R-X-3: people type "900101 300017"; the field cleans it to 12 digits."""
    assert IINFormField().clean(typed) == AIGERIM_IIN


def test_bin_form_field_accepts_the_bin_typed_with_spaces() -> None:
    """R-X-3: "9401 4000 0385" cleans to the BIN."""
    assert BINFormField().clean("9401 4000 0385") == ORG_BIN


@pytest.mark.parametrize(
    ("field", "message"),
    [(IINFormField(), "Enter the IIN."), (BINFormField(), "Enter the BIN.")],
)
@pytest.mark.parametrize("typed", ["", "   ", None, "\u200b"])
def test_required_identifier_left_empty_is_refused_with_its_own_sentence(
    field: forms.Field, message: str, typed: str | None
) -> None:
    """R-X-3: "Enter the IIN." and "Enter the BIN." are separate sentences (STYLE)."""
    error = form_error(field, typed)
    assert error.code == "required"
    assert error.messages == [message]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("900101300018", "checksum"),
        ("900101 300018", "checksum"),
        ("90010130001", "format"),
        ("900101-300017", "format"),
        ("９００１０１３０００１７", "non_ascii_digits"),
        ("٩٠٠١٠١٣٠٠٠١٧", "non_ascii_digits"),
        ("901301300017", "birth_date"),
        ("940140000385", "is_bin"),
    ],
)
def test_iin_form_field_refuses_a_wrong_iin_with_its_code(typed: str, code: str) -> None:
    """R-X-3: every refusal has the IIN's own sentence and a stable code."""
    error = form_error(IINFormField(), typed)
    assert [(e.code, e.message) for e in error.error_list] == [(code, IIN_MESSAGES[code])]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("940140000386", "checksum"),
        ("９４０１４０００００３８５", "non_ascii_digits"),
        ("9401400003", "format"),
        ("941340000385", "month"),
        (AIGERIM_IIN, "is_iin"),
    ],
)
def test_bin_form_field_refuses_a_wrong_bin_with_its_code(typed: str, code: str) -> None:
    """R-X-3: every refusal has the BIN's own sentence and a stable code."""
    error = form_error(BINFormField(), typed)
    assert [(e.code, e.message) for e in error.error_list] == [(code, BIN_MESSAGES[code])]


def test_identifier_form_field_too_long_gets_one_message_not_django_max_length() -> None:
    """R-X-3: a 13-digit IIN gets "must be exactly 12 digits" only, not Django's "Ensure this
    value has at most 12 characters" as well."""
    field = User._meta.get_field("iin").formfield()
    error = form_error(field, "9001013000170")
    assert error.messages == ["The IIN must be exactly 12 digits."]


def test_identifier_form_field_lets_the_browser_accept_spaces() -> None:
    """R-X-3: no HTML maxlength or pattern, which would cut or block "900101 300017"."""
    for field in (IINFormField(), BINFormField(), User._meta.get_field("iin").formfield()):
        attrs = field.widget_attrs(field.widget) | field.widget.attrs
        assert "maxlength" not in attrs
        assert "pattern" not in attrs
        assert attrs["inputmode"] == "numeric"


def test_optional_identifier_left_empty_cleans_to_empty() -> None:
    """R-X-3: an optional BIN may stay empty."""
    assert BINFormField(required=False).clean("  ") == ""
    assert BINFormField(required=False, empty_value=None).clean("") is None


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("8 (701) 234-56-78", "+77012345678"),
        ("+7 701 234 56 78", "+77012345678"),
        ("8 7172 55 12 34", "+77172551234"),
    ],
)
def test_phone_form_field_cleans_what_people_type_to_e164(typed: str, e164: str) -> None:
    """R-X-3: "8 (701) 234-56-78" (17 characters) is accepted and cleaned to E.164."""
    assert PhoneFormField().clean(typed) == e164
    assert User._meta.get_field("phone").formfield().clean(typed) == e164


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("+79161234567", "not_kz"),
        ("8 701 CALL ME 1", "format"),
        ("８７０１２３４５６７８", "non_ascii_digits"),
        ("8 701 234 56 78 9", "too_long"),
        ("+7 701 234 567", "invalid"),
    ],
)
def test_phone_form_field_refuses_what_is_not_a_kazakh_number(typed: str, code: str) -> None:
    """R-X-3: a Russian +7 916 number, garbage and too long numbers are refused with a code."""
    error = form_error(PhoneFormField(), typed)
    assert [(e.code, e.message) for e in error.error_list] == [(code, PHONE_MESSAGES[code])]


def test_phone_form_field_required_and_optional() -> None:
    """R-X-3: required → "Enter a phone number."; optional and empty → the empty value."""
    error = form_error(PhoneFormField(), "")
    assert (error.code, error.messages) == ("required", ["Enter a phone number."])
    assert PhoneFormField(required=False).clean("") == ""
    assert User._meta.get_field("phone").formfield().clean("") is None  # null=True → NULL


def test_phone_form_field_renders_as_a_telephone_input() -> None:
    """R-X-3: mobile keyboards show digits; no maxlength cuts "8 (701) 234-56-78"."""
    html = str(PersonForm()["phone"])
    assert 'type="tel"' in html
    assert 'autocomplete="tel"' in html
    assert "maxlength" not in html
    assert "maxlength" not in str(UserForm()["phone"])


# --- Nothing typed is lost -----------------------------------------------------------------------


def test_form_with_a_wrong_iin_re_renders_everything_the_person_typed() -> None:
    """R-X-3: nothing already entered is lost — the wrong values come back as typed, spaces and
    look-alike digits included, next to their messages."""
    data = {
        "iin": "900101 300018",
        "bin": "９４０１４０００００３８５",
        "phone": "8 (916) 123-45-67",
        "note": "Әже, 3-қабат",
    }
    form = PersonForm(data)

    assert not form.is_valid()
    assert {name: [e.code for e in errors] for name, errors in form.errors.as_data().items()} == {
        "iin": ["checksum"],
        "bin": ["non_ascii_digits"],
        "phone": ["not_kz"],
    }
    html = form.as_div()
    for value in data.values():
        assert f'value="{value}"' in html
    assert str(IIN_MESSAGES["checksum"]) in html
    assert str(BIN_MESSAGES["non_ascii_digits"]) in html
    assert str(PHONE_MESSAGES["not_kz"]) in html


def test_form_with_valid_input_cleans_to_canonical_values() -> None:
    """R-X-3: what is stored is the canonical form, whatever was typed."""
    form = PersonForm(
        {"iin": "900101 300017", "bin": " 9401 4000 0385", "phone": "8 (701) 234-56-78"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "iin": AIGERIM_IIN,
        "bin": ORG_BIN,
        "phone": "+77012345678",
        "note": "",
    }


# --- Model fields --------------------------------------------------------------------------------


def test_iin_model_field_cleans_and_validates() -> None:
    """R-X-3: the model field refuses what the parser refuses, with the same code."""
    field = IINField()
    assert field.clean(AIGERIM_IIN, None) == AIGERIM_IIN
    assert field.clean("900101 300017", None) == AIGERIM_IIN
    error = model_error(field, "900101300018")
    assert [(e.code, e.message) for e in error.error_list] == [
        ("checksum", IIN_MESSAGES["checksum"])
    ]


def test_identifier_model_field_too_long_gets_one_message() -> None:
    """R-X-3: Django's max-length validator is left out; the parser's sentence says it all."""
    assert model_error(IINField(), "9001013000170").messages == [
        "The IIN must be exactly 12 digits."
    ]
    assert model_error(BINField(), "9401400003850").messages == [
        "The BIN must be exactly 12 digits."
    ]


def test_identifier_model_fields_have_their_own_blank_and_unique_sentences() -> None:
    """R-X-3: "Enter the IIN." rather than "This field cannot be blank."."""
    error = model_error(IINField(), "")
    assert (error.code, error.messages) == ("blank", ["Enter the IIN."])
    error = model_error(BINField(), "")
    assert (error.code, error.messages) == ("blank", ["Enter the BIN."])
    assert str(IINField().error_messages["unique"]) == "This IIN is already registered."
    assert str(BINField().error_messages["unique"]) == "This BIN is already registered."


def test_bin_model_field_cleans_and_validates() -> None:
    """R-X-3: BIN structure and checksum on the model field."""
    field = BINField()
    assert field.clean(ORG_BIN, None) == ORG_BIN
    assert model_error(field, "941340000385").error_list[0].code == "month"
    assert model_error(field, AIGERIM_IIN).error_list[0].code == "is_iin"


def test_phone_model_field_cleans_to_e164_and_refuses_other_countries() -> None:
    """R-X-3: "8 (701) 234-56-78" → "+77012345678"; +79161234567 is refused."""
    field = PhoneField(blank=True, null=True)
    assert field.clean("8 (701) 234-56-78", None) == "+77012345678"
    error = model_error(field, "+79161234567")
    assert [(e.code, e.message) for e in error.error_list] == [("not_kz", PHONE_MESSAGES["not_kz"])]
    assert field.to_python("garbage") == "garbage"  # kept as typed for the message
    assert model_error(field, "garbage").error_list[0].code == "format"


def test_phone_model_field_stores_empty_as_null_when_nullable() -> None:
    """R-X-3: empty is NULL with null=True (unique holds for many people without a phone),
    and "" with null=False (NOT NULL column)."""
    nullable = PhoneField(blank=True, null=True)
    assert nullable.get_prep_value("") is None
    assert nullable.get_prep_value(None) is None
    not_nullable = PhoneField(blank=True)
    assert not_nullable.get_prep_value("") == ""
    assert not_nullable.get_prep_value(None) == ""
    assert nullable.get_prep_value("8 701 234 56 78") == "+77012345678"
    assert nullable.get_prep_value("garbage") == "garbage"


@pytest.mark.parametrize(
    ("field", "form_class"),
    [
        (User._meta.get_field("iin"), IINFormField),
        (Organization._meta.get_field("bin"), BINFormField),
        (User._meta.get_field("phone"), PhoneFormField),
        (Organization._meta.get_field("phone"), PhoneFormField),
    ],
)
def test_model_fields_give_their_form_fields_without_a_max_length(
    field: IINField | PhoneField, form_class: type[forms.Field]
) -> None:
    """R-X-3: a ModelForm gets the typing-friendly form field, without max_length=12/16."""
    form_field = field.formfield()
    assert type(form_field) is form_class
    assert form_field.max_length is None
    assert form_field.required is not field.blank


# --- Migration state -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "name", "expected"),
    [
        (User, "iin", ("qamqor.core.fields.IINField", {"verbose_name": "IIN", "unique": True})),
        (
            User,
            "phone",
            (
                "qamqor.core.fields.PhoneField",
                {"verbose_name": "mobile phone", "unique": True, "blank": True, "null": True},
            ),
        ),
        (
            Organization,
            "bin",
            ("qamqor.core.fields.BINField", {"verbose_name": "BIN", "unique": True}),
        ),
    ],
)
def test_deconstruct_is_stable(model: type, name: str, expected: tuple) -> None:  # type: ignore[type-arg]
    """R-X-3: the class path and arguments are what the migrations hold; max_length is fixed by
    the class and never written into a migration."""
    field_name, path, args, kwargs = model._meta.get_field(name).deconstruct()
    assert (field_name, path, args) == (name, expected[0], [])
    assert {k: str(v) for k, v in kwargs.items()} == {k: str(v) for k, v in expected[1].items()}


@pytest.mark.parametrize("field_class", [IINField, BINField, PhoneField])
def test_max_length_is_fixed_by_the_class_and_left_out_of_deconstruct(
    field_class: type[IINField | PhoneField],
) -> None:
    """R-X-3: 12 for IIN/BIN, 16 for E.164, whatever the caller passes."""
    field = field_class(max_length=99)
    assert field.max_length == (16 if field_class is PhoneField else 12)
    _name, path, args, kwargs = field.deconstruct()
    assert path == f"qamqor.core.fields.{field_class.__name__}"
    assert (args, kwargs) == ([], {})
    assert field_class(*args, **kwargs).max_length == field.max_length


@pytest.mark.parametrize(
    ("app", "model", "name"),
    [
        ("accounts", "User", "iin"),
        ("accounts", "User", "phone"),
        ("organizations", "Organization", "bin"),
        ("organizations", "Organization", "phone"),
    ],
)
def test_migrations_hold_the_same_field_as_the_model(app: str, model: str, name: str) -> None:
    """R-X-3: no new migration is needed for these fields."""
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    migrated = state.models[(app, model.lower())].fields[name]
    current = {"User": User, "Organization": Organization}[model]._meta.get_field(name)
    assert migrated.deconstruct()[1:] == current.deconstruct()[1:]


# --- Database round trip -------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_round_trip_stores_iin_and_e164_phone() -> None:
    """R-X-3: Aigerim's IIN and phone come back from the database in canonical form, and can be
    looked up by the phone as she types it."""
    aigerim = User.objects.create_user(
        iin=AIGERIM_IIN, surname="Нұрланова", given_name="Айгерім", phone="8 (701) 234-56-78"
    )
    stored = User.objects.values_list("iin", "phone").get(pk=aigerim.pk)
    assert stored == (AIGERIM_IIN, "+77012345678")
    assert User.objects.get(phone="+7 701 234 56 78") == aigerim
    aigerim.refresh_from_db()
    assert aigerim.phone == "+77012345678"


@pytest.mark.django_db
def test_users_without_a_phone_are_stored_with_null_and_do_not_collide() -> None:
    """R-X-3: empty is NULL, so the unique phone column holds many people without a phone."""
    User.objects.create_user(iin=AIGERIM_IIN, surname="Нұрланова", given_name="Айгерім", phone="")
    User.objects.create_user(iin=DAUREN_IIN, surname="Ахметов", given_name="Дәурен", phone="")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM accounts_user WHERE phone IS NULL")
        assert cursor.fetchone() == (2,)
    assert User.objects.filter(phone="").count() == 2  # "" is looked up as NULL too


@pytest.mark.django_db
def test_model_form_saves_typed_values_in_canonical_form() -> None:
    """R-X-3: a ModelForm accepts "900101 300017" and "8 (701) 234-56-78"."""
    form = UserForm(
        {
            "iin": "900101 300017",
            "surname": "Нұрланова",
            "given_name": "Айгерім",
            "phone": "8 (701) 234-56-78",
        }
    )
    assert form.is_valid(), form.errors
    user = form.save()
    assert User.objects.values_list("iin", "phone").get(pk=user.pk) == (
        AIGERIM_IIN,
        "+77012345678",
    )


@pytest.mark.django_db
def test_model_form_with_a_registered_iin_is_refused_and_keeps_the_input() -> None:
    """R-X-3: a second account with the same IIN is refused with a whole sentence; the form
    re-renders with what was typed, and nothing is written."""
    User.objects.create_user(iin=AIGERIM_IIN, surname="Нұрланова", given_name="Айгерім")
    form = UserForm(
        {"iin": "900101 300017", "surname": "Ахметов", "given_name": "Дәурен", "phone": ""}
    )

    assert not form.is_valid()
    assert [(e.code, e.message) for e in form.errors.as_data()["iin"]] == [
        ("unique", IINField().error_messages["unique"])
    ]
    assert 'value="900101 300017"' in str(form["iin"])
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_model_form_without_a_phone_saves_null() -> None:
    """R-X-3: an empty phone in a ModelForm becomes NULL."""
    form = UserForm(
        {"iin": AIGERIM_IIN, "surname": "Нұрланова", "given_name": "Айгерім", "phone": " "}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] is None
    user = form.save()
    assert User.objects.filter(pk=user.pk, phone__isnull=True).exists()
