"""The working-day calendar (R-X-1) and portal registration (R-SVC-6), on the real calendar:
the rows the data migration loaded from the `holidays` package, never mocked holidays."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import holidays
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qamqor.core import calendar
from qamqor.core.calendar import (
    ESTIMATE_MARK,
    Deadline,
    add_calendar_days,
    add_months,
    add_working_days,
    compute_deadline,
    is_working_day,
    next_working_day,
    portal_registration_date,
    working_days_between,
    working_days_in_year,
)
from qamqor.core.errors import DomainError
from qamqor.core.models import CalendarDay, DomainEvent
from qamqor.core.services import sync_calendar_days

pytestmark = pytest.mark.django_db

D = dt.date
ALMATY = ZoneInfo("Asia/Almaty")
UTC = dt.UTC


# --- The calendar of the years (R-X-1) -----------------------------------------------------------


@pytest.mark.parametrize(("year", "count"), [(2024, 249), (2025, 246), (2026, 247)])
def test_yearly_working_day_counts(year: int, count: int) -> None:
    """R-X-1: five-day week, holidays, moved and transferred days off (KZ-NOTES counts)."""
    assert working_days_in_year(year) == count


def test_nauryz_2025_and_its_moved_days_are_days_off() -> None:
    """R-X-1: Nauryz 21–23 March 2025 (Fri–Sun); the weekend days move to Mon 24 and Tue 25."""
    march = {d: is_working_day(D(2025, 3, d)) for d in range(20, 27)}
    assert march == {20: True, 21: False, 22: False, 23: False, 24: False, 25: False, 26: True}
    assert CalendarDay.objects.get(date=D(2025, 3, 24)).kind == CalendarDay.Kind.MOVED_DAY_OFF
    assert CalendarDay.objects.get(date=D(2025, 3, 21)).kind == CalendarDay.Kind.HOLIDAY


def test_nauryz_2026_starts_on_a_saturday_and_moves_two_days() -> None:
    """R-X-1: Nauryz 21–23 March 2026 (Sat–Mon): days off 21–25 March, Thursday 26 works."""
    march = {d: is_working_day(D(2026, 3, d)) for d in range(20, 27)}
    assert march == {20: True, 21: False, 22: False, 23: False, 24: False, 25: False, 26: True}


def test_new_year_2025_transfer_sunday_worked_friday_off() -> None:
    """R-X-1: 1–2 January 2025 holidays; Friday 3 January off, Sunday 5 January worked;
    7 January (Orthodox Christmas) off."""
    january = {d: is_working_day(D(2025, 1, d)) for d in range(1, 9)}
    assert january == {
        1: False,
        2: False,
        3: False,
        4: False,
        5: True,
        6: True,
        7: False,
        8: True,
    }
    assert CalendarDay.objects.get(date=D(2025, 1, 3)).kind == "transferred_day_off"
    sunday = CalendarDay.objects.get(date=D(2025, 1, 5))
    assert (sunday.kind, sunday.is_working_day, sunday.source) == (
        "working_weekend",
        True,
        "library",
    )


def test_religious_holidays_on_a_weekend_do_not_move() -> None:
    """R-X-1: 7 January and Kurban Ait are days off without a move (Sunday 7 January 2024)."""
    assert is_working_day(D(2024, 1, 7)) is False
    assert is_working_day(D(2024, 1, 8)) is True
    assert is_working_day(D(2024, 6, 16)) is False  # Kurban Ait 2024, a Sunday
    assert is_working_day(D(2024, 6, 17)) is True


def test_a_holiday_on_a_weekend_moves_the_day_off() -> None:
    """R-X-1: 8 March 2025 is a Saturday: Monday 10 March is the day off."""
    assert is_working_day(D(2025, 3, 10)) is False
    assert is_working_day(D(2025, 3, 11)) is True


def test_2024_saturday_4_may_worked_and_wednesday_8_may_off() -> None:
    """R-X-1: the government transfer of 2024."""
    assert is_working_day(D(2024, 5, 4)) is True
    assert is_working_day(D(2024, 5, 8)) is False


def test_kurban_ait_2025_is_confirmed_and_2026_is_an_estimate() -> None:
    """R-X-1: Kurban Ait 6 June 2025 (known); 27 May 2026 only estimated by the library, so
    its row says so for an administrator to confirm."""
    confirmed = CalendarDay.objects.get(date=D(2025, 6, 6))
    estimate = CalendarDay.objects.get(date=D(2026, 5, 27))
    assert (confirmed.name_en, confirmed.name_ru, confirmed.name_kk) == (
        "Kurban Ait",
        "Курбан айт",
        "Құрбан айт",
    )
    assert not confirmed.note.startswith(ESTIMATE_MARK)
    assert estimate.note.startswith(ESTIMATE_MARK)
    assert (is_working_day(D(2025, 6, 6)), is_working_day(D(2026, 5, 27))) == (False, False)
    entries = {d.date: d for d in calendar.days_off(2026)}
    assert entries[D(2026, 5, 27)].is_estimate is True
    assert {d.date: d for d in calendar.days_off(2025)}[D(2025, 6, 6)].is_estimate is False


def test_our_kazakh_names_agree_with_the_library() -> None:
    """R-X-1, R-X-4: our kk names of the holidays equal the library's Kazakh names."""
    library = holidays.country_holidays("KZ", years=range(2024, 2031), language="kk")
    labels = (" (қайта белгіленген демалыс, бағаланған)", " (қайта белгіленген демалыс)")
    labels += (" (бағаланған)",)
    mismatches = []
    for day, name in library.items():
        if name.startswith("Демалыс күні"):
            continue  # a government transfer: our own wording
        for label in labels:
            name = name.removesuffix(label)
        row = CalendarDay.objects.get(date=day)
        if row.name_kk != name:
            mismatches.append((day, row.name_kk, name))
    assert mismatches == []


