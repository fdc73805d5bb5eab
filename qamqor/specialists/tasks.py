"""Background work of the registry of specialists (Django Tasks API)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from qamqor.specialists import services


@task()
def sweep_deadlines() -> dict[str, Any]:
    """Daily (issue 5 item 5): flag applications overdue and overdue from tomorrow (set-based),
    then send the administrators' digest once a day."""
    counts: dict[str, Any] = dict(services.flag_due_applications())
    counts["digests"] = services.send_deadline_digest()
    return counts
