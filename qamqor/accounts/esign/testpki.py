"""A throw-away PKI shaped like NCA RK's, for development and tests only (R-X-2).

``build_test_pki(folder)`` writes::

    ca/root.pem ca/root.key.pem                RSA-2048 root ("Qamqor Test Root CA")
    ca/intermediate.pem ca/intermediate.key.pem RSA-2048 issuing CA, signs every user certificate
    ca/foreign-root.pem ca/foreign-root.key.pem an untrusted ECDSA CA (a "fake NCALayer")
    trusted/root.pem trusted/intermediate.pem  what ESIGN_TRUSTED_CA_DIR points at
    crl/intermediate.crl.pem crl/root.crl.pem  CRLs; the intermediate's revokes special/revoked
    users/<iin>/auth.p12 users/<iin>/sign.p12  per person (ECDSA P-256), see issue_user_certificates
    special/*.p12                              expired, revoked, not_yet_valid, foreign, no_iin,
                                               signing_only, rsa_user (RSA-2048, AUTH key)
    pki.json README.txt

Private keys of the CAs are stored unencrypted: nothing here may ever be trusted outside
DEBUG (``trust.configured_dirs`` adds the ``trusted/`` folder only then).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils import timezone

from qamqor.core.identifiers import check_digit

DEFAULT_PASSWORD = "qamqor-test"  # noqa: S105 - the documented password of a test PKI
MARKER = "pki.json"
ROLE_INDIVIDUAL = x509.ObjectIdentifier("1.2.398.3.3.4.1.1")
ROLE_EMPLOYEE = x509.ObjectIdentifier("1.2.398.3.3.4.1.2.5")

PrivateKey: TypeAlias = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class UserSpec:
    """Whom a pair of certificates is for."""

    iin: str
    surname: str
    given_name: str
    patronymic: str = ""
    bin: str | None = None
    org: str = ""


@dataclass
class BuildReport:
    folder: Path
    built: bool  # False: it was already there (and no force)
    users: list[str] = field(default_factory=list)  # IINs issued


def make_iin(birth: dt.date, sex_century: int, serial: int) -> str:
    """A valid IIN (R-X-3) for a date of birth, the 7th digit and a 4-digit serial."""
    for n in range(serial, serial + 100):
        prefix = f"{birth:%y%m%d}{sex_century}{n % 10000:04d}"
        digit = check_digit(prefix)
        if digit is not None:
            return prefix + str(digit)
    raise ValueError("no IIN for these digits")  # pragma: no cover


def make_bin(registered: dt.date, serial: int, entity_type: int = 4, unit_type: int = 0) -> str:
    """A valid BIN (R-X-3): registration year and month, entity and unit type, a serial."""
    for n in range(serial, serial + 100):
        prefix = f"{registered:%y%m}{entity_type}{unit_type}{n % 100000:05d}"
        digit = check_digit(prefix)
        if digit is not None:
            return prefix + str(digit)
    raise ValueError("no BIN for these digits")  # pragma: no cover


# The IINs of the special certificates (valid ones, so only the named defect is wrong).
SPECIAL_IINS = {
    "expired": make_iin(dt.date(1980, 1, 1), 3, 101),
    "revoked": make_iin(dt.date(1980, 1, 2), 3, 102),
    "not_yet_valid": make_iin(dt.date(1980, 1, 3), 3, 103),
    "foreign": make_iin(dt.date(1980, 1, 4), 3, 104),
    "no_iin": make_iin(dt.date(1980, 1, 5), 3, 105),
    "signing_only": make_iin(dt.date(1980, 1, 6), 4, 106),
    "rsa_user": make_iin(dt.date(1980, 1, 7), 4, 107),
}


def _ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(*pairs: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in pairs if value])


def _write_key(path: Path, key: PrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _ca_certificate(
    subject: x509.Name,
    key: PrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: PrivateKey,
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
    path_length: int | None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                issuer.public_key() if issuer else key.public_key()  # type: ignore[arg-type]
            ),
            critical=False,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _user_certificate(
    spec: UserSpec,
    kind: str,
    key: PrivateKey,
    ca: x509.Certificate,
    ca_key: PrivateKey,
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
    with_iin: bool = True,
) -> x509.Certificate:
    """An NCA-like AUTH (``kind="auth"``) or signing (``"sign"``) certificate."""
    subject = _name(
        (NameOID.COMMON_NAME, f"{spec.surname} {spec.given_name}".upper()),
        (NameOID.SURNAME, spec.surname.upper()),
        (NameOID.SERIAL_NUMBER, f"IIN{spec.iin}" if with_iin else ""),
        (NameOID.COUNTRY_NAME, "KZ"),
        (NameOID.ORGANIZATION_NAME, spec.org if spec.bin else ""),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{spec.bin}" if spec.bin else ""),
        (NameOID.GIVEN_NAME, spec.patronymic.upper()),
    )
    is_auth = kind == "auth"
    eku = [ExtendedKeyUsageOID.CLIENT_AUTH if is_auth else ExtendedKeyUsageOID.EMAIL_PROTECTION]
    eku.append(ROLE_EMPLOYEE if spec.bin else ROLE_INDIVIDUAL)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not is_auth,
                key_encipherment=is_auth and isinstance(key, rsa.RSAPrivateKey),
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage(eku), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )


def _p12(
    path: Path,
    key: PrivateKey,
    cert: x509.Certificate,
    cas: list[x509.Certificate],
    password: str,
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(2048)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password.encode())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(b"qamqor-test", key, cert, cas, encryption)
    )
    return path


def _load_key(path: Path) -> PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise TypeError(f"{path}: not an RSA or EC key")
    return key


def _load_cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def read_password(pki_dir: Path | str) -> str:
    """The password of the PKCS#12 files of a built test PKI."""
    return str(json.loads((Path(pki_dir) / MARKER).read_text())["password"])


