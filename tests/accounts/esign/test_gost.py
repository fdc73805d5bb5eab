"""GOST 34.10-2015 (512-bit) signatures of NCA RK, verified in-process (R-X-2, issue 12).

gostcrypto itself costs ~0.4 s per verification (the fast path of gost.py ~17 ms): the GOST
part of the test PKI is built once per session, one person is issued once (``gost_citizen``),
and only the cross-checks call gostcrypto's own arithmetic.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.management import call_command
from gostcrypto import gostsignature

from qamqor.accounts.esign import Purpose, SignatureError, gost, gostverifier, verify
from qamqor.accounts.esign.algorithms import register_asn1_oids
from qamqor.accounts.esign.cms import parse_cms
from qamqor.accounts.esign.signer import sign_cms_gost
from qamqor.accounts.esign.testpki import GOST_SPECIAL_IINS, UserSpec, build_test_pki, make_iin
from qamqor.accounts.esign.trust import TrustStore
from tests.accounts.esign.test_inprocess import with_algorithms
from tests.pki import PkiHelper

Refused = Callable[[str], AbstractContextManager[None]]  # tests/accounts/esign/conftest.py
DOC = b'{"act": "queue_application", "recipient": "aigerim"}'
GOST2004_KEY = "1.2.398.3.10.1.1.1.1"
GOST2004_SIGNATURE = "1.2.398.3.10.1.1.1.2"
GOST34311 = "1.2.398.3.10.1.3.1.1.0"
GOST2015_256_SIGNATURE = "1.2.398.3.10.1.1.2.3.1"
STREEBOG256 = "1.2.398.3.10.1.3.2"


@pytest.fixture(scope="session")
def gost_citizen(test_pki: PkiHelper) -> str:
    """The IIN of a citizen holding NCA-like GOST 2015 AUTH and signing keys."""
    iin = test_pki.new_iin(dt.date(1992, 5, 17), 4)
    test_pki.issue(iin, "ЖАНУЗАКОВА", "АЙГЕРИМ", "НУРЛАНКЫЗЫ", key_type="gost512")
    return iin


@pytest.mark.parametrize("detached", [True, False], ids=["detached", "attached"])
def test_gost_auth_key_logs_in(
    gost_esign_settings: PkiHelper, gost_citizen: str, detached: bool
) -> None:
    """R-X-2: a login signature with a GOST 2015 AUTH key verifies in-process, attached or
    detached, with the whole chain to the trusted GOST root."""
    cms = gost_esign_settings.sign(DOC, iin=gost_citizen, key_type="gost512", detached=detached)
    result = verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
    assert (result.signer.iin, result.signer.surname, result.signer.patronymic) == (
        gost_citizen,
        "ЖАНУЗАКОВА",
        "НУРЛАНКЫЗЫ",
    )
    assert result.verifier == "inprocess"
    assert result.signature_algorithm == "GOST 34.10-2015 (512-bit)"
    assert result.digest_algorithm == "1.2.398.3.10.1.3.3"
    assert len(result.chain) == 3  # leaf, GOST intermediate, GOST root
    assert result.content == DOC


def test_gost_signing_key_signs_an_act(gost_esign_settings: PkiHelper, gost_citizen: str) -> None:
    """R-X-2: an act signed with the GOST 2015 signing key verifies for SIGNING."""
    cms = gost_esign_settings.sign(DOC, iin=gost_citizen, kind="sign", key_type="gost512")
    result = verify(cms, data=DOC, purpose=Purpose.SIGNING)
    assert result.signer.iin == gost_citizen
    assert result.signature_algorithm == "GOST 34.10-2015 (512-bit)"


@pytest.mark.parametrize(
    ("special", "purpose", "code"),
    [
        ("gost_expired", Purpose.AUTHENTICATION, "esign.expired"),
        ("gost_revoked", Purpose.AUTHENTICATION, "esign.revoked"),
        ("gost_not_yet_valid", Purpose.AUTHENTICATION, "esign.not_yet_valid"),
        ("gost_foreign", Purpose.AUTHENTICATION, "esign.untrusted_chain"),
        ("gost_signing_only", Purpose.AUTHENTICATION, "esign.wrong_key_usage"),
        ("gost_no_iin", Purpose.AUTHENTICATION, "esign.no_iin"),
    ],
)
def test_gost_refusals_have_the_same_codes_as_rsa(
    gost_esign_settings: PkiHelper,
    refused: Refused,
    special: str,
    purpose: Purpose,
    code: str,
) -> None:
    """R-X-2: expired, revoked (GOST-signed CRL), not yet valid, foreign CA, a signing-only key
    used to log in, no IIN: refused with the codes of the RSA/ECDSA verifier, nothing written."""
    cms = gost_esign_settings.sign(DOC, gost_key=gost_esign_settings.special(special))
    with refused(code):
        verify(cms, data=DOC, purpose=purpose)


def test_gost_tampered_content_is_refused(
    gost_esign_settings: PkiHelper, gost_citizen: str, refused: Refused
) -> None:
    """R-X-2: the Streebog-512 messageDigest binds the content."""
    cms = gost_esign_settings.sign(DOC, iin=gost_citizen, key_type="gost512")
    with refused("esign.bad_signature"):
        verify(cms, data=DOC + b" ", purpose=Purpose.AUTHENTICATION)


def test_gost_tampered_signature_value_is_refused(
    gost_esign_settings: PkiHelper, gost_citizen: str, refused: Refused
) -> None:
    """R-X-2: one bit of the signature value changed: refused."""
    register_asn1_oids()
    info = asn1_cms.ContentInfo.load(
        gost_esign_settings.sign(DOC, iin=gost_citizen, key_type="gost512")
    )
    signer_info = info["content"]["signer_infos"][0]
    value = bytearray(signer_info["signature"].native)
    value[5] ^= 0x01
    signer_info["signature"] = asn1_cms.OctetString(bytes(value))
    with refused("esign.bad_signature"):
        verify(info.dump(force=True), data=DOC, purpose=Purpose.AUTHENTICATION)


@pytest.mark.parametrize("where", ["signature", "certificate"])
def test_gost_2004_is_refused_with_its_own_code(
    gost_esign_settings: PkiHelper, refused: Refused, where: str
) -> None:
    """R-X-2: a GOST 34.310-2004 signature or key is refused with esign.gost2004_unsupported and
    a whole sentence naming the algorithm and what to use instead."""
    cms = gost_esign_settings.sign(
        DOC, iin=gost_esign_settings.new_iin()
    )  # any key: nothing is checked
    if where == "signature":
        cms = with_algorithms(cms, GOST2004_SIGNATURE, GOST34311)
    else:
        register_asn1_oids()
        info = asn1_cms.ContentInfo.load(cms)
        cert = info["content"]["certificates"][0].chosen
        cert["tbs_certificate"]["subject_public_key_info"]["algorithm"] = {
            "algorithm": GOST2004_KEY
        }
        cms = info.dump(force=True)
    with refused("esign.gost2004_unsupported"):
        try:
            verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
        except SignatureError as exc:
            assert str(exc.message) == (
                "This key type (GOST 34.310-2004) is no longer supported; use a GOST 2015 or "
                "RSA key."
            )
            raise


def test_gost_256_bit_is_refused_by_name(
    gost_esign_settings: PkiHelper, gost_citizen: str, refused: Refused
) -> None:
    """R-X-2: no public material pins NCA's 256-bit parameter set: refused, named."""
    cms = with_algorithms(
        gost_esign_settings.sign(DOC, iin=gost_citizen, key_type="gost512"),
        GOST2015_256_SIGNATURE,
        STREEBOG256,
    )
    with refused("esign.unsupported_algorithm"):
        try:
            verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
        except SignatureError as exc:
            assert "GOST 34.10-2015 (256-bit)" in str(exc.message)
            raise


