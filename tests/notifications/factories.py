"""Builders of the inbox tests: messages written through the real service."""

from __future__ import annotations

from typing import Any

from qamqor.notifications import services
from qamqor.notifications.models import Notification


def notification(user: Any, n: int = 0, *, url: str = "/cabinet/") -> Notification:
    """One message in ``user``'s inbox, delivered in the portal only (no SMS, no e-mail)."""
    return services.notify(
        user,
        kind="test.message",
        subject=f"Хабарлама №{n}",
        body="Өтінішіңіз қаралды.",
        url=url,
        sms=False,
        email=False,
    )
