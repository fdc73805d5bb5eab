"""The test PKI and `manage.py make_test_pki` (R-X-2)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.management import call_command

from qamqor.accounts.esign import Purpose, verify
from qamqor.accounts.esign.signer import load_p12, sign_cms
from qamqor.accounts.esign.testpki import SPECIAL_IINS
from qamqor.accounts.models import RoleAssignment
from qamqor.accounts.roles import Role
from qamqor.accounts.selectors import DEMO_EMAIL_DOMAIN
from tests.factories import OrganizationFactory, UserFactory


@pytest.mark.django_db
def test_make_test_pki_builds_everything_once(tmp_path: Path, settings: object) -> None:
    """R-X-2: CAs, trusted/, crl/, special certificates and an AUTH + signing key per demo
    user (staff with their organisation's BIN); run again it does nothing unless --force."""
    citizen = UserFactory(email=f"aigerim@{DEMO_EMAIL_DOMAIN}", patronymic="Нұрланқызы")
    staff = UserFactory(email=f"daulet@{DEMO_EMAIL_DOMAIN}")
    UserFactory(email="someone@example.kz")  # not a demo user: no certificate
    organization = OrganizationFactory()
    RoleAssignment.objects.create(
        user=staff, role=Role.ORGANIZATION_STAFF, organization=organization
    )
    folder = tmp_path / "pki"
    out = StringIO()
    call_command("make_test_pki", "--dir", str(folder), "--password", "pw", "--no-gost", stdout=out)
    assert "2 demo users" in out.getvalue()

    assert sorted(p.name for p in (folder / "trusted").iterdir()) == [
        "intermediate.pem",
        "root.pem",
    ]
    assert sorted(p.name for p in (folder / "crl").iterdir()) == [
        "intermediate.crl.pem",
        "root.crl.pem",
    ]
    assert sorted(p.stem for p in (folder / "special").iterdir()) == sorted(SPECIAL_IINS)
    assert sorted(p.name for p in (folder / "users").iterdir()) == sorted([citizen.iin, staff.iin])
    assert "NEVER trust it in production" in (folder / "README.txt").read_text()
    assert json.loads((folder / "pki.json").read_text())["password"] == "pw"

    cert = load_p12(folder / "users" / staff.iin / "sign.p12", "pw").cert
    assert cert is not None
    subject = cert.certificate.subject
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == (
        f"BIN{organization.bin}"
    )
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == f"IIN{staff.iin}"
    auth = load_p12(folder / "users" / citizen.iin / "auth.p12", "pw").cert
    assert auth is not None
    eku = auth.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert "1.3.6.1.5.5.7.3.2" in [oid.dotted_string for oid in eku]

    settings.ESIGN_TRUSTED_CA_DIR = str(folder / "trusted")  # type: ignore[attr-defined]
    settings.ESIGN_CRL_DIR = str(folder / "crl")  # type: ignore[attr-defined]
    cms = sign_cms(b"x", p12=folder / "users" / citizen.iin / "auth.p12", password="pw")
    assert verify(cms, data=b"x", purpose=Purpose.AUTHENTICATION).signer.iin == citizen.iin

    before = (folder / "ca" / "root.pem").read_bytes()
    out = StringIO()
    call_command("make_test_pki", "--dir", str(folder), stdout=out)
    assert "already built" in out.getvalue()
    assert (folder / "ca" / "root.pem").read_bytes() == before
    call_command("make_test_pki", "--dir", str(folder), "--force", stdout=StringIO())
    assert (folder / "ca" / "root.pem").read_bytes() != before


def test_issued_certificates_have_the_nca_profile(test_pki: object) -> None:
    """R-X-2: CN "SURNAME NAME", SURNAME, SERIALNUMBER IIN…, C=KZ, GIVENNAME patronymic."""
    from tests.pki import PkiHelper

    assert isinstance(test_pki, PkiHelper)
    iin = test_pki.new_iin()
    auth, sign = test_pki.issue(iin, "Serikova", "Aigerim", "Nurlanovna")
    cert = load_p12(sign, test_pki.password).cert
    assert cert is not None
    assert cert.certificate.subject.rfc4514_string() == (
        f"2.5.4.42=NURLANOVNA,C=KZ,2.5.4.5=IIN{iin},2.5.4.4=SERIKOVA,CN=SERIKOVA AIGERIM"
    )
    assert test_pki.issue(iin) == (auth, sign)  # cached
