"""What a certificate may be used for, and when (R-X-2).

Applied by every verifier, in-process or external, so an external server cannot skip them.
NCA issues two keys: AUTH (extended key usage clientAuth ``1.3.6.1.5.5.7.3.2``, key usage
digitalSignature) to log in, and RSA/GOST signing keys (emailProtection ``1.3.6.1.5.5.7.3.4``,
key usage nonRepudiation) for legally significant acts.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509

from qamqor.accounts.esign.errors import (
    EXPIRED,
    NOT_YET_VALID,
    SIGNING_TIME_IN_FUTURE,
    SIGNING_TIME_TOO_OLD,
    WRONG_KEY_USAGE,
    WRONG_KEY_USAGE_MESSAGES,
    SignatureError,
)
from qamqor.accounts.esign.result import Purpose
from qamqor.accounts.esign.subject import extended_key_usage

CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4"
REQUIRED_EKU = {Purpose.AUTHENTICATION: CLIENT_AUTH, Purpose.SIGNING: EMAIL_PROTECTION}

# How far a signingTime may be ahead of the verifying clock (computers' clocks drift).
CLOCK_SKEW = dt.timedelta(minutes=5)


def check_key_usage(cert: x509.Certificate, purpose: Purpose) -> None:
    """Refuse a key not made for ``purpose`` (``esign.wrong_key_usage``): an AUTH key must have
    clientAuth and digitalSignature, a signing key emailProtection and nonRepudiation (or
    digitalSignature). A certificate without extended key usage is refused for both."""
    eku = extended_key_usage(cert) or ()
    required = REQUIRED_EKU[purpose]
    ok = required in eku
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        ku = None
    if ok and ku is not None:
        if purpose is Purpose.AUTHENTICATION:
            ok = ku.digital_signature
        else:
            ok = ku.content_commitment or ku.digital_signature
    if not ok:
        raise SignatureError(
            WRONG_KEY_USAGE,
            message=WRONG_KEY_USAGE_MESSAGES[purpose.value],
            detail=f"{purpose.value} needs EKU {required}; certificate has {list(eku)}",
        )


def check_signing_time(signing_time: dt.datetime, now: dt.datetime, max_age: dt.timedelta) -> None:
    """Refuse a signingTime in the future (``esign.signing_time_in_future``) or older than
    ``max_age`` (``esign.signing_time_too_old``): an expired key cannot be used by backdating."""
    if signing_time > now + CLOCK_SKEW:
        raise SignatureError(SIGNING_TIME_IN_FUTURE, detail=f"{signing_time} > {now}")
    if signing_time < now - max_age:
        raise SignatureError(SIGNING_TIME_TOO_OLD, detail=f"{signing_time} < {now} - {max_age}")


def check_validity(cert: x509.Certificate, when: dt.datetime) -> None:
    """Refuse a certificate not valid at ``when`` (``esign.expired``, ``esign.not_yet_valid``)."""
    if when < cert.not_valid_before_utc:
        raise SignatureError(NOT_YET_VALID, detail=f"valid from {cert.not_valid_before_utc}")
    if when > cert.not_valid_after_utc:
        raise SignatureError(EXPIRED, detail=f"valid until {cert.not_valid_after_utc}")
