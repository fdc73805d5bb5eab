"""``manage.py sweep_specialist_deadlines``: enqueue (or, with --now, run) the daily deadline
sweep of the registry of specialists (issue 5 item 5), for the operator's cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qamqor.specialists import services
from qamqor.specialists.tasks import sweep_deadlines


class Command(BaseCommand):
    help = "Flag applications to the registry of specialists near or past their due date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run here instead of enqueuing")

    def handle(self, *args: Any, now: bool = False, **options: Any) -> None:
        if now:
            counts = dict(services.flag_due_applications())
            counts["digests"] = services.send_deadline_digest()
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
        else:
            result = sweep_deadlines.enqueue()
            self.stdout.write(f"enqueued task {result.id}")
