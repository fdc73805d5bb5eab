"""Enveloped XMLDSig as NCALayer makes it (``signXml``, ``format: "xml"``): ``verify_xml`` (R-X-2).

The same answer as ``verify`` (a ``VerifiedSignature`` or a ``SignatureError`` with the same
codes), the same certificate checks in the same order (``inprocess.check_certificate``: chain to
the trust store, validity, revocation; then ``policy.check_key_usage`` and the subject), for
one ``ds:Signature`` whose ``KeyInfo/X509Data/X509Certificate`` is the signer's:

1. parse with lxml, DTDs, entities and the network off; a document with a DTD is refused
   (``esign.malformed``): no XXE, no entity expansion;
2. exactly one ``ds:Signature`` (``esign.no_signer`` / ``esign.multiple_signers``);
3. algorithms, refused by name when unknown (``esign.unsupported_algorithm``): canonicalization
   C14N 1.0 and exclusive C14N, with or without comments; signature RSA-SHA256/384/512 and
   GOST 34.10-2015 512-bit (``…pkigovkz…:gostr34102015-gostr34112015-512``); digests SHA-256/
   384/512 and Streebog-512 (``…pkigovkz…:gostr34112015-512``); transforms enveloped-signature
   and the canonicalizations. GOST 34.310-2004 URIs → ``esign.gost2004_unsupported``;
4. every Reference (``URI=""`` the document, ``URI="#id"`` the element with that Id/ID/id): its
   transforms applied, digest compared → ``esign.bad_signature``; one of them must cover the
   whole document (``""`` or the root element), else ``esign.malformed``;
5. SignatureValue over the canonical SignedInfo with the certificate's key (RSA PKCS#1 v1.5;
   GOST in NCA's byte order, the same convention as in CMS, ``gost.verify``) →
   ``esign.bad_signature``;
6. certificate: chain, validity at ``at`` (XMLDSig has no signing time), revocation, key usage
   for ``purpose``, IIN/BIN.

The GOST byte order inside XML is the CMS one (r‖s, each half little-endian); it is checked on
our own signer only: no public NCALayer-made GOST XML sample was found (docs/esign.md). A real
RSA XML signed by NCA's test chain (NCANode's documentation) pins the XML steps
(tests/accounts/esign/data/README.md).
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils import timezone
from lxml import etree

from qamqor.accounts.esign import algorithms as alg
from qamqor.accounts.esign import gost, gostverifier
from qamqor.accounts.esign.errors import (
    BAD_SIGNATURE,
    GOST2004_UNSUPPORTED,
    MALFORMED,
    MULTIPLE_SIGNERS,
    NO_SIGNER,
    UNSUPPORTED_ALGORITHM,
    SignatureError,
)
from qamqor.accounts.esign.inprocess import build_chain, check_certificate
from qamqor.accounts.esign.policy import check_key_usage
from qamqor.accounts.esign.result import Purpose, VerifiedSignature
from qamqor.accounts.esign.subject import signer_from_certificate
from qamqor.accounts.esign.trust import default_trust_store

DS = "http://www.w3.org/2000/09/xmldsig#"
_NS = {"ds": DS}

C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N_COMMENTS = C14N + "#WithComments"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C14N_COMMENTS = EXC_C14N + "WithComments"
ENVELOPED = DS + "enveloped-signature"
# (exclusive, with comments)
_CANONICALIZATIONS: dict[str, tuple[bool, bool]] = {
    C14N: (False, False),
    C14N_COMMENTS: (False, True),
    EXC_C14N: (True, False),
    EXC_C14N_COMMENTS: (True, True),
}

RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
RSA_SHA512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
GOST2015_512 = "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512"
GOST2004 = "http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311"

SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"
STREEBOG512 = "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512"
GOST34311 = "http://www.w3.org/2001/04/xmldsig-more#gost34311"

# URI → (scheme, hash for RSA, display name, digest OID of the result)
_SIGNATURES: dict[str, tuple[str, type[hashes.HashAlgorithm] | None, str, str]] = {
    RSA_SHA256: ("rsa", hashes.SHA256, "sha256WithRSAEncryption", alg.SHA256),
    RSA_SHA384: ("rsa", hashes.SHA384, "sha384WithRSAEncryption", alg.SHA384),
    RSA_SHA512: ("rsa", hashes.SHA512, "sha512WithRSAEncryption", alg.SHA512),
    GOST2015_512: ("gost", None, gostverifier.SIGNATURE_NAME, alg.STREEBOG512),
}
_DIGESTS: dict[str, Callable[[bytes], bytes]] = {
    SHA256: lambda data: hashlib.sha256(data).digest(),
    SHA384: lambda data: hashlib.sha384(data).digest(),
    SHA512: lambda data: hashlib.sha512(data).digest(),
    STREEBOG512: gost.streebog512,  # ordinary byte order, as messageDigest in a CMS
}
_GOST2004_URIS = frozenset({GOST2004, GOST34311})
_ID_ATTRIBUTES = ("Id", "ID", "id")
MAX_XML_BYTES = 1024 * 1024


def _parser() -> etree.XMLParser:
    # No DTD loading, no entity substitution, no network: XXE and billion laughs are impossible.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def _unsupported(uri: str | None) -> SignatureError:
    if uri in _GOST2004_URIS:
        return SignatureError(GOST2004_UNSUPPORTED, detail=str(uri))
    return SignatureError(UNSUPPORTED_ALGORITHM, detail=str(uri), algorithm=str(uri))


def _malformed(detail: str) -> SignatureError:
    return SignatureError(MALFORMED, detail=detail)


def parse_xml(xml: bytes | str) -> etree._ElementTree:
    """The document, or ``esign.malformed`` (not XML, too large, or with a DTD)."""
    raw = xml.encode() if isinstance(xml, str) else xml
    if len(raw) > MAX_XML_BYTES:
        raise _malformed("XML larger than allowed")
    try:
        tree = etree.ElementTree(etree.fromstring(raw, parser=_parser()))
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise _malformed(f"XML: {exc}") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _malformed("a DTD is not allowed in a signed document")
    return tree


def _canonical(node: etree._Element | etree._ElementTree, method: str | None) -> bytes:
    exclusive, with_comments = _CANONICALIZATIONS[method or C14N]
    return bytes(
        etree.tostring(node, method="c14n", exclusive=exclusive, with_comments=with_comments)
    )


def _one(element: etree._Element, path: str) -> etree._Element:
    found = element.findall(path, _NS)
    if len(found) != 1:
        raise _malformed(f"{path}: expected one, found {len(found)}")
    return found[0]


def _algorithm(element: etree._Element, path: str) -> str:
    return str(_one(element, path).get("Algorithm") or "")


def _b64(text: str | None, what: str) -> bytes:
    try:
        return base64.b64decode("".join((text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise _malformed(f"{what} is not base64") from None


@dataclass(frozen=True)
class CheckedXml:
    """What the XML steps vouch for (before any certificate check)."""

    certificate: x509.Certificate
    others: list[x509.Certificate]
    signature_algorithm: str  # display name
    digest_algorithm: str  # OID


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        raise _malformed("the signature is the document")
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _reference_digest(
    tree: etree._ElementTree, signature: etree._Element, reference: etree._Element
) -> tuple[bytes, bool]:
    """The digest of what ``reference`` points at, after its transforms, and whether it covers
    the whole document (``URI=""`` or the root element)."""
    uri = reference.get("URI")
    transforms = [
        str(t.get("Algorithm") or "") for t in reference.findall("ds:Transforms/ds:Transform", _NS)
    ]
    digest_method = _algorithm(reference, "ds:DigestMethod")
    if digest_method not in _DIGESTS:
        raise _unsupported(digest_method)
    canonicalization: str | None = None
    enveloped = False
    for transform in transforms:
        if transform == ENVELOPED:
            enveloped = True
        elif transform in _CANONICALIZATIONS:
            canonicalization = transform
        else:
            raise _unsupported(transform)
    # A copy: the transforms change the document, the other references need it whole.
    work = copy.deepcopy(tree)
    position = next(i for i, e in enumerate(tree.iter()) if e is signature)
    work_signature = next(e for i, e in enumerate(work.iter()) if i == position)
    if uri == "":
        target: etree._Element | etree._ElementTree = work
    elif uri is not None and uri.startswith("#") and "(" not in uri:
        wanted = uri[1:]
        found = [e for e in work.iter() if any(e.get(name) == wanted for name in _ID_ATTRIBUTES)]
        if len(found) != 1:
            raise _malformed(f"reference {uri}: {len(found)} elements with that Id")
        target = found[0]
    else:
        raise _unsupported(f"Reference URI {uri!r}")
    if enveloped:
        _remove_keeping_tail(work_signature)
    # A same-document reference ("" or "#id") excludes comments whatever the canonicalization
    # says (XMLDSig 1.0, 4.3.3.3); what remains is the method's exclusivity.
    exclusive = _CANONICALIZATIONS[canonicalization or C14N][0]
    canonical = bytes(
        etree.tostring(target, method="c14n", exclusive=exclusive, with_comments=False)
    )
    whole = target is work or target is work.getroot()
    return _DIGESTS[digest_method](bytes(canonical)), whole


def check_xml_signature(tree: etree._ElementTree) -> CheckedXml:
    """Steps 2–5 of the module: one Signature, its algorithms, every Reference's digest and the
    SignatureValue with the KeyInfo certificate's key. No trust decision here."""
    signatures = tree.getroot().xpath("//ds:Signature", namespaces=_NS)
    if not signatures:
        raise SignatureError(NO_SIGNER, detail="no ds:Signature")
    if len(signatures) > 1:
        raise SignatureError(MULTIPLE_SIGNERS, detail=f"{len(signatures)} ds:Signature")
    signature = signatures[0]
    signed_info = _one(signature, "ds:SignedInfo")
    canonicalization = _algorithm(signed_info, "ds:CanonicalizationMethod")
    if canonicalization not in _CANONICALIZATIONS:
        raise _unsupported(canonicalization)
    method = _algorithm(signed_info, "ds:SignatureMethod")
    if method not in _SIGNATURES:
        raise _unsupported(method)
    scheme, hash_cls, name, digest_oid = _SIGNATURES[method]

    certificates = [
        _b64(e.text, "X509Certificate")
        for e in signature.findall("ds:KeyInfo/ds:X509Data/ds:X509Certificate", _NS)
    ]
    if not certificates:
        raise SignatureError(NO_SIGNER, detail="no KeyInfo/X509Data/X509Certificate")
    try:
        loaded = [x509.load_der_x509_certificate(der) for der in certificates]
    except ValueError as exc:
        raise _malformed(f"X509Certificate: {exc}") from None
    cert = loaded[0]
    key_oid = cert.public_key_algorithm_oid.dotted_string
    if alg.is_gost2004(key_oid):
        raise SignatureError(GOST2004_UNSUPPORTED, detail=key_oid)

    references = signed_info.findall("ds:Reference", _NS)
    if not references:
        raise _malformed("SignedInfo without a Reference")
    covered = False
    for reference in references:
        expected = _b64(_one(reference, "ds:DigestValue").text, "DigestValue")
        digest, whole = _reference_digest(tree, signature, reference)
        if digest != expected:
            raise SignatureError(BAD_SIGNATURE, detail=f"digest of {reference.get('URI')!r}")
        covered = covered or whole
    if not covered:
        # The answer's content is the whole document: a signature over a part of it (XML
        # signature wrapping) must not pass for a signature over the rest.
        raise _malformed("no Reference covers the whole document")

    signed = _canonical(signed_info, canonicalization)
    value = _b64(_one(signature, "ds:SignatureValue").text, "SignatureValue")
    if scheme == "gost":
        if key_oid != alg.GOST2015_512_PUBLIC_KEY:
            raise _unsupported(alg.algorithm_name(key_oid))
        try:
            public = gost.certificate_public_key(cert)
        except gost.UnsupportedGostKey as exc:
            raise SignatureError(
                UNSUPPORTED_ALGORITHM, detail=str(exc), algorithm=f"GOST 34.10-2015 ({exc})"
            ) from None
        if not gost.verify(public, signed, value):
            raise SignatureError(BAD_SIGNATURE, detail="GOST SignatureValue")
    else:
        try:
            key = cert.public_key()
        except (UnsupportedAlgorithm, ValueError):
            raise _unsupported(alg.algorithm_name(key_oid)) from None
        if not isinstance(key, rsa.RSAPublicKey) or hash_cls is None:
            raise _unsupported(alg.algorithm_name(key_oid))
        try:
            key.verify(value, signed, padding.PKCS1v15(), hash_cls())
        except InvalidSignature:
            raise SignatureError(BAD_SIGNATURE, detail="RSA SignatureValue") from None
    return CheckedXml(
        certificate=cert, others=loaded[1:], signature_algorithm=name, digest_algorithm=digest_oid
    )


