from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Any) -> None:
    """Attachments go to a temporary private directory (outside the web root, issue 5 item 1)."""
    from qamqor.specialists.models import private_storage

    settings.SPECIALISTS_PRIVATE_ROOT = tmp_path / "private"
    from django.utils.functional import empty

    private_storage._wrapped = empty  # the lazy storage reads the setting again


@dataclass
class Sent:
    """Notifications written by the services: (recipient, kind, subject, body) in the
    recipient's language."""

    items: list[tuple[Any, str, str, str]] = field(default_factory=list)

    def kinds(self) -> list[str]:
        return [kind for _u, kind, _s, _b in self.items]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Sent:
    from qamqor.specialists import services

    box = Sent()

    def fake(user: Any, kind: str, subject: Any, body: Any, params: Any) -> None:
        with translation.override(user.language or "kk"):
            box.items.append((user, kind, str(subject) % dict(params), str(body) % dict(params)))

    monkeypatch.setattr(services, "_notify", fake)
    return box