def issue_user_certificates(
    pki_dir: Path | str,
    iin: str,
    surname: str,
    given_name: str,
    patronymic: str = "",
    bin: str | None = None,
    org: str = "",
    *,
    rsa_key: bool = False,
) -> tuple[Path, Path]:
    """Issue (or reissue) ``users/<iin>/auth.p12`` and ``sign.p12`` from the intermediate CA of
    a built test PKI, valid from yesterday for a year; returns their paths."""
    folder = Path(pki_dir)
    ca = _load_cert(folder / "ca" / "intermediate.pem")
    ca_key = _load_key(folder / "ca" / "intermediate.key.pem")
    root = _load_cert(folder / "ca" / "root.pem")
    password = read_password(folder)
    spec = UserSpec(iin, surname, given_name, patronymic, bin, org)
    now = timezone.now()
    paths = []
    for kind in ("auth", "sign"):
        key: PrivateKey = _rsa_key() if rsa_key else _ec_key()
        cert = _user_certificate(
            spec,
            kind,
            key,
            ca,
            ca_key,
            not_before=now - dt.timedelta(days=1),
            not_after=now + dt.timedelta(days=365),
        )
        paths.append(_p12(folder / "users" / iin / f"{kind}.p12", key, cert, [ca, root], password))
    return paths[0], paths[1]


def is_built(pki_dir: Path | str) -> bool:
    return (Path(pki_dir) / MARKER).is_file()


_README = """Qamqor TEST PKI — for development and automated tests only.
NEVER trust it in production.

Built {built} by `manage.py make_test_pki` (qamqor/accounts/esign/testpki.py).
Password of every .p12 file: {password}

ca/            root (RSA-2048), intermediate (RSA-2048) and an untrusted "foreign" CA, with
               their private keys (unencrypted)
trusted/       root + intermediate: the folder ESIGN_TRUSTED_CA_DIR points at (added
               automatically when DEBUG is on)
crl/           CRLs of the root and the intermediate; the intermediate's revokes
               special/revoked.p12
users/<IIN>/   auth.p12 (clientAuth: log in) and sign.p12 (emailProtection: sign acts),
               ECDSA P-256, NCA-like subject (CN, SURNAME, SERIALNUMBER=IIN…, C=KZ, GIVENNAME;
               organisation staff also O and OU=BIN…)
special/       expired, revoked, not_yet_valid, foreign (untrusted CA), no_iin,
               signing_only (no clientAuth), rsa_user (RSA-2048 AUTH key)

Sign a file:   manage.py sign --p12 users/<IIN>/sign.p12 --password {password} \\
                 --data FILE --out FILE.p7s
See docs/esign.md.
"""


