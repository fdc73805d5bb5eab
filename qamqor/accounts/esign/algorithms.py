"""Names of the algorithms a signature may use, by OID (R-X-2).

Only dotted OIDs are compared anywhere in the package: ``asn1crypto`` raises ``KeyError`` on
the names of OIDs it does not know (NCA's GOST ones, KZ-NOTES), so its ``.dotted`` is used,
never its name properties. The names here are for refusal messages and the log.
"""

from __future__ import annotations

from typing import Any

# Public key algorithms (SubjectPublicKeyInfo.algorithm).
RSA = "1.2.840.113549.1.1.1"
RSA_PSS = "1.2.840.113549.1.1.10"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
DSA = "1.2.840.10040.4.1"
ED25519 = "1.3.101.112"
ED448 = "1.3.101.113"
GOST2004_PUBLIC_KEY = "1.2.398.3.10.1.1.1.1"
GOST2004_SIGNATURE = "1.2.398.3.10.1.1.1.2"
GOST2015_512_PUBLIC_KEY = "1.2.398.3.10.1.1.2.2"
GOST2015_512_PARAMSET_A = "1.2.398.3.10.1.1.2.2.1"  # = id-tc26-gost-3410-12-512-paramSetA
GOST2015_256_SIGNATURE = "1.2.398.3.10.1.1.2.3.1"
GOST2015_512_SIGNATURE = "1.2.398.3.10.1.1.2.3.2"

# GOST 34.310-2004 keys and the GOST 34.311-95 hash they go with (KZ-NOTES).
GOST2004_ARCS = ("1.2.398.3.10.1.1.1", "1.2.398.3.10.1.3.1")
GOST2015_PREFIX = "1.2.398.3.10.1.1.2."

# Digest algorithms.
GOST34311_95 = "1.2.398.3.10.1.3.1.1.0"
STREEBOG256 = "1.2.398.3.10.1.3.2"
STREEBOG512 = "1.2.398.3.10.1.3.3"
STREEBOG512_TC26 = "1.2.643.7.1.1.2.3"
SHA1 = "1.3.14.3.2.26"
SHA224 = "2.16.840.1.101.3.4.2.4"
SHA256 = "2.16.840.1.101.3.4.2.1"
SHA384 = "2.16.840.1.101.3.4.2.2"
SHA512 = "2.16.840.1.101.3.4.2.3"

# Signature algorithms (SignerInfo.signatureAlgorithm).
SHA1_RSA = "1.2.840.113549.1.1.5"
SHA256_RSA = "1.2.840.113549.1.1.11"
SHA384_RSA = "1.2.840.113549.1.1.12"
SHA512_RSA = "1.2.840.113549.1.1.13"
SHA224_RSA = "1.2.840.113549.1.1.14"
SHA1_ECDSA = "1.2.840.10045.4.1"
SHA224_ECDSA = "1.2.840.10045.4.3.1"
SHA256_ECDSA = "1.2.840.10045.4.3.2"
SHA384_ECDSA = "1.2.840.10045.4.3.3"
SHA512_ECDSA = "1.2.840.10045.4.3.4"

NAMES: dict[str, str] = {
    RSA: "RSA",
    RSA_PSS: "RSASSA-PSS",
    EC_PUBLIC_KEY: "ECDSA",
    DSA: "DSA",
    ED25519: "Ed25519",
    ED448: "Ed448",
    GOST2004_PUBLIC_KEY: "GOST 34.310-2004",
    GOST2004_SIGNATURE: "GOST 34.310-2004",
    GOST2015_512_PUBLIC_KEY: "GOST 34.10-2015",
    GOST2015_256_SIGNATURE: "GOST 34.10-2015 (256-bit)",
    GOST2015_512_SIGNATURE: "GOST 34.10-2015 (512-bit)",
    GOST2015_512_PARAMSET_A: "GOST 34.10-2015 paramSetA-512",
    GOST34311_95: "GOST 34.311-95",
    STREEBOG256: "GOST 34.11-2015 (Streebog-256)",
    STREEBOG512: "GOST 34.11-2015 (Streebog-512)",
    STREEBOG512_TC26: "GOST 34.11-2012 (Streebog-512)",
    SHA1: "SHA-1",
    SHA224: "SHA-224",
    SHA256: "SHA-256",
    SHA384: "SHA-384",
    SHA512: "SHA-512",
    SHA1_RSA: "SHA-1 with RSA",
    SHA224_RSA: "SHA-224 with RSA",
    SHA256_RSA: "SHA-256 with RSA",
    SHA384_RSA: "SHA-384 with RSA",
    SHA512_RSA: "SHA-512 with RSA",
    SHA1_ECDSA: "ECDSA with SHA-1",
    SHA224_ECDSA: "ECDSA with SHA-224",
    SHA256_ECDSA: "ECDSA with SHA-256",
    SHA384_ECDSA: "ECDSA with SHA-384",
    SHA512_ECDSA: "ECDSA with SHA-512",
    "1.2.840.10040.4.3": "DSA with SHA-1",
    "2.16.840.1.101.3.4.3.2": "DSA with SHA-256",
}


