"""Writes of the privacy app: consents (R-X-5, R-SVC-3)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qamqor.core.audit import record_event
from qamqor.core.errors import DomainError
from qamqor.privacy.models import CONSENT_TEXT_VERSION, ConsentAction, ConsentKind, ConsentRecord


def record_consent(
    subject_iin: str,
    kind: str,
    *,
    given: bool,
    actor: Any,
    channel: str,
    context: str = "",
    text_version: str = CONSENT_TEXT_VERSION,
) -> ConsentRecord:
    """Append a consent act. Called inside the caller's transaction (an application filed with
    its consents, R-SVC-3) or by ``withdraw_consent``; records a domain event."""
    if kind not in ConsentKind.values:
        raise DomainError("consent.kind", _("Unknown consent."), field="kind")
    row = ConsentRecord.objects.create(
        subject_iin=subject_iin,
        kind=kind,
        action=ConsentAction.GIVEN if given else ConsentAction.WITHDRAWN,
        text_version=text_version,
        channel=channel,
        context=context[:120],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        "privacy.consent_given" if given else "privacy.consent_withdrawn",
        row,
        actor=actor,
        data={"kind": kind, "text_version": text_version, "context": context},
    )
    return row


def current_state(subject_iin: str, kind: str) -> str | None:
    latest = (
        ConsentRecord.objects.filter(subject_iin=subject_iin, kind=kind)
        .values_list("action", flat=True)
        .first()
    )
    return latest


@transaction.atomic(durable=True)
def withdraw_consent(person: Any, kind: str, *, actor: Any) -> ConsentRecord:
    """The person (or their representative, ``actor``) withdraws a consent (Law on personal data,
    art. 8). Refused when the consent is not in force. The withdrawal is recorded; nothing is
    deleted: data the law requires to be kept (the service's case files, the journal, history)
    stay, and an application still open may be refused on ground 4 of R-SVC-10."""
    if kind not in ConsentKind.values:
        raise DomainError("consent.kind", _("Unknown consent."), field="kind")
    if current_state(person.iin, kind) != ConsentAction.GIVEN:
        raise DomainError("consent.not_in_force", _("This consent is not in force."), field="kind")
    return record_consent(
        person.iin, kind, given=False, actor=actor, channel="portal", context="cabinet"
    )


@transaction.atomic(durable=True)
def give_consent(person: Any, kind: str, *, actor: Any) -> ConsentRecord:
    """The person gives again a consent withdrawn before (from the cabinet)."""
    if kind not in ConsentKind.values:
        raise DomainError("consent.kind", _("Unknown consent."), field="kind")
    if current_state(person.iin, kind) == ConsentAction.GIVEN:
        raise DomainError("consent.in_force", _("This consent is already in force."), field="kind")
    return record_consent(
        person.iin, kind, given=True, actor=actor, channel="portal", context="cabinet"
    )
