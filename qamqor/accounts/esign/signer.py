"""Make a CMS signature with a key of the test PKI: the test PKI's signer (R-X-2).

For tests, ``manage.py sign`` and the development signer; citizens sign with NCALayer. Built
with asn1crypto (``cryptography``'s PKCS7 builder sets its own signingTime): SignedData with
signed attributes contentType, messageDigest and signingTime, the signer's certificate and the
CA certificates. ``sign_cms``: a PKCS#12 key (RSA, ECDSA; SHA-256). ``sign_cms_gost``: a GOST
34.10-2015 512-bit key file of the test PKI (Streebog-512), since PKCS#12 cannot hold one here.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.utils import timezone

from qamqor.accounts.esign import algorithms as alg
from qamqor.accounts.esign import gost

alg.register_asn1_oids()  # the GOST OIDs by name in asn1crypto (KZ-NOTES)


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
    when = _signing_time(signing_time)

    def sign_attributes(to_sign: bytes) -> tuple[bytes, algos.SignedDigestAlgorithm]:
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
        return signature, algorithm

    return _signed_data(
        data,
        cert_der=cert_der,
        others=others,
        when=when,
        detached=detached,
        digest_algorithm="sha256",
        message_digest=hashlib.sha256(data).digest(),
        sign_attributes=sign_attributes,
    )


def sign_cms_gost(
    data: bytes,
    *,
    key_file: str | Path,
    cert_file: str | Path | None = None,
    detached: bool = True,
    signing_time: dt.datetime | None = None,
) -> bytes:
    """DER of a CMS SignedData over ``data`` with a GOST 34.10-2015 512-bit key of the test PKI
    (``gost.write_key_file``: JSON beside a PEM of the certificate and its CAs): digest
    Streebog-512 (``1.2.398.3.10.1.3.3``), signature ``1.2.398.3.10.1.1.2.3.2`` in NCA's byte
    order, signed attributes contentType, messageDigest, signingTime. ``cert_file`` defaults
    to the one the key file names."""
    private_key, default_cert = gost.read_key_file(key_file)
    pem = Path(cert_file or default_cert).read_bytes()
    certificates = [c.public_bytes(Encoding.DER) for c in x509.load_pem_x509_certificates(pem)]
    if not certificates:
        raise ValueError("no certificate beside the GOST key")

    def sign_attributes(to_sign: bytes) -> tuple[bytes, algos.SignedDigestAlgorithm]:
        return gost.sign(private_key, to_sign), algos.SignedDigestAlgorithm(
            {"algorithm": alg.GOST2015_512_SIGNATURE}
        )

    return _signed_data(
        data,
        cert_der=certificates[0],
        others=certificates[1:],
        when=_signing_time(signing_time),
        detached=detached,
        digest_algorithm=alg.STREEBOG512,
        message_digest=gost.streebog512(data),
        sign_attributes=sign_attributes,
    )


def _signing_time(signing_time: dt.datetime | None) -> dt.datetime:
    return (signing_time or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)


def _signed_data(
    data: bytes,
    *,
    cert_der: bytes,
    others: list[bytes],
    when: dt.datetime,
    detached: bool,
    digest_algorithm: str,
    message_digest: bytes,
    sign_attributes: Callable[[bytes], tuple[bytes, algos.SignedDigestAlgorithm]],
) -> bytes:
    attrs = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
            cms.CMSAttribute({"type": "message_digest", "values": [message_digest]}),
            cms.CMSAttribute(
                {"type": "signing_time", "values": [cms.Time(name="utc_time", value=when)]}
            ),
        ]
    )
    signature, algorithm = sign_attributes(attrs.dump())
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
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": digest_algorithm}),
            "signed_attrs": attrs,
            "signature_algorithm": algorithm,
            "signature": core.OctetString(signature),
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": digest_algorithm})],
            "encap_content_info": {
                "content_type": "data",
                "content": None if detached else data,
            },
            "certificates": [asn1_x509.Certificate.load(der) for der in (cert_der, *others)],
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


def sign_xml(
    xml: bytes | str,
    *,
    p12: bytes | str | Path | None = None,
    password: str = "",
    key_file: str | Path | None = None,
    canonicalization: str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    reference_uri: str = "",
) -> bytes:
    """An enveloped XMLDSig over the whole document, shaped like NCALayer's ``signXml``: a
    ``ds:Signature`` appended to the root with ``Reference URI=""`` (transforms
    enveloped-signature and C14N with comments), the SignedInfo canonicalized with
    ``canonicalization``, and the signer's certificate in ``KeyInfo``. An RSA key of a PKCS#12
    (``p12``: rsa-sha256, SHA-256) or a GOST 34.10-2015 512-bit key file of the test PKI
    (``key_file``: NCA's GOST URIs, Streebog-512, the CMS byte order). ``reference_uri``:
    ``""`` (the document, as NCALayer) or ``"#<Id>"`` of an element. Tests only."""
    from lxml import etree

    from qamqor.accounts.esign import xmldsig

    if (p12 is None) == (key_file is None):
        raise ValueError("give p12 or key_file")
    tree = xmldsig.parse_xml(xml)
    root = tree.getroot()
    if key_file is not None:
        private_key, cert_path = gost.read_key_file(key_file)
        cert_der = x509.load_pem_x509_certificates(Path(cert_path).read_bytes())[0].public_bytes(
            Encoding.DER
        )
        method, digest_method = xmldsig.GOST2015_512, xmldsig.STREEBOG512

        def sign_bytes(data: bytes) -> bytes:
            return gost.sign(private_key, data)

    else:
        assert p12 is not None
        bundle = load_p12(p12, password)
        key = bundle.key
        if bundle.cert is None or not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("sign_xml needs an RSA key in the PKCS#12 file")
        rsa_key = key
        cert_der = bundle.cert.certificate.public_bytes(Encoding.DER)
        method, digest_method = xmldsig.RSA_SHA256, xmldsig.SHA256

        def sign_bytes(data: bytes) -> bytes:
            return rsa_key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    reference_c14n = xmldsig.C14N_COMMENTS
    exclusive = reference_c14n.startswith(xmldsig.EXC_C14N)
    target: etree._Element | etree._ElementTree = tree
    if reference_uri:
        target = next(e for e in tree.iter() if e.get("Id") == reference_uri.removeprefix("#"))
    document = etree.tostring(target, method="c14n", exclusive=exclusive, with_comments=False)
    digest = xmldsig._DIGESTS[digest_method](bytes(document))

    def ds(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{xmldsig.DS}}}{tag}", attributes)

    signature = etree.SubElement(root, f"{{{xmldsig.DS}}}Signature", nsmap={"ds": xmldsig.DS})
    signed_info = ds(signature, "SignedInfo")
    ds(signed_info, "CanonicalizationMethod", Algorithm=canonicalization)
    ds(signed_info, "SignatureMethod", Algorithm=method)
    reference = ds(signed_info, "Reference", URI=reference_uri)
    transforms = ds(reference, "Transforms")
    ds(transforms, "Transform", Algorithm=xmldsig.ENVELOPED)
    ds(transforms, "Transform", Algorithm=reference_c14n)
    ds(reference, "DigestMethod", Algorithm=digest_method)
    ds(reference, "DigestValue").text = base64.b64encode(digest).decode()
    value = ds(signature, "SignatureValue")
    x509_data = ds(ds(signature, "KeyInfo"), "X509Data")
    ds(x509_data, "X509Certificate").text = base64.b64encode(cert_der).decode()
    value.text = base64.b64encode(
        sign_bytes(xmldsig._canonical(signed_info, canonicalization))
    ).decode()
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
