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

and, with ``gost=True`` or on the first GOST issuance, the GOST 34.10-2015 part
(``build_gost_test_pki``): a GOST root, intermediate (trusted), foreign root, CRLs, special
keys, and ``users/<iin>/gost/`` key files (JSON, see ``gost.write_key_file``).

Private keys of the CAs are stored unencrypted: nothing here may ever be trusted outside
DEBUG (``trust.configured_dirs`` adds the ``trusted/`` folder only then).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from asn1crypto import algos as asn1_algos
from asn1crypto import core as asn1_core
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils import timezone

from qamqor.accounts.esign import algorithms as alg
from qamqor.accounts.esign import gost
from qamqor.core.identifiers import check_digit

DEFAULT_PASSWORD = "qamqor-test"  # noqa: S105 - the documented password of a test PKI
#: A test user's certificate is valid from this long before the PKI is built (within the CAs'
#: five years): tests travel in time to fixed dates (a working-day rule on Friday 4 December
#: 2026, say) and sign there, and a certificate valid only from yesterday made them fail once
#: the calendar passed those dates.
USER_BACKDATE = dt.timedelta(days=4 * 365)
MARKER = "pki.json"
ROLE_INDIVIDUAL = x509.ObjectIdentifier("1.2.398.3.3.4.1.1")
ROLE_EMPLOYEE = x509.ObjectIdentifier("1.2.398.3.3.4.1.2.5")

PrivateKey: TypeAlias = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
KEY_TYPES = ("ecdsa", "rsa", "gost512")


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


def _key_id(public_key: object) -> bytes:
    return x509.SubjectKeyIdentifier.from_public_key(public_key).digest  # type: ignore[arg-type]


