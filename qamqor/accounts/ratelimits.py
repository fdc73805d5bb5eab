"""Named rate limits for the login and account views (issue 3, item 7: brute-force safety).

Views use ``@limited(group)``: it counts requests per client IP (behind ``PROXY_COUNT`` proxies)
in the shared cache (Redis when ``REDIS_URL`` is set; a per-process memory cache otherwise) and
answers an exceeded limit with the "too many requests" page (429). Each limit can be changed
without a code change in ``settings.QAMQOR_RATE_LIMITS = {"accounts.login_post": "10/m"}``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit import ALL
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited
from ipware import get_client_ip

# Default rates (requests per client IP). Groups are "accounts.<name>".
LOGIN_NONCE = "30/m"  # e-signature login: new challenges
LOGIN_POST = "20/m"  # e-signature login: signed challenges posted
OTP_SEND = "5/m"  # one-time codes sent (each costs an SMS)
OTP_VERIFY = "20/m"  # one-time codes typed
LOGOUT_EVERYWHERE = "10/m"
REPRESENTATION = "30/m"  # choosing whom to act for

View = Callable[..., HttpResponse]


def client_ip(group: str | None, request: HttpRequest) -> str:
    """The client's IP address as a rate-limit key (django-ratelimit's key signature).

    Behind a proxy (``PROXY_COUNT`` > 0) the address comes from X-Forwarded-For, counted from
    the right; without one only REMOTE_ADDR is trusted, since anyone can send X-Forwarded-For."""
    proxy_count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    if proxy_count:
        ip, _routable = get_client_ip(
            request,
            proxy_order="right-most",
            proxy_count=proxy_count,
            request_header_order=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        )
    else:
        ip, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return ip or "unknown"


def rate_for(group: str, default: str) -> str:
    """The configured rate of ``group`` (``settings.QAMQOR_RATE_LIMITS``) or its default."""
    return str(getattr(settings, "QAMQOR_RATE_LIMITS", {}).get(group, default))


def limited(
    group: str, rate: str, key: str | Callable[..., str] = "ip", method: Any = ALL
) -> Callable[[View], View]:
    """Limit a view to ``rate`` requests (``"20/m"``) per key, answering 429 beyond it.

    ``key="ip"`` is the proxy-aware client IP; any django-ratelimit key (``"user"``,
    ``"post:phone"``) or callable ``(group, request) -> str`` works too."""
    key_fn = client_ip if key == "ip" else key

    def current_rate(group_: str, request: HttpRequest) -> str:
        return rate_for(group, rate)

    def decorator(view: View) -> View:
        counted = ratelimit(group=group, key=key_fn, rate=current_rate, method=method, block=True)(
            view
        )

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return counted(request, *args, **kwargs)
            except Ratelimited as exc:
                # Answered here, so the page does not depend on RatelimitMiddleware.
                from qamqor.accounts.views.session import rate_limited

                return rate_limited(request, exc)

        return wrapped

    return decorator
