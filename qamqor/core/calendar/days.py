"""R-X-1: which days are working days, and the counting of terms on them.

The calendar rows are read once per process into an immutable snapshot, tagged with a version
token in Django's cache (see the package docstring of ``qamqor.core.calendar``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import translation
from django.utils.translation import gettext

from qamqor.core.errors import DomainError
from qamqor.core.models import CalendarDay

ALMATY = ZoneInfo("Asia/Almaty")  # all of Kazakhstan is UTC+5 since 1 March 2024

WEEKEND = "weekend"  # the kind of a plain Saturday or Sunday in explanations

# The note of a library row whose date the library only estimates (Kurban Ait after 2025).
ESTIMATE_MARK = "[estimate]"

_LANGUAGES = ("kk", "ru", "en")
_DATE = "%d.%m.%Y"  # how Kazakh and Russian write dates; unambiguous in English too


# --- What a day is -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayInfo:
    """One day of the calendar as people read it: date, kind and names in kk/ru/en."""

    date: dt.date
    kind: str  # a CalendarDay.Kind value, or WEEKEND for a plain Saturday/Sunday
    is_working_day: bool
    name_kk: str = ""
    name_ru: str = ""
    name_en: str = ""
    source: str = ""
    is_estimate: bool = False

    @property
    def name(self) -> str:
        """The name in the active language, falling back to kk, ru, en."""
        return _pick(
            {"kk": self.name_kk, "ru": self.name_ru, "en": self.name_en},
        )

    @property
    def kind_label(self) -> str:
        if self.kind == WEEKEND:
            return gettext("weekend")
        try:
            return str(CalendarDay.Kind(self.kind).label)
        except ValueError:
            return self.kind

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "is_working_day": self.is_working_day,
            "name_kk": self.name_kk,
            "name_ru": self.name_ru,
            "name_en": self.name_en,
            "source": self.source,
            "is_estimate": self.is_estimate,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DayInfo:
        return cls(
            date=dt.date.fromisoformat(data["date"]),
            kind=data["kind"],
            is_working_day=bool(data["is_working_day"]),
            name_kk=data.get("name_kk", ""),
            name_ru=data.get("name_ru", ""),
            name_en=data.get("name_en", ""),
            source=data.get("source", ""),
            is_estimate=bool(data.get("is_estimate", False)),
        )


_WEEKEND_NAMES = {
    5: ("Сенбі", "Суббота", "Saturday"),
    6: ("Жексенбі", "Воскресенье", "Sunday"),
}


def _plain_weekend(day: dt.date) -> DayInfo:
    kk, ru, en = _WEEKEND_NAMES[day.weekday()]
    return DayInfo(day, WEEKEND, False, kk, ru, en)


def _pick(values: Mapping[str, str]) -> str:
    lang = (translation.get_language() or "kk")[:2]
    for code in (lang, "kk", "ru", "en"):
        if values.get(code):
            return str(values[code])
    return ""


# --- The snapshot and its cache ------------------------------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    token: str | None
    loaded_at: float
    years: frozenset[int]  # years the library sync loaded
    off: frozenset[dt.date]  # rows with is_working_day=False
    work: frozenset[dt.date]  # rows with is_working_day=True
    days: Mapping[dt.date, DayInfo]  # rows that change or name a day
    workdays: tuple[dt.date, ...]  # the working days of the loaded years, ascending

    def is_working(self, day: dt.date) -> bool:
        if day in self.work:
            return True
        return day not in self.off and day.weekday() < 5

    def require_years(self, first: int, last: int) -> None:
        years = self.years
        if last - first <= 1 and first in years and last in years:
            return
        for year in range(first, last + 1):
            if year not in self.years:
                raise _year_not_loaded(year)

    def info(self, day: dt.date) -> DayInfo | None:
        found = self.days.get(day)
        if found is not None:
            return found
        if day.weekday() >= 5 and not self.is_working(day):
            return _plain_weekend(day)
        return None


CACHE_KEY = "qamqor:calendar:version"
_CHECK_SECONDS = 1.0  # how often a process asks the shared cache whether the calendar changed
_MAX_AGE_SECONDS = 300.0  # reload at the latest after this, for per-process caches
_DIRTY_ATTR = "_qamqor_calendar_changed_in"


class _State:
    snapshot: _Snapshot | None = None
    checked_at: float = 0.0
    # How many connections (threads) have an uncommitted calendar change: while none has, the
    # hot path does not need to look at the connection at all.
    marked: int = 0
    lock = threading.Lock()


_state = _State()


def _mark(connection: Any, block: Any) -> None:
    with _state.lock:
        if getattr(connection, _DIRTY_ATTR, None) is None:
            _state.marked += 1
        setattr(connection, _DIRTY_ATTR, block)


def _unmark(connection: Any) -> None:
    with _state.lock:
        if getattr(connection, _DIRTY_ATTR, None) is not None:
            _state.marked -= 1
        setattr(connection, _DIRTY_ATTR, None)


def _year_not_loaded(year: int) -> DomainError:
    return DomainError(
        "calendar.year_not_loaded",
        gettext(
            "The working-day calendar for %(year)s has not been loaded yet, so terms that reach "
            "that year cannot be counted. An administrator must load it (manage.py sync_calendar)."
        )
        % {"year": year},
        params={"year": year},
    )


def _current_token() -> str:
    token = cache.get(CACHE_KEY)
    if token is None:
        cache.add(CACHE_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(CACHE_KEY)
    return str(token)


def _load(token: str | None) -> _Snapshot:
    off: set[dt.date] = set()
    work: set[dt.date] = set()
    years: set[int] = set()
    days: dict[dt.date, DayInfo] = {}
    rows = CalendarDay.objects.order_by().values_list(
        "date", "is_working_day", "kind", "name_kk", "name_ru", "name_en", "source", "note"
    )
    for day, working, kind, name_kk, name_ru, name_en, source, note in rows:
        if source == CalendarDay.Source.LIBRARY:
            years.add(day.year)
        (work if working else off).add(day)
        named = bool(name_kk or name_ru or name_en)
        changes_day = working != (day.weekday() < 5)
        if named or changes_day:
            days[day] = DayInfo(
                date=day,
                kind=kind,
                is_working_day=working,
                name_kk=name_kk,
                name_ru=name_ru,
                name_en=name_en,
                source=source,
                is_estimate=source == CalendarDay.Source.LIBRARY and note.startswith(ESTIMATE_MARK),
            )
    workdays: list[dt.date] = []
    for year in sorted(years):
        day = dt.date(year, 1, 1)
        while day.year == year:
            if day in work or (day not in off and day.weekday() < 5):
                workdays.append(day)
            day += dt.timedelta(days=1)
    return _Snapshot(
        token=token,
        loaded_at=time.monotonic(),
        years=frozenset(years),
        off=frozenset(off),
        work=frozenset(work),
        days=days,
        workdays=tuple(workdays),
    )


def _snapshot() -> _Snapshot:
    if _state.marked:
        connection = transaction.get_connection()
        changed_in = getattr(connection, _DIRTY_ATTR, None)
        if changed_in is not None:
            if connection.atomic_blocks and connection.atomic_blocks[0] is changed_in:
                # This transaction changed the calendar and has not committed yet: read its own
                # writes, and never share what may still be rolled back.
                return _load(None)
            # The transaction ended: committed (and already announced) or rolled back. Either
            # way what this process holds may be wrong.
            _unmark(connection)
            _announce_change()
    now = time.monotonic()
    snap = _state.snapshot
    if snap is not None and now - _state.checked_at < _CHECK_SECONDS:
        return snap
    token = _current_token()  # read before loading: a change after this forces a reload later
    if snap is None or snap.token != token or now - snap.loaded_at > _MAX_AGE_SECONDS:
        snap = _load(token)
        _state.snapshot = snap
    _state.checked_at = now
    return snap


def _announce_change() -> None:
    cache.set(CACHE_KEY, uuid.uuid4().hex, timeout=None)
    _state.snapshot = None


def invalidate_calendar_cache() -> None:
    """Make every process reload the calendar once the current transaction commits.

    Called by every service that writes ``CalendarDay`` rows (and by a ``post_save`` receiver
    as a safety net). Inside a transaction the writer's own reads bypass the shared snapshot
    until the commit; outside one the change is announced at once.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        outermost = connection.atomic_blocks[0]
        _mark(connection, outermost)

        def committed() -> None:
            if getattr(connection, _DIRTY_ATTR, None) is outermost:
                _unmark(connection)
            _announce_change()

        transaction.on_commit(committed)
    else:
        _announce_change()


