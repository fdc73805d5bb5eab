"""Make a CMS signature with a PKCS#12 key: the test PKI's signer (R-X-2).

For tests, ``manage.py sign`` and the development signer; citizens sign with NCALayer. Built
with asn1crypto (``cryptography``'s PKCS7 builder sets its own signingTime): SignedData with
signed attributes contentType, messageDigest (SHA-256) and signingTime, the signer's
certificate and the CA certificates of the PKCS#12 file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.utils import timezone


def load_p12(p12: bytes | str | Path, password: str) -> pkcs12.PKCS12KeyAndCertificates:
    """The key and certificates of a PKCS#12 file (bytes or a path)."""
    raw = p12 if isinstance(p12, bytes) else Path(p12).read_bytes()
    return pkcs12.load_pkcs12(raw, password.encode())


def sign_cms(
    data: bytes,
    *,
    p12: bytes | str | Path,
    password: str,
    detached: bool = True,
    signing_time: dt.datetime | None = None,
    pss: bool = False,
) -> bytes:
    """DER of a CMS SignedData over ``data`` (detached by default). ``pss`` uses RSASSA-PSS
    instead of PKCS#1 v1.5 for an RSA key."""
    bundle = load_p12(p12, password)
    key = bundle.key
    if bundle.cert is None or key is None:
        raise ValueError("the PKCS#12 file holds no key and certificate")
    cert = bundle.cert.certificate
    cert_der = cert.public_bytes(Encoding.DER)
    others = [c.certificate.public_bytes(Encoding.DER) for c in bundle.additional_certs]
    when = (signing_time or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)

    attrs = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
            cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(data).digest()]}),
            cms.CMSAttribute(
                {"type": "signing_time", "values": [cms.Time(name="utc_time", value=when)]}
            ),
        ]
    )
    to_sign = attrs.dump()
    if isinstance(key, rsa.RSAPrivateKey):
        if pss:
            signature = key.sign(
                to_sign,
                padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
                hashes.SHA256(),
            )
            algorithm = algos.SignedDigestAlgorithm(
                {
                    "algorithm": "rsassa_pss",
                    "parameters": algos.RSASSAPSSParams(
                        {
                            "hash_algorithm": {"algorithm": "sha256"},
                            "mask_gen_algorithm": {
                                "algorithm": "mgf1",
                                "parameters": {"algorithm": "sha256"},
                            },
                            "salt_length": 32,
                        }
                    ),
                }
            )
        else:
            signature = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
            algorithm = algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"})
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        algorithm = algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"})
    else:
        raise ValueError(f"cannot sign with a {type(key).__name__}")

    certificate = asn1_x509.Certificate.load(cert_der)
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                name="issuer_and_serial_number",
                value=cms.IssuerAndSerialNumber(
                    {"issuer": certificate.issuer, "serial_number": certificate.serial_number}
                ),
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": attrs,
            "signature_algorithm": algorithm,
            "signature": core.OctetString(signature),
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {
                "content_type": "data",
                "content": None if detached else data,
            },
            "certificates": [asn1_x509.Certificate.load(der) for der in (cert_der, *others)],
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
