"""Audit of logins, logouts, failed logins and lockouts (issue 3, item 7; R-X-5).

Each writes one domain event with the login method (the authentication backend) and the client
IP. Never a password, a code, a signature or a challenge: only the username (IIN) typed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from qamqor.accounts.ratelimits import client_ip
from qamqor.core.audit import record_event

# Credentials keys that name the person (kept); anything else (passwords, codes, CMS) is dropped.
_IDENTITY_KEYS = ("username", "iin", "phone", "email")


def _ip(request: HttpRequest | None) -> str | None:
    if request is None or not hasattr(request, "META"):
        return None
    ip = client_ip(None, request)
    return None if ip == "unknown" else ip


def _method(user: Any) -> str:
    backend = getattr(user, "backend", "") or ""
    return backend.rsplit(".", 1)[-1]


def _who(credentials: dict[str, Any] | None) -> str:
    for key in _IDENTITY_KEYS:
        value = (credentials or {}).get(key)
        if value:
            return str(value)[:254]
    return ""


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record_event(
        "accounts.login", user, actor=user, data={"method": _method(user), "ip": _ip(request)}
    )


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return  # logging out without a session: nothing happened
    record_event("accounts.logout", user, actor=user, data={"ip": _ip(request)})


def on_login_failed(
    sender: Any,
    credentials: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    who = _who(credentials)
    record_event(
        "accounts.login_failed",
        ("accounts.login", who or "-"),
        actor=None,
        data={"username": who, "ip": _ip(request)},
    )


def on_locked_out(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    record_event(
        "accounts.locked_out",
        ("accounts.login", username or "-"),
        actor=None,
        data={"username": username or "", "ip": ip_address or _ip(request)},
    )


def connect() -> None:
    """Called from AccountsConfig.ready()."""
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(on_logged_in, dispatch_uid="qamqor.accounts.audit_login")
    user_logged_out.connect(on_logged_out, dispatch_uid="qamqor.accounts.audit_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="qamqor.accounts.audit_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="qamqor.accounts.audit_locked_out")
