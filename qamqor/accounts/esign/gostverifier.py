"""The checks of the in-process GOST 34.10-2015 verifier: NCA RK's current keys (R-X-2).

``verifiers.GostVerifier`` runs them; ``InProcessVerifier`` hands it every signer whose
certificate has a GOST 2015 key (chosen by the certificate's algorithm, never by a setting).
Same checks, same order and same codes as the RSA/ECDSA verifier:

1. algorithms: key GOST 34.10-2015 512-bit on paramSetA, signature ``1.2.398.3.10.1.1.2.3.2``,
   digest Streebog-512 (``1.2.398.3.10.1.3.3``); the 256-bit variant and anything else →
   ``esign.unsupported_algorithm`` naming it (GOST 34.310-2004 is refused before, with its own
   code, by ``inprocess.check_algorithms``);
2. signature value: ``messageDigest`` = Streebog-512 of the content, the signature over the DER
   of the signed attributes as SET OF (or over the content without them) → ``esign.bad_signature``;
3. chain: ``cryptography``'s path builder cannot check GOST signatures, so the path is built
   here (``build_chain``): issuer name, issuer is a CA allowed to sign certificates (and within
   its path length), issuer valid, the issuer's key signed the certificate, up to a root of the
   trust store → ``esign.untrusted_chain`` / ``esign.no_trusted_roots``;
4. validity at the signing time → ``esign.expired`` / ``esign.not_yet_valid``;
5. revocation with the same CRL/OCSP mechanism (``revocation.check_not_revoked``; a GOST CRL
   counts only when its GOST signature verifies, ``trust._crl_signed_by``) → ``esign.revoked``.

A GOST verification costs ~17 ms (``gost.py``; gostcrypto's own arithmetic ~0.4 s), so a CA
certificate whose signature by its issuer verified is remembered per process by the SHA-256
fingerprints of both (its validity is still checked on every use): a login then costs the leaf's
certificate signature and the CMS signature, two verifications.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes

from qamqor.accounts.esign import algorithms as alg
from qamqor.accounts.esign import gost
from qamqor.accounts.esign.cms import ParsedSignature
from qamqor.accounts.esign.errors import (
    BAD_SIGNATURE,
    MALFORMED,
    NO_TRUSTED_ROOTS,
    UNSUPPORTED_ALGORITHM,
    UNTRUSTED_CHAIN,
    SignatureError,
)
from qamqor.accounts.esign.trust import TrustStore

logger = logging.getLogger(__name__)

SIGNATURE_NAME = "GOST 34.10-2015 (512-bit)"
MAX_DEPTH = 6
_DIGESTS = frozenset({alg.STREEBOG512, alg.STREEBOG512_TC26})
# A CMS may name the key algorithm as the signature algorithm, as with rsaEncryption.
_SIGNATURES = frozenset({alg.GOST2015_512_SIGNATURE, alg.GOST2015_512_PUBLIC_KEY})

_CACHE_SIZE = 1024
_verified_cas: dict[tuple[bytes, bytes], bool] = {}
_cache_lock = threading.Lock()


def clear_ca_cache() -> None:
    """Forget the verified CA certificates (tests, a bench)."""
    with _cache_lock:
        _verified_cas.clear()


def _unsupported(oid: str) -> SignatureError:
    return SignatureError(UNSUPPORTED_ALGORITHM, detail=oid, algorithm=alg.algorithm_name(oid))


def check_gost_algorithms(parsed: ParsedSignature) -> None:
    """Refuse what this verifier cannot check, naming it (``esign.unsupported_algorithm``)."""
    if parsed.public_key_algorithm != alg.GOST2015_512_PUBLIC_KEY:
        raise _unsupported(parsed.public_key_algorithm)
    if parsed.signature_algorithm not in _SIGNATURES:
        raise _unsupported(parsed.signature_algorithm)
    if parsed.digest_algorithm not in _DIGESTS:
        raise _unsupported(parsed.digest_algorithm)


def signer_public_key(parsed: ParsedSignature) -> bytes:
    """The signer's GOST public key; an unknown parameter set is refused by name."""
    try:
        return gost.certificate_public_key(parsed.signer_certificate)
    except gost.UnsupportedGostKey as exc:
        raise SignatureError(
            UNSUPPORTED_ALGORITHM, detail=str(exc), algorithm=f"GOST 34.10-2015 ({exc})"
        ) from None
    except (ValueError, TypeError, KeyError) as exc:
        raise SignatureError(MALFORMED, detail=f"GOST public key: {exc}") from None


