"""``manage.py purge_login_secrets``: enqueue (or, with --now, run) the daily sweep of expired login
challenges and one-time codes, for the operator's cron (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qamqor.accounts import services
from qamqor.accounts.tasks import purge_expired_login_secrets


class Command(BaseCommand):
    help = "Delete login challenges and one-time codes that expired more than a day ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run here instead of enqueuing")

    def handle(self, *args: Any, now: bool = False, **options: Any) -> None:
        if now:
            counts = services.purge_expired_login_secrets()
            self.stdout.write(
                f"deleted {counts['login_challenges']} login challenges and "
                f"{counts['one_time_codes']} one-time codes"
            )
        else:
            result = purge_expired_login_secrets.enqueue()
            self.stdout.write(f"enqueued task {result.id}")
