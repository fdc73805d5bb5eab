"""Factories and helpers of the journal tests (base factories from tests/factories.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from typing import Any

from django.utils import timezone

from qamqor.accounts.models import SignedDocument, User
from qamqor.accounts.signing import canonical_bytes
from qamqor.journal import services
from qamqor.journal.models import QueueEntry
from qamqor.journal.services import PersonData
from qamqor.journal.services import queue as _queue  # noqa: F401
from qamqor.organizations.models import Organization
from tests.factories import OrganizationServiceFactory, UserFactory

_order = itertools.count(1)


def organization_with(capacity: int, condition: str = "stationary", **kwargs: Any) -> Organization:
    return OrganizationServiceFactory(
        capacity=capacity,
        condition=condition,
        **({"organization__" + k: v for k, v in kwargs.items()}),
    ).organization


def person_of(user: User, **extra: Any) -> PersonData:
    return PersonData(
        iin=user.iin,
        full_name=f"{user.surname} {user.given_name}",
        birth_date=dt.date(1950, 5, 17),
        sex="female",
        home_address="Астана қ., Абай д-лы, 10",
        phone="+77012345678",
        ipr_until=extra.pop("ipr_until", dt.date(2030, 1, 1)),
        user=user,
        referral="Шешім № 12, 01.03.2026",
        **extra,
    )


def new_person(**extra: Any) -> PersonData:
    return person_of(UserFactory(), **extra)


def fake_signed(user: User, act: dict[str, Any], kind: str) -> SignedDocument:
    """A stored signed document over ``act`` WITHOUT a real signature: for tests of the queue
    rules, whose services receive documents already verified (the real signing path is tested
    in test_queue_signing.py with the test PKI)."""
    content = canonical_bytes(act)
    return SignedDocument.objects.create(
        kind=kind,
        content=content,
        content_sha256=hashlib.sha256(content).hexdigest(),
        cms=b"test",
        signer_iin=user.iin,
        signer_name=user.get_full_name(),
        certificate=b"test",
        certificate_serial="01",
        certificate_issuer="test",
        signature_algorithm="test",
        signed_at=timezone.now(),
        verifier="test",
        signed_by=user,
    )


def file(
    org: Organization, person: PersonData, condition: str = "stationary", **kwargs: Any
) -> QueueEntry:
    out_of_turn = bool(kwargs.get("out_of_turn_basis"))
    act = services.queue_application_act(org, condition, person, out_of_turn=out_of_turn)
    doc = fake_signed(person.user, act, services.queue.QUEUE_APPLICATION)
    return services.file_queue_application(org, condition, person, application=doc, **kwargs)


def postpone(entry: QueueEntry, new_date: dt.date, reason: str = "illness") -> QueueEntry:
    act = services.postponement_act(entry, new_date, reason)
    doc = fake_signed(entry.user, act, services.queue.POSTPONEMENT)
    return services.postpone_arrival(entry, new_date, reason, notification=doc)


def order() -> dict[str, Any]:
    return {"order_number": f"{next(_order)}-Ө", "order_date": dt.date(2026, 3, 2)}


def admit(
    actor: Any, org: Organization, person: PersonData, condition: str = "stationary", **kw: Any
):
    return services.admit(
        actor,
        org,
        condition,
        person,
        admitted_on=kw.pop("admitted_on", dt.date(2026, 3, 2)),
        **order(),
        **kw,
    )