def test_byte_order_round_trips_with_gostcrypto(
    gost_esign_settings: PkiHelper, gost_citizen: str
) -> None:
    """R-X-2 (KZ-NOTES): our NCA byte order is gostcrypto's with each half of the key and of
    the signature reversed and the digest reversed; the raw order must fail."""
    # GOST 34.11-2012, example 1: Streebog-512 in the byte order of the standard's vectors.
    assert gost.streebog512(b"012345678901234567890123456789012345678901234567890123456789012") == (
        bytes.fromhex(
            "1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa"
            "00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48"
        )
    )
    parsed = parse_cms(gost_esign_settings.sign(DOC, iin=gost_citizen, key_type="gost512"))
    key = gost.certificate_public_key(parsed.signer_certificate)
    signed = parsed.signed_attributes or b""
    engine = gostsignature.new(
        gostsignature.MODE_512,
        gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-12-512-paramSetA"],
    )

    def halves(value: bytes) -> bytearray:
        return bytearray(value[:64][::-1] + value[64:][::-1])

    digest = gost.streebog512(signed)
    assert engine.verify(halves(key), bytearray(digest[::-1]), halves(parsed.signature))
    assert not engine.verify(bytearray(key), bytearray(digest), bytearray(parsed.signature))


def test_ca_certificates_are_verified_once_per_process(
    gost_esign_settings: PkiHelper, gost_citizen: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-X-2 (issue 12, speed): once the intermediate is known good, a login costs two GOST
    verifications: the leaf's certificate and the signature."""
    cms = gost_esign_settings.sign(DOC, iin=gost_citizen, key_type="gost512")
    verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)  # warms the CA and CRL caches
    calls: list[int] = []
    real = gost.verify

    def counting(public_key: bytes, data: bytes, signature: bytes) -> bool:
        calls.append(1)
        return real(public_key, data, signature)

    monkeypatch.setattr(gost, "verify", counting)
    verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
    assert len(calls) == 2
    gostverifier.clear_ca_cache()
    verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
    assert len(calls) == 2 + 3  # the intermediate again once the cache is cleared


