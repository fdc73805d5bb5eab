"""The login choice page and logout, and the two helpers every login flow shares.

Logging in itself is in ``esign`` (e-signature, R-X-2) and ``otp`` (one-time code, R-SPC-1);
both take ``safe_next`` and ``session_binding`` from here.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST


def safe_next(request: HttpRequest) -> str:
    """Where to go after logging in: ``next`` when it stays on this site, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def session_binding(request: HttpRequest, key: str) -> str:
    """SHA-256 of a random value kept in this browser's session under ``key`` (created when
    missing): a challenge or code asked for here is refused in any other browser. Only the hash
    leaves the session; the value itself is never stored elsewhere."""
    secret = request.session.get(key)
    if not secret:
        secret = secrets.token_urlsafe(32)
        request.session[key] = secret
    return hashlib.sha256(secret.encode()).hexdigest()


@require_http_methods(["GET"])
def login_choice(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/login.html", {"next": safe_next(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")
