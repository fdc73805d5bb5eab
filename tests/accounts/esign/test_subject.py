"""Who signed: reading the NCA subject (R-X-2, R-X-3)."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from qamqor.accounts.esign import SignatureError
from qamqor.accounts.esign.subject import signer_from_certificate
from qamqor.accounts.esign.testpki import make_bin, make_iin

IIN = make_iin(dt.date(1985, 6, 1), 4, 1)
BIN = make_bin(dt.date(2010, 5, 1), 77)
KEY = ec.generate_private_key(ec.SECP256R1())


def certificate(*pairs: tuple[x509.ObjectIdentifier, str]) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(oid, value) for oid, value in pairs])
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(KEY.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(KEY, hashes.SHA256())
    )


def test_individual_subject() -> None:
    """R-X-2: CN "SURNAME NAME", SURNAME, SERIALNUMBER "IIN…", GIVENNAME = patronymic."""
    signer = signer_from_certificate(
        certificate(
            (NameOID.COMMON_NAME, "ӘБІЛОВА ДИНАРА"),
            (NameOID.SURNAME, "ӘБІЛОВА"),
            (NameOID.SERIAL_NUMBER, f"IIN{IIN}"),
            (NameOID.COUNTRY_NAME, "KZ"),
            (NameOID.GIVEN_NAME, "СЕРІКҚЫЗЫ"),
            (NameOID.EMAIL_ADDRESS, "dinara@example.kz"),
        )
    )
    assert (signer.iin, signer.surname, signer.given_name, signer.patronymic) == (
        IIN,
        "ӘБІЛОВА",
        "ДИНАРА",
        "СЕРІКҚЫЗЫ",
    )
    assert (signer.bin, signer.organization, signer.email) == (None, "", "dinara@example.kz")


@pytest.mark.parametrize(
    "bin_attr",
    [(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{BIN}"), (NameOID.SERIAL_NUMBER, f"BIN{BIN}")],
)
def test_organisation_bin_in_ou_or_serial_number(
    bin_attr: tuple[x509.ObjectIdentifier, str],
) -> None:
    """R-X-2: the BIN is read from OU "BIN…" (or SERIALNUMBER "BIN…", as some CAs write it)."""
    signer = signer_from_certificate(
        certificate(
            (NameOID.COMMON_NAME, "ОСПАНОВ ДӘУЛЕТ"),
            (NameOID.SERIAL_NUMBER, f"IIN{IIN}"),
            (NameOID.ORGANIZATION_NAME, "ТОО «Қамқор»"),
            bin_attr,
        )
    )
    assert (signer.bin, signer.organization, signer.is_organization) == (
        BIN,
        "ТОО «Қамқор»",
        True,
    )


@pytest.mark.parametrize(
    ("serial", "code"),
    [
        (None, "esign.no_iin"),
        ("BIN" + BIN, "esign.no_iin"),
        ("IIN123456789012", "esign.invalid_iin"),
    ],
)
def test_bad_iin_is_refused(serial: str | None, code: str) -> None:
    """R-X-2, R-X-3: no IIN, or an IIN failing the check digit, is refused."""
    pairs = [(NameOID.COMMON_NAME, "X Y")]
    if serial:
        pairs.append((NameOID.SERIAL_NUMBER, serial))
    with pytest.raises(SignatureError) as info:
        signer_from_certificate(certificate(*pairs))
    assert info.value.code == code


def test_bad_bin_is_refused() -> None:
    """R-X-3: a BIN failing the check digit is refused, not dropped."""
    with pytest.raises(SignatureError) as info:
        signer_from_certificate(
            certificate(
                (NameOID.SERIAL_NUMBER, f"IIN{IIN}"),
                (NameOID.ORGANIZATIONAL_UNIT_NAME, "BIN123456789012"),
            )
        )
    assert info.value.code == "esign.invalid_bin"
