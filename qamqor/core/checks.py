"""System checks of the core app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from qamqor.core import crypto


def require_field_keys() -> None:
    """Refuse to serve without FIELD_ENCRYPTION_KEYS (production) or with malformed keys."""
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", []))
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be set when DEBUG is off (see docs/operations.md)."
        )
    for key in keys:
        crypto.decode_key(key)


@checks.register(checks.Tags.security, deploy=True)
def field_keys_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        require_field_keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="core.E001")]
    if settings.DEV_FIELD_ENCRYPTION_KEY in settings.FIELD_ENCRYPTION_KEYS:
        return [
            checks.Error(
                "FIELD_ENCRYPTION_KEYS holds the public development key.",
                hint="Generate a key: manage.py rotate_field_keys --new-key",
                id="core.E002",
            )
        ]
    return []
