"""Forms of the state service pages. They parse and re-render what was typed; the rules live in
``forms_data`` (fields of forms 1/2/5/6) and the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qamqor.applications.forms_data import (
    BY_INDICATION,
    MANDATORY_EXAMINATIONS,
    MANDATORY_TESTS,
    STATIONARY_ONLY,
)
from qamqor.applications.models import Channel, Complaint, FormKind, RefusalGround, Stay
from qamqor.core.fields import IINFormField

DATE_HELP = _("DD.MM.YYYY")


class ApplicationForm(forms.Form):
    """Form 1 / form 2 (R-SVC-3) with the documents (R-SVC-2) and the medical card (R-SVC-16).
    Facts from the recipient file are shown, not asked again (R-SVC-2)."""

    form_kind = forms.ChoiceField(label=_("Form"), choices=FormKind.choices)
    stay = forms.ChoiceField(label=_("Stay"), choices=Stay.choices)
    residence_address = forms.CharField(label=_("Residence address"), max_length=500)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    allowance_kind = forms.CharField(label=_("Kind of allowance"), max_length=200, required=False)
    allowance_amount = forms.CharField(
        label=_("Amount of allowance, tenge"), max_length=20, required=False
    )
    identity_document_number = forms.CharField(
        label=_("Identity document number"), max_length=32, required=False
    )
    identity_document_issued_on = forms.CharField(
        label=_("Identity document date"), max_length=10, required=False, help_text=DATE_HELP
    )
    identity_document_valid_until = forms.CharField(
        label=_("Identity document valid until"), max_length=10, required=False, help_text=DATE_HELP
    )
    medical_organization = forms.CharField(
        label=_("Medical organization"), max_length=300, required=False
    )
    anamnesis = forms.CharField(
        label=_("Brief anamnesis"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    epidemiological_conclusion = forms.CharField(
        label=_("Epidemiological conclusion"), max_length=500, required=False
    )
    commission_conclusion = forms.CharField(
        label=_("Conclusion of the medical advisory commission on contraindications"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    commission_date = forms.CharField(
        label=_("Date of the commission's conclusion"),
        max_length=10,
        required=False,
        help_text=DATE_HELP,
    )
    consent_personal_data = forms.BooleanField(
        label=_(
            "I consent to the collection and processing of my restricted personal data "
            "(Law on personal data, art. 8) until the service ends"
        ),
        required=False,
    )
    consent_relatives_data = forms.BooleanField(
        label=_("I consent to the use of data on my adult children and spouse"), required=False
    )
    liability_acknowledged = forms.BooleanField(
        label=_("I am warned of liability for giving false data"), required=False
    )
    conditions_acknowledged = forms.BooleanField(
        label=_("I have read the conditions of admission, stay, transfer and discharge"),
        required=False,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.examination_fields: list[tuple[str, str, str]] = []
        for group, items in (
            ("exam", {**MANDATORY_EXAMINATIONS, **BY_INDICATION, **STATIONARY_ONLY}),
            ("test", MANDATORY_TESTS),
        ):
            for key, label in items.items():
                date_name, result_name = f"{group}_{key}_date", f"{group}_{key}_result"
                self.fields[date_name] = forms.CharField(
                    label=_("%(item)s: date") % {"item": label}, max_length=10, required=False
                )
                self.fields[result_name] = forms.CharField(
                    label=_("%(item)s: result") % {"item": label}, max_length=300, required=False
                )
                self.examination_fields.append((str(label), date_name, result_name))

    def examination_rows(self) -> list[tuple[str, Any, Any]]:
        return [(label, self[d], self[r]) for label, d, r in self.examination_fields]

    def medical_card(self) -> dict[str, Any]:
        data = self.cleaned_data
        card: dict[str, Any] = {
            "medical_organization": data.get("medical_organization", ""),
            "anamnesis": data.get("anamnesis", ""),
            "epidemiological_conclusion": data.get("epidemiological_conclusion", ""),
            "examinations": {},
            "tests": {},
        }
        for group, target in (("exam", "examinations"), ("test", "tests")):
            for name in self.fields:
                if name.startswith(f"{group}_") and name.endswith("_date"):
                    key = name[len(group) + 1 : -len("_date")]
                    date = data.get(name, "")
                    result = data.get(f"{group}_{key}_result", "")
                    if date or result:
                        card[target][key] = {"date": date, "result": result}
        if data.get("commission_conclusion") or data.get("commission_date"):
            card["commission"] = {
                "conclusion": data.get("commission_conclusion", ""),
                "date": data.get("commission_date", ""),
            }
        if not any(
            (card["medical_organization"], card["anamnesis"], card["examinations"], card["tests"])
        ):
            return {}
        return card

    def documents(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        if not data.get("identity_document_number"):
            return []
        return [
            {
                "kind": "identity_document",
                "number": data["identity_document_number"],
                "issued_on": data.get("identity_document_issued_on", ""),
                "valid_until": data.get("identity_document_valid_until", ""),
            }
        ]


class PaperApplicationForm(ApplicationForm):
    """Staff enter a paper application (R-SVC-1: State Corporation or local executive body)."""

    recipient_iin = IINFormField(label=_("IIN of the recipient"))
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in Channel.choices if c[0] != Channel.PORTAL],
    )
    filed_by_representative = forms.BooleanField(
        label=_("Filed by a legal representative"), required=False
    )


class AssignForm(forms.Form):
    social_worker = forms.TypedChoiceField(label=_("Social worker"), coerce=int)


class ConclusionForm(forms.Form):
    needs_services = forms.TypedChoiceField(
        label=_("Does the person need special social services?"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    recommended_form = forms.ChoiceField(
        label=_("Recommended conditions"),
        choices=[("", "—"), *FormKind.choices],
        required=False,
    )
    findings = forms.CharField(
        label=_("Findings of the assessment"), widget=forms.Textarea(attrs={"rows": 5})
    )


class IntendRefusalForm(forms.Form):
    ground = forms.TypedChoiceField(
        label=_("Ground for refusal (R-SVC-10)"), choices=RefusalGround.choices, coerce=int
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class HearingNoticeForm(forms.Form):
    hearing_at = forms.DateTimeField(
        label=_("Hearing date and time"),
        input_formats=["%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Place or way of the hearing"), max_length=300)


class ComplaintForm(forms.Form):
    subject = forms.ChoiceField(label=_("About"), choices=Complaint.Subject.choices)
    filed_to = forms.ChoiceField(label=_("Filed to"), choices=Complaint.FiledTo.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintOutcomeForm(forms.Form):
    complaint = forms.IntegerField(widget=forms.HiddenInput)
    state = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in Complaint.State.choices if c[0] != Complaint.State.REGISTERED],
    )
    comment = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 2}))
