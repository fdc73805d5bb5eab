"""``manage.py restore FILE``: into a fresh database, checked against the backup's manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qamqor.core.backup import BackupError, Target, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database (or --to URL),"
        " refusing a non-empty one without --force; then compare row counts and checksums."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the .dump or .sqlite3 file in var/backups")
        parser.add_argument(
            "--to",
            default="",
            help="target database URL (postgres://…/name or sqlite:////path); default: settings",
        )
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database that is not empty"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = Target.from_url(options["to"]) if options["to"] else Target.from_settings()
        try:
            problems = restore(Path(options["file"]), target, force=options["force"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if problems:
            raise CommandError("restored, but it differs from the backup:\n" + "\n".join(problems))
        self.stdout.write(f"restored into {target.name}: every table's rows and checksum match")
        if not options["to"]:
            # The cache holds what was read from the database before (the cabinet's entries are
            # keyed by history keys that the restored database hands out again).
            from django.core.cache import cache

            cache.clear()
            self.stdout.write("cache cleared")
