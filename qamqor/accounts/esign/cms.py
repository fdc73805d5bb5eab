"""Reading a CMS / PKCS#7 SignedData (RFC 5652) without trusting any of it yet (R-X-2).

``parse_cms`` turns PEM, base64 or DER (BER with indefinite lengths too, as Java signers write
it) into a ``ParsedSignature``: the one signer's certificate, algorithms as dotted OIDs, the
signature value, the signed attributes re-encoded for verification, and the encapsulated
content. Nothing is verified here; a verifier does that (``verifiers.py``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass

from asn1crypto import cms as asn1_cms
from asn1crypto import core as asn1_core
from asn1crypto import x509 as asn1_x509
from cryptography import x509

from qamqor.accounts.esign.algorithms import register_asn1_oids
from qamqor.accounts.esign.errors import (
    MALFORMED,
    MULTIPLE_SIGNERS,
    NO_SIGNER,
    SignatureError,
)

register_asn1_oids()  # NCA's GOST OIDs parse instead of raising KeyError (KZ-NOTES)

SIGNED_DATA = "1.2.840.113549.1.7.2"
ATTR_CONTENT_TYPE = "1.2.840.113549.1.9.3"
ATTR_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
ATTR_SIGNING_TIME = "1.2.840.113549.1.9.5"

_PEM = re.compile(rb"-----BEGIN [A-Z0-9 #]+-----(.*?)-----END [A-Z0-9 #]+-----", re.DOTALL)
# What asn1crypto raises on bytes that are not what they claim to be.
_PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)


@dataclass(frozen=True)
class ParsedSignature:
    """The parts of a SignedData with one signer, as read (not yet verified)."""

    der: bytes
    content_type: str  # eContentType, dotted
    content: bytes | None  # the encapsulated content; None for a detached signature
    certificates: tuple[bytes, ...]  # DER of every certificate the CMS carries
    signer_certificate: bytes  # DER
    public_key_algorithm: str  # dotted OID of the signer's key
    digest_algorithm: str  # dotted OID
    signature_algorithm: str  # dotted OID
    signature_algorithm_der: bytes  # the AlgorithmIdentifier, for parameters (RSASSA-PSS)
    signature: bytes
    signed_attributes: bytes | None  # DER of the signed attributes as SET OF (what was signed)
    message_digest: bytes | None
    signed_content_type: str | None  # the contentType signed attribute
    signing_time: dt.datetime | None  # the signingTime signed attribute (the signer's claim)

    @property
    def is_detached(self) -> bool:
        return self.content is None


def load_certificate(der: bytes) -> x509.Certificate:
    """A certificate of the CMS for ``cryptography``; one it cannot read is ``esign.malformed``."""
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise SignatureError(MALFORMED, detail=f"certificate: {exc}") from None


def decode_cms(value: bytes | str) -> bytes:
    """DER bytes of a CMS given as DER, PEM (any label) or base64 text; ``esign.malformed``."""
    if isinstance(value, str):
        try:
            value = value.encode("ascii")
        except UnicodeEncodeError:
            raise SignatureError(MALFORMED, detail="non-ASCII text") from None
    if value[:1] == b"\x30":
        return value
    match = _PEM.search(value)
    text = match.group(1) if match else value
    try:
        der = base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(MALFORMED, detail="neither DER, PEM nor base64") from None
    if der[:1] != b"\x30":
        raise SignatureError(MALFORMED, detail="decoded bytes are not a DER SEQUENCE")
    return der


def _is_absent(value: object) -> bool:
    return value is None or isinstance(value, asn1_core.Void)


def _signer_certificate(
    certs: list[asn1_x509.Certificate], sid: asn1_cms.SignerIdentifier
) -> asn1_x509.Certificate | None:
    if sid.name == "issuer_and_serial_number":
        issuer = sid.chosen["issuer"]
        serial = sid.chosen["serial_number"].native
        for cert in certs:
            tbs = cert["tbs_certificate"]
            if tbs["serial_number"].native != serial:
                continue
            if tbs["issuer"].dump() == issuer.dump() or tbs["issuer"] == issuer:
                return cert
        return None
    key_id = sid.chosen.native
    for cert in certs:
        if cert.key_identifier == key_id:
            return cert
    return None


def _signed_attributes(
    signer_info: asn1_cms.SignerInfo,
) -> tuple[bytes | None, bytes | None, str | None, dt.datetime | None]:
    attrs = signer_info["signed_attrs"]
    if _is_absent(attrs):
        return None, None, None, None
    raw = attrs.dump()
    if raw[:1] != b"\xa0":
        raise SignatureError(MALFORMED, detail="signed attributes are not [0] IMPLICIT")
    # RFC 5652 §5.4: the signature covers the DER of the attributes as a SET OF, not [0].
    as_set = b"\x31" + raw[1:]
    seen: dict[str, asn1_core.Asn1Value] = {}
    for attr in attrs:
        oid = attr["type"].dotted
        if oid in seen:
            raise SignatureError(MALFORMED, detail=f"attribute {oid} twice")
        values = attr["values"]
        if oid in (ATTR_CONTENT_TYPE, ATTR_MESSAGE_DIGEST, ATTR_SIGNING_TIME) and len(values) != 1:
            raise SignatureError(MALFORMED, detail=f"attribute {oid} must have one value")
        seen[oid] = values[0] if len(values) else None
    digest = seen.get(ATTR_MESSAGE_DIGEST)
    if digest is None:
        raise SignatureError(MALFORMED, detail="signed attributes without messageDigest")
    content_type = seen.get(ATTR_CONTENT_TYPE)
    signing_time = seen.get(ATTR_SIGNING_TIME)
    when = signing_time.native if signing_time is not None else None
    if when is not None and not isinstance(when, dt.datetime):
        raise SignatureError(MALFORMED, detail="signingTime is not a time")
    return (
        as_set,
        bytes(digest.native),
        content_type.dotted if content_type is not None else None,
        when,
    )


def parse_cms(value: bytes | str) -> ParsedSignature:
    """Read a SignedData with exactly one signer.

    Refuses: anything that is not a CMS/PKCS#7 SignedData or is damaged (``esign.malformed``);
    no signer or no certificate for it (``esign.no_signer``); several signers
    (``esign.multiple_signers``: a login or an act has one signer; co-signing is not a case yet).
    """
    der = decode_cms(value)
    try:
        info = asn1_cms.ContentInfo.load(der, strict=True)
        if info["content_type"].dotted != SIGNED_DATA:
            raise SignatureError(MALFORMED, detail=f"content type {info['content_type'].dotted}")
        signed = info["content"]
        signer_infos = list(signed["signer_infos"])
        if not signer_infos:
            raise SignatureError(NO_SIGNER, detail="no SignerInfo")
        if len(signer_infos) > 1:
            raise SignatureError(MULTIPLE_SIGNERS, detail=f"{len(signer_infos)} signers")
        signer_info = signer_infos[0]
        certs = [
            c.chosen
            for c in ([] if _is_absent(signed["certificates"]) else signed["certificates"])
            if c.name == "certificate"
        ]
        cert = _signer_certificate(certs, signer_info["sid"])
        if cert is None:
            raise SignatureError(NO_SIGNER, detail="the signer's certificate is not in the CMS")
        encap = signed["encap_content_info"]
        content_value = encap["content"]
        content = None if _is_absent(content_value) else bytes(content_value.native)
        attrs, message_digest, signed_content_type, signing_time = _signed_attributes(signer_info)
        signature_algorithm = signer_info["signature_algorithm"]
        return ParsedSignature(
            der=der,
            content_type=encap["content_type"].dotted,
            content=content,
            certificates=tuple(c.dump() for c in certs),
            signer_certificate=cert.dump(),
            public_key_algorithm=cert["tbs_certificate"]["subject_public_key_info"]["algorithm"][
                "algorithm"
            ].dotted,
            digest_algorithm=signer_info["digest_algorithm"]["algorithm"].dotted,
            signature_algorithm=signature_algorithm["algorithm"].dotted,
            signature_algorithm_der=signature_algorithm.dump(),
            signature=bytes(signer_info["signature"].native),
            signed_attributes=attrs,
            message_digest=message_digest,
            signed_content_type=signed_content_type,
            signing_time=signing_time,
        )
    except SignatureError:
        raise
    except _PARSE_ERRORS as exc:
        raise SignatureError(MALFORMED, detail=f"{type(exc).__name__}: {exc}") from None