def test_every_loaded_year_has_russian_names() -> None:
    """R-X-4: the library has no Russian names; every row has ours."""
    assert not CalendarDay.objects.filter(name_ru="").exists()
    assert not CalendarDay.objects.filter(note__contains="Qamqor has no names").exists()


# --- Counting terms (R-X-1) ----------------------------------------------------------------------


def test_spec_example_19_march_2025_plus_17_working_days() -> None:
    """R-X-1, R-SVC-6: registered Wed 19.03.2025 + 17 working days → Wed 16.04.2025."""
    assert add_working_days(D(2025, 3, 19), 17) == D(2025, 4, 16)


def test_2_january_2025_plus_3_counts_the_working_sunday() -> None:
    """R-X-1: Thu 02.01.2025 + 3 → Wed 08.01.2025 (Sun 5 and Mon 6 count, Tue 7 is off)."""
    assert add_working_days(D(2025, 1, 2), 3) == D(2025, 1, 8)


def test_term_begins_the_day_after_a_non_working_start() -> None:
    """R-X-1: an event on Saturday 22.03.2025 (Nauryz): the first working day is 26.03.2025."""
    assert add_working_days(D(2025, 3, 22), 1) == D(2025, 3, 26)
    assert next_working_day(D(2025, 3, 20)) == D(2025, 3, 26)
    assert next_working_day(D(2025, 3, 26)) == D(2025, 3, 27)


def test_counting_back() -> None:
    """R-SVC-6 hand-over / R-SVC-11 notice: N working days before a day."""
    assert add_working_days(D(2025, 4, 16), -1) == D(2025, 4, 15)
    assert add_working_days(D(2025, 3, 26), -1) == D(2025, 3, 20)
    assert add_working_days(D(2025, 3, 26), -3) == D(2025, 3, 18)
    assert add_working_days(D(2025, 3, 26), 0) == D(2025, 3, 26)


def test_working_days_between() -> None:
    """R-X-1: working days in (a, b]."""
    assert working_days_between(D(2025, 3, 19), D(2025, 4, 16)) == 17
    assert working_days_between(D(2025, 4, 16), D(2025, 3, 19)) == -17
    assert working_days_between(D(2025, 3, 20), D(2025, 3, 25)) == 0
    assert working_days_between(D(2025, 3, 20), D(2025, 3, 20)) == 0
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 246


def test_calendar_day_term_ending_on_a_holiday_moves_to_the_next_working_day() -> None:
    """R-X-1, R-QUE-5: 20.02.2025 + 30 calendar days = Sat 22.03.2025 (Nauryz) → 26.03.2025."""
    assert add_calendar_days(D(2025, 2, 20), 30) == D(2025, 3, 26)
    assert add_calendar_days(D(2025, 2, 1), 10) == D(2025, 2, 11)  # a Tuesday: no move


def test_month_term_ending_on_a_holiday_moves_to_the_next_working_day() -> None:
    """R-X-1, R-POR-4: 21.01.2025 + 2 months = Fri 21.03.2025 (Nauryz) → Wed 26.03.2025."""
    assert add_months(D(2025, 1, 21), 2) == D(2025, 3, 26)
    assert add_months(D(2025, 2, 8), 1) == D(2025, 3, 11)  # Sat 8 March, Mon 10 off
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)  # shorter month: its last day
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 30), 2) == D(2026, 1, 30)


