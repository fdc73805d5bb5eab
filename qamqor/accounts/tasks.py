"""Background work of the accounts app (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from qamqor.accounts import services


@task()
def purge_expired_login_secrets() -> dict[str, int]:
    """Daily sweep: expired login challenges and one-time codes (see the service)."""
    return services.purge_expired_login_secrets()
