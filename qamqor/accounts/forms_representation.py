"""Forms of acting on behalf (R-QUE-5, R-SVC-1): the staff registration form and the choice of
whom to act for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.models import LegalRepresentative
from qamqor.core.fields import IINFormField


class RegisterRepresentativeForm(forms.Form):
    """Staff type both persons by IIN; names are needed only for a person not registered yet."""

    representative_iin = IINFormField(label=_("IIN of the representative"))
    representative_surname = forms.CharField(
        label=_("Surname of the representative"), max_length=100, required=False
    )
    representative_given_name = forms.CharField(
        label=_("Name of the representative"), max_length=100, required=False
    )
    representative_patronymic = forms.CharField(
        label=_("Patronymic of the representative"), max_length=100, required=False
    )
    represented_iin = IINFormField(label=_("IIN of the represented person"))
    represented_surname = forms.CharField(
        label=_("Surname of the represented person"), max_length=100, required=False
    )
    represented_given_name = forms.CharField(
        label=_("Name of the represented person"), max_length=100, required=False
    )
    represented_patronymic = forms.CharField(
        label=_("Patronymic of the represented person"), max_length=100, required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of representation"),
        choices=LegalRepresentative.Kind.choices,
        error_messages={
            "required": _("Choose the kind of representation."),
            "invalid_choice": _("Choose the kind of representation."),
        },
    )
    basis = forms.CharField(
        label=_("Basis"),
        max_length=300,
        help_text=_(
            "The document that makes this person the representative, with its number and date."
        ),
        error_messages={
            "required": _("Name the document that makes this person the representative.")
        },
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date from which the representation is valid."),
            "invalid": _("Enter a date like 2026-01-31."),
        },
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("Leave empty if the representation has no end date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date like 2026-01-31.")},
    )

    def person_fields(self, prefix: str) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "iin": data[f"{prefix}_iin"],
            "surname": data.get(f"{prefix}_surname", ""),
            "given_name": data.get(f"{prefix}_given_name", ""),
            "patronymic": data.get(f"{prefix}_patronymic", ""),
        }


class FindRepresentationsForm(forms.Form):
    """Staff look up the open representations of a person by IIN."""

    iin = IINFormField(label=_("IIN of the representative or the represented person"))


class EndRepresentationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the representation ends"),
        max_length=500,
        error_messages={"required": _("Say why the representation ends.")},
    )