def test_sign_command_signs_with_a_gost_key(
    gost_esign_settings: PkiHelper, gost_citizen: str, tmp_path: Path
) -> None:
    """R-X-2: ``manage.py sign --gost-key`` makes a CMS the verifier accepts."""
    (tmp_path / "act.json").write_bytes(DOC)
    call_command(
        "sign",
        "--gost-key",
        str(gost_esign_settings.gost_key(gost_citizen, "sign")),
        "--data",
        str(tmp_path / "act.json"),
        "--out",
        str(tmp_path / "act.p7s"),
    )
    result = verify((tmp_path / "act.p7s").read_bytes(), data=DOC, purpose=Purpose.SIGNING)
    assert result.signer.iin == gost_citizen


def test_gost_intermediate_with_a_broken_signature_is_no_path(
    gost_esign_settings: PkiHelper, gost_citizen: str
) -> None:
    """R-X-2: the GOST chain check verifies each certificate's signature by its issuer: an
    intermediate with the right names but one bit of its signature changed is no path."""
    root = x509.load_pem_x509_certificate(
        (gost_esign_settings.gost_trusted_dir / "gost-root.pem").read_bytes()
    )
    inter = (gost_esign_settings.gost_root / "ca" / "gost-intermediate.pem").read_bytes()
    broken = bytearray(x509.load_pem_x509_certificate(inter).public_bytes(Encoding.DER))
    broken[-3] ^= 0x01  # inside the signature value, the last field of the certificate
    key_file = gost_esign_settings.gost_key(gost_citizen)
    leaf = x509.load_pem_x509_certificate(key_file.with_suffix("").with_suffix(".pem").read_bytes())
    store = TrustStore.from_certificates([root, x509.load_der_x509_certificate(bytes(broken))])
    with pytest.raises(SignatureError) as info:
        gostverifier.build_chain(leaf, [], store, leaf.not_valid_before_utc)
    assert info.value.code == "esign.untrusted_chain"


def test_rsa_ecdsa_and_gost_share_one_trust_folder(
    gost_esign_settings: PkiHelper, gost_citizen: str, settings: object, tmp_path: Path
) -> None:
    """R-X-2: as make_test_pki and an operator do, one folder holds the RSA and the GOST CAs
    (and one the CRLs of both): each signature finds its own chain."""
    trusted, crls = tmp_path / "trusted", tmp_path / "crl"
    trusted.mkdir()
    crls.mkdir()
    pki = gost_esign_settings
    for source, target in (
        (pki.trusted_dir, trusted),
        (pki.gost_trusted_dir, trusted),
        (pki.crl_dir, crls),
        (pki.gost_crl_dir, crls),
    ):
        for path in source.iterdir():
            (target / path.name).write_bytes(path.read_bytes())
    settings.ESIGN_TRUSTED_CA_DIR = str(trusted)  # type: ignore[attr-defined]
    settings.ESIGN_CRL_DIR = str(crls)  # type: ignore[attr-defined]
    ecdsa = verify(pki.sign(DOC, iin=pki.new_iin()), data=DOC, purpose=Purpose.AUTHENTICATION)
    assert ecdsa.signature_algorithm == "ecdsa-with-SHA256"
    with pytest.raises(SignatureError) as info:
        verify(pki.sign(DOC, p12=pki.special("revoked")), data=DOC, purpose=Purpose.AUTHENTICATION)
    assert info.value.code == "esign.revoked"
    cms = pki.sign(DOC, iin=gost_citizen, key_type="gost512")
    assert verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION).signer.iin == gost_citizen


KAT = Path(__file__).parent / "data" / "ncanode_cms_gost2015_test.b64"
KAT_SHA256 = "91ab4a777ac89038b4e03e204aabc4fc4b1669b36f193947e3b0b81123032142"


def kat_gost_signer_only() -> bytes:
    """The real KalkanCrypt CMS (data/README.md) with its GOST SignerInfo only (the RSA
    co-signer dropped; nothing else re-encoded)."""
    der = base64.b64decode(KAT.read_text().strip(), validate=True)
    assert hashlib.sha256(der).hexdigest() == KAT_SHA256
    register_asn1_oids()
    info = asn1_cms.ContentInfo.load(der)
    signed = info["content"]
    signed["signer_infos"] = asn1_cms.SignerInfos([signed["signer_infos"][0]])
    return info.dump()


