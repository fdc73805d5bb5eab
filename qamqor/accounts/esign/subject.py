"""Who signed: the subject of an NCA RK certificate (R-X-2, KZ-NOTES "Electronic signature").

NCA profile: ``CN`` = "SURNAME NAME", ``SURNAME``, ``SERIALNUMBER`` = "IIN" + 12 digits,
``C=KZ``, ``GIVENNAME`` = the patronymic; organisations add ``O`` and ``OU`` = "BIN" + 12 digits
(some carry the BIN in ``SERIALNUMBER``). Role OIDs ``1.2.398.3.3.4.…`` are in the extended key
usage. A certificate alone grants no staff role: the roles here are what the CA says, for
later checks against what an administrator granted.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError

from qamqor.accounts.esign.errors import INVALID_BIN, INVALID_IIN, NO_IIN, SignatureError
from qamqor.core.identifiers import parse_bin, parse_iin

ROLE_ARC = "1.2.398.3.3.4"
ROLE_INDIVIDUAL = "1.2.398.3.3.4.1.1"
ROLE_ORGANIZATION = "1.2.398.3.3.4.1.2"
ROLE_FIRST_HEAD = "1.2.398.3.3.4.1.2.1"
ROLE_MAY_SIGN = "1.2.398.3.3.4.1.2.2"
ROLE_FINANCIAL = "1.2.398.3.3.4.1.2.3"
ROLE_HR = "1.2.398.3.3.4.1.2.4"
ROLE_EMPLOYEE = "1.2.398.3.3.4.1.2.5"

ROLE_SLUGS: dict[str, str] = {
    ROLE_INDIVIDUAL: "individual",
    ROLE_ORGANIZATION: "organization",
    ROLE_FIRST_HEAD: "first_head",
    ROLE_MAY_SIGN: "may_sign",
    ROLE_FINANCIAL: "financial",
    ROLE_HR: "hr",
    ROLE_EMPLOYEE: "employee",
}


@dataclass(frozen=True)
class Signer:
    """The person ("қол қоюшы") a certificate names, and the organisation when it has a BIN."""

    iin: str
    surname: str
    given_name: str
    patronymic: str
    common_name: str
    bin: str | None = None
    organization: str = ""
    country: str = ""
    email: str = ""
    role_oids: tuple[str, ...] = ()

    @property
    def is_organization(self) -> bool:
        return self.bin is not None

    @property
    def roles(self) -> tuple[str, ...]:
        """Slugs of the NCA role OIDs (``individual``, ``first_head``…); unknown ones skipped."""
        return tuple(ROLE_SLUGS[oid] for oid in self.role_oids if oid in ROLE_SLUGS)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


def _values(name: x509.Name, oid: x509.ObjectIdentifier) -> list[str]:
    return [str(a.value).strip() for a in name.get_attributes_for_oid(oid)]


def _first(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = _values(name, oid)
    return values[0] if values else ""


def _prefixed(values: list[str], prefix: str) -> list[str]:
    return [v[len(prefix) :].strip() for v in values if v.upper().startswith(prefix)]


def _given_name(common_name: str) -> str:
    # CN is "SURNAME NAME" in the NCA profile: the name is what follows the first word.
    return " ".join(common_name.split()[1:])


def extended_key_usage(cert: x509.Certificate) -> tuple[str, ...] | None:
    """The EKU OIDs, or None when the certificate has no EKU extension."""
    try:
        ext = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return None
    return tuple(oid.dotted_string for oid in ext.value)


def signer_from_certificate(cert: x509.Certificate) -> Signer:
    """Read the ``Signer`` from a certificate in the NCA profile (R-X-2).

    Refuses: no ``SERIALNUMBER`` "IIN…" (``esign.no_iin``); an IIN or a BIN that fails the
    R-X-3 checks (``esign.invalid_iin``, ``esign.invalid_bin``). The IIN is not compared with
    anything here: the caller decides whose IIN it must be.
    """
    subject = cert.subject
    serials = _values(subject, NameOID.SERIAL_NUMBER)
    iins = _prefixed(serials, "IIN")
    if not iins:
        raise SignatureError(NO_IIN, detail=f"subject {subject.rfc4514_string()}")
    if len(set(iins)) > 1:
        raise SignatureError(INVALID_IIN, detail=f"several IINs: {iins}")
    try:
        iin = parse_iin(iins[0]).value
    except ValidationError as exc:
        raise SignatureError(INVALID_IIN, detail=f"{iins[0]!r}: {exc.code}") from None

    bins = _prefixed(_values(subject, NameOID.ORGANIZATIONAL_UNIT_NAME), "BIN") or _prefixed(
        serials, "BIN"
    )
    bin_value: str | None = None
    if bins:
        if len(set(bins)) > 1:
            raise SignatureError(INVALID_BIN, detail=f"several BINs: {bins}")
        try:
            bin_value = parse_bin(bins[0]).value
        except ValidationError as exc:
            raise SignatureError(INVALID_BIN, detail=f"{bins[0]!r}: {exc.code}") from None

    common_name = _first(subject, NameOID.COMMON_NAME)
    surname = _first(subject, NameOID.SURNAME) or (common_name.split() or [""])[0]
    eku = extended_key_usage(cert) or ()
    return Signer(
        iin=iin,
        surname=surname,
        given_name=_given_name(common_name),
        patronymic=_first(subject, NameOID.GIVEN_NAME),
        common_name=common_name,
        bin=bin_value,
        organization=_first(subject, NameOID.ORGANIZATION_NAME),
        country=_first(subject, NameOID.COUNTRY_NAME),
        email=_first(subject, NameOID.EMAIL_ADDRESS),
        role_oids=tuple(oid for oid in eku if oid == ROLE_ARC or oid.startswith(ROLE_ARC + ".")),
    )
