"""`manage.py import_recipients FILE [--format csv|json]` (R-SVC-2).

Reads recipient files of the state systems, prints every bad row with its line and field and
imports nothing when any row is bad; otherwise imports all in one transaction. Replaying a file
changes nothing (unchanged records are skipped). Columns: docs/applications.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qamqor.applications import imports
from qamqor.applications.services.recipients import import_recipients
from qamqor.core.importfiles import read_import_text


class Command(BaseCommand):
    help = "Import recipient files (the state systems' data, R-SVC-2) from CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the CSV or JSON file (UTF-8).")
        parser.add_argument("--format", choices=("csv", "json"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        fmt = options["format"] or path.suffix.lstrip(".").lower()
        if fmt not in ("csv", "json"):
            raise CommandError("Give --format csv or --format json.")
        text = read_import_text(path)
        rows, errors = (imports.parse_csv if fmt == "csv" else imports.parse_json)(text)
        if not errors:
            result = import_recipients(rows, source="import")
            errors = result.errors
        for error in sorted(errors, key=lambda e: (e.line or 0, e.code)):
            where = f"line {error.line}" if error.line else "file"
            field = f" [{error.field}]" if error.field else ""
            self.stderr.write(f"{where}: {error.iin} {error.message}{field} ({error.code})")
        if errors:
            raise CommandError(f"{len(errors)} error(s); nothing was imported.")
        self.stdout.write(
            f"{len(rows)} record(s): {result.count('created')} created, "
            f"{result.count('updated')} updated, {result.count('unchanged')} unchanged."
        )
