"""The only place of the journal app that takes row locks (STYLE: concurrency).

Every write that changes the occupancy or the queue of a journal — admissions, movements,
filings, offers, postponements, no-shows — first locks the journal's row. On PostgreSQL the
writers of one journal then run one after another, so "count the occupied and offered places,
then admit or offer" cannot overbook (SPEC §3: capacity is never exceeded; no place is offered
twice). On SQLite, ``transaction_mode = IMMEDIATE`` already serialises writers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from qamqor.journal.models import Journal


def journal_for_update(organization_id: int, condition: str) -> Journal:
    """The journal of the organization and condition, created on first use, locked until the
    end of the caller's transaction."""
    journal = _locked(Journal.objects.filter(organization_id=organization_id, condition=condition))
    if journal is not None:
        return journal
    try:
        with transaction.atomic():
            Journal.objects.create(
                organization_id=organization_id,
                condition=condition,
                started_on=timezone.localdate(),
            )
    except IntegrityError:  # created meanwhile by a concurrent transaction
        pass
    journal = _locked(Journal.objects.filter(organization_id=organization_id, condition=condition))
    assert journal is not None
    return journal


def journals_for_update(pairs: Iterable[tuple[int, str]]) -> list[Journal]:
    """Several journals (a transfer), locked in a stable order so two transfers in opposite
    directions cannot deadlock."""
    return [journal_for_update(org, cond) for org, cond in sorted(set(pairs))]


def _locked(qs):  # type: ignore[no-untyped-def]
    return qs.order_by("pk").select_for_update(no_key=True, of=("self",)).first()
