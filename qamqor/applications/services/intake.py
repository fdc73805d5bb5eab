"""Filing an application through the three channels and the intake check (R-SVC-1…6).

``file_application`` validates every field (bad input changes nothing), then runs the intake
check: an incomplete set or expired documents is refused at intake (R-SVC-4, status
``refused_at_intake``, with the list for the receipt of refusal, form 4); a missing consent to
restricted personal data is refusal ground 4 (R-SVC-10); a complete set is registered (R-SVC-5)
with the overall term of 17 working days (R-SVC-6).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qamqor.accounts import signing
from qamqor.accounts.models import User
from qamqor.accounts.permissions import require
from qamqor.applications import notices
from qamqor.applications.forms_data import (
    DOCUMENT_KINDS,
    medical_card_gaps,
    validate_documents,
    validate_form,
    validate_medical_card,
)
from qamqor.applications.models import Application, Channel, Recipient, RefusalGround, Transition
from qamqor.applications.services.common import new_number, term
from qamqor.applications.workflow import Status
from qamqor.core.audit import record_event
from qamqor.core.calendar import next_working_day, portal_registration_date
from qamqor.core.errors import DomainError, NotFoundError, PermissionDeniedError

ADULT_AGE = 18


@dataclass
class Filing:
    """What is filed: the recipient by IIN, the form, its fields, documents and consents."""

    recipient_iin: str
    channel: str
    form_kind: str
    stay: str
    form_data: dict[str, Any] = field(default_factory=dict)
    attached_documents: list[dict[str, Any]] = field(default_factory=list)
    medical_card: dict[str, Any] = field(default_factory=dict)
    consent_personal_data: bool = False
    consent_relatives_data: bool = False
    liability_acknowledged: bool = False
    conditions_acknowledged: bool = False
    idempotency_key: str = ""


class InvalidFiling(DomainError):
    """Bad input: every problem with its field; nothing was saved."""

    status_code = 422

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        super().__init__(
            "applications.invalid", _("Correct the marked fields."), field=problems[0][0]
        )
        self.problems = problems

    def as_errors(self) -> list[dict[str, Any]]:
        return [{"field": f, "code": c, "message": m} for f, c, m in self.problems]


def recipient_form_data(recipient: Recipient) -> dict[str, Any]:
    """R-SVC-2: the fields of form 1/2 that come from the recipient file (not asked again)."""
    return {
        "full_name": recipient.full_name,
        "iin": recipient.iin,
        "birth_date": recipient.birth_date.isoformat(),
        "birthplace": recipient.birthplace,
        "registration_address": recipient.registration_address,
        "residence_address": recipient.residence_address,
        "phone": str(recipient.phone or ""),
        "identity_document_number": recipient.identity_document_number,
        "identity_document_issued_on": (
            recipient.identity_document_issued_on.isoformat()
            if recipient.identity_document_issued_on
            else ""
        ),
        "disability_category": recipient.disability_group,
        "allowance_kind": recipient.allowance_kind,
        "allowance_amount": str(recipient.allowance_amount or ""),
        "legal_representatives": recipient.legal_representatives,
        "relatives": recipient.relatives,
    }


def validate_filing(filing: Filing) -> list[tuple[str, str, str]]:
    problems = validate_form(filing.form_kind, filing.stay, filing.form_data)
    problems += validate_documents(filing.attached_documents)
    problems += validate_medical_card(filing.form_kind, filing.medical_card)
    if filing.channel not in Channel.values:
        problems.append(("channel", "choice", _("Choose the channel.")))
    for name in ("liability_acknowledged", "conditions_acknowledged"):
        if not getattr(filing, name):
            problems.append((name, "required", _("Confirm that you have read this.")))
    return problems


def intake_problems(
    filing: Filing, recipient: Recipient, on: dt.date, *, represented: bool = False
) -> list[dict[str, str]]:
    """R-SVC-4: what is missing or expired on the day of acceptance ``on``, for form 4."""
    problems: list[dict[str, str]] = []
    kinds = {d.get("kind") for d in filing.attached_documents}
    # The identity document comes from the digital documents service when the file holds it.
    if "identity_document" not in kinds and not recipient.identity_document_number:
        problems.append(
            {"document": str(DOCUMENT_KINDS["identity_document"]), "problem": "missing"}
        )
    for doc in filing.attached_documents:
        until = doc.get("valid_until")
        if until and dt.date.fromisoformat(str(until)[:10]) < on:
            label = str(DOCUMENT_KINDS.get(doc.get("kind", "other"), doc.get("kind")))
            number = str(doc.get("number") or "")
            problems.append(
                {"document": f"{label} {number}".strip(), "problem": "expired", "until": until}
            )
    for gap in medical_card_gaps(filing.form_kind, filing.medical_card):
        problems.append({"document": gap, "problem": "missing"})
    # R-SVC-2: no incapacity data for an adult filed for by a representative → court decision.
    age = (on - recipient.birth_date).days // 365
    represented = represented or bool(filing.form_data.get("filed_by_representative"))
    if (
        represented
        and recipient.is_incapacitated is None
        and age >= ADULT_AGE
        and "court_decision" not in kinds
    ):
        problems.append({"document": str(DOCUMENT_KINDS["court_decision"]), "problem": "missing"})
    return problems


def _convert_dates(filing: Filing) -> None:
    for doc in filing.attached_documents:
        for key in ("issued_on", "valid_until"):
            value = doc.get(key)
            if value and "." in str(value):
                doc[key] = dt.datetime.strptime(str(value), "%d.%m.%Y").date().isoformat()


def _check_channel(
    actor: User,
    filing: Filing,
    recipient: Recipient,
    on_behalf_of: User | None,
    cms: bytes | str | None,
) -> None:
    if filing.channel == Channel.PORTAL:
        # R-SVC-1: the recipient, or their legal representative acting for them, signs.
        person = on_behalf_of or actor
        if person.iin != recipient.iin:
            raise PermissionDeniedError(
                "applications.not_your_file",
                _("You may apply only for yourself or for the person you represent."),
                field="recipient_iin",
            )
        if not cms:
            raise DomainError(
                "applications.signature_required",
                _("Sign the application with your e-signature."),
                field="signature",
            )
        return
    perm = (
        "applications.enter_state_corporation"
        if filing.channel == Channel.STATE_CORPORATION
        else "applications.manage_case"
    )
    require(actor, perm, recipient)


PORTAL_ACT = "applications.application"


def portal_act(filing: Filing, signer: User, on_behalf_of: User | None) -> dict[str, Any]:
    """What the person signs on the portal (R-SVC-1, R-X-2): the whole filing."""
    return {
        "act": PORTAL_ACT,
        "recipient_iin": filing.recipient_iin,
        "signer_iin": signer.iin,
        "on_behalf_of_iin": on_behalf_of.iin if on_behalf_of else "",
        "form": filing.form_kind,
        "stay": filing.stay,
        "fields": filing.form_data,
        "documents": filing.attached_documents,
        "medical_card": filing.medical_card,
        "consent_personal_data": filing.consent_personal_data,
        "consent_relatives_data": filing.consent_relatives_data,
        "liability_acknowledged": filing.liability_acknowledged,
        "conditions_acknowledged": filing.conditions_acknowledged,
        "idempotency_key": filing.idempotency_key,
    }


def file_application(
    filing: Filing,
    *,
    actor: User,
    filed_at: dt.datetime | None = None,
    on_behalf_of: User | None = None,
    cms: bytes | str | None = None,
) -> Application:
    """R-SVC-1…6, R-SVC-10 ground 4: file an application and run the intake check.

    Refuses bad input with ``InvalidFiling`` listing every field (nothing saved); an unknown
    recipient with ``applications.recipient_unknown``; a channel the actor may not use with a
    permission error. A replay with the same ``idempotency_key`` by the same actor returns the
    first application. Events ``applications.registered`` / ``applications.refused_at_intake``.
    """
    if filing.idempotency_key:
        first = Application.objects.filter(
            filed_by=actor, idempotency_key=filing.idempotency_key
        ).first()
        if first is not None:
            return first
    recipient = Recipient.objects.filter(iin=filing.recipient_iin).first()
    if recipient is None:
        raise NotFoundError(
            "applications.recipient_unknown",
            _("There is no recipient file with this IIN. The state systems have not sent it yet."),
            field="recipient_iin",
        )
    _check_channel(actor, filing, recipient, on_behalf_of, cms)
    problems = validate_filing(filing)
    if problems:
        raise InvalidFiling(problems)
    # The signed bytes are the filing as the person saw it (before dates are normalized).
    content = signing.canonical_bytes(portal_act(filing, actor, on_behalf_of))
    _convert_dates(filing)
    filed_at = filed_at or timezone.now()
    accepted_on = timezone.localtime(filed_at).date()
    if filing.channel == Channel.PORTAL:
        # R-SVC-6: after hours, at a weekend or a holiday → the next working day.
        registered_on = portal_registration_date(filed_at)
    else:
        registered_on = accepted_on
    try:
        with transaction.atomic(durable=True):
            signed_document = None
            if filing.channel == Channel.PORTAL:
                assert cms is not None
                signed_document = signing.record_signed_document(
                    kind=PORTAL_ACT,
                    content=content,
                    cms=cms,
                    signed_by=actor,
                    on_behalf_of=on_behalf_of,
                )
            return _create(
                filing, recipient, actor, filed_at, registered_on, on_behalf_of, signed_document
            )
    except IntegrityError:
        if filing.idempotency_key:
            first = Application.objects.filter(
                filed_by=actor, idempotency_key=filing.idempotency_key
            ).first()
            if first is not None:
                return first
        raise


def _create(
    filing: Filing,
    recipient: Recipient,
    actor: User,
    filed_at: dt.datetime,
    registered_on: dt.date,
    on_behalf_of: User | None,
    signed_document: Any,
) -> Application:
    problems = intake_problems(
        filing, recipient, registered_on, represented=on_behalf_of is not None
    )
    ground = None
    if not filing.consent_personal_data:
        ground = RefusalGround.NO_CONSENT
    elif problems:
        ground = RefusalGround.INCOMPLETE
    app = Application(
        number=new_number(),
        recipient=recipient,
        district_id=recipient.district_id,
        channel=filing.channel,
        form_kind=filing.form_kind,
        stay=filing.stay,
        form_data=filing.form_data,
        attached_documents=filing.attached_documents,
        medical_card=filing.medical_card,
        consent_personal_data=filing.consent_personal_data,
        consent_relatives_data=filing.consent_relatives_data,
        liability_acknowledged=filing.liability_acknowledged,
        conditions_acknowledged=filing.conditions_acknowledged,
        filed_at=filed_at,
        filed_by=actor,
        on_behalf_of=on_behalf_of,
        signed_application=signed_document,
        idempotency_key=filing.idempotency_key,
        intake_problems=problems,
        refusal_ground=ground,
    )
    if ground is not None:
        app.status = Status.REFUSED_AT_INTAKE
        app.closed_at = timezone.now()
        if ground == RefusalGround.NO_CONSENT:
            app.refusal_reasons = _(
                "No consent to the collection and processing of restricted personal data."
            )
    else:
        app.status = Status.REGISTERED
        app.registered_on = registered_on
        # R-SVC-6: at the State Corporation the acceptance day is not counted: the term starts
        # from the next working day, and the local executive body hands the result over one
        # working day before it ends.
        start = (
            next_working_day(registered_on)
            if filing.channel == Channel.STATE_CORPORATION
            else registered_on
        )
        result = term(None, "R-SVC-6", start, started=registered_on)
        deadlines = {"result": result.as_dict()}
        if filing.channel == Channel.STATE_CORPORATION:
            handover = term(
                None, "R-SVC-6", result.due, key="state_corporation_handover", started=registered_on
            )
            deadlines["handover"] = handover.as_dict()
        app.result_due = result.due
        app.deadlines = deadlines
        app.current_due = result.due
    app.save()
    _record_consents(app, actor)
    Transition.objects.create(
        application=app,
        district_id=app.district_id,
        from_status="",
        to_status=app.status,
        actor=actor,
        reason_codes=[f"R-SVC-10.{ground}"] if ground else [],
        signed_document=signed_document,
        due=app.current_due,
    )
    # R-SVC-4, R-SVC-5: the refusal with its list, or "accepted", in the personal cabinet.
    notices.send(
        notices.recipient_users(app),
        f"applications.{app.status}",
        reverse("applications:my-application", args=[app.pk]),
        number=app.number,
        due=app.result_due.strftime("%d.%m.%Y") if app.result_due else "",
    )
    record_event(
        f"applications.{app.status}",
        app,
        actor=actor,
        reason_codes=[f"R-SVC-10.{ground}"] if ground else [],
        data={
            "number": app.number,
            "channel": app.channel,
            "registered_on": registered_on.isoformat(),
            "problems": problems,
        },
    )
    return app


def _record_consents(app: Application, actor: Any) -> None:
    """R-SVC-3, R-X-5: the consents ticked on form 1/2 become consent records of the person,
    each naming the application and the text version. A box left empty records nothing: the
    application is refused on ground 4 (R-SVC-10) and that refusal is its record."""
    from qamqor.privacy.models import ConsentKind
    from qamqor.privacy.services import record_consent

    for kind, given in (
        (ConsentKind.PERSONAL_DATA, app.consent_personal_data),
        (ConsentKind.RELATIVES_DATA, app.consent_relatives_data),
    ):
        if not given:
            continue
        record_consent(
            app.recipient.iin,
            kind,
            given=True,
            actor=actor,
            channel=app.channel,
            context=f"applications.application:{app.number}",
        )
