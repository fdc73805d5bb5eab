"""Background work of the cabinet (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from qamqor.cabinet.services.orders import expire_measures


@task()
def expire_ipr_choices() -> int:
    """R-POR-4, daily: close the choice of measures whose window has passed (set-based)."""
    return expire_measures()
