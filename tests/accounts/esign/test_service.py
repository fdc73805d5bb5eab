"""verify(): the whole check of an e-signature, in order (R-X-2)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from asn1crypto import cms as asn1_cms
from cryptography import x509

from qamqor.accounts.esign import Purpose, SignatureError, VerifiedSignature, verify
from qamqor.accounts.esign.testpki import make_bin
from tests.pki import PkiHelper

pytestmark = pytest.mark.django_db

DOC = "Өтініш / Заявление №1: кезекке қою".encode()


@pytest.fixture
def aigerim(esign_settings: PkiHelper) -> str:
    """An individual with her AUTH and signing keys from the trusted test CA."""
    iin = esign_settings.new_iin(dt.date(1990, 3, 15), 4)
    esign_settings.issue(iin, "Serikova", "Aigerim", "Nurlanovna")
    return iin


def _flip(der: bytes, part: bytes) -> bytes:
    index = der.index(part) + len(part) // 2
    return der[:index] + bytes([der[index] ^ 0x01]) + der[index + 1 :]


def _signature_value(der: bytes) -> bytes:
    info = asn1_cms.ContentInfo.load(der)
    return bytes(info["content"]["signer_infos"][0]["signature"].native)


@pytest.mark.parametrize("detached", [True, False])
def test_ecdsa_login_signature_is_accepted(
    esign_settings: PkiHelper, aigerim: str, detached: bool
) -> None:
    """R-X-2: a login signed with the AUTH key (ECDSA) of a trusted CA passes, attached or
    detached, and says who signed."""
    cms = esign_settings.sign(DOC, iin=aigerim, kind="auth", detached=detached)
    result = verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
    assert isinstance(result, VerifiedSignature)
    assert result.signer.iin == aigerim
    assert (result.signer.surname, result.signer.given_name, result.signer.patronymic) == (
        "SERIKOVA",
        "AIGERIM",
        "NURLANOVNA",
    )
    assert result.signer.common_name == "SERIKOVA AIGERIM"
    assert result.signer.bin is None
    assert result.content == DOC
    assert result.purpose is Purpose.AUTHENTICATION
    assert result.signature_algorithm == "ecdsa-with-SHA256"
    assert result.verifier == "inprocess"
    cert = x509.load_der_x509_certificate(result.certificate)
    assert result.certificate_serial == format(cert.serial_number, "x")
    assert result.certificate_issuer == "CN=Qamqor Test Issuing CA,C=KZ"
    assert result.signing_time.tzinfo is not None
    assert len(result.chain) == 3


def test_attached_signature_without_data_gives_the_content(
    esign_settings: PkiHelper, aigerim: str
) -> None:
    """R-X-2: an attached signature carries what was signed."""
    cms = esign_settings.sign(DOC, iin=aigerim, kind="sign", detached=False)
    assert verify(cms, purpose=Purpose.SIGNING).content == DOC


@pytest.mark.parametrize("detached", [True, False])
def test_rsa_signature_is_accepted_as_der_base64_and_pem(
    esign_settings: PkiHelper, detached: bool
) -> None:
    """R-X-2: an RSA-2048 key (sha256WithRSAEncryption) passes; the CMS may be DER, base64
    or PEM."""
    import base64

    cms = esign_settings.sign(DOC, p12=esign_settings.special("rsa_user"), detached=detached)
    b64 = base64.b64encode(cms).decode()
    pem = f"-----BEGIN CMS-----\n{b64}\n-----END CMS-----\n"
    for form in (cms, b64, pem):
        result = verify(form, data=DOC, purpose=Purpose.AUTHENTICATION)
        assert result.signature_algorithm == "sha256WithRSAEncryption"


def test_rsa_pss_signature_is_accepted(esign_settings: PkiHelper) -> None:
    """R-X-2: RSASSA-PSS signatures are verified too."""
    from qamqor.accounts.esign.signer import sign_cms

    cms = sign_cms(
        DOC, p12=esign_settings.special("rsa_user"), password=esign_settings.password, pss=True
    )
    assert verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION).signature_algorithm == (
        "rsassaPss-sha256"
    )


def test_organisation_signer_carries_bin_and_name(esign_settings: PkiHelper) -> None:
    """R-X-2: a staff certificate carries the organisation's BIN (OU) and name (O)."""
    iin = esign_settings.new_iin()
    bin_ = make_bin(dt.date(2001, 1, 1), 335)
    esign_settings.issue(iin, "Ospanov", "Daulet", bin=bin_, org="ТОО Қамқор")
    cms = esign_settings.sign(DOC, iin=iin, kind="sign")
    signer = verify(cms, data=DOC, purpose=Purpose.SIGNING).signer
    assert (signer.bin, signer.organization, signer.iin) == (bin_, "ТОО Қамқор", iin)


