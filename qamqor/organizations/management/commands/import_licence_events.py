"""`manage.py import_licence_events FILE [--format csv|json] [--dry-run]` (R-ORG-1).

Validates the whole file, prints every bad row with its line number and applies nothing when
any row is bad; otherwise applies all events in one transaction. Replaying a file changes
nothing (events already applied are skipped).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qamqor.core.importfiles import read_import_text
from qamqor.organizations import imports, services
from qamqor.organizations.models import LicenceEventSource


class Command(BaseCommand):
    help = "Import licence events (issued, reissued, suspended, terminated) from CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the CSV or JSON file (UTF-8).")
        parser.add_argument(
            "--format",
            choices=("csv", "json"),
            help="File format; by default taken from the file extension.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate only; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        fmt = options["format"] or path.suffix.lstrip(".").lower()
        if fmt not in ("csv", "json"):
            raise CommandError("Give --format csv or --format json.")
        text = read_import_text(path)
        parse = imports.parse_csv if fmt == "csv" else imports.parse_json
        events, errors = parse(text)
        result = services.apply_licence_events(
            events, source=LicenceEventSource.IMPORT, dry_run=True
        )
        errors = errors + result.errors
        if not errors and not options["dry_run"]:
            result = services.apply_licence_events(events, source=LicenceEventSource.IMPORT)
            errors = result.errors
        for error in sorted(errors, key=lambda e: (e.line or 0, e.code)):
            field = f" [{error.field}]" if error.field else ""
            event = f" {error.event_id}:" if error.event_id else ""
            self.stderr.write(f"{error.where()}:{event} {error.message}{field} ({error.code})")
        if errors:
            raise CommandError(f"{len(errors)} error(s); nothing was imported.")
        verb = "valid" if options["dry_run"] else "applied"
        self.stdout.write(
            f"{len(events)} event(s): {result.count(verb)} {verb.replace('_', ' ')}, "
            f"{result.count('already_applied')} already applied, "
            f"{result.count('duplicate_in_batch')} duplicate(s) in the file."
        )
