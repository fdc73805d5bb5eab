"""Background work of the state service (Django Tasks API): daily sweeps, set-based."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from qamqor.applications.services import monitoring, results


@task()
def sweep_overdue() -> dict[str, Any]:
    """R-SVC-12: mark overdue stages and notify the responsible officers."""
    return monitoring.sweep_overdue()


@task()
def return_uncollected_results() -> int:
    """R-SVC-13: results kept a month at the State Corporation go back to the district."""
    return results.return_uncollected()
