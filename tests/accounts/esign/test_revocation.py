"""Revocation: CRLs, the optional OCSP checker and the strict mode (R-X-2)."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509

from qamqor.accounts.esign import Purpose, verify
from qamqor.accounts.esign.revocation import OcspStatus
from tests.pki import PkiHelper

DOC = b"reimbursement application"
ASKED: list[str] = []


class RevokingChecker:
    def check(self, cert: x509.Certificate, issuer: x509.Certificate) -> OcspStatus:
        ASKED.append(issuer.subject.rfc4514_string())
        return OcspStatus.REVOKED


class GoodChecker:
    def check(self, cert: x509.Certificate, issuer: x509.Certificate) -> OcspStatus:
        return OcspStatus.GOOD


class BrokenChecker:
    def check(self, cert: x509.Certificate, issuer: x509.Certificate) -> OcspStatus:
        raise TimeoutError("responder down")


def test_ocsp_revoked_answer_refuses(
    esign_settings: PkiHelper, settings: object, refused: object
) -> None:
    """R-X-2: a pluggable OCSP checker saying "revoked" refuses a certificate no CRL lists."""
    settings.ESIGN_OCSP_CHECKER = f"{__name__}.RevokingChecker"  # type: ignore[attr-defined]
    cms = esign_settings.sign(DOC, iin=esign_settings.new_iin())
    with refused("esign.revoked"):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
    assert ASKED[-1] == "CN=Qamqor Test Issuing CA,C=KZ"


def test_ocsp_good_answer_is_more_recent_than_the_crl(
    esign_settings: PkiHelper, settings: object
) -> None:
    """R-X-2: the responder's "good" is today's answer; the CRL is not consulted."""
    settings.ESIGN_OCSP_CHECKER = f"{__name__}.GoodChecker"  # type: ignore[attr-defined]
    cms = esign_settings.sign(DOC, p12=esign_settings.special("revoked"))
    assert verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION).verifier == "inprocess"


def test_broken_ocsp_checker_falls_back_to_the_crl(
    esign_settings: PkiHelper, settings: object, refused: object
) -> None:
    """R-X-2: a failing responder decides nothing; the CRL still refuses the revoked key."""
    settings.ESIGN_OCSP_CHECKER = f"{__name__}.BrokenChecker"  # type: ignore[attr-defined]
    cms = esign_settings.sign(DOC, p12=esign_settings.special("revoked"))
    with refused("esign.revoked"):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)


def test_missing_crl_refuses_only_in_strict_mode(
    esign_settings: PkiHelper, settings: object, tmp_path: Path, refused: object
) -> None:
    """R-X-2: without a CRL of the issuer the check is logged and skipped, unless
    ESIGN_REQUIRE_REVOCATION_CHECK is on (esign.crl_unavailable)."""
    settings.ESIGN_CRL_DIR = str(tmp_path)  # type: ignore[attr-defined]
    cms = esign_settings.sign(DOC, iin=esign_settings.new_iin())
    assert verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
    settings.ESIGN_REQUIRE_REVOCATION_CHECK = True  # type: ignore[attr-defined]
    with refused("esign.crl_unavailable"):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