# --- Explanations (R-X-1) ------------------------------------------------------------------------


def test_deadline_explains_itself_in_english() -> None:
    """R-X-1: every deadline shows its start, count, rule id and the days it skipped."""
    deadline = compute_deadline(D(2026, 3, 18), 17, "working_days", rule_id="R-SVC-6")
    assert deadline.due == D(2026, 4, 15)
    assert [d.date for d in deadline.skipped] == [D(2026, 3, d) for d in range(21, 26)]
    with translation.override("en"):
        assert deadline.explain() == (
            "17 working days from 18.03.2026, counted from the next day, end on 15.04.2026 "
            "(R-SVC-6). Days off skipped: 21–25.03.2026 Nauryz."
        )


def test_deadline_lists_the_transfer_and_the_working_sunday() -> None:
    """R-X-1: 2 Jan 2025 + 3: Friday 3 January skipped, Sunday 5 January counted."""
    deadline = compute_deadline(D(2025, 1, 2), 3, "working_days")
    assert [d.date for d in deadline.skipped] == [D(2025, 1, 3), D(2025, 1, 7)]
    assert [d.date for d in deadline.worked_weekends] == [D(2025, 1, 5)]
    with translation.override("en"):
        assert deadline.explain() == (
            "3 working days from 02.01.2025, counted from the next day, end on 08.01.2025. "
            "Days off skipped: 03.01.2025 Day off (moved from 05.01.2025); 07.01.2025 Orthodox "
            "Christmas. Weekend days that were working days and are counted: 05.01.2025 Working "
            "day (its day off moved to 03.01.2025)."
        )


def test_deadline_names_the_days_in_the_active_language() -> None:
    """R-X-4: the names of skipped days follow the language (kk default, ru)."""
    deadline = compute_deadline(D(2025, 3, 19), 17, "working_days", rule_id="R-SVC-6")
    with translation.override("ru"):
        assert "21–25.03.2025 Праздник Наурыз" in deadline.explain()
    with translation.override("kk"):
        assert "21–25.03.2025 Наурыз мейрамы" in deadline.explain()


def test_calendar_day_deadline_says_why_it_moved() -> None:
    """R-X-1: a calendar-day term that ends on a day off says which days it moved over."""
    deadline = compute_deadline(D(2025, 2, 20), 30, "calendar_days", rule_id="R-QUE-5")
    assert (deadline.nominal_due, deadline.due, deadline.moved) == (
        D(2025, 3, 22),
        D(2025, 3, 26),
        True,
    )
    with translation.override("en"):
        assert deadline.explain() == (
            "30 calendar days from 20.02.2025, counted from the next day, end on 26.03.2025 "
            "(R-QUE-5). The term would end on 22.03.2025, which is not a working day "
            "(22–25.03.2025 Nauryz), so it ends on the next working day, 26.03.2025."
        )


def test_month_deadline_moved_over_a_plain_weekend() -> None:
    """R-X-1, R-POR-4: 2 months from 14.04.2025 = Saturday 14.06.2025 → Monday 16.06.2025."""
    deadline = compute_deadline(D(2025, 4, 14), 2, "months", rule_id="R-POR-4")
    assert (deadline.nominal_due, deadline.due) == (D(2025, 6, 14), D(2025, 6, 16))
    assert [d.kind for d in deadline.moved_over] == ["weekend", "weekend"]
    with translation.override("en"):
        assert deadline.explain() == (
            "2 months from 14.04.2025 end on 16.06.2025 (R-POR-4). The term would end on "
            "14.06.2025, which is not a working day (14.06.2025 Saturday; 15.06.2025 Sunday), "
            "so it ends on the next working day, 16.06.2025."
        )


def test_deadline_round_trips_through_json() -> None:
    """R-X-1: a deadline is stored with its explanation facts in a JSONField."""
    deadline = compute_deadline(D(2025, 1, 2), 3, "working_days", rule_id="R-X-1")
    stored = json.loads(json.dumps(deadline.as_dict()))
    assert stored["due"] == "2025-01-08"
    assert stored["skipped"][0]["date"] == "2025-01-03"
    again = Deadline.from_dict(stored)
    assert again == deadline
    with translation.override("en"):
        assert again.explain() == deadline.explain()


# --- Portal registration (R-SVC-6, R-SVC-15) -----------------------------------------------------


