"""Applying a validated batch of licence events (R-ORG-1, R-ORG-3): all or nothing, idempotent
by event id."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qamqor.core.audit import record_event
from qamqor.core.errors import ConflictError
from qamqor.core.history import acting_as
from qamqor.organizations.models import (
    LicenceEvent,
    LicenceEventKind,
    LicenceEventSource,
    Organization,
    OrganizationService,
    OrganizationStatus,
)
from qamqor.organizations.services.licence_checks import (
    _org_by_bin,
    _org_by_licence,
    validate_licence_events,
)
from qamqor.organizations.services.licence_input import (
    ImportResult,
    LicenceEventInput,
    RowResult,
    _Checked,
    _text,
)


def _set_services(org: Organization, services: Mapping[str, int], *, drop_others: bool) -> None:
    current = {s.condition: s for s in org.services.all()}
    for condition, capacity in services.items():
        service = current.get(condition) or OrganizationService(
            organization=org, condition=condition
        )
        if service.pk is None or service.capacity != capacity:
            service.capacity = capacity
            service.save()
    if drop_others:
        # Rows are never deleted (R-ORG-3): a condition no longer offered keeps capacity 0.
        for condition, service in current.items():
            if condition not in services and service.capacity:
                service.capacity = 0
                service.save()


def _save_changes(org: Organization, values: Mapping[str, Any]) -> None:
    changed = org.pk is None
    for name, value in values.items():
        if getattr(org, name) != value:
            setattr(org, name, value)
            changed = True
    if changed:
        org.save()


def _apply_one(c: _Checked, batch_id: uuid.UUID, source: str, actor: Any) -> Organization:
    event = c.event
    day = timezone.localdate(c.occurred_at)
    licence = _text(event.licence_number)
    values = dict(c.values)
    if c.district is not None:
        values["district_id"] = c.district.pk
    verb = f"organizations.licence_{c.kind.value}"
    if c.kind == LicenceEventKind.ISSUED:
        # R-ORG-1: the entry is created automatically; it is public only after consent (R-ORG-4).
        org = _org_by_licence(licence) or _org_by_bin(c.bin) or Organization(bin=c.bin)
        values.update(
            licence_number=licence,
            licence_issued_on=values.get("licence_issued_on", day),
            status=OrganizationStatus.ACTIVE,
        )
        if org.pk is None or org.is_excluded or not org.included_on:
            values.update(included_on=day, excluded_on=None, exclusion_basis="")
            values.update(licence_stopped_on=None)
        if org.pk is None or org.is_excluded:
            values.update(publication_consent=False, consent_given_on=None)
        _save_changes(org, values)
        _set_services(org, c.services, drop_others=True)
    else:
        org = Organization.objects.get(licence_number=licence)
        if c.kind == LicenceEventKind.REISSUED:
            # A re-issued licence is in force again, whatever a suspension said before.
            values.update(reregistered_on=day, status=OrganizationStatus.ACTIVE)
            _save_changes(org, values)
            if c.services:
                _set_services(org, c.services, drop_others=True)
        elif c.kind == LicenceEventKind.SUSPENDED:
            _save_changes(org, {"status": OrganizationStatus.SUSPENDED})
        else:
            # R-ORG-3: the licence stopped; the entry is excluded with date and basis, never
            # deleted.
            _save_changes(
                org,
                {
                    "status": OrganizationStatus.EXCLUDED,
                    "excluded_on": day,
                    "licence_stopped_on": day,
                    "exclusion_basis": _text(event.basis),
                },
            )
    LicenceEvent.objects.create(
        event_id=_text(event.event_id),
        kind=c.kind,
        licence_number=licence,
        bin=c.bin,
        payload=event.content(),
        content_hash=c.content_hash,
        occurred_at=c.occurred_at,
        organization=org,
        batch_id=batch_id,
        source=source,
    )
    record_event(
        verb,
        org,
        actor=actor,
        data={"event_id": _text(event.event_id), "licence_number": licence, "source": source},
    )
    return org


def apply_licence_events(
    events: list[LicenceEventInput],
    *,
    actor: Any = None,
    source: str = LicenceEventSource.API,
    dry_run: bool = False,
) -> ImportResult:
    """Apply a batch of licence events all or nothing (R-ORG-1, R-ORG-3).

    Refuses the whole batch, reporting every bad row, when any event has a bad BIN, misses a
    required field, names an unknown licence (re-issue, suspension, termination), district or
    region, conflicts with the registry (a licence of another BIN, an excluded entry), or reuses
    an event id with different content. An event id already applied with the same content is
    skipped ("already_applied"), so replaying a file changes nothing.
    """
    result = ImportResult(batch_id=uuid.uuid4(), dry_run=dry_run)
    try:
        with transaction.atomic(durable=True), acting_as(actor):
            checked, skipped, errors = validate_licence_events(events)
            result.errors = errors
            result.rows = list(skipped)
            if errors or dry_run:
                result.rows += [
                    RowResult(c.index, _text(c.event.event_id), "valid") for c in checked
                ]
                result.rows.sort(key=lambda r: r.index)
                return result
            for c in checked:
                org = _apply_one(c, result.batch_id, source, actor)
                result.rows.append(RowResult(c.index, _text(c.event.event_id), "applied", org.pk))
    except IntegrityError as exc:
        # Another delivery of the same events won the race; nothing of this batch was applied.
        raise ConflictError(
            "licence_event.concurrent",
            _("The same events are being applied by another request. Try again."),
        ) from exc
    result.rows.sort(key=lambda r: r.index)
    return result
