"""Enveloped XMLDSig as NCALayer's ``signXml`` makes it, verified in-process (R-X-2, issue 12).

RSA and GOST 34.10-2015 512-bit signatures made by ``signer.sign_xml`` with the test PKI, the
same certificate checks as CMS, the refusals by name, no DTD/XXE; and a real XMLDSig made by
NCA's software with a key of NCA's RSA test chain (``data/README.md``), whose XML steps must pass
and whose certificate must not be trusted here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from qamqor.accounts.esign import Purpose, SignatureError, xmldsig
from qamqor.accounts.esign.signer import sign_xml
from qamqor.accounts.esign.xmldsig import check_xml_signature, parse_xml, verify_xml
from tests.pki import PkiHelper

Refused = Callable[[str], AbstractContextManager[None]]  # tests/accounts/esign/conftest.py
DATA = Path(__file__).parent / "data"
NCA_XML = DATA / "ncanode_xmldsig_rsa_test.xml"
NCA_XML_SHA256 = "48eee99e7fc40641fc747c941085a5e048911ec4a903e77bfdf36f353f07bf3d"
DOC = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<application xmlns="urn:qamqor:act" Id="act-1">\n'
    "  <!-- what the citizen signs -->\n"
    '  <recipient iin="920517450017">Жанузакова Айгерим</recipient>\n'
    "  <service>home_care</service>\n"
    "</application>\n"
).encode()


@pytest.fixture(scope="module")
def rsa_citizen(test_pki: PkiHelper) -> str:
    iin = test_pki.new_iin(dt.date(1985, 2, 3), 3)
    test_pki.issue(iin, "СЕРІКОВ", "АРМАН", key_type="rsa")
    return iin


@pytest.fixture(scope="module")
def gost_citizen(test_pki: PkiHelper) -> str:
    iin = test_pki.new_iin(dt.date(1992, 5, 17), 4)
    test_pki.issue(iin, "ЖАНУЗАКОВА", "АЙГЕРИМ", "НУРЛАНКЫЗЫ", key_type="gost512")
    return iin


def _rsa_xml(pki: PkiHelper, iin: str, kind: str = "auth", **options: str) -> bytes:
    p12 = pki.root / "users" / iin / f"{kind}.p12"
    return sign_xml(DOC, p12=p12, password=pki.password, **options)


# --- Good signatures ----------------------------------------------------------------------------


@pytest.mark.parametrize("canonicalization", sorted(xmldsig._CANONICALIZATIONS))
def test_an_rsa_xml_signature_verifies(
    esign_settings: PkiHelper, rsa_citizen: str, canonicalization: str
) -> None:
    """R-X-2: NCALayer's signXml with an RSA key, whatever C14N the SignedInfo names."""
    signed = _rsa_xml(esign_settings, rsa_citizen, canonicalization=canonicalization)
    result = verify_xml(signed, purpose=Purpose.AUTHENTICATION)
    assert (result.signer.iin, result.signer.surname) == (rsa_citizen, "СЕРІКОВ")
    assert result.signature_algorithm == "sha256WithRSAEncryption"
    assert result.content == signed and result.verifier == "inprocess"
    assert len(result.chain) == 3  # leaf, intermediate, root


def test_a_gost_xml_signature_verifies(gost_esign_settings: PkiHelper, gost_citizen: str) -> None:
    """R-X-2: GOST 34.10-2015 512-bit with NCA's XML URIs and the CMS byte order."""
    signed = sign_xml(DOC, key_file=gost_esign_settings.gost_key(gost_citizen, "sign"))
    assert xmldsig.GOST2015_512.encode() in signed and xmldsig.STREEBOG512.encode() in signed
    result = verify_xml(signed, purpose=Purpose.SIGNING)
    assert (result.signer.iin, result.signer.patronymic) == (gost_citizen, "НУРЛАНКЫЗЫ")
    assert result.signature_algorithm == "GOST 34.10-2015 (512-bit)"
    assert len(result.chain) == 3


def test_a_reference_to_an_element_by_id_verifies(
    esign_settings: PkiHelper, rsa_citizen: str
) -> None:
    signed = _rsa_xml(esign_settings, rsa_citizen, reference_uri="#act-1")
    assert b'URI="#act-1"' in signed
    assert verify_xml(signed, purpose=Purpose.AUTHENTICATION).signer.iin == rsa_citizen


def test_a_signature_over_a_part_of_the_document_is_refused(
    esign_settings: PkiHelper, rsa_citizen: str, refused: Refused
) -> None:
    """XML signature wrapping: the answer's content is the whole document, so one Reference
    must cover all of it."""
    document = DOC.replace(b"<service>", b'<service Id="svc">')
    p12 = esign_settings.root / "users" / rsa_citizen / "auth.p12"
    signed = sign_xml(document, p12=p12, password=esign_settings.password, reference_uri="#svc")
    with refused("esign.malformed"):
        verify_xml(signed, purpose=Purpose.AUTHENTICATION)