@pytest.mark.parametrize(
    ("filed_at", "registered"),
    [
        # Wednesday 19 March 2025, Astana time.
        (dt.datetime(2025, 3, 19, 18, 29, 59, tzinfo=ALMATY), D(2025, 3, 19)),
        (dt.datetime(2025, 3, 19, 18, 30, tzinfo=ALMATY), D(2025, 3, 20)),
        (dt.datetime(2025, 3, 19, 3, 0, tzinfo=ALMATY), D(2025, 3, 19)),
        # Thursday 20 March after hours: Nauryz follows, next working day Wed 26 March.
        (dt.datetime(2025, 3, 20, 19, 0, tzinfo=ALMATY), D(2025, 3, 26)),
        # Saturday during Nauryz.
        (dt.datetime(2025, 3, 22, 10, 0, tzinfo=ALMATY), D(2025, 3, 26)),
        # Sunday 5 January 2025 was a working day.
        (dt.datetime(2025, 1, 5, 10, 0, tzinfo=ALMATY), D(2025, 1, 5)),
        # Friday 3 January 2025 was a day off.
        (dt.datetime(2025, 1, 3, 10, 0, tzinfo=ALMATY), D(2025, 1, 5)),
        # Aware UTC times are converted: 13:29 UTC = 18:29 Astana.
        (dt.datetime(2025, 3, 19, 13, 29, tzinfo=UTC), D(2025, 3, 19)),
        (dt.datetime(2025, 3, 19, 13, 30, tzinfo=UTC), D(2025, 3, 20)),
        # 19:10 UTC on Wednesday is 00:10 on Thursday in Astana: registered Thursday.
        (dt.datetime(2025, 3, 19, 19, 10, tzinfo=UTC), D(2025, 3, 20)),
        # A naive time is Astana time.
        (dt.datetime(2025, 3, 19, 18, 45), D(2025, 3, 20)),
    ],
)
def test_portal_filing_after_hours_or_on_a_day_off_is_registered_next_working_day(
    filed_at: dt.datetime, registered: dt.date
) -> None:
    """R-SVC-6, R-SVC-15: the portal works around the clock; after 18:30, on weekends and
    holidays a filing is registered on the next working day."""
    assert portal_registration_date(filed_at) == registered


def test_the_end_of_the_portal_working_day_is_a_setting(settings) -> None:
    """R-SVC-6: PORTAL_WORKDAY_END."""
    settings.PORTAL_WORKDAY_END = "18:00"
    assert portal_registration_date(dt.datetime(2025, 3, 19, 18, 15, tzinfo=ALMATY)) == D(
        2025, 3, 20
    )


def test_a_filing_now_on_a_holiday_evening() -> None:
    """R-SVC-6: with the clock frozen on Friday 21 March 2025 (Nauryz) at 20:00 Astana time,
    a filing now is registered on Wednesday 26 March, and its 17-day term ends on 18 April."""
    with time_machine.travel(dt.datetime(2025, 3, 21, 20, 0, tzinfo=ALMATY), tick=False):
        registered = portal_registration_date(timezone.now())
    assert registered == D(2025, 3, 26)
    assert add_working_days(registered, 17) == D(2025, 4, 18)


# --- Years outside the calendar ------------------------------------------------------------------


def test_a_year_that_is_not_loaded_is_refused_not_guessed() -> None:
    """R-X-1: no silent Monday–Friday guess for a year the calendar has no data for."""
    with pytest.raises(DomainError) as error:
        is_working_day(D(2031, 1, 1))
    assert (error.value.code, error.value.params) == ("calendar.year_not_loaded", {"year": 2031})
    with pytest.raises(DomainError) as error:
        add_working_days(D(2030, 12, 20), 17)
    assert error.value.params == {"year": 2031}
    with pytest.raises(DomainError) as error:
        add_working_days(D(2023, 6, 1), 1)
    assert error.value.params == {"year": 2023}
    # The last day of 2023 may start a term: only days after it are counted.
    assert add_working_days(D(2023, 12, 31), 1) == D(2024, 1, 3)


