from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "DEV_LOGIN_ENABLED": settings.DEBUG and settings.DEV_LOGIN_ENABLED,
        "PORTAL_DEBUG": settings.DEBUG,
    }
