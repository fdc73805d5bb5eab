"""Validation of the fields of forms 1/2 (R-SVC-3) and the medical card of forms 5/6
(R-SVC-16), shared by the pages and the API. Each problem is ``(field, code, message)`` with a
dotted field path; a form with problems is never saved.

Malformed values are bad input (``validate_*``); a well-formed card that lacks a mandatory
examination or test is an incomplete set of documents, found by the intake check
(``medical_card_gaps``, R-SVC-4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qamqor.applications.models import DisabilityGroup, FormKind, Stay
from qamqor.core.identifiers import normalize_phone, parse_iin

Problem = tuple[str, str, str]

# R-SVC-16: the examinations of forms 5/6, in their order.
MANDATORY_EXAMINATIONS = {
    "neuropathologist": gettext_lazy("neuropathologist"),
    "psychiatrist": gettext_lazy("psychiatrist"),
    "dermatovenerologist": gettext_lazy("dermatovenerologist"),
    "phthisiatrist": gettext_lazy("phthisiatrist (with fluorography)"),
    "therapist": gettext_lazy("therapist or pediatrician"),
}
BY_INDICATION = {
    "endocrinologist": gettext_lazy("endocrinologist"),
    "cardiologist": gettext_lazy("cardiologist"),
    "orthopaedist": gettext_lazy("orthopaedist"),
    "narcologist": gettext_lazy("narcologist"),
    "oncologist": gettext_lazy("oncologist"),
    "gynaecologist_urologist": gettext_lazy("gynaecologist (urologist)"),
}
STATIONARY_ONLY = {
    "surgeon": gettext_lazy("surgeon"),
    "oculist": gettext_lazy("oculist"),
    "otolaryngologist": gettext_lazy("otolaryngologist"),
}
MANDATORY_TESTS = {
    "blood_count": gettext_lazy("complete blood count"),
    "hiv": gettext_lazy("HIV test"),
    "syphilis": gettext_lazy("syphilis test"),
    "urine": gettext_lazy("urine analysis"),
    "helminth_eggs": gettext_lazy("helminth eggs"),
    "e_coli": gettext_lazy("E. coli group"),
    "meningococcus": gettext_lazy("meningococcus"),
}
OPTIONAL_TESTS = {"swabs": gettext_lazy("swabs (persons over 18 with psychoneurological diseases)")}
CARD_TEXT_FIELDS = ("medical_organization", "anamnesis", "epidemiological_conclusion")

# R-SVC-2: the documents of appendix 3 item 8.
DOCUMENT_KINDS = {
    "identity_document": gettext_lazy("identity document"),
    "medical_card": gettext_lazy("medical card (form 5 or 6) with an outpatient record extract"),
    "court_decision": gettext_lazy("copy of the court decision on incapacity"),
    "other": gettext_lazy("other document"),
}


EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_YEARS_AHEAD = 50


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _check_date(
    problems: list[Problem], where: str, value: Any, *, required: bool, past: bool = True
) -> dt.date | None:
    try:
        day = _date(value)
    except ValueError:
        problems.append((where, "date.invalid", _("Write the date as DD.MM.YYYY.")))
        return None
    if day is None and required:
        problems.append((where, "required", _("This field is required.")))
    if day is not None and past and day > timezone.localdate():
        problems.append((where, "date.future", _("This date is in the future.")))
    # Issue 10 (input abuse): year 0001 or 9999 is a typing error, not a date of a document.
    elif day is not None and day < EARLIEST_DATE:
        problems.append((where, "date.too_early", _("This date is too far in the past.")))
    elif day is not None and day.year > timezone.localdate().year + LATEST_YEARS_AHEAD:
        problems.append((where, "date.too_late", _("This date is too far in the future.")))
    return day


def _people(problems: list[Problem], name: str, people: Any) -> None:
    if people in (None, ""):
        return
    if not isinstance(people, list):
        problems.append((name, "people.format", _("Write a list of persons.")))
        return
    for i, person in enumerate(people):
        where = f"{name}[{i}]"
        if not isinstance(person, dict):
            problems.append((where, "people.format", _("Write a list of persons.")))
            continue
        for key in ("full_name", "relationship"):
            if not str(person.get(key) or "").strip():
                problems.append((f"{where}.{key}", "required", _("This field is required.")))
        if str(person.get("iin") or "").strip():
            try:
                parse_iin(person["iin"])
            except ValidationError as exc:
                problems.append((f"{where}.iin", "iin.invalid", " ".join(exc.messages)))
        if str(person.get("phone") or "").strip():
            try:
                normalize_phone(person["phone"])
            except ValidationError as exc:
                problems.append((f"{where}.phone", "phone.invalid", " ".join(exc.messages)))


def validate_form(form_kind: str, stay: str, data: dict[str, Any]) -> list[Problem]:
    """R-SVC-3: the fields of form 1 (stationary: permanent or temporary) or form 2
    (semi-stationary: day stay)."""
    problems: list[Problem] = []
    if form_kind not in FormKind.values:
        problems.append(("form_kind", "choice", _("Choose form 1 or form 2.")))
        return problems
    allowed = (Stay.PERMANENT, Stay.TEMPORARY) if form_kind == FormKind.STATIONARY else (Stay.DAY,)
    if stay not in allowed:
        problems.append(
            (
                "stay",
                "choice",
                _("Form 1 is for a permanent or temporary stay; form 2 for a day stay."),
            )
        )
    required = ["full_name", "birth_date", "residence_address"]
    if form_kind == FormKind.STATIONARY:
        required += [
            "identity_document_number",
            "identity_document_issued_on",
            "registration_address",
            "birthplace",
            "disability_category",
        ]
    for key in required:
        if key in ("birth_date", "identity_document_issued_on"):
            continue
        if not str(data.get(key) or "").strip():
            problems.append((key, "required", _("This field is required.")))
    _check_date(problems, "birth_date", data.get("birth_date"), required=True)
    if form_kind == FormKind.STATIONARY:
        _check_date(
            problems,
            "identity_document_issued_on",
            data.get("identity_document_issued_on"),
            required=True,
        )
        category = str(data.get("disability_category") or "")
        if category and category not in DisabilityGroup.values:
            problems.append(("disability_category", "choice", _("Choose a disability category.")))
        amount = str(data.get("allowance_amount") or "").strip()
        if amount:
            try:
                if Decimal(amount.replace(",", ".").replace(" ", "")) < 0:
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(
                    (
                        "allowance_amount",
                        "amount.invalid",
                        _("Write the amount in tenge, e.g. 85000."),
                    )
                )
        _people(problems, "legal_representatives", data.get("legal_representatives"))
        _people(problems, "relatives", data.get("relatives"))
    if str(data.get("phone") or "").strip():
        try:
            normalize_phone(data["phone"])
        except ValidationError as exc:
            problems.append(("phone", "phone.invalid", " ".join(exc.messages)))
    return problems


def validate_documents(documents: Any) -> list[Problem]:
    """R-SVC-2: the list of attached documents: kind, number, issued_on, valid_until."""
    problems: list[Problem] = []
    if not isinstance(documents, list):
        return [("attached_documents", "documents.format", _("Write a list of documents."))]
    for i, doc in enumerate(documents):
        where = f"attached_documents[{i}]"
        if not isinstance(doc, dict):
            problems.append((where, "documents.format", _("Write a list of documents.")))
            continue
        if doc.get("kind") not in DOCUMENT_KINDS:
            problems.append((f"{where}.kind", "choice", _("Choose the kind of document.")))
        issued = _check_date(problems, f"{where}.issued_on", doc.get("issued_on"), required=False)
        until = _check_date(
            problems, f"{where}.valid_until", doc.get("valid_until"), required=False, past=False
        )
        if issued and until and until < issued:
            problems.append(
                (
                    f"{where}.valid_until",
                    "date.order",
                    _("The document cannot expire before it was issued."),
                )
            )
    return problems


def validate_medical_card(form_kind: str, card: Any) -> list[Problem]:
    """R-SVC-16: the values of the medical card (form 5 stationary / form 6 semi-stationary):
    every examination and test given has a valid past date and a result."""
    problems: list[Problem] = []
    if card in (None, {}, ""):
        return problems  # a missing card is an incomplete set (intake check)
    if not isinstance(card, dict):
        return [("medical_card", "card.format", _("The medical card is not readable."))]
    specialists = {**MANDATORY_EXAMINATIONS, **BY_INDICATION}
    if form_kind == FormKind.STATIONARY:
        specialists.update(STATIONARY_ONLY)
    for group, known in (
        ("examinations", specialists),
        ("tests", {**MANDATORY_TESTS, **OPTIONAL_TESTS}),
    ):
        entries = card.get(group) or {}
        if not isinstance(entries, dict):
            problems.append((f"medical_card.{group}", "card.format", _("Not readable.")))
            continue
        for key, entry in entries.items():
            where = f"medical_card.{group}.{key}"
            if key not in known:
                problems.append((where, "card.unknown", _("Not an item of this medical card.")))
                continue
            if not isinstance(entry, dict):
                problems.append((where, "card.format", _("Give the date and the result.")))
                continue
            _check_date(problems, f"{where}.date", entry.get("date"), required=True)
            if not str(entry.get("result") or "").strip():
                problems.append((f"{where}.result", "required", _("Write the result.")))
    commission = card.get("commission") or {}
    if not isinstance(commission, dict):  # issue 10 (input abuse): a string here was a 500
        problems.append(("medical_card.commission", "card.format", _("Not readable.")))
    elif commission:
        _check_date(problems, "medical_card.commission.date", commission.get("date"), required=True)
    return problems


def medical_card_gaps(form_kind: str, card: dict[str, Any]) -> list[str]:
    """R-SVC-4, R-SVC-16: the mandatory parts missing from a (well-formed) medical card, as
    readable names for the receipt of refusal."""
    if not card:
        return [str(DOCUMENT_KINDS["medical_card"])]
    gaps: list[str] = []
    for key in CARD_TEXT_FIELDS:
        if not str(card.get(key) or "").strip():
            gaps.append(str(CARD_LABELS[key]))
    examinations = card.get("examinations") or {}
    gaps += [str(label) for key, label in MANDATORY_EXAMINATIONS.items() if key not in examinations]
    tests = card.get("tests") or {}
    gaps += [str(label) for key, label in MANDATORY_TESTS.items() if key not in tests]
    commission = card.get("commission") or {}
    if not str(commission.get("conclusion") or "").strip():
        gaps.append(str(CARD_LABELS["commission"]))
    return gaps


CARD_LABELS = {
    "medical_organization": gettext_lazy("medical organization"),
    "anamnesis": gettext_lazy("brief anamnesis"),
    "epidemiological_conclusion": gettext_lazy("epidemiological conclusion"),
    "commission": gettext_lazy("conclusion of the medical advisory commission"),
}
