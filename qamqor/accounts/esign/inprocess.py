"""The in-process verifier: RSA (PKCS#1 v1.5, PSS) and ECDSA with ``cryptography`` (R-X-2).

GOST 34.10-2015 keys are checked by ``verifiers.GostVerifier`` (``gostverifier.py``), chosen by
the certificate's key algorithm; here a GOST signature claimed by a non-GOST key is refused with
``esign.unsupported_algorithm`` naming it. GOST 34.310-2004 (keys, signatures, the GOST 34.311-95
hash) is refused with its own code ``esign.gost2004_unsupported`` (``refuse_gost2004``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
from collections.abc import Callable

from asn1crypto import algos as asn1_algos
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    Policy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from qamqor.accounts.esign import algorithms as alg
from qamqor.accounts.esign.cms import ParsedSignature
from qamqor.accounts.esign.errors import (
    BAD_SIGNATURE,
    GOST2004_UNSUPPORTED,
    MALFORMED,
    NO_TRUSTED_ROOTS,
    UNSUPPORTED_ALGORITHM,
    UNTRUSTED_CHAIN,
    SignatureError,
)
from qamqor.accounts.esign.revocation import check_not_revoked
from qamqor.accounts.esign.trust import TrustStore

logger = logging.getLogger(__name__)

NAME = "inprocess"

_HASHES: dict[str, tuple[type[hashes.HashAlgorithm], str]] = {
    alg.SHA224: (hashes.SHA224, "sha224"),
    alg.SHA256: (hashes.SHA256, "sha256"),
    alg.SHA384: (hashes.SHA384, "sha384"),
    alg.SHA512: (hashes.SHA512, "sha512"),
}
# Signature algorithm OID → (scheme, the digest it names or None when the SignerInfo's is used).
_SCHEMES: dict[str, tuple[str, str | None]] = {
    alg.RSA: ("rsa", None),
    alg.SHA224_RSA: ("rsa", alg.SHA224),
    alg.SHA256_RSA: ("rsa", alg.SHA256),
    alg.SHA384_RSA: ("rsa", alg.SHA384),
    alg.SHA512_RSA: ("rsa", alg.SHA512),
    alg.RSA_PSS: ("pss", None),
    alg.EC_PUBLIC_KEY: ("ecdsa", None),
    alg.SHA224_ECDSA: ("ecdsa", alg.SHA224),
    alg.SHA256_ECDSA: ("ecdsa", alg.SHA256),
    alg.SHA384_ECDSA: ("ecdsa", alg.SHA384),
    alg.SHA512_ECDSA: ("ecdsa", alg.SHA512),
}
_KEYS_OF_SCHEME = {"rsa": alg.RSA, "pss": alg.RSA, "ecdsa": alg.EC_PUBLIC_KEY}


def _unsupported(oid: str) -> SignatureError:
    return SignatureError(UNSUPPORTED_ALGORITHM, detail=oid, algorithm=alg.algorithm_name(oid))


def refuse_gost2004(parsed: ParsedSignature) -> None:
    """GOST 34.310-2004 needs the GOST 34.311-95 hash, which no library here has (KZ-NOTES):
    refuse it with its own code, whose message tells the person which key to use instead."""
    for oid in (parsed.public_key_algorithm, parsed.signature_algorithm, parsed.digest_algorithm):
        if alg.is_gost2004(oid):
            raise SignatureError(GOST2004_UNSUPPORTED, detail=oid)


def check_algorithms(parsed: ParsedSignature) -> tuple[str, str]:
    """The scheme (``rsa``, ``pss``, ``ecdsa``) and digest OID, or ``esign.unsupported_algorithm``
    naming the first algorithm this verifier cannot check (GOST, DSA, EdDSA, SHA-1…)."""
    for oid in (parsed.public_key_algorithm, parsed.signature_algorithm, parsed.digest_algorithm):
        if oid.startswith("1.2.398."):
            raise _unsupported(oid)
    scheme_digest = _SCHEMES.get(parsed.signature_algorithm)
    if scheme_digest is None:
        raise _unsupported(parsed.signature_algorithm)
    scheme, named_digest = scheme_digest
    key_oid = parsed.public_key_algorithm
    if key_oid != _KEYS_OF_SCHEME[scheme] and not (scheme == "pss" and key_oid == alg.RSA_PSS):
        raise _unsupported(key_oid)
    if parsed.digest_algorithm not in _HASHES:
        raise _unsupported(parsed.digest_algorithm)
    if named_digest is not None and named_digest != parsed.digest_algorithm:
        raise SignatureError(MALFORMED, detail="signature and digest algorithms disagree")
    return scheme, parsed.digest_algorithm


def _pss_padding(parsed: ParsedSignature) -> padding.PSS:
    params = asn1_algos.SignedDigestAlgorithm.load(parsed.signature_algorithm_der)["parameters"]
    try:
        hash_oid = params["hash_algorithm"]["algorithm"].dotted
        mgf_hash_oid = params["mask_gen_algorithm"]["parameters"]["algorithm"].dotted
        salt = int(params["salt_length"].native)
    except (KeyError, TypeError, ValueError):
        raise SignatureError(MALFORMED, detail="RSASSA-PSS parameters") from None
    if hash_oid not in _HASHES or mgf_hash_oid not in _HASHES:
        raise _unsupported(hash_oid if hash_oid not in _HASHES else mgf_hash_oid)
    if hash_oid != parsed.digest_algorithm:
        raise SignatureError(MALFORMED, detail="PSS hash differs from the digest algorithm")
    return padding.PSS(mgf=padding.MGF1(_HASHES[mgf_hash_oid][0]()), salt_length=salt)


def check_signature_value(
    parsed: ParsedSignature, cert: x509.Certificate, content: bytes, scheme: str, digest: str
) -> None:
    """The signature value over the signed attributes (whose messageDigest must be the digest of
    ``content``) or, without signed attributes, over ``content``: ``esign.bad_signature``."""
    hash_cls, hashlib_name = _HASHES[digest]
    if parsed.signed_attributes is not None:
        if hashlib.new(hashlib_name, content).digest() != parsed.message_digest:
            raise SignatureError(BAD_SIGNATURE, detail="messageDigest differs from the content")
        if parsed.signed_content_type not in (None, parsed.content_type):
            raise SignatureError(MALFORMED, detail="contentType attribute differs")
        signed = parsed.signed_attributes
    else:
        signed = content
    try:
        key = cert.public_key()
    except (UnsupportedAlgorithm, ValueError):
        raise _unsupported(parsed.public_key_algorithm) from None
    try:
        if isinstance(key, rsa.RSAPublicKey) and scheme == "rsa":
            key.verify(parsed.signature, signed, padding.PKCS1v15(), hash_cls())
        elif isinstance(key, rsa.RSAPublicKey) and scheme == "pss":
            key.verify(parsed.signature, signed, _pss_padding(parsed), hash_cls())
        elif isinstance(key, ec.EllipticCurvePublicKey) and scheme == "ecdsa":
            key.verify(parsed.signature, signed, ec.ECDSA(hash_cls()))
        else:
            raise _unsupported(parsed.public_key_algorithm)
    except InvalidSignature:
        raise SignatureError(BAD_SIGNATURE, detail="signature value") from None


def _ca_basic_constraints(
    policy: Policy, cert: x509.Certificate, bc: x509.BasicConstraints
) -> None:
    if not bc.ca:
        raise ValueError("issuer is not a CA")


def _ca_key_usage(policy: Policy, cert: x509.Certificate, ku: x509.KeyUsage | None) -> None:
    if ku is not None and not ku.key_cert_sign:
        raise ValueError("issuer may not sign certificates")


# CAs: must be CAs and may sign certificates; anything else they carry is the CA's business.
# End entity: NCA certificates have no subjectAltName and their own EKUs (KZ-NOTES), so the
# web-PKI rules do not apply; key usage is checked for the purpose in policy.py.
_CA_POLICY = (
    ExtensionPolicy.permit_all()
    .require_present(x509.BasicConstraints, Criticality.AGNOSTIC, _ca_basic_constraints)
    .may_be_present(x509.KeyUsage, Criticality.AGNOSTIC, _ca_key_usage)
)
_EE_POLICY = ExtensionPolicy.permit_all()


def build_chain(
    cert: x509.Certificate,
    extra: list[x509.Certificate],
    store: TrustStore,
    when: dt.datetime,
) -> list[x509.Certificate]:
    """The path from ``cert`` to a trusted root, valid at ``when`` (``esign.untrusted_chain``;
    ``esign.no_trusted_roots`` when the store has no root)."""
    if not store.roots:
        raise SignatureError(NO_TRUSTED_ROOTS, detail="the trust store has no root")
    verifier = (
        PolicyBuilder()
        .store(Store(store.roots))
        .time(when)
        .max_chain_depth(6)
        .extension_policies(ca_policy=_CA_POLICY, ee_policy=_EE_POLICY)
        .build_client_verifier()
    )
    try:
        return list(verifier.verify(cert, [*extra, *store.intermediates]).chain)
    except VerificationError as exc:
        raise SignatureError(UNTRUSTED_CHAIN, detail=str(exc)) from None


ChainBuilder = Callable[
    [x509.Certificate, list[x509.Certificate], TrustStore, dt.datetime], list[x509.Certificate]
]


def check_chain_and_revocation(
    cert: x509.Certificate,
    parsed: ParsedSignature,
    store: TrustStore,
    *,
    when: dt.datetime,
    now: dt.datetime,
    build: ChainBuilder = build_chain,
) -> list[x509.Certificate]:
    """``check_certificate`` with the other certificates of the CMS as intermediates."""
    extra = []
    for der in parsed.certificates:
        if der != parsed.signer_certificate:
            try:
                extra.append(x509.load_der_x509_certificate(der))
            except ValueError:
                logger.info("esign: skipping an unreadable certificate of the CMS")
    return check_certificate(cert, extra, store, when=when, now=now, build=build)


def check_certificate(
    cert: x509.Certificate,
    extra: list[x509.Certificate],
    store: TrustStore,
    *,
    when: dt.datetime,
    now: dt.datetime,
    build: ChainBuilder = build_chain,
) -> list[x509.Certificate]:
    """Trust first, then time, then revocation: the chain is built at ``when`` moved inside the
    certificate's validity, so a trusted but expired certificate says "expired" and a foreign
    one "untrusted" whatever its dates. ``build`` is ``build_chain`` (``cryptography``) or the
    GOST one (``gostverifier.build_chain``). ``extra``: intermediates the signature carried.
    Shared by CMS (``check_chain_and_revocation``) and XMLDSig (``xmldsig.verify_xml``)."""
    from qamqor.accounts.esign.policy import check_validity

    inside = min(max(when, cert.not_valid_before_utc), cert.not_valid_after_utc)
    chain = build(cert, extra, store, inside)
    check_validity(cert, when)
    for subject, issuer in itertools.pairwise(chain):
        check_not_revoked(subject, issuer, store, now=now)
    return chain
