"""Seed the working-day calendar (R-X-1) from the `holidays` package for the configured years.

Uses the same function as `manage.py sync_calendar` (qamqor.core.services.sync_calendar_days)
with the historical model, so it adds no history rows and no domain event. Later years and
library updates: `manage.py sync_calendar --from-year … --to-year …`.
"""

from django.conf import settings
from django.db import migrations


def seed_calendar(apps, schema_editor):
    from qamqor.core.services import sync_calendar_days

    sync_calendar_days(
        settings.CALENDAR_FIRST_YEAR,
        settings.CALENDAR_LAST_YEAR,
        model=apps.get_model("core", "CalendarDay"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_reference_data")]

    operations = [migrations.RunPython(seed_calendar, migrations.RunPython.noop)]