@pytest.mark.parametrize(
    ("special", "code"),
    [
        ("expired", "esign.expired"),
        ("not_yet_valid", "esign.not_yet_valid"),
        ("revoked", "esign.revoked"),
        ("foreign", "esign.untrusted_chain"),
        ("no_iin", "esign.no_iin"),
        ("signing_only", "esign.wrong_key_usage"),
    ],
)
def test_special_certificates_are_refused_with_their_own_code(
    esign_settings: PkiHelper, refused: object, special: str, code: str
) -> None:
    """R-X-2: expired, not yet valid, revoked, foreign-CA, IIN-less and signing-only keys are
    each refused for a login with their own code, and nothing is written."""
    cms = esign_settings.sign(DOC, p12=esign_settings.special(special))
    with refused(code):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)


def test_auth_key_cannot_sign_an_act(
    esign_settings: PkiHelper, aigerim: str, refused: object
) -> None:
    """R-X-2: the AUTH key (no emailProtection) cannot sign a legally significant act."""
    cms = esign_settings.sign(DOC, iin=aigerim, kind="auth")
    with refused("esign.wrong_key_usage"):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.SIGNING)


def test_wrong_key_usage_says_which_key_to_use(esign_settings: PkiHelper, aigerim: str) -> None:
    """R-X-2: the refusal tells the person to log in with the AUTH key."""
    cms = esign_settings.sign(DOC, iin=aigerim, kind="sign")
    with pytest.raises(SignatureError) as info:
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
    assert str(info.value.message) == (
        "This is not an authentication key. Log in with your authentication key (AUTH)."
    )


def test_tampered_content_is_refused(
    esign_settings: PkiHelper, aigerim: str, refused: object
) -> None:
    """R-X-2: one changed byte of the attached content: esign.bad_signature."""
    cms = esign_settings.sign(DOC, iin=aigerim, detached=False)
    with refused("esign.bad_signature"):  # type: ignore[operator]
        verify(_flip(cms, DOC), purpose=Purpose.AUTHENTICATION)


def test_other_data_for_a_detached_signature_is_refused(
    esign_settings: PkiHelper, aigerim: str, refused: object
) -> None:
    """R-X-2: a detached signature checked against changed data: esign.bad_signature."""
    cms = esign_settings.sign(DOC, iin=aigerim)
    with refused("esign.bad_signature"):  # type: ignore[operator]
        verify(cms, data=DOC + b".", purpose=Purpose.AUTHENTICATION)


def test_tampered_signature_value_is_refused(
    esign_settings: PkiHelper, aigerim: str, refused: object
) -> None:
    """R-X-2: one changed byte of the signature value: esign.bad_signature."""
    for p12 in (esign_settings.p12(aigerim), esign_settings.special("rsa_user")):
        cms = esign_settings.sign(DOC, p12=p12)
        tampered = _flip(cms, _signature_value(cms)[-8:])
        with refused("esign.bad_signature"):  # type: ignore[operator]
            verify(tampered, data=DOC, purpose=Purpose.AUTHENTICATION)


def test_attached_content_other_than_the_document_is_refused(
    esign_settings: PkiHelper, aigerim: str, refused: object
) -> None:
    """R-X-2: a valid signature of other content than the document: esign.content_mismatch."""
    cms = esign_settings.sign(b"something else", iin=aigerim, detached=False)
    with refused("esign.content_mismatch"):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)


def test_detached_signature_without_data_is_refused(
    esign_settings: PkiHelper, aigerim: str, refused: object
) -> None:
    """R-X-2: nothing to check a detached signature against: esign.no_content."""
    with refused("esign.no_content"):  # type: ignore[operator]
        verify(esign_settings.sign(DOC, iin=aigerim), purpose=Purpose.AUTHENTICATION)


