from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Any) -> None:
    """Attachments go to a temporary private directory (outside the web root, issue 5 item 1)."""
    from qamqor.specialists.models import private_storage

    settings.SPECIALISTS_PRIVATE_ROOT = tmp_path / "private"
    from django.utils.functional import empty

    private_storage._wrapped = empty  # the lazy storage reads the setting again


class Sent:
    """The notifications the services wrote (the real inbox of ``qamqor.notifications``):
    (recipient, kind, subject, body), each rendered in the recipient's language."""

    @property
    def items(self) -> list[tuple[Any, str, str, str]]:
        from qamqor.notifications.models import Notification

        return [
            (n.recipient, n.kind, n.subject, n.body)
            for n in Notification.objects.select_related("recipient").order_by("pk")
        ]

    def kinds(self) -> list[str]:
        return [kind for _u, kind, _s, _b in self.items]


@pytest.fixture
def sent() -> Sent:
    return Sent()
