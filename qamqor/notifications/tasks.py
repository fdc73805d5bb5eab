"""Background work of the notifications app (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from qamqor.notifications import services


@task()
def deliver_notification(notification_id: int) -> dict[str, str]:
    """Send one notification's SMS and e-mail (idempotent, see ``services.deliver``)."""
    return services.deliver(notification_id)
