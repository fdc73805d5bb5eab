"""Property-based test: random sequences of admissions, discharges, leaves, transfers, queue
filings, offers, postponements, no-shows and re-certifications never break the invariants
(issue 7 "Done means"): capacity, FIFO with the out-of-turn rule (R-QUE-1, R-QUE-4), one
postponement (R-QUE-5), each person at most once in a queue; and the replay of the hash chain
finds nothing wrong."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from qamqor.core.errors import DomainError
from qamqor.journal import selectors, services
from qamqor.journal.models import (
    ACTIVE_QUEUE,
    OCCUPYING,
    Journal,
    MovementKind,
    QueueEntry,
    QueueEvent,
    QueueStatus,
    Stay,
)
from qamqor.journal.verification import verify_journal
from tests.journal.factories import file, new_person, organization_with, postpone

pytestmark = pytest.mark.django_db

ORDER = {"order_number": "1-Ө", "order_date": dt.date(2026, 3, 2)}


class JournalMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.orgs = [organization_with(2), organization_with(1)]
        self.people = [
            new_person(ipr_until=dt.date(2026, 3, 2) + dt.timedelta(days=5 * i)) for i in range(7)
        ]
        self.today = dt.date(2026, 3, 2)
        self.staff = None

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    def _try(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError:
            return None

    def _stays(self):
        return list(
            Stay.objects.filter(journal__organization__in=self.orgs, status__in=OCCUPYING).order_by(
                "pk"
            )
        )

    def _entries(self, status):
        return list(
            QueueEntry.objects.filter(journal__organization__in=self.orgs, status=status).order_by(
                "pk"
            )
        )

    @rule(org=st.integers(0, 1), who=st.integers(0, 6))
    def admit(self, org: int, who: int) -> None:
        self._try(
            services.admit,
            None,
            self.orgs[org],
            "stationary",
            self.people[who],
            admitted_on=self.today,
            **ORDER,
        )

    @rule(org=st.integers(0, 1), who=st.integers(0, 6), out_of_turn=st.booleans())
    def file(self, org: int, who: int, out_of_turn: bool) -> None:
        self._try(
            file,
            self.orgs[org],
            self.people[who],
            out_of_turn_basis="анықтама" if out_of_turn else "",
        )

    @rule(
        i=st.integers(0, 10),
        kind=st.sampled_from(
            [MovementKind.DISCHARGE, MovementKind.LEAVE, MovementKind.RETURN_FROM_LEAVE]
        ),
    )
    def move(self, i: int, kind: str) -> None:
        stays = self._stays()
        if stays:
            self._try(
                services.move,
                None,
                stays[i % len(stays)],
                kind,
                on=self.today,
                reason="себеп",
                **ORDER,
            )

    @rule(i=st.integers(0, 10))
    def transfer(self, i: int) -> None:
        stays = self._stays()
        if stays:
            stay = stays[i % len(stays)]
            target = next(o for o in self.orgs if o.pk != stay.journal.organization_id)
            self._try(services.transfer, None, stay, target, on=self.today, **ORDER)

    @rule(org=st.integers(0, 1), days=st.integers(0, 5))
    def offer(self, org: int, days: int) -> None:
        journal = Journal.objects.filter(organization=self.orgs[org]).first()
        if journal:
            self._try(
                services.offer_place,
                None,
                journal,
                arrive_by=self.today + dt.timedelta(days=days),
                today=self.today,
            )

    @rule(i=st.integers(0, 10), days=st.integers(1, 40))
    def postpone(self, i: int, days: int) -> None:
        offered = self._entries(QueueStatus.OFFERED)
        if offered:
            entry = offered[i % len(offered)]
            self._try(postpone, entry, entry.arrive_by + dt.timedelta(days=days))

    @rule(i=st.integers(0, 10))
    def arrive(self, i: int) -> None:
        offered = self._entries(QueueStatus.OFFERED)
        if offered:
            self._try(
                services.admit_from_queue,
                None,
                offered[i % len(offered)],
                admitted_on=self.today,
                **ORDER,
            )

    @rule(days=st.integers(1, 20))
    def time_passes(self, days: int) -> None:
        self.today += dt.timedelta(days=days)
        for entry in self._entries(QueueStatus.OFFERED):
            self._try(services.close_no_show, entry, today=self.today)  # R-QUE-6
        for entry in self._entries(QueueStatus.WAITING):
            self._try(services.suspend_for_ipr_expiry, entry, today=self.today)  # R-QUE-3

    @rule(i=st.integers(0, 10), years=st.integers(1, 2))
    def recertify(self, i: int, years: int) -> None:
        suspended = self._entries(QueueStatus.SUSPENDED)
        if suspended:
            self._try(
                services.recertify,
                suspended[i % len(suspended)],
                self.today.replace(year=self.today.year + years),
                today=self.today,
            )

    @invariant()
    def capacity_never_exceeded(self) -> None:
        for journal in Journal.objects.filter(organization__in=self.orgs):
            counts = selectors.occupancy(journal)
            assert counts.occupied + counts.offered <= counts.capacity

    @invariant()
    def each_person_once_in_a_queue(self) -> None:
        pairs = QueueEntry.objects.filter(
            journal__organization__in=self.orgs, status__in=ACTIVE_QUEUE
        ).values_list("journal_id", "person_iin")
        assert max(Counter(pairs).values(), default=0) <= 1

    @invariant()
    def one_postponement(self) -> None:
        counts = Counter(
            QueueEvent.objects.filter(
                journal__organization__in=self.orgs, kind="postponed"
            ).values_list("entry_id", flat=True)
        )
        assert max(counts.values(), default=0) <= 1

    @invariant()
    def fifo_with_out_of_turn_and_intact_history(self) -> None:
        for journal in Journal.objects.filter(organization__in=self.orgs):
            report = verify_journal(journal)
            assert report.ok, report.problems


def test_random_sequences_keep_the_invariants() -> None:
    """R-QUE-1, R-QUE-3, R-QUE-4, R-QUE-5, R-QUE-6, R-JRN-1: the state machine."""
    run_state_machine_as_test(
        JournalMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
