"""Forms of the one-time-code login (R-SPC-1). They check input only; the rules are in otp.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qamqor.accounts.models import OneTimeCode
from qamqor.accounts.otp import CODE_DIGITS, Applicant, normalize_destination
from qamqor.core.errors import DomainError
from qamqor.core.fields import IINFormField


class _DescribedErrorsForm(forms.Form):
    """Ties each field's error message (``<id>_error``) and hint (``<id>_helptext``) to its input
    with aria-describedby, so a screen reader reads them when the input gets focus."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            auto_id = self[name].auto_id
            ids = [f"{auto_id}_error"]
            if field.help_text:
                ids.insert(0, f"{auto_id}_helptext")
            field.widget.attrs["aria-describedby"] = " ".join(ids)


class OtpRequestForm(_DescribedErrorsForm):
    channel = forms.ChoiceField(
        label=_("Send the code by"),
        choices=OneTimeCode.Channel.choices,
        initial=OneTimeCode.Channel.SMS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how to receive the code: SMS or e-mail.")},
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        required=False,
        max_length=32,
        help_text=_("For a code by SMS. For example: +7 701 234 56 78."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=_("For a code by e-mail."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    iin = IINFormField(label=_("IIN"), help_text=_("12 digits, as in your identity document."))
    surname = forms.CharField(
        label=_("Surname"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Enter your surname.")},
    )
    given_name = forms.CharField(
        label=pgettext_lazy("person", "Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Enter your name.")},
    )
    patronymic = forms.CharField(
        label=_("Patronymic (if any)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "additional-name"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        channel = cleaned.get("channel")
        if channel:
            field = "phone" if channel == OneTimeCode.Channel.SMS else "email"
            if not cleaned.get(field):
                self.add_error(
                    field,
                    _("Enter your mobile phone number.")
                    if field == "phone"
                    else _("Enter your e-mail."),
                )
            else:
                try:
                    cleaned["destination"] = normalize_destination(channel, cleaned[field])
                except DomainError as exc:
                    self.add_error(exc.field or field, str(exc.message))
        return cleaned

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            iin=data["iin"],
            surname=data["surname"],
            given_name=data["given_name"],
            patronymic=data.get("patronymic", ""),
        )


class OtpVerifyForm(_DescribedErrorsForm):
    code = forms.CharField(
        label=_("Code from the message"),
        max_length=20,
        help_text=_("6 digits."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Enter the code from the message.")},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(
                _("Enter the 6 digits of the code from the message."), code="format"
            )
        return code