def _ca_builder(
    subject: x509.Name,
    public_key: object,
    issuer_name: x509.Name,
    *,
    ski: bytes,
    aki: bytes,
    not_before: dt.datetime,
    not_after: dt.datetime,
    path_length: int | None,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)  # type: ignore[arg-type]
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
        .add_extension(x509.SubjectKeyIdentifier(ski), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier(
                key_identifier=aki, authority_cert_issuer=None, authority_cert_serial_number=None
            ),
            critical=False,
        )
    )


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
    builder = _ca_builder(
        subject,
        key.public_key(),
        issuer.subject if issuer else subject,
        ski=_key_id(key.public_key()),
        aki=_key_id(issuer.public_key() if issuer else key.public_key()),
        not_before=not_before,
        not_after=not_after,
        path_length=path_length,
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _user_builder(
    spec: UserSpec,
    kind: str,
    public_key: object,
    ca_subject: x509.Name,
    *,
    ski: bytes,
    aki: bytes,
    not_before: dt.datetime,
    not_after: dt.datetime,
    with_iin: bool = True,
    key_encipherment: bool = False,
) -> x509.CertificateBuilder:
    """An NCA-like AUTH (``kind="auth"``) or signing (``"sign"``) certificate, unsigned."""
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
        .issuer_name(ca_subject)
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not is_auth,
                key_encipherment=is_auth and key_encipherment,
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
        .add_extension(x509.SubjectKeyIdentifier(ski), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier(
                key_identifier=aki, authority_cert_issuer=None, authority_cert_serial_number=None
            ),
            critical=False,
        )
    )


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
    return _user_builder(
        spec,
        kind,
        key.public_key(),
        ca.subject,
        ski=_key_id(key.public_key()),
        aki=_key_id(ca.public_key()),
        not_before=not_before,
        not_after=not_after,
        with_iin=with_iin,
        key_encipherment=isinstance(key, rsa.RSAPrivateKey),
    ).sign(ca_key, hashes.SHA256())


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
    key_type: str = "ecdsa",
) -> tuple[Path, Path]:
    """Issue (or reissue) ``users/<iin>/auth.p12`` and ``sign.p12`` from the intermediate CA of
    a built test PKI, valid from yesterday for a year; returns their paths.

    ``key_type``: ``"ecdsa"`` (P-256, the default), ``"rsa"`` (RSA-2048; ``rsa_key=True`` says
    the same) or ``"gost512"``: GOST 34.10-2015 512-bit from the GOST intermediate (built
    first if missing), returning ``users/<iin>/gost/auth.key.json`` and ``sign.key.json`` (the
    certificates are the ``.pem`` files beside them)."""
    key_type = "rsa" if rsa_key else key_type
    if key_type not in KEY_TYPES:
        raise ValueError(f"unknown key type {key_type!r}; one of {', '.join(KEY_TYPES)}")
    folder = Path(pki_dir)
    if key_type == "gost512":
        spec = UserSpec(iin, surname, given_name, patronymic, bin, org)
        return issue_gost_user_certificates(folder, spec)
    ca = _load_cert(folder / "ca" / "intermediate.pem")
    ca_key = _load_key(folder / "ca" / "intermediate.key.pem")
    root = _load_cert(folder / "ca" / "root.pem")
    password = read_password(folder)
    spec = UserSpec(iin, surname, given_name, patronymic, bin, org)
    now = timezone.now()
    paths = []
    for kind in ("auth", "sign"):
        key: PrivateKey = _rsa_key() if key_type == "rsa" else _ec_key()
        cert = _user_certificate(
            spec,
            kind,
            key,
            ca,
            ca_key,
            not_before=now - USER_BACKDATE,
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

GOST 34.10-2015 (512-bit, NCA's current keys), when built (make_test_pki does; otherwise
on the first GOST issuance): ca/gost-*.pem + .key.json, trusted/gost-root.pem and
gost-intermediate.pem, crl/gost-*.crl.pem, special/gost/<name>.key.json + <name>.pem,
users/<IIN>/gost/{{auth,sign}}.key.json + .pem. PKCS#12 cannot hold these keys here: a key
is a JSON file {{"format": "qamqor-test-gost-key/1", "curve", "private_key" (hex), "certificate"
(the .pem beside it: certificate, then its CAs)}}.
Sign with one:  manage.py sign --gost-key users/<IIN>/gost/sign.key.json --data FILE --out F.p7s

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
    gost: bool = False,
) -> BuildReport:
    """Build the whole test PKI into ``pki_dir`` (see the module docstring) and issue
    certificates for ``users``. Does nothing when it is already built, unless ``force``
    (which deletes what an earlier build wrote first). ``gost`` adds the GOST 2015 part
    (``build_gost_test_pki``) and a GOST pair per user (``users/<iin>/gost/``); without it, the
    GOST part is built on the first GOST issuance."""
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
        not_before, not_after = windows.get(name, (now - USER_BACKDATE, now + year))
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

    if gost:
        build_gost_test_pki(folder, force=True)
    report = BuildReport(folder=folder, built=True)
    for user in users:
        for key_type in ("ecdsa", "gost512") if gost else ("ecdsa",):
            issue_user_certificates(
                folder,
                user.iin,
                user.surname,
                user.given_name,
                user.patronymic,
                user.bin,
                user.org,
                key_type=key_type,
            )
        report.users.append(user.iin)
    (folder / "README.txt").write_text(
        _README.format(built=now.strftime("%Y-%m-%d %H:%M UTC"), password=password)
    )
    return report


# --- GOST 34.10-2015 (512-bit) part: NCA's current keys --------------------------------------
#
# ``cryptography`` can neither sign with GOST nor store GOST keys in PKCS#12, so a certificate
# is built with ``cryptography`` around a placeholder key, then its signature algorithm and
# public key are replaced with asn1crypto and the TBS is signed with ``gost.sign``. A GOST key
# is a JSON file beside its certificate's PEM (``gost.write_key_file``).

