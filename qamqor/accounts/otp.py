"""Login by a one-time code sent by SMS or e-mail (R-SPC-1: "a specialist applies through the portal
after registering with a mobile phone number or e-mail, each confirmed by a one-time code").

A person gives their IIN, names and a phone number or e-mail; ``request_code`` sends a 6-digit
code ("бір реттік код") there; ``verify_code`` checks it and logs in the user with that IIN whose
stored contact is that destination, or registers a new user (an applicant specialist) when no user
has that IIN. A contact is never attached to an existing account here: IINs are not secret, so
anyone could otherwise take over an account registered by e-signature.

Only an HMAC of each code is stored (see ``_hash_code``). Codes are bound to the browser session
that asked for them (``session_binding``: SHA-256 of a random value kept in that session), expire
after ``OTP_TTL_SECONDS``, allow ``OTP_MAX_ATTEMPTS`` wrong tries and are consumed with a
compare-and-set update, so two concurrent verifications cannot both use one code.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qamqor.accounts.models import OneTimeCode, User
from qamqor.accounts.roles import STAFF_ROLES, Role
from qamqor.accounts.services import grant_role
from qamqor.accounts.sms import send_sms
from qamqor.core.audit import record_event
from qamqor.core.errors import DomainError
from qamqor.core.history import acting_as
from qamqor.core.identifiers import is_mobile_phone, normalize_phone, parse_iin

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
_HASH_SCHEME = "hmac-sha256"


@dataclass(frozen=True)
class Applicant:
    """Who the person says they are: the account to log in to, or to register (R-SPC-1)."""

    iin: str
    surname: str = ""
    given_name: str = ""
    patronymic: str = ""


# --- Destinations ------------------------------------------------------------------------------


def normalize_destination(channel: str, destination: str) -> str:
    """A phone number in E.164 (``+77012345678``) or an e-mail in lower case.

    Refuses with ``otp.invalid_destination`` anything that is not a Kazakhstan mobile number
    (the SMS channel) or an e-mail address (the e-mail channel)."""
    text = (destination or "").strip()
    if channel == OneTimeCode.Channel.SMS:
        try:
            phone = normalize_phone(text)
        except ValidationError:
            phone = ""
        if not is_mobile_phone(phone):
            raise DomainError(
                "otp.invalid_destination",
                _("Enter a Kazakhstan mobile phone number: +7 7XX XXX XX XX."),
                field="phone",
            )
        return phone
    if channel == OneTimeCode.Channel.EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            raise DomainError(
                "otp.invalid_destination",
                _("Enter an e-mail address, for example aigerim@example.kz."),
                field="email",
            ) from None
        # Mailbox names are case-insensitive at every provider people use; one spelling per
        # address keeps the resend throttle and the account match honest.
        return text.lower()
    raise DomainError(
        "otp.invalid_destination",
        _("Choose how to receive the code: SMS or e-mail."),
        field="channel",
    )


def channel_of(destination: str) -> str:
    return OneTimeCode.Channel.EMAIL if "@" in destination else OneTimeCode.Channel.SMS


# --- Hashing -----------------------------------------------------------------------------------


def _hash_code(code: str, destination: str, salt: str) -> str:
    # HMAC-SHA256 keyed with SECRET_KEY, not make_password: a 6-digit code has only a million
    # values, so a slow hash (PBKDF2) would not stop a brute force of a stolen table but would
    # cost ~0.5 s of CPU on every verification (a denial-of-service lever). With the key outside
    # the database a stolen table alone reveals nothing; the destination in the message ties a
    # hash to its row; the code lives five minutes anyway.
    message = f"{salt}:{destination}:{code}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"{_HASH_SCHEME}${salt}${digest}"


def _code_matches(otp: OneTimeCode, code: str) -> bool:
    scheme, _sep, rest = otp.code_hash.partition("$")
    salt = rest.partition("$")[0]
    if scheme != _HASH_SCHEME or not salt:
        return False
    return hmac.compare_digest(_hash_code(code, otp.destination, salt), otp.code_hash)


# --- Requesting a code -------------------------------------------------------------------------


def code_message(code: str) -> str:
    """The text sent to the person, in the language active now (kk, ru or en)."""
    minutes = max(1, settings.OTP_TTL_SECONDS // 60)
    return ngettext(
        "Qamqor: your login code is %(code)s. It is valid for %(minutes)d minute. "
        "Do not tell it to anyone.",
        "Qamqor: your login code is %(code)s. It is valid for %(minutes)d minutes. "
        "Do not tell it to anyone.",
        minutes,
    ) % {"code": code, "minutes": minutes}


def _deliver(channel: str, destination: str, text: str, subject: str) -> None:
    if channel == OneTimeCode.Channel.SMS:
        send_sms(destination, text)
    else:
        send_mail(subject, text, None, [destination])


@transaction.atomic(durable=True)
def request_code(
    *,
    channel: str,
    destination: str,
    session_binding: str,
    request: HttpRequest | None = None,
) -> OneTimeCode:
    """Send a new one-time code to a phone (SMS) or e-mail (R-SPC-1).

    Refuses ``otp.invalid_destination`` (not a Kazakhstan mobile number / not an e-mail) and
    ``otp.resend_too_soon`` (a code went to this destination less than ``OTP_RESEND_SECONDS``
    ago). Earlier unused codes for the destination stop working. The message is written in the
    active language and sent after the transaction commits; ``SmsDeliveryError`` or an SMTP
    error then reaches the caller (the code row stays, so the throttle still applies)."""
    destination = normalize_destination(channel, destination)
    now = timezone.now()
    latest = (
        OneTimeCode.objects.select_for_update()
        .filter(destination=destination)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is not None:
        wait = settings.OTP_RESEND_SECONDS - (now - latest.created_at).total_seconds()
        if wait > 0:
            seconds = math.ceil(wait)
            raise DomainError(
                "otp.resend_too_soon",
                ngettext(
                    "A code has just been sent. You can ask for a new one in %(seconds)d second.",
                    "A code has just been sent. You can ask for a new one in %(seconds)d seconds.",
                    seconds,
                )
                % {"seconds": seconds},
                params={"seconds": seconds},
            )
    OneTimeCode.objects.filter(
        destination=destination, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    otp = OneTimeCode.objects.create(
        channel=channel,
        destination=destination,
        code_hash=_hash_code(code, destination, secrets.token_hex(8)),
        created_at=now,
        expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
        session_binding=session_binding,
    )
    record_event("accounts.otp_requested", otp, data={"channel": channel})
    # Written now, while the person's language is active; sent only once the row is committed.
    text = code_message(code)
    subject = _("Your Qamqor login code")
    transaction.on_commit(partial(_deliver, channel, destination, text, subject))
    return otp


# --- Verifying a code --------------------------------------------------------------------------


def _failure(otp: OneTimeCode | None, error: DomainError) -> DomainError:
    subject: OneTimeCode | tuple[str, Any] = (
        otp if otp is not None else ("accounts.onetimecode", "")
    )
    record_event("accounts.otp_failed", subject, reason_codes=[error.code])
    return error


def _no_code() -> DomainError:
    return DomainError(
        "otp.no_code",
        _(
            "There is no valid code for this phone number or e-mail in this browser. "
            "Request a new code."
        ),
        field="code",
    )


def _too_many_attempts() -> DomainError:
    return DomainError(
        "otp.too_many_attempts",
        _("A wrong code was entered too many times. Request a new code."),
        field="code",
    )


def _contact_mismatch() -> DomainError:
    # Says neither which contact is on record nor whether the IIN or the contact is the one known.
    return DomainError(
        "otp.contact_mismatch",
        _(
            "This IIN and this phone number or e-mail do not belong to the same account. "
            "Use the contact you registered with, or log in with the electronic digital "
            "signature (EDS)."
        ),
    )


def _find_or_register(destination: str, applicant: Applicant) -> tuple[User, bool] | DomainError:
    """The account to log in to and whether it was just registered, or the refusal."""
    field = "phone" if channel_of(destination) == OneTimeCode.Channel.SMS else "email"
    owner = User.objects.filter(iin=applicant.iin).first()
    if owner is not None:
        stored = (getattr(owner, field) or "").lower()
        if stored != destination.lower():
            return _contact_mismatch()
        if not owner.is_active:
            return DomainError(
                "otp.inactive", _("This account is blocked. Contact the portal's support.")
            )
        # R-X-2: staff act with powers over other people's files; they log in by e-signature only.
        if owner.role_assignments.filter(revoked_at__isnull=True, role__in=STAFF_ROLES).exists():
            return DomainError(
                "otp.staff_requires_esign",
                _(
                    "Staff accounts log in only with the electronic digital signature (EDS). "
                    "Use the e-signature login."
                ),
            )
        return owner, False
    if User.objects.filter(**{f"{field}__iexact": destination}).exists():
        return _contact_mismatch()
    if not applicant.surname.strip() or not applicant.given_name.strip():
        return DomainError("otp.name_required", _("Enter your surname and name."))
    language = translation.get_language() or User.Language.KK
    with acting_as(None):
        user = User.objects.create_user(
            applicant.iin,
            surname=applicant.surname.strip(),
            given_name=applicant.given_name.strip(),
            patronymic=applicant.patronymic.strip(),
            language=language if language in User.Language.values else User.Language.KK,
            registered_by_code=True,
            **{field: destination},
        )
        grant_role(None, user, Role.APPLICANT_SPECIALIST)
    return user, True


def _verify(destination: str, code: str, session_binding: str, applicant: Applicant) -> Any:
    now = timezone.now()
    limit = settings.OTP_MAX_ATTEMPTS
    # The newest unused code that this browser session asked for: a code requested in another
    # session (or already used) is simply not there.
    otp = (
        OneTimeCode.objects.filter(
            destination=destination, session_binding=session_binding, used_at__isnull=True
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if otp is None or not session_binding:
        return _failure(None, _no_code())
    if otp.expires_at <= now:
        return _failure(
            otp,
            DomainError(
                "otp.expired", _("This code has expired. Request a new code."), field="code"
            ),
        )
    if otp.attempts >= limit:
        return _failure(otp, _too_many_attempts())
    if not _code_matches(otp, code):
        counted = OneTimeCode.objects.filter(
            pk=otp.pk, used_at__isnull=True, attempts__lt=limit
        ).update(attempts=F("attempts") + 1)
        attempts = OneTimeCode.objects.filter(pk=otp.pk).values_list("attempts", flat=True)[0]
        left = limit - attempts
        if not counted or left <= 0:
            return _failure(otp, _too_many_attempts())
        return _failure(
            otp,
            DomainError(
                "otp.wrong_code",
                ngettext(
                    "The code is wrong. You have %(left)d attempt left.",
                    "The code is wrong. You have %(left)d attempts left.",
                    left,
                )
                % {"left": left},
                field="code",
                params={"left": left},
            ),
        )
    # Compare-and-set: of two concurrent verifications of one code only one updates the row.
    consumed = OneTimeCode.objects.filter(
        pk=otp.pk, used_at__isnull=True, attempts__lt=limit, expires_at__gt=now
    ).update(used_at=now)
    if not consumed:
        return _failure(otp, _no_code())
    found = _find_or_register(destination, applicant)
    if isinstance(found, DomainError):
        return _failure(otp, found)
    user, registered = found
    record_event(
        "accounts.login",
        user,
        actor=user,
        data={"method": "otp", "channel": otp.channel, "registered": registered},
    )
    return user


def verify_code(*, destination: str, code: str, session_binding: str, applicant: Applicant) -> User:
    """Check a one-time code and return the user it logs in (R-SPC-1).

    ``destination`` is as ``request_code`` stored it. The user is the one with
    ``applicant.iin`` whose phone/e-mail is the destination; when no user has that IIN, a new
    user with that contact is registered and given the role applicant specialist.

    Refuses: ``otp.no_code`` (no unused code for this destination asked for in this browser
    session, e.g. used already), ``otp.expired``, ``otp.wrong_code`` (says how many attempts
    are left), ``otp.too_many_attempts`` (after ``OTP_MAX_ATTEMPTS`` wrong codes),
    ``otp.contact_mismatch`` (the IIN belongs to an account with another contact, or the
    contact to an account with another IIN; the code is used up), ``otp.inactive``,
    ``otp.name_required``. Wrong attempts and refusals are committed (with an
    ``accounts.otp_failed`` event) before the error is raised."""
    try:
        iin = parse_iin(applicant.iin).value
    except ValidationError as exc:
        raise DomainError("otp.invalid_iin", exc.messages[0], field="iin") from None
    applicant = Applicant(iin, applicant.surname, applicant.given_name, applicant.patronymic)
    code = "".join(code.split())
    if not (len(code) == CODE_DIGITS and code.isascii() and code.isdigit()):
        code = ""  # cannot match; still counts as a wrong attempt
    with transaction.atomic(durable=True):
        result = _verify(destination.strip(), code, session_binding, applicant)
    if isinstance(result, DomainError):
        raise result
    user: User = result
    return user


# --- Authentication backend --------------------------------------------------------------------


class OneTimeCodeBackend(BaseBackend):
    """``authenticate(request, username=<destination>, otp_destination=…, otp_code=…,
    otp_session_binding=…, otp_applicant=Applicant(…))``.

    ``username`` is only there for django-axes, which keys failures by IP address and username;
    ``ModelBackend`` ignores it without a password. On refusal the ``DomainError`` is put on
    ``request.otp_error`` so the view can show its message; ``authenticate`` then answers None
    and Django signals ``user_login_failed`` (axes counts it)."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        *,
        otp_destination: str | None = None,
        otp_code: str | None = None,
        otp_session_binding: str | None = None,
        otp_applicant: Applicant | None = None,
    ) -> User | None:
        if None in (otp_destination, otp_code, otp_session_binding, otp_applicant):
            return None
        assert otp_destination is not None and otp_code is not None  # for mypy
        assert otp_session_binding is not None and otp_applicant is not None
        try:
            user = verify_code(
                destination=otp_destination,
                code=otp_code,
                session_binding=otp_session_binding,
                applicant=otp_applicant,
            )
        except DomainError as exc:
            if request is not None:
                request.otp_error = exc  # type: ignore[attr-defined]
            return None
        return user if user.is_active else None

    def get_user(self, user_id: Any) -> User | None:
        from qamqor.accounts.selectors import active_user

        return active_user(user_id)  # on every request of a session: in SQL (issue 9)
