"""``verify``: the one entry point of the e-signature service (R-X-2).

Order of the checks (docs/esign.md): read the CMS; settle the content; the signing time; then a
verifier checks algorithm, signature value, chain to a trusted root, validity at the signing
time and revocation; then the key's purpose and the signer's IIN. The first failure is the
answer; nothing is written anywhere.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from qamqor.accounts.esign.algorithms import register_asn1_oids
from qamqor.accounts.esign.cms import load_certificate, parse_cms
from qamqor.accounts.esign.errors import (
    CONTENT_MISMATCH,
    NO_CONTENT,
    UNSUPPORTED_ALGORITHM,
    VERIFIER_UNAVAILABLE,
    SignatureError,
)
from qamqor.accounts.esign.policy import check_key_usage, check_signing_time
from qamqor.accounts.esign.result import Purpose, VerifiedSignature
from qamqor.accounts.esign.subject import signer_from_certificate
from qamqor.accounts.esign.verifiers import Verifier, configured_verifiers


def max_signature_age(purpose: Purpose) -> dt.timedelta:
    """A login signs a fresh nonce; an act is signed in the same sitting as it is filed."""
    if purpose is Purpose.AUTHENTICATION:
        return dt.timedelta(seconds=settings.ESIGN_NONCE_TTL_SECONDS)
    return dt.timedelta(seconds=settings.ESIGN_MAX_SIGNATURE_AGE_SECONDS)


def verify(
    cms: bytes | str,
    *,
    data: bytes | None = None,
    purpose: Purpose,
    at: dt.datetime | None = None,
    verifiers: list[Verifier] | None = None,
) -> VerifiedSignature:
    """Verify a CMS/PKCS#7 signature (DER, PEM or base64) for ``purpose`` (R-X-2).

    ``data`` given: the signature is detached over it, or its attached content must equal it.
    ``at``: the verification time (default now); validity is checked at the signingTime
    attribute, else at ``at``. ``verifiers`` overrides ``settings.ESIGN_VERIFIERS`` (tests).

    Refuses with a ``SignatureError`` whose code says why (docs/esign.md has the table):
    malformed, no_signer, multiple_signers, no_content, content_mismatch,
    signing_time_in_future, signing_time_too_old, unsupported_algorithm, bad_signature,
    no_trusted_roots, untrusted_chain, expired, not_yet_valid, revoked, crl_unavailable,
    verifier_unavailable, external_rejected, wrong_key_usage, no_iin, invalid_iin, invalid_bin.
    """
    if at is not None and timezone.is_naive(at):
        raise ValueError("verify(at=...) must be an aware datetime")
    register_asn1_oids()
    purpose = Purpose(purpose)
    now = at or timezone.now()
    parsed = parse_cms(cms)
    if parsed.content is None:
        if data is None:
            raise SignatureError(NO_CONTENT, detail="detached signature without data")
        content = data
    else:
        if data is not None and data != parsed.content:
            raise SignatureError(CONTENT_MISMATCH, detail="attached content differs from data")
        content = parsed.content
    signing_time = parsed.signing_time or now
    check_signing_time(signing_time, now, max_signature_age(purpose))

    chosen = configured_verifiers() if verifiers is None else verifiers
    if not chosen:
        raise SignatureError(VERIFIER_UNAVAILABLE, detail="ESIGN_VERIFIERS is empty")
    for index, verifier in enumerate(chosen):
        try:
            checked = verifier.check(parsed, content, purpose=purpose, when=signing_time, now=now)
            break
        except SignatureError as exc:
            if exc.code == UNSUPPORTED_ALGORITHM and index + 1 < len(chosen):
                continue
            raise
    cert = load_certificate(parsed.signer_certificate)
    check_key_usage(cert, purpose)
    signer = signer_from_certificate(cert)
    return VerifiedSignature(
        signer=signer,
        certificate=parsed.signer_certificate,
        certificate_serial=format(cert.serial_number, "x"),
        certificate_issuer=cert.issuer.rfc4514_string(),
        signing_time=signing_time,
        signature_algorithm=checked.signature_algorithm,
        content=content,
        purpose=purpose,
        verifier=checked.verifier,
        digest_algorithm=parsed.digest_algorithm,
        chain=checked.chain,
    )
