"""``audited_update`` is a true compare-and-set under concurrency (STYLE: concurrency): of two
writers that both expect the old value, exactly one wins. PostgreSQL only (row locks, threads)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from qamqor.core.history import audited_update
from qamqor.organizations.models import Organization
from tests.factories import OrganizationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks with real threads need PostgreSQL"
    ),
]


def test_two_compare_and_set_writers_one_wins() -> None:
    org = OrganizationFactory(legal_address="old")
    first_holds_the_row = threading.Event()
    counts: dict[str, int] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                counts["first"] = audited_update(
                    Organization.objects.filter(pk=org.pk, legal_address="old"),
                    legal_address="first",
                )
                first_holds_the_row.set()
                time.sleep(0.5)  # the second writer is now waiting for this row
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_holds_the_row.wait(5)
            counts["second"] = audited_update(
                Organization.objects.filter(pk=org.pk, legal_address="old"),
                legal_address="second",
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert counts == {"first": 1, "second": 0}
    org.refresh_from_db()
    assert org.legal_address == "first"
    assert org.history.filter(legal_address="second").count() == 0
