"""How each form of the portal is built for the abuse suite, and what kind each field is.

``FORMS`` must name every form class that ``discovery.form_classes`` finds (or say in
``NOT_POSTED`` why it is not posted on its own): a new form fails
``test_every_form_is_covered`` until it is added here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from qamqor.core.fields import BINFormField, IINFormField
from tests.abuse import values as V

#: Form class path → keyword arguments of its constructor (besides data/files).
FORMS: dict[str, Callable[[], dict[str, Any]]] = {}


def _users() -> dict[str, Any]:
    from qamqor.accounts.models import User

    return {"users": User.objects.all()}


for _path in [
    "qamqor.accounts.forms.SignatureForm",
    "qamqor.accounts.forms.EsignLoginForm",
    "qamqor.accounts.forms_otp.OtpRequestForm",
    "qamqor.accounts.forms_otp.OtpVerifyForm",
    "qamqor.accounts.forms_representation.RegisterRepresentativeForm",
    "qamqor.accounts.forms_representation.FindRepresentationsForm",
    "qamqor.accounts.forms_representation.EndRepresentationForm",
    "qamqor.applications.forms.ApplicationForm",
    "qamqor.applications.forms.PaperApplicationForm",
    "qamqor.applications.forms.AssignForm",
    "qamqor.applications.forms.ConclusionForm",
    "qamqor.applications.forms.IntendRefusalForm",
    "qamqor.applications.forms.HearingNoticeForm",
    "qamqor.applications.forms.ComplaintForm",
    "qamqor.applications.forms.ComplaintOutcomeForm",
    "qamqor.cabinet.forms.CatalogueSearchForm",
    "qamqor.cabinet.forms.OfferForm",
    "qamqor.cabinet.forms.DecisionForm",
    "qamqor.core.views.DeadlineCalculatorForm",
    "qamqor.journal.forms.AdmissionForm",
    "qamqor.journal.forms.MovementForm",
    "qamqor.journal.forms.OfferForm",
    "qamqor.journal.forms.ArrivalForm",
    "qamqor.journal.forms.PostponementForm",
    "qamqor.organizations.forms.RegistrySearchForm",
    "qamqor.organizations.forms.StaffRegistrySearchForm",
    "qamqor.organizations.forms.ContactsForm",
    "qamqor.organizations.forms.ConsentForm",
    "qamqor.specialists.forms.PersonalForm",
    "qamqor.specialists.forms.ProfessionForm",
    "qamqor.specialists.forms.EducationForm",
    "qamqor.specialists.forms.EmploymentForm",
    "qamqor.specialists.forms.DocumentForm",
    "qamqor.specialists.forms.ConsentForm",
    "qamqor.specialists.forms.DecisionForm",
    "qamqor.specialists.forms.RegistrySearchForm",
]:
    FORMS[_path] = dict
FORMS["qamqor.accounts.forms.DevSignerForm"] = _users

#: Base classes that no view posts on their own (their subclasses are covered).
NOT_POSTED = {
    "qamqor.accounts.forms_otp._DescribedErrorsForm": "base of the OTP forms",
    "qamqor.journal.forms.OrderFields": "base of AdmissionForm and MovementForm",
    "qamqor.specialists.forms.StepForm": "base of the application steps",
    "qamqor.specialists.forms._EntryForm": "base of EducationForm and EmploymentForm",
}


def kind_of(name: str, field: forms.Field) -> str:
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(field, (IINFormField, BINFormField)):
        return "iin"
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        return "date"
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return "number"
    if isinstance(field, forms.BooleanField):
        return "boolean"
    if isinstance(field, forms.ChoiceField):  # includes model choices and multiple choices
        return "choice"
    if name.endswith(("_date", "_on", "_until")):
        return "date_text"  # a date typed as text, checked by the services (forms_data)
    return "text"


_SCRIPTS = [v for v in V.TEXT if v[0] in ("script", "attr_break", "sql", "oversize")]

VALUES: dict[str, list[tuple[str, object]]] = {
    "text": V.TEXT,
    "iin": V.IIN + _SCRIPTS,
    "date": V.DATE + _SCRIPTS,
    "date_text": V.DATE + _SCRIPTS,
    "number": V.NUMBER + _SCRIPTS,
    "boolean": V.BOOLEAN,
    "choice": V.CHOICE,
    "file": _SCRIPTS,  # a text value posted where a file is expected
}

#: Values each kind must refuse (the field must carry an error).
MUST_REFUSE: dict[str, set[str]] = {
    "iin": {label for label, _v in V.IIN} | {"script", "attr_break", "sql", "oversize"},
    "date": {
        "year_10000",
        "feb_30",
        "month_13",
        "text",
        "sql",
        "year_zero",
        "script",
        "attr_break",
        "oversize",
    },
    "number": {
        "nan",
        "infinity",
        "neg_infinity",
        "exponent",
        "text",
        "sql",
        "script",
        "attr_break",
        "oversize",
    },
    "choice": {"unknown", "script", "sql", "huge_int", "negative"},
}
