"""The search form of the registry of organizations (R-ORG-4), public and back office."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qamqor.core import selectors as core_selectors
from qamqor.organizations.models import OrganizationStatus, RecipientCategory, ServiceCondition

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