GOST_SPECIAL_IINS = {
    "expired": make_iin(dt.date(1981, 2, 1), 3, 201),
    "revoked": make_iin(dt.date(1981, 2, 2), 3, 202),
    "not_yet_valid": make_iin(dt.date(1981, 2, 3), 3, 203),
    "foreign": make_iin(dt.date(1981, 2, 4), 3, 204),
    "no_iin": make_iin(dt.date(1981, 2, 5), 3, 205),
    "signing_only": make_iin(dt.date(1981, 2, 6), 4, 206),
}
GOST_MARKER = "ca/gost-root.pem"
_placeholder_keys: list[ec.EllipticCurvePrivateKey] = []


def _placeholder() -> ec.EllipticCurvePrivateKey:
    if not _placeholder_keys:
        _placeholder_keys.append(_ec_key())
    return _placeholder_keys[0]


def _gost_key_id(public: bytes) -> bytes:
    return hashlib.sha1(public, usedforsecurity=False).digest()


def _gost_spki(public: bytes) -> bytes:
    """SubjectPublicKeyInfo of a GOST 2015 512-bit key as NCA writes it: the key OID with
    ``SEQUENCE { paramSetA-512, Streebog-512 }``, the X‖Y little-endian octets in an OCTET
    STRING inside the BIT STRING (as in the real certificate pinned in tests/.../data)."""
    parameters = asn1_core.Sequence(
        contents=asn1_core.ObjectIdentifier(alg.GOST2015_512_PARAMSET_A).dump()
        + asn1_core.ObjectIdentifier(alg.STREEBOG512).dump()
    )
    algorithm = asn1_core.Sequence(
        contents=asn1_core.ObjectIdentifier(alg.GOST2015_512_PUBLIC_KEY).dump() + parameters.dump()
    )
    bits = asn1_core.OctetBitString(asn1_core.OctetString(public).dump())
    return asn1_core.Sequence(contents=algorithm.dump() + bits.dump()).dump()


def _gost_signed(der: bytes, *, tbs_key: str, public: bytes | None, signer: int) -> bytes:
    """Re-sign a certificate (``tbs_key="tbs_certificate"``) or CRL (``"tbs_cert_list"``)
    built by ``cryptography`` with GOST: signature algorithm replaced in the TBS and the outer
    structure, subject public key replaced by ``public`` (certificates)."""
    alg.register_asn1_oids()
    is_cert = tbs_key == "tbs_certificate"
    outer_cls: type[asn1_core.Sequence] = (
        asn1_x509.Certificate if is_cert else asn1_crl.CertificateList
    )
    tbs_cls: type[asn1_core.Sequence] = (
        asn1_x509.TbsCertificate if is_cert else asn1_crl.TbsCertList
    )
    outer = outer_cls.load(der)
    tbs = outer[tbs_key]
    # NCA writes the signature AlgorithmIdentifier with NULL parameters.
    algorithm = asn1_algos.SignedDigestAlgorithm(
        {"algorithm": alg.GOST2015_512_SIGNATURE, "parameters": asn1_core.Null()}
    )
    tbs["signature"] = algorithm
    if public is not None:
        tbs["subject_public_key_info"] = asn1_keys.PublicKeyInfo.load(_gost_spki(public))
    tbs_der = tbs.dump()
    signature = gost.sign(signer, tbs_der)
    outer_sig_field = "signature_value" if is_cert else "signature"
    rebuilt = outer_cls(
        {
            tbs_key: tbs_cls.load(tbs_der),
            "signature_algorithm": algorithm,
            outer_sig_field: asn1_core.OctetBitString(signature),
        }
    )
    return rebuilt.dump()


def _gost_certificate(builder: x509.CertificateBuilder, public: bytes, signer: int) -> bytes:
    """``builder`` carries the placeholder's public key; ``public`` replaces it."""
    draft = builder.sign(_placeholder(), hashes.SHA256())
    return _gost_signed(
        draft.public_bytes(serialization.Encoding.DER),
        tbs_key="tbs_certificate",
        public=public,
        signer=signer,
    )


