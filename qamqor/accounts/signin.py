"""Login by e-signature (R-X-2): a one-time challenge signed with the person's NCA key.

The browser asks for a challenge ("nonce"), bound to its session; NCALayer signs it with the
authentication key (clientAuth); the server consumes the challenge once, verifies the CMS (chain
to a trusted root, validity, revocation, key usage) and finds the account by the IIN of the
certificate. A certificate alone grants no staff power: a person without an account becomes a
recipient of services ("қызмет алушы"); staff roles exist only when an administrator granted them
to that IIN. A legal-entity certificate (with a BIN) logs in only a person who holds a role in the
organization with that BIN.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.esign import Purpose, Signer, verify
from qamqor.accounts.models import LoginNonce, RoleAssignment, User
from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role
from qamqor.accounts.signing import certificate_facts
from qamqor.core.audit import record_event
from qamqor.core.errors import DomainError

NONCE_UNKNOWN = "esign.nonce_unknown"
NONCE_EXPIRED = "esign.nonce_expired"
NONCE_USED = "esign.nonce_used"
NONCE_OTHER_SESSION = "esign.nonce_other_session"
ENTITY_NOT_GRANTED = "esign.entity_not_granted"
ACCOUNT_INACTIVE = "esign.account_inactive"

MESSAGES = {
    NONCE_UNKNOWN: _("This login request is not known. Reload the page and sign again."),
    NONCE_EXPIRED: _("This login request has expired. Reload the page and sign again."),
    NONCE_USED: _("This login request has already been used. Reload the page and sign again."),
    NONCE_OTHER_SESSION: _(
        "This login request was made in another browser. Reload the page and sign again."
    ),
    ENTITY_NOT_GRANTED: _(
        "This is a key of an organization, and you hold no role in that organization on the "
        "portal. Log in with your personal key, or ask the administrator to grant you the role."
    ),
    ACCOUNT_INACTIVE: _("This account is blocked. Contact the portal administrator."),
}


def _refuse(code: str) -> DomainError:
    return DomainError(code, MESSAGES[code])


# --- Challenges -------------------------------------------------------------------------------


def issue_nonce(session_binding: str) -> LoginNonce:
    """Make a one-time challenge for the browser session ``session_binding`` (R-X-2)."""
    now = timezone.now()
    return LoginNonce.objects.create(
        value=secrets.token_urlsafe(32),
        session_binding=session_binding,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=settings.ESIGN_NONCE_TTL_SECONDS),
    )


def consume_nonce(value: str, session_binding: str) -> LoginNonce:
    """Use a challenge once (R-X-2), with a compare-and-set update: of two concurrent logins
    with the same challenge exactly one wins.

    Refuses, each with its own code: ``esign.nonce_unknown``, ``esign.nonce_other_session``
    (asked for by another browser), ``esign.nonce_used`` (a replay), ``esign.nonce_expired``."""
    now = timezone.now()
    claimed = LoginNonce.objects.filter(
        value=value, session_binding=session_binding, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    nonce = LoginNonce.objects.filter(value=value).first()
    if claimed == 1 and nonce is not None:
        return nonce
    if nonce is None:
        raise _refuse(NONCE_UNKNOWN)
    if not secrets.compare_digest(nonce.session_binding, session_binding):
        raise _refuse(NONCE_OTHER_SESSION)
    if nonce.used_at is not None:
        raise _refuse(NONCE_USED)
    raise _refuse(NONCE_EXPIRED)


# --- Login ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Account:
    user: User
    created: bool


def _organization_roles(user: User, bin_: str) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(
            user=user, revoked_at__isnull=True, organization__bin=bin_
        ).select_related("organization")
    )


def _confirm_iin(user: User) -> None:
    """The e-signature proves the IIN of an account someone registered by one-time code: the
    phone and e-mail typed then may be another person's, so they are dropped (the owner adds
    their own again) and the account counts as proven from now on."""
    dropped = [name for name in ("phone", "email") if getattr(user, name)]
    user.phone = None
    user.email = None
    user.registered_by_code = False
    user.save(update_fields=["phone", "email", "registered_by_code"])
    record_event("accounts.iin_confirmed", user, actor=user, data={"contacts_dropped": dropped})


def _account_for(signer: Signer) -> _Account:
    """The account of the certificate's IIN; a new recipient when there is none (and the key
    is a personal one). Never grants a staff role."""
    user = User.objects.filter(iin=signer.iin).first()
    # A legal-entity key carries claims only the organization made; the portal trusts what its
    # administrator granted, not the certificate.
    if signer.bin and (user is None or not _organization_roles(user, signer.bin)):
        raise _refuse(ENTITY_NOT_GRANTED)
    if user is not None:
        if not user.is_active:
            raise _refuse(ACCOUNT_INACTIVE)
        if user.registered_by_code:
            _confirm_iin(user)
        return _Account(user, created=False)
    surname, given_name = signer.surname, signer.given_name
    if not surname:
        surname, _sep, rest = signer.common_name.partition(" ")
        given_name = given_name or rest
    # NCA writes names in capitals; people read them as "Нұрланова Айгерім".
    user = User.objects.create_user(
        iin=signer.iin,
        surname=surname.title()[:100],
        given_name=given_name.title()[:100],
        patronymic=(signer.patronymic or "").title()[:100],
    )
    grant_role(None, user, Role.RECIPIENT)
    return _Account(user, created=True)


def _record_refusal(consumed: LoginNonce, error: DomainError, signer: Signer | None) -> None:
    data: dict[str, Any] = {"code": error.code}
    if error.code == ENTITY_NOT_GRANTED and signer is not None:
        data.update(iin=signer.iin, bin=signer.bin)
    record_event("accounts.esign_login_refused", consumed, data=data)


def login_by_signature(*, cms: bytes | str, nonce: str, session_binding: str) -> User:
    """Log in by a CMS over the challenge ``nonce`` (R-X-2); returns the user to log in.

    Consume the challenge (committed at once), verify the signature for authentication
    (detached over the challenge, or attached with the challenge as content), then find or
    create the account in one transaction. The verification runs outside any transaction: a
    verifier may ask an HTTP verification server or an OCSP responder, and no row lock (on
    SQLite: the database's write lock) may be held meanwhile (STYLE: no HTTP inside).
    Refuses with the verifier's ``esign.…`` code, a challenge code (see ``consume_nonce``),
    ``esign.entity_not_granted`` or ``esign.account_inactive``. A challenge that reached the
    verifier is spent even when the signature is refused, and the refusal is recorded
    (``accounts.esign_login_refused``); nothing else is written and nobody is logged in."""
    with transaction.atomic(durable=True):
        consumed = consume_nonce(nonce, session_binding)
    try:
        verified = verify(cms, data=nonce.encode(), purpose=Purpose.AUTHENTICATION)
    except DomainError as error:
        with transaction.atomic(durable=True):
            _record_refusal(consumed, error, None)
        raise
    refusal: DomainError
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                account = _account_for(verified.signer)
        except DomainError as error:
            refusal = error
            _record_refusal(consumed, error, verified.signer)
        else:
            record_event(
                "accounts.esign_login",
                account.user,
                actor=account.user,
                data={
                    "created": account.created,
                    "bin": verified.signer.bin or "",
                    "verifier": verified.verifier,
                    **certificate_facts(verified),
                },
            )
            return account.user
    raise refusal


class ESignatureBackend(BaseBackend):
    """Authenticates ``esign_cms`` + ``esign_nonce`` + ``esign_session_binding`` (R-X-2).

    Returns None for other credentials. On a refusal it keeps the ``DomainError`` on
    ``request.esign_error`` for the view and returns None, so that django-axes counts a failed
    login."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        *,
        esign_cms: bytes | str | None = None,
        esign_nonce: str | None = None,
        esign_session_binding: str | None = None,
    ) -> User | None:
        if not esign_cms or not esign_nonce or not esign_session_binding:
            return None
        try:
            return login_by_signature(
                cms=esign_cms, nonce=esign_nonce, session_binding=esign_session_binding
            )
        except DomainError as error:
            if request is not None:
                request.esign_error = error  # type: ignore[attr-defined]
            return None

    def get_user(self, user_id: Any) -> User | None:
        from qamqor.accounts.selectors import active_user

        return active_user(user_id)  # on every request of a session: in SQL (issue 9)
