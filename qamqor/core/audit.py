"""Writing audit records (STYLE: services write events explicitly, in the same transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from qamqor.core.history import current_actor
from qamqor.core.models import DomainEvent, PersonalFileAccess


def _subject(subject: models.Model | tuple[str, Any]) -> tuple[str, str]:
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    kind, pk = subject
    return kind, str(pk)


def record_event(
    verb: str,
    subject: models.Model | tuple[str, Any],
    *,
    actor: Any = None,
    reason_codes: Iterable[str] = (),
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> DomainEvent:
    """Append a domain event. ``verb`` is dotted: ``<app>.<act>`` (``journal.offer_place``)."""
    if "." not in verb:
        raise ValueError(f"event verb must be dotted: {verb!r}")
    subject_type, subject_id = _subject(subject)
    actor = actor if actor is not None else current_actor()
    return DomainEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        subject_type=subject_type,
        subject_id=subject_id,
        reason_codes=list(reason_codes),
        comment=comment,
        data=data or {},
    )


def record_file_access(
    actor: Any,
    subject_iin: str,
    subject: models.Model | tuple[str, Any],
    *,
    purpose: str,
    path: str = "",
) -> PersonalFileAccess:
    """Log one read of a recipient's personal file (R-X-5)."""
    subject_type, subject_id = _subject(subject)
    return PersonalFileAccess.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        subject_iin=subject_iin,
        subject_type=subject_type,
        subject_id=subject_id,
        purpose=purpose,
        path=path[:500],
    )


def events_for(subject: models.Model | tuple[str, Any]) -> models.QuerySet[DomainEvent]:
    subject_type, subject_id = _subject(subject)
    return DomainEvent.objects.filter(subject_type=subject_type, subject_id=subject_id)
