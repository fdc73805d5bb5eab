"""Concurrency on PostgreSQL (issue 7 "Done means"): 50 parallel admissions and offers
against 10 vacancies give exactly 10 places and no double offer, repeated 20 times.

Real threads, each with its own database connection, released together by a barrier
(``transaction=True``: the services commit for real). SQLite serialises writers and has no row
locks: the test is skipped there."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection, connections

from qamqor.core.errors import DomainError
from qamqor.journal import selectors, services
from qamqor.journal.models import Journal, QueueEvent, QueueStatus
from qamqor.journal.verification import verify_journal
from tests.journal.factories import file, new_person, order, organization_with

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (select_for_update) and parallel writers need PostgreSQL",
    ),
]
D = dt.date(2026, 3, 2)
THREADS, VACANCIES, REPEATS = 50, 10, 20


def _parallel(calls: list[Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = calls[i]()
        except DomainError as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_parallel_admissions_never_exceed_capacity() -> None:
    """SPEC §3, R-JRN-1: 50 parallel admissions to 10 vacancies → exactly 10 admitted (×20)."""
    for _ in range(REPEATS):
        _admissions_round()


def _admissions_round() -> None:
    org = organization_with(VACANCIES)
    people = [new_person() for _ in range(THREADS)]
    results = _parallel(
        [
            (lambda p=p: services.admit(None, org, "stationary", p, admitted_on=D, **order()))
            for p in people
        ]
    )
    admitted = [r for r in results if not isinstance(r, DomainError)]
    refused = {r.code for r in results if isinstance(r, DomainError)}
    assert len(admitted) == VACANCIES and refused == {"journal.no_vacancy"}
    assert selectors.occupancy(Journal.objects.get(organization=org)).occupied == VACANCIES


def test_parallel_offers_and_admissions_never_offer_twice() -> None:
    """R-QUE-1, SPEC §3: 10 vacancies, 15 waiting; 25 parallel offers and 25 parallel direct
    admissions → exactly 10 places taken, offers to the 10 heads of the queue, none twice, and
    nobody from outside admitted while people wait (×20)."""
    for _ in range(REPEATS):
        _offers_round()


def _offers_round() -> None:
    org = organization_with(VACANCIES)
    stays = [
        services.admit(None, org, "stationary", new_person(), admitted_on=D, **order())
        for _ in range(VACANCIES)
    ]
    waiting = [file(org, new_person()) for _ in range(15)]
    for stay in stays:
        services.discharge(None, stay, on=D, reason="x", **order())
    journal = Journal.objects.get(organization=org)
    offers = [
        (lambda: services.offer_place(None, journal, arrive_by=D + dt.timedelta(days=5), today=D))
        for _ in range(THREADS // 2)
    ]
    admissions = [
        (lambda p=p: services.admit(None, org, "stationary", p, admitted_on=D, **order()))
        for p in [new_person() for _ in range(THREADS // 2)]
    ]
    results = _parallel([x for pair in zip(offers, admissions, strict=True) for x in pair])
    counts = selectors.occupancy(journal)
    assert counts.occupied == 0 and counts.offered == VACANCIES
    offered = [r.pk for r in results if hasattr(r, "status") and r.status == QueueStatus.OFFERED]
    assert sorted(offered) == sorted(e.pk for e in waiting[:VACANCIES])
    per_entry = Counter(
        QueueEvent.objects.filter(journal=journal, kind="offered").values_list(
            "entry_id", flat=True
        )
    )
    assert len(per_entry) == VACANCIES and max(per_entry.values()) == 1
    assert verify_journal(journal).ok