def build_test_pki(
    pki_dir: Path | str,
    *,
    password: str = DEFAULT_PASSWORD,
    users: Iterable[UserSpec] = (),
    force: bool = False,
) -> BuildReport:
    """Build the whole test PKI into ``pki_dir`` (see the module docstring) and issue
    certificates for ``users``. Does nothing when it is already built, unless ``force``
    (which deletes what an earlier build wrote first)."""
    folder = Path(pki_dir)
    if is_built(folder) and not force:
        return BuildReport(folder=folder, built=False)
    for sub in ("ca", "trusted", "crl", "users", "special"):
        shutil.rmtree(folder / sub, ignore_errors=True)
    for sub in ("ca", "trusted", "crl", "users", "special"):
        (folder / sub).mkdir(parents=True, exist_ok=True)

    now = timezone.now()
    ca_from = now - dt.timedelta(days=5 * 365)
    ca_until = now + dt.timedelta(days=15 * 365)
    root_key = _rsa_key()
    root = _ca_certificate(
        _name((NameOID.COUNTRY_NAME, "KZ"), (NameOID.COMMON_NAME, "Qamqor Test Root CA")),
        root_key,
        None,
        root_key,
        not_before=ca_from,
        not_after=ca_until,
        path_length=1,
    )
    inter_key = _rsa_key()
    inter = _ca_certificate(
        _name((NameOID.COUNTRY_NAME, "KZ"), (NameOID.COMMON_NAME, "Qamqor Test Issuing CA")),
        inter_key,
        root,
        root_key,
        not_before=ca_from,
        not_after=ca_until,
        path_length=0,
    )
    foreign_key = _ec_key()
    foreign = _ca_certificate(
        _name((NameOID.COUNTRY_NAME, "KZ"), (NameOID.COMMON_NAME, "Not The Qamqor CA")),
        foreign_key,
        None,
        foreign_key,
        not_before=ca_from,
        not_after=ca_until,
        path_length=None,
    )
    for name, ca_cert, ca_key in (
        ("root", root, root_key),
        ("intermediate", inter, inter_key),
        ("foreign-root", foreign, foreign_key),
    ):
        (folder / "ca" / f"{name}.pem").write_bytes(_pem(ca_cert))
        _write_key(folder / "ca" / f"{name}.key.pem", ca_key)
    (folder / "trusted" / "root.pem").write_bytes(_pem(root))
    (folder / "trusted" / "intermediate.pem").write_bytes(_pem(inter))
    (folder / MARKER).write_text(
        json.dumps({"password": password, "built": now.isoformat()}, indent=2) + "\n"
    )

    year = dt.timedelta(days=365)
    day = dt.timedelta(days=1)
    special = folder / "special"
    windows = {
        "expired": (now - 2 * year, now - year),
        "not_yet_valid": (now + year, now + 2 * year),
    }
    revoked_serial = 0
    for name, iin in SPECIAL_IINS.items():
        spec = UserSpec(iin, "SPECIAL", name.replace("_", "-").upper(), "TESTOVICH")
        not_before, not_after = windows.get(name, (now - day, now + year))
        key: PrivateKey = _rsa_key() if name == "rsa_user" else _ec_key()
        issuer, issuer_key, chain = (
            (foreign, foreign_key, [foreign])
            if name == "foreign"
            else (inter, inter_key, [inter, root])
        )
        cert = _user_certificate(
            spec,
            "sign" if name == "signing_only" else "auth",
            key,
            issuer,
            issuer_key,
            not_before=not_before,
            not_after=not_after,
            with_iin=name != "no_iin",
        )
        if name == "revoked":
            revoked_serial = cert.serial_number
        _p12(special / f"{name}.p12", key, cert, chain, password)

    revoked = (
        x509.RevokedCertificateBuilder()
        .serial_number(revoked_serial)
        .revocation_date(now - day)
        .build()
    )
    for name, crl_ca, crl_key, entries in (
        ("intermediate", inter, inter_key, [revoked]),
        ("root", root, root_key, []),
    ):
        crl_builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(crl_ca.subject)
            .last_update(now - day)
            .next_update(now + 30 * day)
        )
        for entry in entries:
            crl_builder = crl_builder.add_revoked_certificate(entry)
        crl = crl_builder.sign(crl_key, hashes.SHA256())
        (folder / "crl" / f"{name}.crl.pem").write_bytes(
            crl.public_bytes(serialization.Encoding.PEM)
        )

    report = BuildReport(folder=folder, built=True)
    for user in users:
        issue_user_certificates(
            folder,
            user.iin,
            user.surname,
            user.given_name,
            user.patronymic,
            user.bin,
            user.org,
        )
        report.users.append(user.iin)
    (folder / "README.txt").write_text(
        _README.format(built=now.strftime("%Y-%m-%d %H:%M UTC"), password=password)
    )
    return report