def verify_xml(
    xml: bytes | str, *, purpose: Purpose, at: dt.datetime | None = None
) -> VerifiedSignature:
    """Verify an enveloped XMLDSig (NCALayer's ``signXml``) for ``purpose`` (R-X-2).

    ``at``: the moment of the check (default now); XMLDSig carries no signing time, so the
    certificate must be valid at ``at``. Refuses with a ``SignatureError`` (codes of
    docs/esign.md); ``content`` of the answer is the document as received."""
    if at is not None and timezone.is_naive(at):
        raise ValueError("verify_xml(at=...) must be an aware datetime")
    alg.register_asn1_oids()
    purpose = Purpose(purpose)
    now = at or timezone.now()
    raw = xml.encode() if isinstance(xml, str) else xml
    checked = check_xml_signature(parse_xml(raw))
    cert = checked.certificate
    build = gostverifier.build_chain if gost.is_gost2015_key(cert) else build_chain
    chain = check_certificate(
        cert, checked.others, default_trust_store(), when=now, now=now, build=build
    )
    check_key_usage(cert, purpose)
    return VerifiedSignature(
        signer=signer_from_certificate(cert),
        certificate=cert.public_bytes(Encoding.DER),
        certificate_serial=format(cert.serial_number, "x"),
        certificate_issuer=cert.issuer.rfc4514_string(),
        signing_time=now,
        signature_algorithm=checked.signature_algorithm,
        content=raw,
        purpose=purpose,
        verifier="inprocess",
        digest_algorithm=checked.digest_algorithm,
        chain=tuple(c.public_bytes(Encoding.DER) for c in chain),
    )