def test_a_reference_to_a_missing_id_is_refused(
    esign_settings: PkiHelper, rsa_citizen: str, refused: Refused
) -> None:
    signed = _rsa_xml(esign_settings, rsa_citizen, reference_uri="#act-1")
    with refused("esign.malformed"):
        verify_xml(signed.replace(b'Id="act-1"', b'Id="act-2"'), purpose=Purpose.AUTHENTICATION)


# --- Tampering ----------------------------------------------------------------------------------


def test_a_changed_element_is_refused(
    esign_settings: PkiHelper, rsa_citizen: str, refused: Refused
) -> None:
    signed = _rsa_xml(esign_settings, rsa_citizen)
    tampered = signed.replace(b"home_care", b"day_care")
    with refused("esign.bad_signature"):
        verify_xml(tampered, purpose=Purpose.AUTHENTICATION)


def test_a_changed_gost_document_is_refused(
    gost_esign_settings: PkiHelper, gost_citizen: str, refused: Refused
) -> None:
    signed = sign_xml(DOC, key_file=gost_esign_settings.gost_key(gost_citizen, "auth"))
    with refused("esign.bad_signature"):
        verify_xml(signed.replace(b"920517450017", b"920517450018"), purpose=Purpose.AUTHENTICATION)


def test_a_changed_signed_info_is_refused(
    esign_settings: PkiHelper, rsa_citizen: str, refused: Refused
) -> None:
    """Every digest still matches, but the SignedInfo the key signed is not this one."""
    signed = _rsa_xml(esign_settings, rsa_citizen)
    tampered = signed.replace(
        f'CanonicalizationMethod Algorithm="{xmldsig.C14N}"'.encode(),
        f'CanonicalizationMethod Algorithm="{xmldsig.EXC_C14N}"'.encode(),
    )
    assert tampered != signed
    with refused("esign.bad_signature"):
        verify_xml(tampered, purpose=Purpose.AUTHENTICATION)


def test_a_changed_gost_signature_value_is_refused(
    gost_esign_settings: PkiHelper, gost_citizen: str, refused: Refused
) -> None:
    signed = sign_xml(DOC, key_file=gost_esign_settings.gost_key(gost_citizen, "auth"))
    tree = parse_xml(signed)
    value = tree.find(".//{http://www.w3.org/2000/09/xmldsig#}SignatureValue")
    assert value is not None and value.text
    value.text = ("B" if value.text[0] == "A" else "A") + value.text[1:]
    from lxml import etree

    with refused("esign.bad_signature"):
        verify_xml(etree.tostring(tree), purpose=Purpose.AUTHENTICATION)


# --- Certificate checks, the same as CMS -----------------------------------------------------


def test_a_login_key_cannot_sign_an_xml_act(
    esign_settings: PkiHelper, rsa_citizen: str, refused: Refused
) -> None:
    signed = _rsa_xml(esign_settings, rsa_citizen, kind="auth")
    with refused("esign.wrong_key_usage"):
        verify_xml(signed, purpose=Purpose.SIGNING)


@pytest.mark.parametrize(
    ("special", "code"),
    [
        ("gost_foreign", "esign.untrusted_chain"),
        ("gost_expired", "esign.expired"),
        ("gost_revoked", "esign.revoked"),
        ("gost_no_iin", "esign.no_iin"),
    ],
)
def test_gost_certificate_refusals_are_the_cms_ones(
    gost_esign_settings: PkiHelper, refused: Refused, special: str, code: str
) -> None:
    signed = sign_xml(DOC, key_file=gost_esign_settings.special(special))
    with refused(code):
        verify_xml(signed, purpose=Purpose.AUTHENTICATION)


def test_a_foreign_ca_is_refused_for_rsa(
    esign_settings: PkiHelper, rsa_citizen: str, gost_esign_settings: PkiHelper, refused: Refused
) -> None:
    """Trusting only the GOST roots, the RSA test chain is a foreign CA."""
    signed = _rsa_xml(esign_settings, rsa_citizen)
    with refused("esign.untrusted_chain"):
        verify_xml(signed, purpose=Purpose.AUTHENTICATION)


