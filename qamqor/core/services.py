"""Writes to core's reference data: the working-day calendar (R-X-1).

* ``set_calendar_day``: an administrator's override of one day (extra day off, extra working
  day, the confirmed date of Kurban Ait). Administrator rows win over the library for good.
* ``sync_calendar_days``: load or refresh the rows the ``holidays`` package gives, for a range of
  years. Used by the data migration ``core.0003_seed_calendar`` (with the historical model) and
  by ``manage.py sync_calendar``. It never touches administrator rows.

Both tell the calendar to reload (``calendar.invalidate_calendar_cache``) once they commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from qamqor.core import calendar
from qamqor.core.audit import record_event
from qamqor.core.errors import DomainError, PermissionDeniedError
from qamqor.core.history import acting_as
from qamqor.core.models import CalendarDay

Kind = CalendarDay.Kind
Source = CalendarDay.Source

# Which kinds describe a working day and which a day off.
WORKING_KINDS = frozenset({Kind.WORKING_WEEKEND, Kind.EXTRA_WORKING_DAY})
DAY_OFF_KINDS = frozenset(
    {Kind.HOLIDAY, Kind.MOVED_DAY_OFF, Kind.TRANSFERRED_DAY_OFF, Kind.EXTRA_DAY_OFF}
)

CALENDAR_PERMISSION = "core.change_calendarday"

_FIELDS = ("is_working_day", "kind", "name_kk", "name_ru", "name_en", "source", "note")


def check_calendar_day(*, is_working_day: bool, kind: str, name_kk: str, name_ru: str) -> None:
    """R-X-1, R-X-4: refuse a calendar day whose kind contradicts it or that has no kk/ru name.

    Raises ``DomainError`` with code ``calendar.kind_mismatch`` (field ``kind``) or
    ``calendar.name_required`` (field ``name_kk`` / ``name_ru``).
    """
    try:
        kind_value = Kind(kind)
    except ValueError:
        raise DomainError(
            "calendar.kind_unknown", gettext("Choose the kind of the day."), field="kind"
        ) from None
    if is_working_day and kind_value not in WORKING_KINDS:
        raise DomainError(
            "calendar.kind_mismatch",
            gettext(
                "A working day must be of the kind “weekend day made a working day” or "
                "“extra working day”."
            ),
            field="kind",
        )
    if not is_working_day and kind_value not in DAY_OFF_KINDS:
        raise DomainError(
            "calendar.kind_mismatch",
            gettext(
                "A day off must be a public holiday, a moved or transferred day off, or an "
                "extra day off."
            ),
            field="kind",
        )
    if not name_kk.strip():
        raise DomainError(
            "calendar.name_required", gettext("Enter the name in Kazakh."), field="name_kk"
        )
    if not name_ru.strip():
        raise DomainError(
            "calendar.name_required", gettext("Enter the name in Russian."), field="name_ru"
        )


@transaction.atomic
def set_calendar_day(
    actor: Any,
    date: dt.date,
    *,
    is_working_day: bool,
    kind: str,
    name_kk: str,
    name_ru: str,
    name_en: str = "",
    note: str = "",
) -> CalendarDay:
    """R-X-1: an administrator sets one day of the calendar (creates or overrides its row).

    The row becomes ``source=admin`` and wins over the library from then on (a re-sync skips
    it). The change is kept in the row's history with ``actor``, recorded as the event
    ``core.set_calendar_day`` with the values before and after, and the calendar cache is
    invalidated on commit. Refuses (``DomainError``) an actor without the permission
    ``core.change_calendarday``, and the days ``check_calendar_day`` refuses.
    """
    if actor is None or not actor.has_perm(CALENDAR_PERMISSION):
        raise PermissionDeniedError(
            "calendar.forbidden", gettext("You may not change the working-day calendar.")
        )
    check_calendar_day(is_working_day=is_working_day, kind=kind, name_kk=name_kk, name_ru=name_ru)
    row = CalendarDay.objects.select_for_update().filter(date=date).first()
    before = {f: getattr(row, f) for f in _FIELDS} if row is not None else None
    if row is None:
        row = CalendarDay(date=date)
    row.is_working_day = is_working_day
    row.kind = str(Kind(kind))
    row.name_kk = name_kk.strip()
    row.name_ru = name_ru.strip()
    row.name_en = name_en.strip()
    row.note = note.strip()
    row.source = Source.ADMIN
    with acting_as(actor):
        row.save()
    after = {f: getattr(row, f) for f in _FIELDS}
    record_event(
        "core.set_calendar_day",
        row,
        actor=actor,
        data={"date": date.isoformat(), "before": before, "after": after},
    )
    calendar.invalidate_calendar_cache()
    return row


@dataclass(frozen=True)
class SyncResult:
    first_year: int
    last_year: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0  # library rows the library no longer gives, made neutral
    kept_admin: int = 0  # dates where an administrator's row wins
    estimated: tuple[dt.date, ...] = ()  # days off the library only estimates (Kurban Ait)


def _withdrawn_values(day: dt.date, row: Any) -> dict[str, Any]:
    """A library row the library no longer gives: history forbids deleting it, so it becomes
    neutral (the day is what the Monday–Friday rule says, with no name) and says why."""
    was = f"{row.kind}: {row.name_en or row.name_ru or row.name_kk}"
    weekday = day.weekday() < 5
    return {
        "is_working_day": weekday,
        "kind": str(Kind.EXTRA_WORKING_DAY if weekday else Kind.EXTRA_DAY_OFF),
        "name_kk": "",
        "name_ru": "",
        "name_en": "",
        "source": str(Source.LIBRARY),
        "note": f"Withdrawn by the holidays package (was {was}); an ordinary day.",
    }


def sync_calendar_days(first_year: int, last_year: int, *, model: Any = None) -> SyncResult:
    """R-X-1: load the calendar rows of the ``holidays`` package for ``first_year..last_year``.

    Creates missing rows and refreshes changed ones (``source=library``); dates an
    administrator set (``source=admin``) are left alone. A library row the library no longer
    gives (an estimated Kurban Ait that moved in a newer release) cannot be deleted (history),
    so it is made neutral. Idempotent. ``model`` is the historical ``CalendarDay`` inside a
    data migration (no history rows, no event there); by default the real model, with history
    and the event ``core.sync_calendar``.
    """
    if first_year > last_year:
        raise DomainError(
            "calendar.bad_year_range", gettext("The first year must not be after the last year.")
        )
    real = model is None
    Model = CalendarDay if real else model
    wanted = {d.date: d for d in calendar.library_calendar_days(first_year, last_year)}
    counts = {"created": 0, "updated": 0, "unchanged": 0, "withdrawn": 0, "kept_admin": 0}
    with transaction.atomic():
        existing = {
            row.date: row
            for row in Model.objects.filter(
                date__gte=dt.date(first_year, 1, 1), date__lte=dt.date(last_year, 12, 31)
            )
        }
        for day, lib in sorted(wanted.items()):
            values = {
                "is_working_day": lib.is_working_day,
                "kind": lib.kind,
                "name_kk": lib.name_kk,
                "name_ru": lib.name_ru,
                "name_en": lib.name_en,
                "source": str(Source.LIBRARY),
                "note": lib.note,
            }
            row = existing.get(day)
            if row is None:
                Model.objects.create(date=day, **values)
                counts["created"] += 1
            elif row.source == Source.ADMIN:
                counts["kept_admin"] += 1
            elif _apply(row, values):
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        for day, row in sorted(existing.items()):
            if day in wanted or row.source != Source.LIBRARY or _is_neutral(day, row):
                continue
            if _apply(row, _withdrawn_values(day, row)):
                counts["withdrawn"] += 1
        admin_dates = {d for d, row in existing.items() if row.source == Source.ADMIN}
        estimated = tuple(
            d
            for d, lib in sorted(wanted.items())
            if lib.note.startswith(calendar.ESTIMATE_MARK) and d not in admin_dates
        )
        result = SyncResult(first_year, last_year, estimated=estimated, **counts)
        if real:
            record_event(
                "core.sync_calendar",
                ("core.calendar", f"{first_year}-{last_year}"),
                data={k: v for k, v in asdict(result).items() if k != "estimated"}
                | {"estimated": [d.isoformat() for d in estimated]},
            )
        calendar.invalidate_calendar_cache()
    return result


def _is_neutral(day: dt.date, row: Any) -> bool:
    named = row.name_kk or row.name_ru or row.name_en
    return not named and row.is_working_day == (day.weekday() < 5)


def _apply(row: Any, values: dict[str, Any]) -> bool:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(row, name, values[name])
    row.save()
    return True
