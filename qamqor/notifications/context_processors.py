from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from qamqor.notifications.selectors import unread_count_of_request


def inbox(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the header link, counted only when a template asks for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"UNREAD_NOTIFICATIONS": SimpleLazyObject(lambda: unread_count_of_request(request))}
