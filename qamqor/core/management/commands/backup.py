"""``manage.py backup``: the configured database to ``var/backups`` (see qamqor.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qamqor.core.backup import BackupError, Target, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format, or SQLite's online backup) with a manifest."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dir", default=str(Path(settings.BASE_DIR) / "var" / "backups"), help="Folder."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(Target.from_settings(), Path(options["dir"]))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
