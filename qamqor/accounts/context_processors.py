"""Template context of the accounts app: whom the logged-in person is acting for."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from qamqor.accounts.representation import ACTING_FOR_SESSION_KEY, acting_for


def acting(request: HttpRequest) -> dict[str, Any]:
    """``acting_for``: the represented person, shown in the header banner (R-QUE-5, R-SVC-1)."""
    session = getattr(request, "session", None)
    if session is None or ACTING_FOR_SESSION_KEY not in session:
        return {"acting_for": None}  # the common case costs no query
    return {"acting_for": acting_for(request)}
