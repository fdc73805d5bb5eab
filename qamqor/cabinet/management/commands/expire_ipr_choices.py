"""`manage.py expire_ipr_choices` (R-POR-4): the daily sweep for cron. Measures whose 2-month
choice window ended yesterday or earlier become "term expired"."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qamqor.cabinet.services.orders import expire_measures


class Command(BaseCommand):
    help = "Close the supplier choice of IPR measures whose two-month window has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{expire_measures()} measure(s) expired.")
