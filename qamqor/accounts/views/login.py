"""Login and logout.

Until the e-signature login (identity issue) lands, the only way in is the development-only login,
which exists only when ``DEBUG`` and ``DEV_LOGIN`` are both on (settings refuse it otherwise).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from qamqor.accounts import selectors
from qamqor.accounts.forms import DevLoginForm


def dev_login_allowed() -> bool:
    return bool(settings.DEBUG and settings.DEV_LOGIN_ENABLED)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_http_methods(["GET"])
def login_choice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/login.html",
        {"dev_login": dev_login_allowed(), "next": _safe_next(request)},
    )


@require_http_methods(["GET", "POST"])
def dev_login(request: HttpRequest) -> HttpResponse:
    """DEVELOPMENT ONLY: log in as a demo user by choosing them from a list. 404 in production."""
    if not dev_login_allowed():
        raise Http404
    form = DevLoginForm(request.POST or None, users=selectors.demo_users())
    if request.method == "POST" and form.is_valid():
        login(
            request, form.cleaned_data["user"], backend="django.contrib.auth.backends.ModelBackend"
        )
        return redirect(_safe_next(request))
    return render(request, "accounts/dev_login.html", {"form": form, "next": _safe_next(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")
