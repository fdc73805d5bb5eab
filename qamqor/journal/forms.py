"""Forms of the journal pages: they parse and keep what was typed; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qamqor.core.fields import IINFormField, PhoneFormField
from qamqor.journal.models import MovementKind, PostponementReason, Sex
from qamqor.journal.services import PersonData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrderFields(forms.Form):
    """R-JRN-1: every movement with the order (home care: decision) number and date."""

    on = forms.DateField(label=_("Date"), widget=DATE)
    order_number = forms.CharField(label=_("Order or decision No."), max_length=100)
    order_date = forms.DateField(label=_("Order or decision date"), widget=DATE)


class AdmissionForm(OrderFields):
    iin = IINFormField(label=_("IIN"))
    full_name = forms.CharField(label=_("Surname, name, patronymic"), max_length=300)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    home_address = forms.CharField(label=_("Home address"), max_length=500, required=False)
    phone = PhoneFormField(label=_("Phone"), required=False)
    ipr_until = forms.DateField(label=_("Term of the IPR"), required=False, widget=DATE)
    referral = forms.CharField(
        label=_("Referral (decision number and date)"), max_length=200, required=False
    )
    # R-JRN-4: the registration card (temporary stay).
    medical_examination_on = forms.DateField(
        label=_("Medical examination date"), required=False, widget=DATE
    )
    sanitary_treatment_done = forms.BooleanField(label=_("Sanitary treatment done"), required=False)
    disinfection_done = forms.BooleanField(
        label=_("Clothes and belongings disinfected"), required=False
    )

    def person(self) -> PersonData:
        d = self.cleaned_data
        return PersonData(
            iin=d["iin"],
            full_name=d["full_name"],
            birth_date=d.get("birth_date"),
            sex=d.get("sex") or "",
            home_address=d.get("home_address") or "",
            phone=str(d.get("phone") or ""),
            ipr_until=d.get("ipr_until"),
            referral=d.get("referral") or "",
        )


class MovementForm(OrderFields):
    kind = forms.ChoiceField(
        label=_("Movement"),
        choices=[(k, v) for k, v in MovementKind.choices if k not in ("admission",)],
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    target = forms.IntegerField(
        label=_("Receiving organization (number in the registry), for a transfer"), required=False
    )


class OfferForm(forms.Form):
    arrive_by = forms.DateField(label=_("Arrive by"), widget=DATE)


class ArrivalForm(forms.Form):
    """Admission of the person offered the place (R-JRN-1)."""

    on = forms.DateField(label=_("Date"), widget=DATE)
    order_number = forms.CharField(label=_("Order or decision No."), max_length=100)
    order_date = forms.DateField(label=_("Order or decision date"), widget=DATE)


class PostponementForm(forms.Form):
    """R-QUE-5: the new arrival date and the reason, then the signature."""

    new_date = forms.DateField(label=_("New arrival date"), widget=DATE)
    reason = forms.ChoiceField(label=_("Reason"), choices=PostponementReason.choices)


def initial_dates(**extra: Any) -> dict[str, Any]:
    today = dt.date.today()
    return {"on": today, "order_date": today, **extra}
