"""Forms of the registry of specialists. Every field of a step is optional while drafting (the
draft is saved at every step, issue 5 item 1); what R-SPC-2 requires is checked at submission
(``services.missing_items``). A field typed wrongly gets its own kk/ru error and what was typed
is shown again (R-X-3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qamqor.core import selectors as core_selectors
from qamqor.core.fields import BINFormField, PhoneFormField
from qamqor.specialists import selectors
from qamqor.specialists.models import (
    DocumentKind,
    EducationLevel,
    QualificationCategory,
    RefusalReason,
    ReturnReason,
)

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, for example 17.05.1988.")},
        **kwargs,
    )


class StepForm(forms.Form):
    """A step of the application: saves every field that is valid, even when another one is not
    (``valid_values``), so nothing typed correctly waits for the rest."""

    def valid_values(self) -> dict[str, Any]:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}


class PersonalForm(StepForm):
    """R-SPC-2.1–2.4: name, birth date, contacts, residence."""

    surname = forms.CharField(label=_("Surname"), required=False, max_length=100)
    given_name = forms.CharField(label=_("Name"), required=False, max_length=100)
    patronymic = forms.CharField(label=_("Patronymic (if any)"), required=False, max_length=100)
    birth_date = _date(_("Birth date"))
    phone = PhoneFormField(
        label=_("Mobile phone"),
        required=False,
        help_text=_("A Kazakhstan mobile number, for example +7 701 234 56 78."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=core_selectors.regions(),
        to_field_name="kato",
        empty_label=_("Choose the region"),
    )
    locality = forms.CharField(label=_("Locality"), required=False, max_length=200)
    address = forms.CharField(label=_("Registered address"), required=False, max_length=300)

    def clean_birth_date(self) -> dt.date | None:
        value = self.cleaned_data.get("birth_date")
        if value and not (dt.date(1900, 1, 1) <= value <= dt.date.today()):
            raise forms.ValidationError(_("Enter your real birth date."))
        return value


class ProfessionForm(StepForm):
    """R-SPC-2.5, 2.6, 2.9: profession, experience, qualification category."""

    profession = forms.ModelChoiceField(
        label=_("Profession"),
        required=False,
        queryset=selectors.professions(),
        to_field_name="code",
        empty_label=_("Choose the profession"),
    )
    experience_years = forms.IntegerField(
        label=_("Work experience in special social services: years"),
        required=False,
        min_value=0,
        max_value=70,
    )
    experience_months = forms.IntegerField(
        label=_("and months"), required=False, min_value=0, max_value=11
    )
    qualification_category = forms.ChoiceField(
        label=_("Qualification category"),
        required=False,
        choices=[("", _("Choose the category")), *QualificationCategory.choices],
    )
    qualification_date = _date(_("Date the category was assigned"))
    attestation_commission = forms.CharField(
        label=_("Attestation commission (name of the authority)"),
        required=False,
        max_length=300,
    )


class _EntryForm(forms.Form):
    start = _date(_("Start"))
    end = _date(_("End"), help_text=_("Leave empty if it continues."))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        return cleaned

    def entry(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "DELETE"}
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else (v or "")) for k, v in data.items()
        }


class EducationForm(_EntryForm):
    """R-SPC-2.7: level, institution, start, end, document."""

    field_order = ["level", "institution", "start", "end", "document"]
    level = forms.ChoiceField(
        label=_("Level of education"),
        choices=[("", _("Choose the level")), *EducationLevel.choices],
    )
    institution = forms.CharField(label=_("Educational institution"), max_length=300)
    document = forms.CharField(label=_("Document (name, number)"), max_length=200, required=False)


class EmploymentForm(_EntryForm):
    """R-SPC-2.8: organization name, BIN (checked), position, start, end."""

    field_order = ["organization", "bin", "position", "start", "end"]
    organization = forms.CharField(label=_("Organization"), max_length=300)
    bin = BINFormField(label=_("BIN of the organization"))
    position = forms.CharField(label=_("Position"), max_length=200)


EducationFormSet = forms.formset_factory(EducationForm, extra=1, can_delete=True, max_num=20)
EmploymentFormSet = forms.formset_factory(EmploymentForm, extra=1, can_delete=True, max_num=20)


def entries(formset: Any) -> list[dict[str, Any]]:
    """The filled, not deleted rows of a valid formset."""
    out = []
    for form in formset.forms:
        if not form.has_changed() or form.cleaned_data.get("DELETE"):
            continue
        out.append(form.entry())
    return out


def initial_entries(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def value(v: Any) -> Any:
        if isinstance(v, str) and len(v) == 10 and v[4] == "-":
            try:
                return dt.date.fromisoformat(v)
            except ValueError:
                return v
        return v

    return [{k: value(v) for k, v in row.items()} for row in stored]


class DocumentForm(forms.Form):
    """R-SPC-2: a document as PDF, JPEG or PNG (checked by content in ``files``)."""

    kind = forms.ChoiceField(
        label=_("Document"), choices=[("", _("Choose the document")), *DocumentKind.choices]
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class ConsentForm(StepForm):
    """R-SPC-5: consent to publication in the public registry."""

    publication_consent = forms.BooleanField(
        label=_("I agree that my entry is published in the public registry of specialists"),
        required=False,
    )


class DecisionForm(forms.Form):
    """R-SPC-3: register, return with one or more reasons, refuse with one reason; a comment."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("register", _("Register")),
            ("return", _("Return for revision")),
            ("refuse", _("Refuse")),
        ],
    )
    return_reasons = forms.MultipleChoiceField(
        label=_("Reasons to return (one or more)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=ReturnReason.choices,
    )
    refusal_reason = forms.ChoiceField(
        label=_("Reason to refuse (one)"),
        required=False,
        widget=forms.RadioSelect,
        choices=RefusalReason.choices,
    )
    comment = forms.CharField(
        label=_("Comment for the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class RegistrySearchForm(forms.Form):
    """R-SPC-5: search by name; filters by region, profession and qualification category."""

    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    region = forms.ChoiceField(label=_("Region"), required=False)
    profession = forms.ChoiceField(label=_("Profession"), required=False)
    category = forms.ChoiceField(
        label=_("Qualification category"),
        required=False,
        choices=[("", _("Any category")), *QualificationCategory.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region: Any = self.fields["region"]
        region.choices = [("", _("All regions"))] + [
            (r.kato, r.name) for r in core_selectors.regions()
        ]
        profession: Any = self.fields["profession"]
        profession.choices = [("", _("All professions"))] + [
            (p.code, p.name) for p in selectors.professions()
        ]

    def filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {"q": "", "region": "", "profession": "", "category": ""}
        self.is_valid()
        data = self.cleaned_data
        return {k: str(data.get(k) or "") for k in ("q", "region", "profession", "category")}
