"""Model and form fields for Kazakhstan identifiers (R-X-3).

The model fields store the canonical form (IIN/BIN: 12 ASCII digits; phone: E.164) and keep
their migration state small: ``max_length`` is fixed by the class and left out of
``deconstruct()``. The form fields accept what people type (spaces in an IIN, ``8 (701)
234-56-78``), refuse with the whole-sentence messages of ``identifiers`` and, like every Django
field, re-render the raw input on error, so nothing entered is lost.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from qamqor.core import identifiers


def _without_length_validators(field_validators: list[Any]) -> None:
    # Our parsers say "must be exactly 12 digits"; Django's "Ensure this value has at most 12
    # characters" next to it would be a second, vaguer message for the same mistake.
    field_validators[:] = [
        v
        for v in field_validators
        if not isinstance(v, validators.MaxLengthValidator | validators.MinLengthValidator)
    ]


# --- Form fields -------------------------------------------------------------------------------


class _TwelveDigitsFormField(forms.CharField):
    """A 12-digit identifier typed by a person: spaces are removed, then the parser decides."""

    def __init__(self, **kwargs: Any) -> None:
        # A model field passes max_length=12; typed input may carry spaces ("900101 300017"),
        # so the length is checked after normalising, by the parser.
        kwargs.pop("max_length", None)
        kwargs.pop("min_length", None)
        super().__init__(**kwargs)
        # No HTML maxlength/pattern: the browser would cut or block input with spaces and answer
        # in its own language; the server's message is the one in the person's language.
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return identifiers.strip_spaces(value) or self.empty_value

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value not in self.empty_values:
            self.check_identifier(value)

    def check_identifier(self, value: str) -> None:
        raise NotImplementedError


class IINFormField(_TwelveDigitsFormField):
    """An IIN typed by a person; cleans to 12 ASCII digits."""

    default_error_messages = {"required": identifiers.IIN_MESSAGES["required"]}

    def check_identifier(self, value: str) -> None:
        identifiers.validate_iin(value)


class BINFormField(_TwelveDigitsFormField):
    """A BIN typed by a person; cleans to 12 ASCII digits."""

    default_error_messages = {"required": identifiers.BIN_MESSAGES["required"]}

    def check_identifier(self, value: str) -> None:
        identifiers.validate_bin(value)


class PhoneFormField(forms.CharField):
    """A Kazakhstan phone number typed by a person; cleans to E.164 (``+77012345678``)."""

    widget = forms.TelInput
    default_error_messages = {"required": identifiers.PHONE_MESSAGES["required"]}

    def __init__(self, **kwargs: Any) -> None:
        # A model field passes max_length=16 (E.164), but "8 (701) 234-56-78" is 17 characters.
        kwargs.pop("max_length", None)
        kwargs.pop("min_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return identifiers.normalize_phone(value)


# --- Model fields ------------------------------------------------------------------------------


class IINField(models.CharField):
    """An IIN: 12 ASCII digits with a valid check digit and structure (R-X-3)."""

    description = _("IIN (12 digits with a check digit)")
    default_validators = [identifiers.validate_iin]
    default_error_messages = {
        "blank": identifiers.IIN_MESSAGES["required"],
        "null": identifiers.IIN_MESSAGES["required"],
        "unique": _("This IIN is already registered."),
    }
    form_field_class: type[forms.Field] = IINFormField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = 12
        super().__init__(*args, **kwargs)
        _without_length_validators(self.validators)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if isinstance(value, str):
            return identifiers.strip_spaces(value)
        return value

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(
            form_class=form_class or self.form_field_class,
            choices_form_class=choices_form_class,
            **kwargs,
        )


class BINField(IINField):
    """A BIN: 12 ASCII digits with a valid check digit and structure (R-X-3)."""

    description = _("BIN (12 digits with a check digit)")
    default_validators = [identifiers.validate_bin]
    default_error_messages = {
        "blank": identifiers.BIN_MESSAGES["required"],
        "null": identifiers.BIN_MESSAGES["required"],
        "unique": _("This BIN is already registered."),
    }
    form_field_class = BINFormField


class PhoneField(models.CharField):
    """A Kazakhstan phone number stored in E.164; accepts what people type (R-X-3).

    With ``null=True`` an empty number is stored as NULL, so ``unique=True`` holds for the many
    people without one; with ``null=False`` it is stored as ``""``.
    """

    description = _("Kazakhstan phone number")
    default_error_messages = {
        "blank": identifiers.PHONE_MESSAGES["required"],
        "null": identifiers.PHONE_MESSAGES["required"],
        "unique": _("This phone number is already registered."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = 16
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return identifiers.normalize_phone(value)
        except ValidationError:
            return value  # validate() reports it, with the raw value kept

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        if value not in self.empty_values:
            identifiers.normalize_phone(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)  # CharField runs to_python: E.164 when valid
        if value in self.empty_values:
            return None if self.null else ""
        return value

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(
            form_class=form_class or PhoneFormField,
            choices_form_class=choices_form_class,
            **kwargs,
        )
