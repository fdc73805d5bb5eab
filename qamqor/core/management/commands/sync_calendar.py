"""manage.py sync_calendar: load the working-day calendar (R-X-1) from the `holidays` package.

    manage.py sync_calendar                              # settings.CALENDAR_FIRST/LAST_YEAR
    manage.py sync_calendar --from-year 2031 --to-year 2031

Run it for a new year before terms reach it, and after upgrading the `holidays` package (new
government transfers, confirmed Kurban Ait dates). Rows an administrator set are never changed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qamqor.core.errors import DomainError
from qamqor.core.services import sync_calendar_days

# The holidays package knows Kazakhstan from 1991; our calendar needs no earlier year.
FIRST_SUPPORTED_YEAR = 1991
LAST_SUPPORTED_YEAR = 2100


class Command(BaseCommand):
    help = "Load the working-day calendar of Kazakhstan from the holidays package (R-X-1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from-year",
            type=int,
            default=None,
            help="first year to load (default: CALENDAR_FIRST_YEAR)",
        )
        parser.add_argument(
            "--to-year",
            type=int,
            default=None,
            help="last year to load (default: CALENDAR_LAST_YEAR, or --from-year if given)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        first = options["from_year"]
        last = options["to_year"]
        if first is None:
            first = settings.CALENDAR_FIRST_YEAR
            last = settings.CALENDAR_LAST_YEAR if last is None else last
        elif last is None:
            last = first
        for year in (first, last):
            if not FIRST_SUPPORTED_YEAR <= year <= LAST_SUPPORTED_YEAR:
                raise CommandError(
                    f"year {year} is outside {FIRST_SUPPORTED_YEAR}–{LAST_SUPPORTED_YEAR}"
                )
        if first > last:
            raise CommandError("--from-year must not be after --to-year")
        try:
            result = sync_calendar_days(first, last)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            f"Calendar {first}–{last}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.withdrawn} withdrawn, "
            f"{result.kept_admin} kept (set by an administrator)."
        )
        if result.estimated:
            dates = ", ".join(d.strftime("%d.%m.%Y") for d in result.estimated)
            self.stdout.write(
                self.style.WARNING(
                    f"Estimated by the library, to be confirmed by an administrator: {dates}"
                )
            )
