"""Forms of the cabinet pages: they parse and keep what was typed; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qamqor.cabinet.models import CatalogueItem
from qamqor.core.models import Region


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    everything = forms.BooleanField(
        label=_("Show offers for all rehabilitation means and services"), required=False
    )


class OfferForm(forms.Form):
    item = forms.ModelChoiceField(
        queryset=CatalogueItem.objects.filter(is_active=True).order_by("code"),
        label=_("Rehabilitation means or service"),
        empty_label=_("Choose from the catalogue"),
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.order_by("kato"),
        label=_("Regions you deliver to"),
        widget=forms.CheckboxSelectMultiple,
    )
    price = forms.DecimalField(
        label=_("Price per unit, tenge"), min_value=1, max_digits=12, decimal_places=2
    )
    delivery_days = forms.IntegerField(
        label=_("Delivery within, calendar days"), min_value=1, max_value=365
    )
    delivery_terms = forms.CharField(
        label=_("Delivery terms"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and pay")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason of the rejection"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
