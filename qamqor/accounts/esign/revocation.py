"""Is a certificate revoked? CRLs from the trust store, and an optional OCSP checker (R-X-2).

CRLs are files in ``ESIGN_CRL_DIR`` (see ``trust.py``); a CRL counts only when the CA that issued
the certificate signed it. OCSP is pluggable: ``settings.ESIGN_OCSP_CHECKER`` is the dotted path
of a class (or factory) whose instances follow ``OcspChecker``; the portal ships no OCSP client.
The checker is asked first; ``UNKNOWN`` (or a failure of the checker) falls back to the CRLs.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from functools import cache
from typing import Protocol, runtime_checkable

from cryptography import x509
from django.conf import settings
from django.utils.module_loading import import_string

from qamqor.accounts.esign.errors import CRL_UNAVAILABLE, REVOKED, SignatureError
from qamqor.accounts.esign.trust import TrustStore

logger = logging.getLogger(__name__)


class OcspStatus(enum.StrEnum):
    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@runtime_checkable
class OcspChecker(Protocol):
    """What ``ESIGN_OCSP_CHECKER`` points at: asks the CA's OCSP responder about ``cert``."""

    def check(self, cert: x509.Certificate, issuer: x509.Certificate) -> OcspStatus: ...


@cache
def _load_checker(path: str) -> OcspChecker:
    factory = import_string(path)
    checker = factory()
    if not isinstance(checker, OcspChecker):
        raise TypeError(f"ESIGN_OCSP_CHECKER {path!r} has no check(cert, issuer) method")
    return checker


def ocsp_checker() -> OcspChecker | None:
    path = getattr(settings, "ESIGN_OCSP_CHECKER", "")
    return _load_checker(path) if path else None


def _ask_ocsp(cert: x509.Certificate, issuer: x509.Certificate) -> OcspStatus:
    checker = ocsp_checker()
    if checker is None:
        return OcspStatus.UNKNOWN
    try:
        return OcspStatus(checker.check(cert, issuer))
    except Exception:  # a broken responder must not decide alone; the CRLs still do
        logger.warning("esign: OCSP checker failed; falling back to CRLs", exc_info=True)
        return OcspStatus.UNKNOWN


def check_not_revoked(
    cert: x509.Certificate, issuer: x509.Certificate, store: TrustStore, *, now: dt.datetime
) -> None:
    """Refuse a revoked certificate (``esign.revoked``), whatever the revocation date: a
    signing time is the signer's own claim, so it cannot place a signature before a revocation.

    No CRL of the issuer and no OCSP answer: passes with a warning, unless
    ``ESIGN_REQUIRE_REVOCATION_CHECK`` is on (``esign.crl_unavailable``). A CRL whose nextUpdate
    has passed is still used (an old list still lists what it lists) and logged.
    """
    status = _ask_ocsp(cert, issuer)
    if status is OcspStatus.REVOKED:
        raise SignatureError(REVOKED, detail=f"OCSP: serial {cert.serial_number:x}")
    if status is OcspStatus.GOOD:
        return
    crls = store.crls_issued_by(issuer)
    if not crls:
        detail = f"no CRL of {issuer.subject.rfc4514_string()}"
        if getattr(settings, "ESIGN_REQUIRE_REVOCATION_CHECK", False):
            raise SignatureError(CRL_UNAVAILABLE, detail=detail)
        logger.warning("esign: %s; revocation not checked", detail)
        return
    for crl in crls:
        if crl.next_update_utc is not None and crl.next_update_utc < now:
            logger.warning("esign: CRL of %s is out of date", crl.issuer.rfc4514_string())
        if crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None:
            raise SignatureError(REVOKED, detail=f"CRL: serial {cert.serial_number:x}")
