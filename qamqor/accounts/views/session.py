"""Session safety: "log out everywhere" and the answer to too many requests (issue 3, item 7).

The lockout page after too many failed logins is django-axes' (``AXES_LOCKOUT_TEMPLATE``:
``accounts/locked_out.html``, status 429).
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from qamqor.accounts.ratelimits import LOGOUT_EVERYWHERE, limited
from qamqor.accounts.services import end_all_sessions


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """RATELIMIT_VIEW: a plain-words "too many requests" page, status 429."""
    response = render(request, "accounts/rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_POST
@login_required
@limited("accounts.logout_everywhere", LOGOUT_EVERYWHERE)
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the user on every device, then this one."""
    end_all_sessions(request.user)  # type: ignore[arg-type]
    logout(request)
    return redirect("home")


urlpatterns: list[URLPattern] = [
    path("logout/everywhere/", logout_everywhere, name="logout-everywhere"),
]
