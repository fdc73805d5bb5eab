"""``manage.py make_test_pki``: the development/test PKI with certificates for the demo users
(R-X-2; qamqor/accounts/esign/testpki.py). Never trusted when DEBUG is off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from qamqor.accounts.esign.testpki import DEFAULT_PASSWORD, UserSpec, build_test_pki
from qamqor.accounts.selectors import demo_users


def demo_user_specs() -> list[UserSpec]:
    """One ``UserSpec`` per demo user; organisation staff carry their organisation's BIN."""
    specs = []
    for user in demo_users():
        org = next(
            (a.organization for a in user.role_assignments.all() if a.organization is not None),
            None,
        )
        specs.append(
            UserSpec(
                iin=user.iin,
                surname=user.surname,
                given_name=user.given_name,
                patronymic=user.patronymic,
                bin=org.bin if org else None,
                org=org.name_ru or org.name_kk if org else "",
            )
        )
    return specs


class Command(BaseCommand):
    help = (
        "Build the test PKI (CAs, CRLs, a key pair per demo user, special certificates; "
        "GOST 34.10-2015 CAs and special keys unless --no-gost)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default=settings.ESIGN_TEST_PKI_DIR, help="target folder")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="of the .p12 files")
        parser.add_argument("--force", action="store_true", help="rebuild even if built")
        parser.add_argument(
            "--no-gost",
            action="store_true",
            help="skip the GOST 34.10-2015 CAs, CRLs and special keys",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["dir"])
        report = build_test_pki(
            folder,
            password=options["password"],
            users=demo_user_specs(),
            force=options["force"],
            gost=not options["no_gost"],
        )
        if not report.built:
            self.stdout.write(f"Test PKI already built in {folder}; use --force to rebuild.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Test PKI built in {folder}: {len(report.users)} demo users; "
                f"see {folder / 'README.txt'}."
            )
        )
