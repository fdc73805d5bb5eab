"""Login by e-signature and signing acts (R-X-2): thin views over ``signin`` and ``signing``.

* ``login/esign/nonce/``: a fresh one-time challenge for this browser (JSON).
* ``login/esign/``: the login page; the form takes the CMS from NCALayer (put there by
  ``static/js/esign.js``), pasted, or uploaded as a ``.p7s`` file (DER or base64).
* ``login/esign/dev-sign/``: DEVELOPMENT ONLY (404 unless ``DEBUG`` and ``ESIGN_DEV_SIGNER``):
  signs the challenge with a demo user's test key, so the whole flow can be tried without
  NCALayer. The signature still goes through ``login_by_signature`` and its verification.
* ``sign-demo/``: a small act ("confirm my contact details") signed end to end.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qamqor.accounts import ratelimits, selectors, signing
from qamqor.accounts.forms import DEV_KEY_TYPES, DevSignerForm, EsignLoginForm, SignatureForm
from qamqor.accounts.models import User
from qamqor.accounts.representation import act_parties
from qamqor.accounts.signin import issue_nonce
from qamqor.accounts.views.login import safe_next
from qamqor.accounts.views.login import session_binding as bind_to_session
from qamqor.core.errors import DomainError

BACKEND = "qamqor.accounts.backends.ESignatureBackend"
_SESSION_KEY = "esign_binding_secret"
CONTACT_ACT = "accounts.confirm_contact_details"


def session_binding(request: HttpRequest) -> str:
    """The e-signature challenges' binding to this browser session (``login.session_binding``)."""
    return bind_to_session(request, _SESSION_KEY)


def dev_signer_enabled() -> bool:
    return bool(settings.DEBUG and settings.ESIGN_DEV_SIGNER)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# --- Login ------------------------------------------------------------------------------------


@require_POST
@ratelimits.limited("accounts.login_nonce", ratelimits.LOGIN_NONCE)
def nonce_view(request: HttpRequest) -> JsonResponse:
    nonce = issue_nonce(session_binding(request))
    return JsonResponse({"nonce": nonce.value, "expires_at": nonce.expires_at.isoformat()})


def _login_page(
    request: HttpRequest, form: EsignLoginForm | None = None, status: int = 200
) -> HttpResponse:
    # Every rendering carries a new challenge: the one of a refused attempt is spent.
    nonce = issue_nonce(session_binding(request))
    context = {
        "form": form or EsignLoginForm(),
        "nonce": nonce,
        "next": safe_next(request),
        "dev_signer": dev_signer_enabled(),
        "dev_users": selectors.demo_users() if dev_signer_enabled() else [],
        "dev_key_types": DEV_KEY_TYPES,
        "esign_config": _script_config(request, mode="login"),
    }
    return render(request, "accounts/esign_login.html", context, status=status)


def _script_config(request: HttpRequest, *, mode: str, data: bytes = b"") -> dict[str, Any]:
    """What ``esign.js`` needs, with every message already translated (json_script)."""
    return {
        "mode": mode,
        "nonceUrl": reverse("accounts:esign-nonce"),
        "devSignUrl": reverse("accounts:esign-dev-sign") if dev_signer_enabled() else "",
        "data": base64.b64encode(data).decode() if data else "",
        "locale": get_language() or "kk",
        "messages": {
            "connecting": _("Connecting to NCALayer…"),
            "choose_key": _("Choose your key in the NCALayer window and enter its password."),
            "not_running": _(
                "NCALayer is not running. Start NCALayer and try again, or upload the "
                "signature file below."
            ),
            "canceled": _("You cancelled the signing in NCALayer. Nothing was sent."),
            "failed": _("NCALayer could not sign: %(reason)s"),
            "nonce_failed": _("Could not get a login request from the portal. Reload the page."),
            "dev_choose_user": _("Choose a demo user."),
            "sending": _("Signed. Logging in…"),
        },
    }


def _error_message(request: HttpRequest) -> str:
    error = getattr(request, "esign_error", None)
    if isinstance(error, DomainError):
        return str(error.message)
    return _("Logging in failed. Wait a few minutes and try again.")


def _log_in_with(request: HttpRequest, cms: bytes | str, nonce: str) -> User | None:
    user = authenticate(
        request,
        esign_cms=cms,
        esign_nonce=nonce,
        esign_session_binding=session_binding(request),
    )
    if user is not None:
        login(request, user, backend=BACKEND)
    return user  # type: ignore[return-value]


