"""Login by a one-time code sent by SMS or e-mail (R-SPC-1). Thin: the rules are in accounts/otp.py.

``otp/`` asks who the person is and where to send the code; ``otp/verify/`` takes the code;
``otp/resend/`` (POST) sends a new one. What the person typed on the first page waits in the
session until the code is checked. Codes are bound to this browser session (``_session_binding``).
"""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qamqor.accounts.forms_otp import OtpRequestForm, OtpVerifyForm
from qamqor.accounts.otp import Applicant, normalize_destination, request_code
from qamqor.accounts.ratelimits import OTP_SEND, OTP_VERIFY, limited
from qamqor.accounts.sms import SmsDeliveryError
from qamqor.accounts.views.login import safe_next, session_binding
from qamqor.core.errors import DomainError
from qamqor.core.identifiers import format_phone

BACKEND = "qamqor.accounts.backends.OneTimeCodeBackend"
BINDING_SECRET_KEY = "otp_binding_secret"  # noqa: S105 (a session key name)
PENDING_KEY = "otp_pending"
OTP_SEND_PER_DESTINATION = "10/h"  # a phone or mailbox gets at most this many codes


def _session_binding(request: HttpRequest) -> str:
    """The one-time codes' binding to this browser session (``login.session_binding``)."""
    return session_binding(request, BINDING_SECRET_KEY)


def _destination_key(group: str, request: HttpRequest) -> str:
    """Rate-limit key: the destination the code goes to (so a number cannot be flooded)."""
    pending = request.session.get(PENDING_KEY) or {}
    channel = request.POST.get("channel") or pending.get("channel", "")
    raw = request.POST.get("phone" if channel == "sms" else "email") or pending.get(
        "destination", ""
    )
    try:
        return normalize_destination(channel, raw)
    except DomainError:
        return raw.strip().lower()


_send_limits = [
    limited("accounts.otp_send", OTP_SEND, method="POST"),
    limited(
        "accounts.otp_send_destination",
        OTP_SEND_PER_DESTINATION,
        key=_destination_key,
        method="POST",
    ),
]


def _send(request: HttpRequest, channel: str, destination: str) -> str | None:
    """Ask for a code; the message to show when it was refused or could not be sent."""
    try:
        request_code(
            channel=channel,
            destination=destination,
            session_binding=_session_binding(request),
            request=request,
        )
    except DomainError as exc:
        return str(exc.message)
    except (SmsDeliveryError, smtplib.SMTPException, OSError):
        return _(
            "The code could not be sent. Try again in a minute or choose the other way "
            "to receive it."
        )
    return None


def _ttl() -> dict[str, int]:
    return {"ttl_minutes": max(1, settings.OTP_TTL_SECONDS // 60)}


def _verify_url(request: HttpRequest) -> str:
    return reverse("accounts:otp-verify") + "?" + urlencode({"next": safe_next(request)})


@require_http_methods(["GET", "POST"])
@_send_limits[0]
@_send_limits[1]
def otp_request(request: HttpRequest) -> HttpResponse:
    """Who are you, and where should the code go? (R-SPC-1)"""
    pending = _pending(request) or {}  # "change the phone number": start from what was typed
    initial = {k: v for k, v in pending.items() if k in OtpRequestForm.base_fields}
    if pending:
        initial["phone" if pending["channel"] == "sms" else "email"] = pending["destination"]
    form = OtpRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        error = _send(request, data["channel"], data["destination"])
        if error is None:
            request.session[PENDING_KEY] = {
                "channel": data["channel"],
                "destination": data["destination"],
                "iin": data["iin"],
                "surname": data["surname"],
                "given_name": data["given_name"],
                "patronymic": data["patronymic"],
            }
            return redirect(_verify_url(request))
        form.add_error(None, error)
    return render(request, "accounts/otp_request.html", {"form": form, "next": safe_next(request)})


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or not pending.get("destination"):
        return None
    shown = pending["destination"]
    return {**pending, "shown": format_phone(shown) if pending["channel"] == "sms" else shown}


@require_http_methods(["GET", "POST"])
@limited("accounts.otp_verify", OTP_VERIFY, method="POST")
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Type the code that was sent; log in (or register as an applicant specialist)."""
    pending = _pending(request)
    if pending is None:
        return redirect(reverse("accounts:otp") + "?" + urlencode({"next": safe_next(request)}))
    form = OtpVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-axes keeps the POST data of a failed login: never the code.
        masked = request.POST.copy()
        masked["code"] = "******"
        request.POST = masked  # type: ignore[misc,assignment]
        user = authenticate(
            request,
            username=pending["destination"],  # the key django-axes counts failures by
            otp_destination=pending["destination"],
            otp_code=form.cleaned_data["code"],
            otp_session_binding=_session_binding(request),
            otp_applicant=Applicant(
                iin=pending["iin"],
                surname=pending["surname"],
                given_name=pending["given_name"],
                patronymic=pending.get("patronymic", ""),
            ),
        )
        if user is not None:
            next_url = safe_next(request)
            login(request, user, backend=BACKEND)  # also gives the session a new key
            request.session.pop(PENDING_KEY, None)
            return redirect(next_url)
        error = getattr(request, "otp_error", None)
        form.add_error(
            "code",
            str(error.message)
            if error is not None
            else _("Too many failed attempts. Wait a while and try again."),
        )
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "pending": pending, "next": safe_next(request), **_ttl()},
    )


@require_POST
@_send_limits[0]
@_send_limits[1]
def otp_resend(request: HttpRequest) -> HttpResponse:
    """Send a new code to the same destination (the old one stops working)."""
    pending = _pending(request)
    if pending is None:
        return redirect("accounts:otp")
    error = _send(request, pending["channel"], pending["destination"])
    if error is None:
        messages.success(request, _("A new code has been sent."))
        return redirect(_verify_url(request))
    form = OtpVerifyForm()
    return render(
        request,
        "accounts/otp_verify.html",
        {
            "form": form,
            "pending": pending,
            "next": safe_next(request),
            "resend_error": error,
            **_ttl(),
        },
    )


urlpatterns: list[URLPattern] = [
    path("otp/", otp_request, name="otp"),
    path("otp/verify/", otp_verify, name="otp-verify"),
    path("otp/resend/", otp_resend, name="otp-resend"),
]
