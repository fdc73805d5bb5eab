"""``manage.py sign``: sign a file with a PKCS#12 key (test PKI; R-X-2, docs/esign.md)."""

from __future__ import annotations

import base64
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qamqor.accounts.esign.signer import sign_cms


class Command(BaseCommand):
    help = "Make a CMS (PKCS#7) signature of a file with a PKCS#12 key; DER unless --base64."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--p12", required=True, help="PKCS#12 file with key and certificate")
        parser.add_argument("--password", required=True, help="password of the PKCS#12 file")
        parser.add_argument("--data", required=True, help="file to sign, or - for stdin")
        parser.add_argument("--attached", action="store_true", help="embed the data in the CMS")
        parser.add_argument("--out", default="-", help="output file (default: stdout)")
        parser.add_argument("--base64", action="store_true", help="write base64 instead of DER")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["data"]
        try:
            data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
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