@pytest.mark.parametrize("garbage", [b"", b"hello", "not base64 !!", b"\x30\x03\x02\x01\x00"])
def test_garbage_is_malformed(esign_settings: PkiHelper, refused: object, garbage: bytes) -> None:
    """R-X-2: what is not a CMS SignedData: esign.malformed."""
    with refused("esign.malformed"):  # type: ignore[operator]
        verify(garbage, data=DOC, purpose=Purpose.AUTHENTICATION)


def test_nothing_trusted_is_refused(
    esign_settings: PkiHelper, aigerim: str, settings: object, refused: object
) -> None:
    """R-X-2: no trusted root configured: esign.no_trusted_roots, never a pass."""
    settings.ESIGN_TRUSTED_CA_DIR = ""  # type: ignore[attr-defined]
    cms = esign_settings.sign(DOC, iin=aigerim)
    with refused("esign.no_trusted_roots"):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)


def test_no_verifier_configured_is_refused(
    esign_settings: PkiHelper, aigerim: str, settings: object, refused: object
) -> None:
    """R-X-2: ESIGN_VERIFIERS empty: esign.verifier_unavailable."""
    settings.ESIGN_VERIFIERS = []  # type: ignore[attr-defined]
    cms = esign_settings.sign(DOC, iin=aigerim)
    with refused("esign.verifier_unavailable"):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)


def test_validity_is_checked_at_the_signing_time(
    esign_settings: PkiHelper, aigerim: str, settings: object
) -> None:
    """R-X-2: an act signed while the key was valid still verifies after the key expired
    (validity is checked at the signing time; `at` is the moment of the check), as long as
    the signature is not older than ESIGN_MAX_SIGNATURE_AGE_SECONDS."""
    settings.ESIGN_MAX_SIGNATURE_AGE_SECONDS = 200 * 86400  # type: ignore[attr-defined]
    signed_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=300)
    with time_machine.travel(signed_at, tick=False):
        cms = esign_settings.sign(DOC, iin=aigerim, kind="sign")
    later = signed_at + dt.timedelta(days=100)  # the key expired meanwhile
    result = verify(cms, data=DOC, purpose=Purpose.SIGNING, at=later - dt.timedelta(hours=1))
    assert abs(result.signing_time - signed_at) < dt.timedelta(seconds=1)


def test_backdated_or_future_signing_time_is_refused(
    esign_settings: PkiHelper, aigerim: str, refused: object
) -> None:
    """R-X-2: a login whose signingTime is older than the nonce lifetime, or in the future,
    is refused (an expired key cannot be used by backdating)."""
    now = dt.datetime.now(dt.UTC)
    old = esign_settings.sign(DOC, iin=aigerim, signing_time=now - dt.timedelta(minutes=30))
    future = esign_settings.sign(DOC, iin=aigerim, signing_time=now + dt.timedelta(hours=1))
    with time_machine.travel(now, tick=False):
        with refused("esign.signing_time_too_old"):  # type: ignore[operator]
            verify(old, data=DOC, purpose=Purpose.AUTHENTICATION)
        with refused("esign.signing_time_in_future"):  # type: ignore[operator]
            verify(future, data=DOC, purpose=Purpose.AUTHENTICATION)


def test_trust_store_is_not_needed_for_debug_off_test_pki(
    esign_settings: PkiHelper, aigerim: str, settings: object, refused: object
) -> None:
    """R-X-2: with DEBUG off, the test PKI folder is not trusted by itself."""
    settings.ESIGN_TRUSTED_CA_DIR = ""  # type: ignore[attr-defined]
    settings.ESIGN_TEST_PKI_DIR = str(esign_settings.root)  # type: ignore[attr-defined]
    cms = esign_settings.sign(DOC, iin=aigerim)
    with refused("esign.no_trusted_roots"):  # type: ignore[operator]
        verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION)
    settings.DEBUG = True  # type: ignore[attr-defined]
    assert verify(cms, data=DOC, purpose=Purpose.AUTHENTICATION).signer.iin == aigerim