def test_sync_command_loads_a_later_year() -> None:
    """R-X-1: manage.py sync_calendar loads a new year; Kurban Ait is flagged as an estimate."""
    from io import StringIO

    out = StringIO()
    call_command("sync_calendar", "--from-year", "2031", "--to-year", "2031", stdout=out)
    assert is_working_day(D(2031, 1, 1)) is False
    assert working_days_in_year(2031) == sum(
        1
        for i in range(365)
        if (D(2031, 1, 1) + dt.timedelta(days=i)).weekday() < 5
        and not CalendarDay.objects.filter(
            date=D(2031, 1, 1) + dt.timedelta(days=i), is_working_day=False
        ).exists()
    )
    text = out.getvalue()
    assert "Calendar 2031–2031:" in text
    assert "Estimated by the library, to be confirmed by an administrator" in text
    event = DomainEvent.objects.get(verb="core.sync_calendar")
    assert event.subject_id == "2031-2031"


def test_sync_command_refuses_a_reversed_range() -> None:
    with pytest.raises(CommandError):
        call_command("sync_calendar", "--from-year", "2031", "--to-year", "2030")


def test_sync_is_idempotent() -> None:
    """R-X-1: re-syncing a loaded year changes nothing."""
    rows = CalendarDay.objects.filter(date__year=2025).count()
    result = sync_calendar_days(2025, 2025)
    assert (result.created, result.updated, result.withdrawn, result.kept_admin) == (0, 0, 0, 0)
    assert result.unchanged == rows


def test_sync_neutralises_a_library_row_the_library_no_longer_gives() -> None:
    """R-X-1: history forbids deleting; the stale row becomes an ordinary day."""
    CalendarDay.objects.create(
        date=D(2025, 6, 10),
        is_working_day=False,
        kind="holiday",
        name_kk="Ескі",
        name_ru="Старый",
        name_en="Old estimate",
        source="library",
    )
    assert is_working_day(D(2025, 6, 10)) is False
    result = sync_calendar_days(2025, 2025)
    assert result.withdrawn == 1
    row = CalendarDay.objects.get(date=D(2025, 6, 10))
    assert (row.is_working_day, row.name_en, row.source) == (True, "", "library")
    assert is_working_day(D(2025, 6, 10)) is True
    assert sync_calendar_days(2025, 2025).withdrawn == 0


# --- Speed ---------------------------------------------------------------------------------------


def test_counting_does_not_query_the_database_per_day(django_assert_num_queries) -> None:
    """R-X-1: the calendar is read once; later calls are pure computation."""
    add_working_days(D(2025, 1, 1), 1)
    with django_assert_num_queries(0):
        for n in range(1, 200):
            add_working_days(D(2024, 3, 1), n)
        working_days_between(D(2024, 1, 1), D(2030, 12, 31))
        is_working_day(D(2026, 3, 23))


# --- Properties (R-X-1) --------------------------------------------------------------------------

DAYS = st.dates(min_value=D(2024, 1, 1), max_value=D(2029, 9, 30))
COUNTS = st.integers(min_value=0, max_value=60)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(start=DAYS, n=st.integers(min_value=1, max_value=60))
def test_the_end_of_a_working_day_term_is_a_working_day(start: dt.date, n: int) -> None:
    """R-X-1: a term of N working days ends on a working day after the start."""
    due = add_working_days(start, n)
    assert is_working_day(due)
    assert due > start


@PROPERTY_SETTINGS
@given(start=DAYS, n=COUNTS)
def test_working_days_between_inverts_add_working_days(start: dt.date, n: int) -> None:
    """R-X-1: exactly N working days lie in (start, add_working_days(start, N)]."""
    assert working_days_between(start, add_working_days(start, n)) == n


@PROPERTY_SETTINGS
@given(start=DAYS, n=COUNTS)
def test_add_working_days_is_strictly_monotonic_in_n(start: dt.date, n: int) -> None:
    """R-X-1: one more working day never ends earlier."""
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@PROPERTY_SETTINGS
@given(start=DAYS, n=COUNTS)
def test_counting_back_undoes_counting_forward_from_a_working_day(start: dt.date, n: int) -> None:
    """R-X-1: from a working day, N forward then N back returns to it."""
    if is_working_day(start):
        assert add_working_days(add_working_days(start, n), -n) == start
    assert next_working_day(start) == add_working_days(start, 1)


@PROPERTY_SETTINGS
@given(start=DAYS, n=st.integers(min_value=1, max_value=60))
def test_calendar_day_terms_end_on_the_first_working_day_from_the_nominal_end(
    start: dt.date, n: int
) -> None:
    """R-X-1: a calendar-day term ends on start+N, or the next working day if that is off."""
    due = add_calendar_days(start, n)
    nominal = start + dt.timedelta(days=n)
    assert is_working_day(due)
    assert due >= nominal
    assert working_days_between(nominal - dt.timedelta(days=1), due) == 1
