from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "ESIGN_DEV_SIGNER": bool(settings.DEBUG and settings.ESIGN_DEV_SIGNER),
        "PORTAL_DEBUG": settings.DEBUG,
    }
