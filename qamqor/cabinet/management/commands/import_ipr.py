"""`manage.py import_ipr FILE [--format csv|json] [--dry-run]` (R-POR-3).

A file of IPR measures from E-Sobes: validated whole; every bad row is printed with its line and
nothing is applied when any row is bad; otherwise all rows are applied in one transaction and
each new measure notifies its person (R-POR-4). Replaying a file changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qamqor.cabinet import imports
from qamqor.cabinet.services.ipr_import import apply_ipr_rows
from qamqor.core.importfiles import read_import_text


class Command(BaseCommand):
    help = "Import IPR measures (individual rehabilitation programmes) from a CSV or JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the CSV or JSON file (UTF-8).")
        parser.add_argument("--format", choices=("csv", "json"))
        parser.add_argument("--dry-run", action="store_true", help="Validate only; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        fmt = options["format"] or path.suffix.lstrip(".").lower()
        if fmt not in ("csv", "json"):
            raise CommandError("Give --format csv or --format json.")
        text = read_import_text(path)
        rows, errors = (imports.parse_csv if fmt == "csv" else imports.parse_json)(text)
        result = apply_ipr_rows(rows, source="file", dry_run=bool(errors) or options["dry_run"])
        errors = errors + result.errors
        for error in sorted(errors, key=lambda e: (e.line or 0, e.code)):
            field = f" [{error.field}]" if error.field else ""
            self.stderr.write(f"{error.where()}: {error.message}{field} ({error.code})")
        if errors:
            raise CommandError(f"{len(errors)} error(s); nothing was imported.")
        self.stdout.write(
            f"{len(rows)} row(s): {result.count('applied')} applied, "
            f"{result.count('valid')} valid, {result.count('already_applied')} already applied, "
            f"{result.count('duplicate_in_batch')} duplicate(s) in the file."
        )
