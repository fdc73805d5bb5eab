"""Forms of the registry of organizations: the search (R-ORG-4), public and back office, and the
staff's own contacts (R-ORG-2.7) and consent to publication (R-ORG-4)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qamqor.core import selectors as core_selectors
from qamqor.organizations.models import OrganizationStatus, RecipientCategory, ServiceCondition
from qamqor.organizations.services import contact_errors

SORT_CHOICES = [("name", pgettext_lazy("sort by", "name")), ("district", _("district"))]


class RegistrySearchForm(forms.Form):
    """Search by name or BIN and filters; every field optional, a GET form that works without JS.

    The districts offered are those of the chosen region (server-side: a person without
    JavaScript chooses the region, presses Search, then chooses the district).
    """

    q = forms.CharField(
        label=_("Name or BIN"),
        required=False,
        max_length=200,
        help_text=_("A part of the name in Kazakh or Russian, or the first digits of the BIN."),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    district = forms.ChoiceField(
        label=_("District"),
        required=False,
        error_messages={"invalid_choice": _("Choose a district of the chosen region.")},
    )
    condition = forms.ChoiceField(
        label=_("Service condition"),
        required=False,
        choices=[("", _("Any condition")), *ServiceCondition.choices],
    )
    category = forms.ChoiceField(
        label=_("Recipient category"),
        required=False,
        choices=[("", _("Any category")), *RecipientCategory.choices],
    )
    has_vacancy = forms.BooleanField(label=_("Only with vacancies"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.choices = [("", _("All regions"))] + [
            (r.kato, r.name) for r in core_selectors.regions()
        ]
        region = self.data.get("region", "") if self.is_bound else ""
        district_field: Any = self.fields["district"]
        if region:
            district_field.choices = [("", _("All districts"))] + [
                (d.slug, d.name) for d in core_selectors.districts(region_kato=region)
            ]
        else:
            district_field.choices = [("", _("Choose a region first"))]

    def valid_data(self) -> dict[str, Any]:
        """What was typed and is valid; an invalid field is left out (and shown as an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filters(self) -> dict[str, Any]:
        """The valid filters, as keyword arguments of the selector."""
        data = self.valid_data()
        return {
            "q": data.get("q", ""),
            "region": data.get("region", ""),
            "district": data.get("district", ""),
            "condition": data.get("condition", ""),
            "category": data.get("category", ""),
            "has_vacancy": bool(data.get("has_vacancy")),
        }

    @property
    def sort_order(self) -> str:
        return str(self.valid_data().get("sort") or "name")


class StaffRegistrySearchForm(RegistrySearchForm):
    """The back-office search adds the status of the entry (R-ORG-3)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *OrganizationStatus.choices],
    )

    def filters(self) -> dict[str, Any]:
        out = super().filters()
        out["status"] = self.valid_data().get("status", "")
        return out


class ContactsForm(forms.Form):
    """The organization's phone and e-mail (R-ORG-2.7), edited by its staff or the registry
    administrator. Every field is checked at once with the service's own rules
    (``services.contact_errors``); the service checks them again when it saves."""

    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        help_text=_("A Kazakhstan number, for example +7 701 234 56 78. Leave empty if none."),
        widget=forms.TelInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, message in contact_errors(cleaned).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned


class ConsentForm(forms.Form):
    """Give or withdraw consent to publication in the public registry (R-ORG-4)."""

    GIVE = "give"
    WITHDRAW = "withdraw"

    consent = forms.ChoiceField(
        label=_("Consent to publication"),
        choices=[(GIVE, _("Give consent")), (WITHDRAW, _("Withdraw consent"))],
        error_messages={
            "required": _("Choose whether to give or withdraw consent."),
            "invalid_choice": _("Choose whether to give or withdraw consent."),
        },
    )

    @property
    def consented(self) -> bool:
        return self.cleaned_data["consent"] == self.GIVE