# --- Algorithms and structure refused by name ---------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (xmldsig.RSA_SHA256, "http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
        (xmldsig.SHA256, "http://www.w3.org/2000/09/xmldsig#sha1"),
        (xmldsig.C14N_COMMENTS, "http://www.w3.org/TR/1999/REC-xslt-19991116"),
        (f'"{xmldsig.C14N}"', '"http://www.w3.org/2006/12/xml-c14n11"'),
    ],
    ids=["signature", "digest", "transform", "canonicalization"],
)
def test_an_unknown_algorithm_is_refused_by_name(
    esign_settings: PkiHelper, rsa_citizen: str, refused: Refused, old: str, new: str
) -> None:
    signed = _rsa_xml(esign_settings, rsa_citizen)
    assert old.encode() in signed
    with pytest.raises(SignatureError) as info:
        verify_xml(signed.replace(old.encode(), new.encode()), purpose=Purpose.AUTHENTICATION)
    assert info.value.code == "esign.unsupported_algorithm"
    assert new.strip('"') in str(info.value.message)


def test_a_gost_2004_xml_signature_is_refused_with_its_own_code(
    esign_settings: PkiHelper, rsa_citizen: str, refused: Refused
) -> None:
    signed = _rsa_xml(esign_settings, rsa_citizen)
    with refused("esign.gost2004_unsupported"):
        verify_xml(
            signed.replace(xmldsig.RSA_SHA256.encode(), xmldsig.GOST2004.encode()),
            purpose=Purpose.AUTHENTICATION,
        )


def test_a_document_without_a_signature_is_refused(db: None, refused: Refused) -> None:
    with refused("esign.no_signer"):
        verify_xml(DOC, purpose=Purpose.AUTHENTICATION)


def test_two_signatures_are_refused(
    esign_settings: PkiHelper, rsa_citizen: str, refused: Refused
) -> None:
    once = _rsa_xml(esign_settings, rsa_citizen)
    p12 = esign_settings.root / "users" / rsa_citizen / "auth.p12"  # the RSA pair (not .p12())
    twice = sign_xml(once, p12=p12, password=esign_settings.password)
    with refused("esign.multiple_signers"):
        verify_xml(twice, purpose=Purpose.AUTHENTICATION)


@pytest.mark.parametrize(
    "document",
    [
        # XXE: an external entity reading a local file
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
        # an external DTD over the network
        b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://example.invalid/r.dtd"><r/>',
        # billion laughs
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<r>&b;&b;&b;</r>",
        b"not xml at all",
    ],
    ids=["xxe-file", "external-dtd", "entity-expansion", "not-xml"],
)
def test_dtds_and_entities_are_refused(db: None, refused: Refused, document: bytes) -> None:
    with refused("esign.malformed"):
        verify_xml(document, purpose=Purpose.AUTHENTICATION)


def test_the_safe_parser_never_expands_an_entity(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>'
    ).encode()
    with pytest.raises(SignatureError) as info:
        parse_xml(document)
    assert info.value.code == "esign.malformed"
    assert "TOP-SECRET" not in info.value.detail


# --- A real XMLDSig of NCA's software (known answer) -------------------------------------------


def test_kat_real_nca_xmldsig_is_the_pinned_file() -> None:
    assert hashlib.sha256(NCA_XML.read_bytes()).hexdigest() == NCA_XML_SHA256


def test_kat_real_nca_rsa_xmldsig_passes_the_xml_steps() -> None:
    """An XMLDSig made by NCA's KalkanCrypt (via NCANode) with NCA's RSA test chain: our
    canonicalization, enveloped transform, digest and SignatureValue agree with theirs."""
    checked = check_xml_signature(parse_xml(NCA_XML.read_bytes()))
    assert "IIN123456789011" in checked.certificate.subject.rfc4514_string()
    assert checked.signature_algorithm == "sha256WithRSAEncryption"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"<name>NCANode</name>", b"<name>NCANodf</name>"),  # the signed content
        (b"ybvg7uzrmIoa6Q02yU8BiLjYNl64fr", b"ybvg7uzrmIoa6Q02yU8BiLjYNl64fR"),  # SignedInfo
        (b"iAo6o5tfMBmXAxOxNTPVZGgjBebA9", b"iAo6o5tfMBmXAxOxNTPVZGgjBebA8"),  # the value
    ],
    ids=["content", "digest-value", "signature-value"],
)
def test_kat_one_changed_character_fails(old: bytes, new: bytes) -> None:
    raw = NCA_XML.read_bytes()
    assert old in raw
    with pytest.raises(SignatureError) as info:
        check_xml_signature(parse_xml(raw.replace(old, new)))
    assert info.value.code == "esign.bad_signature"


def test_kat_real_nca_xmldsig_is_not_trusted_here(esign_settings: PkiHelper) -> None:
    """NCA's test chain is not in the trust store: valid XML steps never mean a login."""
    at = dt.datetime(2019, 1, 10, tzinfo=dt.UTC)  # inside the certificate's validity
    with pytest.raises(SignatureError) as info:
        verify_xml(NCA_XML.read_bytes(), purpose=Purpose.AUTHENTICATION, at=at)
    assert info.value.code == "esign.untrusted_chain"