def _calendar_day_saved(sender: Any, **kwargs: Any) -> None:
    invalidate_calendar_cache()


post_save.connect(_calendar_day_saved, sender=CalendarDay, dispatch_uid="qamqor.calendar.saved")


# --- Working days (R-X-1) ------------------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    """R-X-1: is ``day`` a working day of the Labour Code calendar?

    Raises ``DomainError("calendar.year_not_loaded")`` for a year the calendar has no data for.
    """
    snap = _snapshot()
    snap.require_years(day.year, day.year)
    return snap.is_working(day)


def next_working_day(day: dt.date) -> dt.date:
    """R-X-1: the first working day strictly after ``day``."""
    return add_working_days(day, 1)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """R-X-1: the day a term of ``n`` working days started by an event on ``start`` ends.

    The term begins the day after ``start`` (which need not be a working day) and ends at the
    end of the ``n``-th working day after it: Wed 19.03.2025 + 17 → Wed 16.04.2025 (Nauryz
    21–25 March skipped); Thu 02.01.2025 + 3 → Wed 08.01.2025 (Friday 3 January off, Sunday
    5 January worked, 7 January Orthodox Christmas). A negative ``n`` counts back: the
    ``|n|``-th working day before ``start`` (``-1``: the last working day before it). ``n == 0``
    returns ``start``.
    """
    if n == 0:
        return start
    snap = _snapshot()
    workdays = snap.workdays
    years = snap.years
    if n > 0:
        index = bisect.bisect_right(workdays, start) + n - 1
        if index >= len(workdays):
            raise _year_not_loaded(_first_missing_year_after(snap, start))
        due = workdays[index]
        first = start.year + 1 if (start.month == 12 and start.day == 31) else start.year
        if first not in years or due.year - first > 1:
            snap.require_years(first, due.year)
        return due
    index = bisect.bisect_left(workdays, start) + n
    if index < 0:
        raise _year_not_loaded(_first_missing_year_before(snap, start))
    due = workdays[index]
    snap.require_years(due.year, (start - dt.timedelta(days=1)).year)
    return due


def _first_missing_year_after(snap: _Snapshot, start: dt.date) -> int:
    year = (start + dt.timedelta(days=1)).year
    while year in snap.years:
        year += 1
    return year


def _first_missing_year_before(snap: _Snapshot, start: dt.date) -> int:
    year = (start - dt.timedelta(days=1)).year
    while year in snap.years:
        year -= 1
    return year


def working_days_between(a: dt.date, b: dt.date) -> int:
    """R-X-1: the number of working days in ``(a, b]``; negative when ``b`` is before ``a``.

    ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n >= 0``.
    """
    if a == b:
        return 0
    if b < a:
        return -working_days_between(b, a)
    snap = _snapshot()
    snap.require_years((a + dt.timedelta(days=1)).year, b.year)
    workdays = snap.workdays
    return bisect.bisect_right(workdays, b) - bisect.bisect_right(workdays, a)


def working_days_in_year(year: int) -> int:
    """R-X-1: how many working days ``year`` has (2024: 249, 2025: 246, 2026: 247)."""
    return working_days_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))


def _roll_forward(day: dt.date) -> dt.date:
    return day if is_working_day(day) else next_working_day(day)


def add_calendar_days(start: dt.date, n: int) -> dt.date:
    """R-X-1: the end of a term of ``n`` calendar days started by an event on ``start``.

    The term begins the day after ``start``, so it ends on ``start + n`` days; when that day is
    not a working day it ends on the next working day (R-QUE-5: up to 30/10 calendar days).
    """
    return _roll_forward(start + dt.timedelta(days=n))


def _same_day_months_later(start: dt.date, n: int) -> dt.date:
    index = start.year * 12 + (start.month - 1) + n
    year, month0 = divmod(index, 12)
    month = month0 + 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(start.day, last_day))


def add_months(start: dt.date, n: int) -> dt.date:
    """R-X-1: the end of a term of ``n`` months started by an event on ``start``.

    It ends on the same day of the month ``n`` months later (the last day of that month when it
    is shorter: 31 January + 1 month → 28/29 February); when that day is not a working day it
    ends on the next working day (R-POR-4: 2 months; R-SVC-13: 1 month).
    """
    return _roll_forward(_same_day_months_later(start, n))


def portal_workday_end() -> dt.time:
    """R-SVC-6: when the portal's working day ends (setting PORTAL_WORKDAY_END, "HH:MM")."""
    value = str(getattr(settings, "PORTAL_WORKDAY_END", "18:30") or "18:30")
    try:
        return dt.time.fromisoformat(value)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"PORTAL_WORKDAY_END must be a time such as 18:30, not {value!r}"
        ) from exc


