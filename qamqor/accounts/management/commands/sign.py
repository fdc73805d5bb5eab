"""``manage.py sign``: sign a file with a PKCS#12 key or a GOST key file of the test PKI
(R-X-2, docs/esign.md)."""

from __future__ import annotations

import base64
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qamqor.accounts.esign.signer import sign_cms, sign_cms_gost


class Command(BaseCommand):
    help = (
        "Make a CMS (PKCS#7) signature of a file with a PKCS#12 key or a GOST 34.10-2015 key "
        "file of the test PKI; DER unless --base64."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        key = parser.add_mutually_exclusive_group(required=True)
        key.add_argument("--p12", help="PKCS#12 file with key and certificate (RSA, ECDSA)")
        key.add_argument("--gost-key", help="GOST key file of the test PKI (*.key.json)")
        parser.add_argument("--password", help="password of the PKCS#12 file")
        parser.add_argument(
            "--cert", help="with --gost-key: PEM certificate (+ CAs); default: the one it names"
        )
        parser.add_argument("--data", required=True, help="file to sign, or - for stdin")
        parser.add_argument("--attached", action="store_true", help="embed the data in the CMS")
        parser.add_argument("--out", default="-", help="output file (default: stdout)")
        parser.add_argument("--base64", action="store_true", help="write base64 instead of DER")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["data"]
        try:
            data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
            if options["gost_key"]:
                cms = sign_cms_gost(
                    data,
                    key_file=Path(options["gost_key"]),
                    cert_file=Path(options["cert"]) if options["cert"] else None,
                    detached=not options["attached"],
                )
            else:
                if options["password"] is None:
                    raise CommandError("--p12 needs --password")
                cms = sign_cms(
                    data,
                    p12=Path(options["p12"]),
                    password=options["password"],
                    detached=not options["attached"],
                )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if options["out"] != "-":
            Path(options["out"]).write_bytes(base64.b64encode(cms) if options["base64"] else cms)
        elif options["base64"]:
            self.stdout.write(base64.b64encode(cms).decode("ascii"))
        else:
            sys.stdout.buffer.write(cms)
            sys.stdout.buffer.flush()