def test_kat_real_nca_cms_verifies_with_our_byte_order() -> None:
    """R-X-2 (issue 12 known answer): a GOST 2015 CMS made by NCA's KalkanCrypt verifies with our
    byte order: messageDigest is Streebog-512 of the content, the signature over the signed
    attributes is good under the key of the NCA certificate it carries."""
    parsed = parse_cms(kat_gost_signer_only())
    assert parsed.content == b"test123"
    assert parsed.message_digest == gost.streebog512(b"test123")
    gostverifier.check_gost_algorithms(parsed)
    gostverifier.check_gost_signature_value(parsed, b"test123")  # raises if not
    key = gost.certificate_public_key(parsed.signer_certificate)
    digest = gost.streebog512(parsed.signed_attributes or b"")
    assert gost.verify_digest_reference(key, digest, parsed.signature)  # gostcrypto agrees


def test_kat_one_changed_bit_fails() -> None:
    """R-X-2: the same real signature with one bit changed does not verify."""
    parsed = parse_cms(kat_gost_signer_only())
    signature = bytearray(parsed.signature)
    signature[64] ^= 0x80
    key = gost.certificate_public_key(parsed.signer_certificate)
    digest = gost.streebog512(parsed.signed_attributes or b"")
    assert not gost.verify_digest(key, digest, bytes(signature))
    assert not gost.verify_digest_reference(key, digest, bytes(signature))


@pytest.mark.parametrize("corrupt", ["none", "signature", "digest", "key"])
def test_fast_path_agrees_with_gostcrypto(corrupt: str) -> None:
    """R-X-2 (issue 12, speed): the Jacobian-coordinate arithmetic of gost.py answers what
    gostcrypto answers, for a signature made by gostcrypto, intact or with one bit changed
    (1,000 vectors: bench/gost_crosscheck.py)."""
    d = gost.generate_private_key()
    public = gost.public_key_of(d)
    digest = gost.streebog512(corrupt.encode())
    engine = gostsignature.new(
        gostsignature.MODE_512,
        gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-12-512-paramSetA"],
    )
    raw = bytes(engine.sign(bytearray(d.to_bytes(64, "big")), bytearray(digest[::-1])))
    signature = raw[:64][::-1] + raw[64:][::-1]
    flip = {"signature": (signature, 70), "digest": (digest, 3), "key": (public, 100)}
    if corrupt in flip:
        value, index = flip[corrupt]
        changed = bytearray(value)
        changed[index] ^= 0x04
        signature, digest, public = (
            bytes(changed) if corrupt == "signature" else signature,
            bytes(changed) if corrupt == "digest" else digest,
            bytes(changed) if corrupt == "key" else public,
        )
    expected = corrupt == "none"
    assert gost.verify_digest(public, digest, signature) is expected
    assert gost.verify_digest_reference(public, digest, signature) is expected


def test_make_test_pki_layout_with_gost(tmp_path: Path, settings: object) -> None:
    """R-X-2: the full test PKI (as make_test_pki builds it) holds the GOST root and
    intermediate in trusted/, their GOST CRLs in crl/, special GOST keys, and a GOST pair per
    user whose signature verifies against that one folder."""
    folder = tmp_path / "pki"
    iin = make_iin(dt.date(1985, 6, 1), 3, 4242)
    build_test_pki(folder, password="pw", users=[UserSpec(iin, "ОМАРОВ", "МУРАТ")], gost=True)
    assert sorted(p.name for p in (folder / "trusted").iterdir()) == [
        "gost-intermediate.pem",
        "gost-root.pem",
        "intermediate.pem",
        "root.pem",
    ]
    assert sorted(p.name for p in (folder / "crl").iterdir()) == [
        "gost-intermediate.crl.pem",
        "gost-root.crl.pem",
        "intermediate.crl.pem",
        "root.crl.pem",
    ]
    assert sorted(p.name for p in (folder / "special" / "gost").glob("*.key.json")) == sorted(
        f"{name}.key.json" for name in GOST_SPECIAL_IINS
    )
    settings.ESIGN_TRUSTED_CA_DIR = str(folder / "trusted")  # type: ignore[attr-defined]
    settings.ESIGN_CRL_DIR = str(folder / "crl")  # type: ignore[attr-defined]
    settings.ESIGN_VERIFIERS = ["inprocess"]  # type: ignore[attr-defined]
    settings.DEBUG = False  # type: ignore[attr-defined]
    key = folder / "users" / iin / "gost" / "sign.key.json"
    cms = sign_cms_gost(DOC, key_file=key)
    result = verify(cms, data=DOC, purpose=Purpose.SIGNING)
    assert (result.signer.iin, result.signer.surname) == (iin, "ОМАРОВ")
