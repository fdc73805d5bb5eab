"""Logging and limiting the person's own downloads (R-X-5)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from qamqor.core.audit import record_file_access

#: Downloads of one's own data per account (settings.QAMQOR_RATE_LIMITS["privacy.export"]).
EXPORT_RATE = "5/h"


def export_allowed(request: HttpRequest) -> bool:
    rate = getattr(settings, "QAMQOR_RATE_LIMITS", {}).get("privacy.export", EXPORT_RATE)
    return not is_ratelimited(
        request, group="privacy.export", key="user", rate=rate, method=ALL, increment=True
    )


def log_export(request: HttpRequest, person: Any) -> None:
    """The download is a read of the person's whole file: logged like any other."""
    record_file_access(
        request.user,
        person.iin,
        ("privacy.export", person.pk),
        purpose="privacy.export",
        path=request.path,
    )
