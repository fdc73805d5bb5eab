"""GOST 34.10-2015 signatures of NCA RK in pure Python, with ``gostcrypto`` (R-X-2, KZ-NOTES).

NCA RK's GOST 2015 keys are 512-bit, on the curve ``id-tc26-gost-3410-12-512-paramSetA`` (NCA's
parameter OID ``1.2.398.3.10.1.1.2.2.1``), with the Streebog-512 digest. NCA writes its numbers
little-endian, ``gostcrypto`` reads them big-endian, so (checked on NCA's chains, KZ-NOTES):

- the public key octets are X‖Y, 64 bytes each, little-endian: each half is reversed;
- the digest is read as a little-endian number: it is reversed before ``gostcrypto`` sees it;
- the 128-byte signature value is r‖s, 64 bytes each, little-endian: each half is reversed,
  the order kept (``gostcrypto`` wants r‖s big-endian).

Everything here takes and returns NCA's byte order; the reversals live only in this module.
The 256-bit variant (``1.2.398.3.10.1.1.2.3.1``) is refused by name: no public material pins its
parameter set. Streebog is gostcrypto's; the curve arithmetic is done here in Jacobian coordinates
(~17 ms a verification instead of gostcrypto's ~0.4 s), cross-checked against gostcrypto
(``verify_digest_reference``). Callers still cache what they can (``gostverifier`` caches
verified CA certificates).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from asn1crypto import core as asn1_core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from gostcrypto import gosthash, gostsignature
from gostcrypto.gostsignature import GOSTSignatureError

from qamqor.accounts.esign import algorithms as alg

CURVE_NAME = "id-tc26-gost-3410-12-512-paramSetA"
# The same curve under NCA's arc and under TC 26's (RFC 7836).
PARAMSET_OIDS = frozenset({alg.GOST2015_512_PARAMSET_A, "1.2.643.7.1.2.1.2.1"})
SIZE = 64  # bytes of a coordinate, of r, of s and of the digest
KEY_FILE_FORMAT = "qamqor-test-gost-key/1"


class UnsupportedGostKey(ValueError):
    """A GOST key this module cannot use (256-bit, unknown parameter set, bad encoding)."""


_engine_cache: list[gostsignature.GOST34102012] = []


def _engine() -> gostsignature.GOST34102012:
    # Read-only after construction: sign/verify/public_key_generate keep no state.
    if not _engine_cache:
        curve = gostsignature.CURVES_R_1323565_1_024_2019[CURVE_NAME]
        _engine_cache.append(gostsignature.new(gostsignature.MODE_512, curve))
    return _engine_cache[0]


def streebog512(data: bytes) -> bytes:
    """The GOST 34.11-2015 (Streebog) 512-bit digest, in the byte order of its test vectors."""
    return bytes(gosthash.new("streebog512", data=data).digest())


def _halves_reversed(value: bytes) -> bytearray:
    half = len(value) // 2
    return bytearray(value[:half][::-1] + value[half:][::-1])


# --- the curve arithmetic ------------------------------------------------------------------
#
# gostcrypto's own scalar multiplication (affine coordinates, an inversion per step) costs
# ~0.4 s a verification; the same arithmetic in Jacobian coordinates with Python's big integers
# ~17 ms. It is cross-checked against gostcrypto (``verify_digest_reference``) on the
# real NCA signature of tests/accounts/esign/data, on every test run (test_gost.py) and on
# 1,000 generated vectors, valid and corrupted (``bench/gost_crosscheck.py``).

_CURVE = gostsignature.CURVES_R_1323565_1_024_2019[CURVE_NAME]
_P, _A, _B, _Q = int(_CURVE["p"]), int(_CURVE["a"]), int(_CURVE["b"]), int(_CURVE["q"])
_G = (int(_CURVE["x"]), int(_CURVE["y"]), 1)
_INFINITY = (1, 1, 0)

_Point = tuple[int, int, int]  # Jacobian (X, Y, Z): x = X/Z², y = Y/Z³; Z = 0 is infinity


def _double(point: _Point) -> _Point:
    x, y, z = point
    if z == 0 or y == 0:
        return _INFINITY
    yy = y * y % _P
    s = 4 * x * yy % _P
    zz = z * z % _P
    m = (3 * x * x + _A * zz * zz) % _P
    x3 = (m * m - 2 * s) % _P
    return x3, (m * (s - x3) - 8 * yy * yy) % _P, 2 * y * z % _P


def _add(first: _Point, second: _Point) -> _Point:
    x1, y1, z1 = first
    x2, y2, z2 = second
    if z1 == 0:
        return second
    if z2 == 0:
        return first
    z1z1, z2z2 = z1 * z1 % _P, z2 * z2 % _P
    u1, u2 = x1 * z2z2 % _P, x2 * z1z1 % _P
    s1, s2 = y1 * z2 * z2z2 % _P, y2 * z1 * z1z1 % _P
    if u1 == u2:
        return _double(first) if s1 == s2 else _INFINITY
    h, r = (u2 - u1) % _P, (s2 - s1) % _P
    hh = h * h % _P
    hhh = h * hh % _P
    v = u1 * hh % _P
    x3 = (r * r - hhh - 2 * v) % _P
    return x3, (r * (v - x3) - s1 * hhh) % _P, h * z1 * z2 % _P


def _combination(k1: int, p1: _Point, k2: int, p2: _Point) -> _Point:
    """k1·p1 + k2·p2 (Shamir's trick: one pass of doublings)."""
    both = _add(p1, p2)
    result = _INFINITY
    for bit in range(max(k1.bit_length(), k2.bit_length()) - 1, -1, -1):
        result = _double(result)
        pick = ((k1 >> bit) & 1, (k2 >> bit) & 1)
        if pick == (1, 1):
            result = _add(result, both)
        elif pick == (1, 0):
            result = _add(result, p1)
        elif pick == (0, 1):
            result = _add(result, p2)
    return result


def _affine(point: _Point) -> tuple[int, int]:
    x, y, z = point
    inverse = pow(z, -1, _P)
    inverse2 = inverse * inverse % _P
    return x * inverse2 % _P, y * inverse2 * inverse % _P


def _on_curve(x: int, y: int) -> bool:
    return 0 <= x < _P and 0 <= y < _P and (y * y - x * x * x - _A * x - _B) % _P == 0


def _digest_number(digest: bytes) -> int:
    # GOST 34.10: e = digest mod q, and 1 if that is 0; NCA reads the digest little-endian.
    return int.from_bytes(digest, "little") % _Q or 1


def verify_digest(public_key: bytes, digest: bytes, signature: bytes) -> bool:
    """Does ``signature`` (NCA order: r‖s little-endian) sign the Streebog-512 ``digest`` under
    ``public_key`` (NCA's X‖Y little-endian)? Wrong lengths, a key off the curve or values out
    of range are False, never an exception."""
    if len(public_key) != 2 * SIZE or len(signature) != 2 * SIZE or len(digest) != SIZE:
        return False
    x = int.from_bytes(public_key[:SIZE], "little")
    y = int.from_bytes(public_key[SIZE:], "little")
    r = int.from_bytes(signature[:SIZE], "little")
    s = int.from_bytes(signature[SIZE:], "little")
    if not (0 < r < _Q and 0 < s < _Q) or not _on_curve(x, y):
        return False
    v = pow(_digest_number(digest), -1, _Q)
    point = _combination(s * v % _Q, _G, (-r * v) % _Q, (x, y, 1))
    if point[2] == 0:
        return False
    return _affine(point)[0] % _Q == r


def verify_digest_reference(public_key: bytes, digest: bytes, signature: bytes) -> bool:
    """``verify_digest`` done by ``gostcrypto`` itself (the reference the fast path is checked
    against): each half of the key and of the signature reversed, the digest reversed."""
    if len(public_key) != 2 * SIZE or len(signature) != 2 * SIZE or len(digest) != SIZE:
        return False
    try:
        return bool(
            _engine().verify(
                _halves_reversed(public_key),
                bytearray(digest[::-1]),
                _halves_reversed(signature),
            )
        )
    except (GOSTSignatureError, ValueError, ZeroDivisionError):
        return False


def verify(public_key: bytes, data: bytes, signature: bytes) -> bool:
    """``verify_digest`` over the Streebog-512 digest of ``data``."""
    return verify_digest(public_key, streebog512(data), signature)


def generate_private_key() -> int:
    """A random private key (test PKI only)."""
    return secrets.randbelow(_Q - 1) + 1


def public_key_of(private_key: int) -> bytes:
    """The public key of ``private_key`` in NCA's order (X‖Y, each little-endian)."""
    x, y = _affine(_combination(private_key, _G, 0, _G))
    return x.to_bytes(SIZE, "little") + y.to_bytes(SIZE, "little")


def sign_digest(private_key: int, digest: bytes) -> bytes:
    """A GOST 34.10-2015 signature of a Streebog-512 digest, in NCA's order (test PKI)."""
    e = _digest_number(digest)
    while True:
        k = secrets.randbelow(_Q - 1) + 1
        r = _affine(_combination(k, _G, 0, _G))[0] % _Q
        s = (r * private_key + k * e) % _Q
        if r and s:
            return r.to_bytes(SIZE, "little") + s.to_bytes(SIZE, "little")


def sign(private_key: int, data: bytes) -> bytes:
    """A signature of ``data`` in NCA's order (test PKI and ``signer.sign_cms_gost``)."""
    return sign_digest(private_key, streebog512(data))


# --- certificates, CRLs -------------------------------------------------------------------


def _parameter_set(parameters_der: bytes) -> str | None:
    """The parameter set OID of a GOST key's AlgorithmIdentifier parameters: a bare OID or
    ``SEQUENCE { publicKeyParamSet OID, digestParamSet OID OPTIONAL }``; None when absent."""
    if not parameters_der or parameters_der == b"\x05\x00":
        return None
    value = asn1_core.load(parameters_der)
    if isinstance(value, asn1_core.ObjectIdentifier):
        return str(value.dotted)
    if isinstance(value, asn1_core.Sequence) and len(value) >= 1:
        first = asn1_core.load(value[0].dump())
        if isinstance(first, asn1_core.ObjectIdentifier):
            return str(first.dotted)
    raise UnsupportedGostKey("unreadable GOST key parameters")


def spki_public_key(spki_der: bytes) -> bytes:
    """The 128 public key octets of a GOST 2015 512-bit SubjectPublicKeyInfo (NCA order).

    Refuses (``UnsupportedGostKey``) another key algorithm, a parameter set other than
    paramSetA-512, or a key that is not 128 octets.
    """
    alg.register_asn1_oids()
    spki = asn1_core.Sequence.load(spki_der)
    algorithm = asn1_core.Sequence.load(spki[0].dump())
    key_oid = asn1_core.ObjectIdentifier.load(algorithm[0].dump()).dotted
    if key_oid != alg.GOST2015_512_PUBLIC_KEY:
        raise UnsupportedGostKey(f"key algorithm {key_oid}")
    paramset = _parameter_set(algorithm[1].dump() if len(algorithm) > 1 else b"")
    if paramset is not None and paramset not in PARAMSET_OIDS:
        raise UnsupportedGostKey(f"parameter set {paramset}")
    bits = asn1_core.BitString.load(spki[1].dump())
    raw = bytes(bits.contents[1:])  # the first octet counts unused bits: 0 here
    if raw[:1] == b"\x04":  # the usual wrapping: an OCTET STRING inside the BIT STRING
        raw = bytes(asn1_core.OctetString.load(raw).native)
    if len(raw) != 2 * SIZE:
        raise UnsupportedGostKey(f"public key of {len(raw)} octets")
    return raw


def certificate_public_key(cert: x509.Certificate | bytes) -> bytes:
    """``spki_public_key`` of a certificate (``cryptography`` object or DER)."""
    der = cert if isinstance(cert, bytes) else cert.public_bytes(Encoding.DER)
    spki = asn1_x509.Certificate.load(der)["tbs_certificate"]["subject_public_key_info"]
    return spki_public_key(spki.dump())


def is_gost2015_key(cert: x509.Certificate) -> bool:
    return cert.public_key_algorithm_oid.dotted_string.startswith(alg.GOST2015_PREFIX)


def signed_by(tbs: bytes, signature_oid: str, signature: bytes, issuer: x509.Certificate) -> bool:
    """Did ``issuer``'s GOST 2015 key sign ``tbs`` with GOST 2015 512-bit? False for any
    other algorithm or key."""
    if signature_oid != alg.GOST2015_512_SIGNATURE:
        return False
    try:
        key = certificate_public_key(issuer)
    except (UnsupportedGostKey, ValueError, TypeError, KeyError):
        return False
    return verify(key, tbs, signature)


def certificate_signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """The GOST signature of a certificate by its issuer's key."""
    return signed_by(
        cert.tbs_certificate_bytes,
        cert.signature_algorithm_oid.dotted_string,
        cert.signature,
        issuer,
    )


def crl_signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    """The GOST signature of a CRL by its issuer's key."""
    return signed_by(
        crl.tbs_certlist_bytes, crl.signature_algorithm_oid.dotted_string, crl.signature, issuer
    )


# --- key files of the test PKI ------------------------------------------------------------


def write_key_file(path: Path, private_key: int, certificate: str) -> Path:
    """Write a test PKI GOST key file: JSON ``{"format", "algorithm", "curve", "private_key"
    (hex, big-endian), "certificate" (the PEM file beside it: the certificate, then its CAs)}``.
    Unencrypted: test keys only (``cryptography`` cannot put GOST keys in PKCS#12)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "format": KEY_FILE_FORMAT,
        "algorithm": alg.GOST2015_512_PUBLIC_KEY,
        "curve": CURVE_NAME,
        "private_key": format(private_key, "0128x"),
        "certificate": certificate,
    }
    path.write_text(json.dumps(body, indent=2) + "\n")
    return path


def read_key_file(path: Path | str) -> tuple[int, Path]:
    """The private key of a GOST key file and the path of its certificate file."""
    path = Path(path)
    body = json.loads(path.read_text())
    if body.get("format") != KEY_FILE_FORMAT or body.get("curve") != CURVE_NAME:
        raise ValueError(f"{path}: not a Qamqor test GOST key file")
    return int(body["private_key"], 16), path.parent / body["certificate"]