def _der_to_pem(der: bytes, label: str = "CERTIFICATE") -> bytes:
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return (f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n").encode()


@dataclass(frozen=True)
class _GostCa:
    cert: x509.Certificate
    der: bytes
    key: int
    key_id: bytes


def _write_gost_ca(folder: Path, name: str, der: bytes, key: int, key_id: bytes) -> _GostCa:
    (folder / "ca" / f"{name}.pem").write_bytes(_der_to_pem(der))
    gost.write_key_file(folder / "ca" / f"{name}.key.json", key, f"{name}.pem")
    return _GostCa(x509.load_der_x509_certificate(der), der, key, key_id)


def _read_gost_ca(folder: Path, name: str) -> _GostCa:
    key, cert_path = gost.read_key_file(folder / "ca" / f"{name}.key.json")
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    der = cert.public_bytes(serialization.Encoding.DER)
    return _GostCa(cert, der, key, _gost_key_id(gost.certificate_public_key(der)))


def _issue_gost_pair(
    path: Path,
    spec: UserSpec,
    kind: str,
    ca: _GostCa,
    chain: list[bytes],
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
    with_iin: bool = True,
) -> tuple[Path, int]:
    """``<path>.key.json`` and ``<path>.pem`` (certificate, then ``chain``); returns the key
    file and the certificate's serial number."""
    key = gost.generate_private_key()
    public = gost.public_key_of(key)
    builder = _user_builder(
        spec,
        kind,
        _placeholder().public_key(),
        ca.cert.subject,
        ski=_gost_key_id(public),
        aki=ca.key_id,
        not_before=not_before,
        not_after=not_after,
        with_iin=with_iin,
    )
    der = _gost_certificate(builder, public, ca.key)
    path.parent.mkdir(parents=True, exist_ok=True)
    cert_path = path.with_suffix(".pem")
    cert_path.write_bytes(b"".join(_der_to_pem(d) for d in (der, *chain)))
    key_file = gost.write_key_file(path.with_suffix(".key.json"), key, cert_path.name)
    return key_file, x509.load_der_x509_certificate(der).serial_number


def is_gost_built(pki_dir: Path | str) -> bool:
    return (Path(pki_dir) / GOST_MARKER).is_file()


GOST_SUBDIR = "gost"


def gost_pki_dir(pki_dir: Path | str) -> Path:
    """Where the GOST part of the test PKI at ``pki_dir`` lives: ``pki_dir`` itself (what
    ``make_test_pki`` builds, beside the RSA/ECDSA part), else its sub-folder ``gost/`` when
    that one is built (the test suite keeps it apart), else ``pki_dir`` (built there on the
    first GOST issuance). ``trust.configured_dirs`` trusts both places with DEBUG on."""
    folder = Path(pki_dir)
    if not is_gost_built(folder) and is_gost_built(folder / GOST_SUBDIR):
        return folder / GOST_SUBDIR
    return folder


def build_gost_test_pki(pki_dir: Path | str, *, force: bool = False) -> bool:
    """Add the GOST 2015 part to a built test PKI::

        ca/gost-root.pem, ca/gost-intermediate.pem, ca/gost-foreign-root.pem (+ .key.json)
        trusted/gost-root.pem trusted/gost-intermediate.pem
        crl/gost-intermediate.crl.pem (revokes special/gost/revoked), crl/gost-root.crl.pem
        special/gost/<name>.key.json + <name>.pem: expired, revoked, not_yet_valid, foreign,
            no_iin, signing_only (all AUTH keys but signing_only)

    Returns False when it was already there (and no ``force``)."""
    folder = Path(pki_dir)
    if is_gost_built(folder) and not force:
        return False
    for sub in ("ca", "trusted", "crl", "special"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    ca_from = now - dt.timedelta(days=5 * 365)
    ca_until = now + dt.timedelta(days=15 * 365)
    cas: dict[str, _GostCa] = {}
    for name, cn, parent, path_length in (
        ("gost-root", "Qamqor Test Root CA (GOST) 2015", None, 1),
        ("gost-intermediate", "Qamqor Test Issuing CA (GOST) 2015", "gost-root", 0),
        ("gost-foreign-root", "Not The Qamqor CA (GOST)", None, None),
    ):
        key = gost.generate_private_key()
        public = gost.public_key_of(key)
        key_id = _gost_key_id(public)
        subject = _name((NameOID.COUNTRY_NAME, "KZ"), (NameOID.COMMON_NAME, cn))
        issuer = cas[parent] if parent else None
        builder = _ca_builder(
            subject,
            _placeholder().public_key(),
            issuer.cert.subject if issuer else subject,
            ski=key_id,
            aki=issuer.key_id if issuer else key_id,
            not_before=ca_from,
            not_after=ca_until,
            path_length=path_length,
        )
        der = _gost_certificate(builder, public, issuer.key if issuer else key)
        cas[name] = _write_gost_ca(folder, name, der, key, key_id)
    root, inter, foreign = cas["gost-root"], cas["gost-intermediate"], cas["gost-foreign-root"]
    (folder / "trusted" / "gost-root.pem").write_bytes(_der_to_pem(root.der))
    (folder / "trusted" / "gost-intermediate.pem").write_bytes(_der_to_pem(inter.der))

    year = dt.timedelta(days=365)
    day = dt.timedelta(days=1)
    windows = {
        "expired": (now - 2 * year, now - year),
        "not_yet_valid": (now + year, now + 2 * year),
    }
    revoked_serial = 0
    for name, iin in GOST_SPECIAL_IINS.items():
        spec = UserSpec(iin, "GOST", name.replace("_", "-").upper(), "TESTOVICH")
        not_before, not_after = windows.get(name, (now - USER_BACKDATE, now + year))
        ca, chain = (
            (foreign, [foreign.der]) if name == "foreign" else (inter, [inter.der, root.der])
        )
        _, serial = _issue_gost_pair(
            folder / "special" / "gost" / name,
            spec,
            "sign" if name == "signing_only" else "auth",
            ca,
            chain,
            not_before=not_before,
            not_after=not_after,
            with_iin=name != "no_iin",
        )
        if name == "revoked":
            revoked_serial = serial

    revoked = (
        x509.RevokedCertificateBuilder()
        .serial_number(revoked_serial)
        .revocation_date(now - day)
        .build()
    )
    for name, crl_ca, entries in (
        ("gost-intermediate", inter, [revoked]),
        ("gost-root", root, []),
    ):
        crl_builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(crl_ca.cert.subject)
            .last_update(now - day)
            .next_update(now + 30 * day)
        )
        for entry in entries:
            crl_builder = crl_builder.add_revoked_certificate(entry)
        draft = crl_builder.sign(_placeholder(), hashes.SHA256())
        der = _gost_signed(
            draft.public_bytes(serialization.Encoding.DER),
            tbs_key="tbs_cert_list",
            public=None,
            signer=crl_ca.key,
        )
        (folder / "crl" / f"{name}.crl.pem").write_bytes(_der_to_pem(der, "X509 CRL"))
    return True


def issue_gost_user_certificates(folder: Path, spec: UserSpec) -> tuple[Path, Path]:
    """``users/<iin>/gost/auth.key.json`` and ``sign.key.json`` (+ ``.pem`` beside them),
    issued by the GOST intermediate (built first if missing), valid from yesterday for a year."""
    build_gost_test_pki(folder)
    inter = _read_gost_ca(folder, "gost-intermediate")
    root = _read_gost_ca(folder, "gost-root")
    now = timezone.now()
    paths = []
    for kind in ("auth", "sign"):
        key_file, _ = _issue_gost_pair(
            folder / "users" / spec.iin / "gost" / kind,
            spec,
            kind,
            inter,
            [inter.der, root.der],
            not_before=now - USER_BACKDATE,
            not_after=now + dt.timedelta(days=365),
        )
        paths.append(key_file)
    return paths[0], paths[1]