@require_http_methods(["GET", "POST"])
@ratelimits.limited("accounts.login_post", ratelimits.LOGIN_POST, method="POST")
def login_view(request: HttpRequest) -> HttpResponse:
    """The e-signature login page (R-X-2). Refusals re-render with the exact reason (400)."""
    if request.method == "GET":
        return _login_page(request)
    form = EsignLoginForm(request.POST, request.FILES)
    if not form.is_valid():
        return _login_page(request, form, status=400)
    if _log_in_with(request, form.cleaned_data["signature"], form.cleaned_data["nonce"]):
        return redirect(safe_next(request))
    form.add_error(None, _error_message(request))
    return _login_page(request, form, status=400)


@require_http_methods(["GET", "POST"])
def dev_sign_view(request: HttpRequest) -> HttpResponse:
    """DEVELOPMENT ONLY: sign the challenge with a demo user's test-PKI authentication key, of
    the type chosen (ECDSA, or GOST 34.10-2015 512-bit like NCA's keys).

    JSON (the login page's script): answers ``{"cms": base64}`` for the page to submit. A plain
    form POST (no script) logs in through the normal path with that signature. 404 in production.
    """
    if not dev_signer_enabled():
        raise Http404
    users = selectors.demo_users()
    form = DevSignerForm(request.POST or None, users=users)
    if request.method == "GET" or not form.is_valid():
        if request.method == "POST" and _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        context = {
            "form": form,
            "nonce": issue_nonce(session_binding(request)),
            "next": safe_next(request),
        }
        status = 400 if request.method == "POST" else 200
        return render(request, "accounts/esign_dev_sign.html", context, status=status)
    nonce = form.cleaned_data["nonce"]
    cms = signing.dev_signature(
        form.cleaned_data["user"],
        nonce.encode(),
        kind="auth",
        key_type=form.cleaned_data["key_type"],
    )
    if _wants_json(request):
        return JsonResponse({"cms": base64.b64encode(cms).decode()})
    if _log_in_with(request, cms, nonce):
        return redirect(safe_next(request))
    messages.error(request, _error_message(request))
    return redirect(reverse("accounts:esign-dev-sign"))


# --- Signing an act: the demo -----------------------------------------------------------------

CONTACT_LABELS = {
    "act": gettext_lazy("Act"),
    "date": gettext_lazy("Date"),
    "email": gettext_lazy("E-mail"),
    "full_name": gettext_lazy("Full name"),
    "iin": gettext_lazy("IIN"),
    "language": gettext_lazy("Language"),
    "phone": gettext_lazy("Mobile phone"),
}


def _contact_act(user: User) -> dict[str, Any]:
    return {
        "act": CONTACT_ACT,
        "date": timezone.localdate().isoformat(),
        "email": user.email or "",
        "full_name": user.get_full_name(),
        "iin": user.iin,
        "language": user.language,
        "phone": str(user.phone or ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def sign_demo_view(request: HttpRequest) -> HttpResponse:
    """Sign "I confirm my contact details": what you are about to sign, then the signature by
    NCALayer, the development signer or an uploaded file; lists the documents signed (R-X-2)."""
    signer, on_behalf_of = act_parties(request)
    act = _contact_act(on_behalf_of or signer)
    content = signing.canonical_bytes(act)
    form = SignatureForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        dev = request.POST.get("method") == "dev" and dev_signer_enabled()
        if dev:
            form = SignatureForm()
            cms: bytes | str | None = signing.dev_signature(signer, content, kind="sign")
        else:
            cms = form.cleaned_data["signature"] if form.is_valid() else None
        if cms is not None:
            try:
                signing.record_signed_document(
                    kind=CONTACT_ACT,
                    content=content,
                    cms=cms,
                    signed_by=signer,
                    on_behalf_of=on_behalf_of,
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The document is signed and stored."))
                return redirect(reverse("accounts:sign-demo"))
        status = 400
    context = {
        "form": form,
        "dev_signer": dev_signer_enabled(),
        "documents": signing.signed_documents_of(signer)[:20],
        "esign_config": _script_config(request, mode="sign", data=content),
        **signing.about_to_sign_context(
            act, _("I confirm my contact details"), labels=CONTACT_LABELS
        ),
    }
    return render(request, "accounts/sign_demo.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("login/esign/nonce/", nonce_view, name="esign-nonce"),
    path("login/esign/", login_view, name="esign-login"),
    path("login/esign/dev-sign/", dev_sign_view, name="esign-dev-sign"),
    path("sign-demo/", sign_demo_view, name="sign-demo"),
]
