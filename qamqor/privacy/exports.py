"""The person's own data, machine-readable (R-X-5; Law on personal data, art. 24: the subject's
right to know the data held about them). One JSON document with a section per app, streamed row
by row so a long history never sits in memory at once.

Only rows keyed to this person are read: by their IIN (the recipient file, applications, journal
stays and queue entries, consents, access log) or by their account (IPRs, measures, orders,
social package, recommended services, notifications). Applications they filed for someone
else are that person's data and are not included.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from qamqor.applications.models import Application, Complaint, Recipient, Transition
from qamqor.cabinet.models import (
    Ipr,
    Measure,
    Order,
    OrderTransition,
    RecommendedService,
    SocialPackageItem,
)
from qamqor.journal.models import Movement, QueueEntry, QueueEvent, Stay
from qamqor.notifications.models import Notification
from qamqor.privacy.models import ConsentRecord
from qamqor.privacy.selectors import access_log_of, purpose_label

FORMAT_VERSION = 1

#: Internal columns that say nothing about the person (and would leak system details).
SKIPPED = {"idempotency_key", "source_hash", "import_digest", "search_name", "token"}


def row(obj: models.Model) -> dict[str, Any]:
    """Every concrete column of ``obj``; a foreign key as its id."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED:
            continue
        key = field.attname if field.is_relation else field.name
        out[key] = field.value_from_object(obj)
    return out


def sections(person: Any) -> list[tuple[str, Iterable[dict[str, Any]]]]:
    iin = person.iin
    apps = Application.objects.filter(recipient__iin=iin).order_by("pk")
    stays = Stay.objects.filter(person_iin=iin).order_by("pk")
    entries = QueueEntry.objects.filter(person_iin=iin).order_by("pk")
    orders = Order.objects.filter(person=person).order_by("pk")

    def _rows(qs: models.QuerySet[Any]) -> Iterator[dict[str, Any]]:
        for obj in qs.iterator(chunk_size=200):
            yield row(obj)

    def _access() -> Iterator[dict[str, Any]]:
        for a in access_log_of(person).iterator(chunk_size=200):
            yield {
                "accessed_at": a.accessed_at,
                "record": f"{a.subject_type}#{a.subject_id}",
                "purpose": a.purpose,
                "purpose_text": purpose_label(a.purpose),
                "by_you": a.actor_id == person.pk,
            }

    return [
        ("person", [{"iin": iin, "full_name": person.get_full_name()}]),
        ("recipient_file", _rows(Recipient.objects.filter(iin=iin))),
        ("applications", _rows(apps)),
        (
            "application_steps",
            _rows(Transition.objects.filter(application__in=apps).order_by("pk")),
        ),
        ("complaints", _rows(Complaint.objects.filter(application__in=apps).order_by("pk"))),
        ("journal_stays", _rows(stays)),
        ("journal_movements", _rows(Movement.objects.filter(stay__in=stays).order_by("pk"))),
        ("queue_entries", _rows(entries)),
        ("queue_events", _rows(QueueEvent.objects.filter(entry__in=entries).order_by("pk"))),
        ("ipr", _rows(Ipr.objects.filter(person=person).order_by("pk"))),
        ("ipr_measures", _rows(Measure.objects.filter(ipr__person=person).order_by("pk"))),
        ("orders", _rows(orders)),
        ("order_steps", _rows(OrderTransition.objects.filter(order__in=orders).order_by("pk"))),
        ("social_package", _rows(SocialPackageItem.objects.filter(person=person).order_by("pk"))),
        (
            "recommended_services",
            _rows(RecommendedService.objects.filter(person=person).order_by("pk")),
        ),
        ("notifications", _rows(Notification.objects.filter(recipient=person).order_by("pk"))),
        ("consents", _rows(ConsentRecord.objects.filter(subject_iin=iin).order_by("pk"))),
        ("access_log", _access()),
    ]


def stream_json(person: Any) -> Iterator[str]:
    """The export as JSON text in pieces: ``{"format": 1, "generated_at": …, "sections": {…}}``."""

    def dump(value: Any) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)

    yield f'{{"format": {FORMAT_VERSION}, "generated_at": {dump(timezone.now())}, "sections": {{'
    for i, (name, rows) in enumerate(sections(person)):
        yield ("," if i else "") + f"{dump(name)}: ["
        for j, item in enumerate(rows):
            yield ("," if j else "") + dump(item)
        yield "]"
    yield "}}"