def portal_registration_date(filed_at: dt.datetime) -> dt.date:
    """R-SVC-6, R-SVC-15: the day an application filed on the portal at ``filed_at`` is registered.

    The portal accepts applications around the clock; one filed on a working day before the end
    of the working day (PORTAL_WORKDAY_END, default 18:30 Astana time) is registered that day,
    one filed at or after that time, on a weekend or on a holiday on the next working day. An
    aware ``filed_at`` is converted to Asia/Almaty; a naive one is taken as Asia/Almaty time.
    """
    local = filed_at.astimezone(ALMATY) if filed_at.tzinfo is not None else filed_at
    day = local.date()
    if is_working_day(day) and local.time() < portal_workday_end():
        return day
    return next_working_day(day)


def calendar_years() -> list[int]:
    """The years the calendar is loaded for, ascending."""
    return sorted(_snapshot().years)


def days_off(year: int) -> list[DayInfo]:
    """R-X-1: the holidays and weekday days off of ``year`` (holidays on a weekend included)."""
    snap = _snapshot()
    snap.require_years(year, year)
    return [
        info
        for day, info in sorted(snap.days.items())
        if day.year == year and not info.is_working_day
    ]


def working_weekend_days(year: int) -> list[DayInfo]:
    """R-X-1: the Saturdays and Sundays of ``year`` that are working days."""
    snap = _snapshot()
    snap.require_years(year, year)
    return [
        info
        for day, info in sorted(snap.days.items())
        if day.year == year and info.is_working_day and day.weekday() >= 5
    ]