def algorithm_name(oid: str) -> str:
    """``"Ed25519 (1.3.101.112)"``; an OID nobody named is shown as itself."""
    name = NAMES.get(oid)
    if name is None and oid.startswith(GOST2015_PREFIX):
        name = "GOST 34.10-2015"
    if name is None and is_gost2004(oid):
        name = "GOST 34.310-2004"
    return f"{name} ({oid})" if name else f"OID {oid}"


def is_gost2004(oid: str) -> bool:
    """A GOST 34.310-2004 key, signature or its GOST 34.311-95 hash (refused, KZ-NOTES)."""
    return any(oid == arc or oid.startswith(arc + ".") for arc in GOST2004_ARCS)


# What ``VerifiedSignature.signature_algorithm`` says: the names OpenSSL prints.
_OPENSSL_NAMES: dict[tuple[str, str], str] = {
    ("rsa", SHA224): "sha224WithRSAEncryption",
    ("rsa", SHA256): "sha256WithRSAEncryption",
    ("rsa", SHA384): "sha384WithRSAEncryption",
    ("rsa", SHA512): "sha512WithRSAEncryption",
    ("pss", SHA224): "rsassaPss-sha224",
    ("pss", SHA256): "rsassaPss-sha256",
    ("pss", SHA384): "rsassaPss-sha384",
    ("pss", SHA512): "rsassaPss-sha512",
    ("ecdsa", SHA224): "ecdsa-with-SHA224",
    ("ecdsa", SHA256): "ecdsa-with-SHA256",
    ("ecdsa", SHA384): "ecdsa-with-SHA384",
    ("ecdsa", SHA512): "ecdsa-with-SHA512",
}


def signature_name(scheme: str, digest_oid: str) -> str:
    """``"sha256WithRSAEncryption"``, ``"ecdsa-with-SHA256"``… for a scheme and a digest."""
    return _OPENSSL_NAMES.get((scheme, digest_oid), f"{scheme}-{digest_oid}")


# NCA's GOST OIDs (KZ-NOTES): asn1crypto raises KeyError on them until they are registered.
_ASN1_PUBLIC_KEYS = {
    GOST2004_PUBLIC_KEY: "gost34310_2004",
    GOST2015_512_PUBLIC_KEY: "gost3410_2015_512",
}
_ASN1_SIGNATURES = {
    GOST2004_SIGNATURE: "gost34310_2004_with_gost34311_95",
    GOST2015_256_SIGNATURE: "gost3410_2015_256_with_streebog256",
    GOST2015_512_SIGNATURE: "gost3410_2015_512_with_streebog512",
}
_ASN1_DIGESTS = {
    GOST34311_95: "gost34311_95",
    STREEBOG256: "streebog256",
    STREEBOG512: "streebog512",
}
_registered = False


def register_asn1_oids() -> None:
    """Teach asn1crypto NCA's GOST OIDs (idempotent): their names, and that a GOST public key
    is an opaque bit string (asn1crypto picks the type of ``public_key`` by the algorithm's
    name and raises ``KeyError`` for any it does not know, even when only the algorithm OID
    of the certificate is read). The one place this is done; every module that parses
    certificates or CMS with asn1crypto calls it first."""
    global _registered
    if _registered:
        return
    from asn1crypto import algos, core, keys

    original = keys.PublicKeyInfo._spec_callbacks["public_key"]
    gost_names = frozenset(_ASN1_PUBLIC_KEYS.values())

    def public_key_spec(info: keys.PublicKeyInfo) -> Any:
        if info["algorithm"]["algorithm"].native in gost_names:
            return (core.OctetBitString, None)
        return original(info)

    keys.PublicKeyInfo._spec_callbacks = {
        **keys.PublicKeyInfo._spec_callbacks,
        "public_key": public_key_spec,
    }

    for cls, names in (
        (keys.PublicKeyAlgorithmId, _ASN1_PUBLIC_KEYS),
        (algos.SignedDigestAlgorithmId, _ASN1_SIGNATURES),
        (algos.DigestAlgorithmId, _ASN1_DIGESTS),
    ):
        for oid, name in names.items():
            cls._map.setdefault(oid, name)
            reverse = getattr(cls, "_reverse_map", None)
            if reverse is not None:
                reverse.setdefault(name, oid)
    _registered = True
