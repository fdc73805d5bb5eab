"""Concurrency on PostgreSQL with real threads (STYLE: concurrency tests)."""

from __future__ import annotations

import threading

import pytest
from django.apps import apps
from django.db import connection

from qamqor.applications.models import Application
from qamqor.applications.services import cases, intake
from qamqor.core.errors import ConflictError
from tests.applications.conftest import filing

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgres_and_seeds():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (SQLite serialises writers)")
    from qamqor.core.calendar import invalidate_calendar_cache
    from qamqor.core.seeddata import legal_terms
    from qamqor.core.services import sync_calendar_days

    # A transactional test starts from a flushed database: reload what the migrations seed.
    legal_terms.load(apps)
    sync_calendar_days(2026, 2027)
    invalidate_calendar_cache()


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_concurrent_double_submit_files_one_application(askar_officer, bibigul):
    """Idempotency: two submits with the same key at the same moment → one application, both
    answered with it."""
    results = run_together(
        lambda: intake.file_application(
            filing(bibigul, idempotency_key="dbl"), actor=askar_officer
        ),
        lambda: intake.file_application(
            filing(bibigul, idempotency_key="dbl"), actor=askar_officer
        ),
    )
    assert Application.objects.count() == 1
    assert {r.pk for r in results} == {Application.objects.get().pk}


def test_two_officers_cannot_move_a_case_twice(askar_officer, saule_worker, bibigul):
    """Compare-and-set: of two concurrent assignments one wins, the other is a 409."""
    app = intake.file_application(filing(bibigul), actor=askar_officer)
    first = Application.objects.get(pk=app.pk)
    second = Application.objects.get(pk=app.pk)
    results = run_together(
        lambda: cases.assign_assessment(first, saule_worker, actor=askar_officer),
        lambda: cases.assign_assessment(second, saule_worker, actor=askar_officer),
    )
    assert sorted(type(r).__name__ for r in results) == ["Application", "ConflictError"]
    assert isinstance(next(r for r in results if not isinstance(r, Application)), ConflictError)
    assert app.transitions.count() == 2