def check_gost_signature_value(parsed: ParsedSignature, content: bytes) -> None:
    """``messageDigest`` is the Streebog-512 of ``content`` and the signature verifies over the
    signed attributes (or over ``content`` without them): else ``esign.bad_signature``."""
    public_key = signer_public_key(parsed)
    if parsed.signed_attributes is not None:
        if gost.streebog512(content) != parsed.message_digest:
            raise SignatureError(BAD_SIGNATURE, detail="messageDigest differs from the content")
        if parsed.signed_content_type not in (None, parsed.content_type):
            raise SignatureError(MALFORMED, detail="contentType attribute differs")
        signed = parsed.signed_attributes
    else:
        signed = content
    if not gost.verify(public_key, signed, parsed.signature):
        raise SignatureError(BAD_SIGNATURE, detail="GOST signature value")


# --- the chain ----------------------------------------------------------------------------


def _fingerprint(cert: x509.Certificate) -> bytes:
    return cert.fingerprint(hashes.SHA256())


def _is_ca_for(issuer: x509.Certificate, cas_below: int) -> bool:
    """May ``issuer`` sign certificates with ``cas_below`` CA certificates under it?"""
    try:
        bc = issuer.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    if not bc.ca or (bc.path_length is not None and bc.path_length < cas_below):
        return False
    try:
        ku = issuer.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return bool(ku.key_cert_sign)


def _valid_at(cert: x509.Certificate, when: dt.datetime) -> bool:
    return cert.not_valid_before_utc <= when <= cert.not_valid_after_utc


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate, *, cacheable: bool) -> bool:
    """The signature of ``cert`` by ``issuer``: GOST with gostcrypto, anything else with
    ``cryptography`` (a GOST CA could sit under an RSA root one day). CA certificates that
    verified are remembered."""
    key = (_fingerprint(cert), _fingerprint(issuer))
    if cacheable and _verified_cas.get(key):
        return True
    if cert.signature_algorithm_oid.dotted_string.startswith("1.2.398."):
        ok = gost.certificate_signed_by(cert, issuer)
    else:
        try:
            cert.verify_directly_issued_by(issuer)
            ok = True
        except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
            ok = False
    if ok and cacheable:
        with _cache_lock:
            if len(_verified_cas) >= _CACHE_SIZE:
                _verified_cas.clear()
            _verified_cas[key] = True
    return ok


def build_chain(
    cert: x509.Certificate,
    extra: list[x509.Certificate],
    store: TrustStore,
    when: dt.datetime,
) -> list[x509.Certificate]:
    """The path from ``cert`` to a root of ``store``, every CA valid at ``when``
    (``esign.untrusted_chain``; ``esign.no_trusted_roots`` when the store has no root).

    Intermediates come from the CMS (``extra``) and the store; a root must be one of the
    store's (same certificate, not just the same name): a self-made CA with NCA's name does not
    pass. The trust anchor's own signature is not checked: being in the store is its trust.
    """
    if not store.roots:
        raise SignatureError(NO_TRUSTED_ROOTS, detail="the trust store has no root")
    roots = {_fingerprint(r): r for r in store.roots}
    candidates = [*store.roots, *store.intermediates, *extra]
    reasons: list[str] = []

    def extend(path: list[x509.Certificate]) -> list[x509.Certificate] | None:
        current = path[-1]
        if len(path) > MAX_DEPTH:
            reasons.append("too deep")
            return None
        seen = {_fingerprint(c) for c in path}
        for issuer in candidates:
            fingerprint = _fingerprint(issuer)
            if issuer.subject != current.issuer or fingerprint in seen:
                continue
            if not _is_ca_for(issuer, len(path) - 1):
                reasons.append(f"{issuer.subject.rfc4514_string()} is not a CA for this path")
                continue
            if not _valid_at(issuer, when):
                reasons.append(f"{issuer.subject.rfc4514_string()} not valid at {when}")
                continue
            if not _signed_by(current, issuer, cacheable=len(path) > 1):
                reasons.append(f"{current.subject.rfc4514_string()}: signature by issuer")
                continue
            if fingerprint in roots:
                return [*path, issuer]
            found = extend([*path, issuer])
            if found is not None:
                return found
        return None

    chain = extend([cert])
    if chain is None:
        raise SignatureError(
            UNTRUSTED_CHAIN, detail="; ".join(reasons) or "no issuer in the trust store"
        )
    return chain
