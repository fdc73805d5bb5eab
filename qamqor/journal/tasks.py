"""Background sweeps of the queue (Django Tasks API); run daily (docs/journal.md)."""

from __future__ import annotations

from django_tasks import task

from qamqor.journal import services


@task()
def close_expired_offers() -> int:
    """R-QUE-6: close the offers whose arrival term is over (set-based sweep)."""
    return services.close_no_shows()


@task()
def suspend_expired_ipr() -> int:
    """R-QUE-3: suspend waiting applications whose IPR expired."""
    return services.suspend_expired_ipr()
