"""The working-day calendar of Kazakhstan and the counting of terms (R-X-1).

**Which days are working days.** Monday to Friday, except the ``CalendarDay`` rows with
``is_working_day=False`` (public holidays, days off moved from a holiday on a weekend, days off
the government transfers, extra days off); Saturdays and Sundays are days off, except the
``CalendarDay`` rows with ``is_working_day=True`` (weekend days the government makes working,
such as Sunday 5 January 2025). The rows come from the ``holidays`` package (``source=library``,
loaded by ``services.sync_calendar_days``: the data migration and ``manage.py sync_calendar``)
and from administrators (``source=admin``, ``services.set_calendar_day``), whose rows win: a
library re-sync never touches them.

**How terms are counted** (R-X-1, the rule of Kazakh procedural law). A term begins on the day
*after* the event that starts it. A term of N working days ends at the end of the N-th working
day after that event (registered Wednesday 19 March 2025 + 17 working days → Wednesday 16 April
2025). A term in calendar days or months whose last day is not a working day ends on the next
working day.

**Speed.** The calendar rows are read once per process into an immutable snapshot (one query
for all years): ``add_working_days`` and ``working_days_between`` are a binary search over the
sorted working days, with no database query. The snapshot is tagged with a version token kept
in Django's cache; every write to the calendar (``services.set_calendar_day``, a sync, any
``CalendarDay.save()``) replaces the token once the transaction commits, and each process
checks the token at most once a second. Inside the transaction that changed the calendar the
functions read the database directly, so nothing uncommitted (or later rolled back) is ever
shared. With the per-process ``LocMemCache`` (no ``REDIS_URL``) other worker processes cannot
see a new token, so a snapshot is also reloaded after five minutes at the latest.

**Years outside the calendar.** A year counts as loaded when the library sync wrote rows for
it. Asking about a day of any other year raises ``DomainError("calendar.year_not_loaded")``
instead of silently treating every weekday as a working day; the functions stay read-only. An
administrator loads later years with ``manage.py sync_calendar --from-year … --to-year …``.

**Kurban Ait.** The library knows the first day of Kurban Ait only up to 2025; later dates are
its estimate. They are loaded as days off (the best available guess) with ``ESTIMATE_MARK`` at
the start of their note, so the admin list shows them and an administrator confirms or moves
them once the date is announced.
"""

# The package, one module per aggregate: ``days`` (which days are working days, the snapshot
# and its cache, the counting of terms), ``deadline`` (``Deadline``, ``compute_deadline``) and
# ``library`` (what the ``holidays`` package says, with our kk/ru/en names). Callers import
# from ``qamqor.core.calendar``; importing it imports ``days``, which connects the
# ``post_save`` receiver on ``CalendarDay`` (once: it has a ``dispatch_uid``).

from __future__ import annotations

from qamqor.core.calendar.days import (
    ALMATY,
    CACHE_KEY,
    ESTIMATE_MARK,
    WEEKEND,
    DayInfo,
    add_calendar_days,
    add_months,
    add_working_days,
    calendar_years,
    days_off,
    invalidate_calendar_cache,
    is_working_day,
    next_working_day,
    portal_registration_date,
    portal_workday_end,
    working_days_between,
    working_days_in_year,
    working_weekend_days,
)
from qamqor.core.calendar.days import _state as _state  # tests reset its check time
from qamqor.core.calendar.deadline import (
    CALENDAR_DAYS,
    MONTHS,
    WORKING_DAYS,
    Deadline,
    compute_deadline,
)
from qamqor.core.calendar.library import LibraryDay, library_calendar_days

__all__ = [
    "ALMATY",
    "CACHE_KEY",
    "CALENDAR_DAYS",
    "ESTIMATE_MARK",
    "MONTHS",
    "WEEKEND",
    "WORKING_DAYS",
    "DayInfo",
    "Deadline",
    "LibraryDay",
    "add_calendar_days",
    "add_months",
    "add_working_days",
    "calendar_years",
    "compute_deadline",
    "days_off",
    "invalidate_calendar_cache",
    "is_working_day",
    "library_calendar_days",
    "next_working_day",
    "portal_registration_date",
    "portal_workday_end",
    "working_days_between",
    "working_days_in_year",
    "working_weekend_days",
]
