"""The reference data the migrations seed (territories, legal terms, calendar, professions),
loaded again by the migrations' own loaders. A flush after a transactional test (browser tests,
a transactional test elsewhere in the same database) may have removed it."""

from __future__ import annotations

import importlib


def reload_migration_reference_data() -> None:
    from django.apps import apps
    from django.conf import settings

    from qamqor.core.calendar import invalidate_calendar_cache
    from qamqor.core.models import CalendarDay, LegalTerm, Region
    from qamqor.core.services import sync_calendar_days
    from qamqor.specialists.models import Profession

    reference = importlib.import_module("qamqor.core.migrations.0002_reference_data")
    if not Region.objects.exists():
        reference.load_territories(apps, None)
    if not LegalTerm.objects.exists():
        reference.load_legal_terms(apps, None)
    if not CalendarDay.objects.exists():
        sync_calendar_days(settings.CALENDAR_FIRST_YEAR, settings.CALENDAR_LAST_YEAR)
        invalidate_calendar_cache()
    if not Profession.objects.exists():
        importlib.import_module("qamqor.specialists.migrations.0002_professions").seed(apps, None)
