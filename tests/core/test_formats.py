"""Kazakh dates and numbers as Kazakhs write them (R-X-4; KZ-NOTES "Languages").

Django ships no ``kk`` formats; qamqor/formats/kk supplies them through FORMAT_MODULE_PATH.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

from qamqor.core.templatetags.qamqor_dates import format_long_date

NAURYZ = datetime.date(2026, 3, 22)
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def render(source: str, **context: object) -> str:
    return Template("{% load qamqor_dates %}" + source).render(Context(context))


# --- Formats used by django.utils.formats under kk -------------------------------------------


def test_kk_date_is_day_month_year_with_dots() -> None:
    """R-X-4: 22.03.2026, not Django's fallback "Наурыз 22, 2026"."""
    with translation.override("kk"):
        assert formats.date_format(NAURYZ) == "22.03.2026"
        assert formats.date_format(NAURYZ, "SHORT_DATE_FORMAT") == "22.03.2026"
        assert formats.date_format(datetime.date(2026, 1, 5)) == "05.01.2026"


def test_kk_datetime_and_time_use_the_24_hour_clock() -> None:
    moment = datetime.datetime(2026, 3, 22, 9, 5)
    with translation.override("kk"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "22.03.2026 09:05"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "22.03.2026 09:05"
        assert formats.time_format(datetime.time(18, 30)) == "18:30"
        assert formats.time_format(datetime.time(9, 5)) == "09:05"


def test_kk_year_month_and_month_day_stay_numeric() -> None:
    with translation.override("kk"):
        assert formats.date_format(NAURYZ, "YEAR_MONTH_FORMAT") == "03.2026"
        assert formats.date_format(NAURYZ, "MONTH_DAY_FORMAT") == "22.03"


def test_kk_week_starts_on_monday() -> None:
    with translation.override("kk"):
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


def test_kk_numbers_use_decimal_comma_and_non_breaking_space_thousands() -> None:
    with translation.override("kk"):
        assert (
            formats.number_format(Decimal("1234567.5"), decimal_pos=1, force_grouping=True)
            == "1\xa0234\xa0567,5"
        )
        assert formats.number_format(Decimal("0.25"), decimal_pos=2) == "0,25"


def test_kk_template_localizes_a_date_variable() -> None:
    with translation.override("kk"):
        assert render("{{ day }}", day=NAURYZ) == "22.03.2026"


def test_russian_keeps_djangos_own_formats() -> None:
    # Our format path has no "ru" package, so Django's Russian formats still apply.
    with translation.override("ru"):
        assert formats.date_format(NAURYZ, "SHORT_DATE_FORMAT") == "22.03.2026"
        assert formats.date_format(NAURYZ) == "22 марта 2026 г."


# --- The long_date filter ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "2026 жылғы 22 наурыз"),
        ("ru", "22 марта 2026 г."),
        ("en", "22 March 2026"),
    ],
)
def test_long_date_follows_the_active_language(language: str, expected: str) -> None:
    with translation.override(language):
        assert render("{{ day|long_date }}", day=NAURYZ) == expected


@pytest.mark.parametrize(
    ("month", "kk", "ru"),
    [
        (1, "қаңтар", "января"),
        (2, "ақпан", "февраля"),
        (3, "наурыз", "марта"),
        (4, "сәуір", "апреля"),
        (5, "мамыр", "мая"),
        (6, "маусым", "июня"),
        (7, "шілде", "июля"),
        (8, "тамыз", "августа"),
        (9, "қыркүйек", "сентября"),
        (10, "қазан", "октября"),
        (11, "қараша", "ноября"),
        (12, "желтоқсан", "декабря"),
    ],
)
def test_long_date_month_names(month: int, kk: str, ru: str) -> None:
    day = datetime.date(2026, month, 1)
    assert format_long_date(day, "kk") == f"2026 жылғы 1 {kk}"
    assert format_long_date(day, "ru") == f"1 {ru} 2026 г."


def test_long_date_with_a_fixed_language_ignores_the_active_one() -> None:
    with translation.override("kk"):
        assert render('{{ day|long_date:"ru" }}', day=NAURYZ) == "22 марта 2026 г."


def test_long_date_of_a_datetime_uses_the_local_calendar_day() -> None:
    # 21 March 20:30 UTC is already 22 March 01:30 in Astana (UTC+5).
    moment = datetime.datetime(2026, 3, 21, 20, 30, tzinfo=datetime.UTC)
    with translation.override("kk"):
        assert render("{{ moment|long_date }}", moment=moment) == "2026 жылғы 22 наурыз"
    assert moment.astimezone(ALMATY).date() == NAURYZ


def test_long_date_of_nothing_is_empty() -> None:
    with translation.override("kk"):
        assert render("[{{ missing|long_date }}]") == "[]"
        assert render("[{{ text|long_date }}]", text="22.03.2026") == "[]"


def test_long_date_falls_back_to_the_date_format_for_other_languages() -> None:
    with translation.override("de"):
        assert format_long_date(NAURYZ) == formats.date_format(NAURYZ)


# --- Input ------------------------------------------------------------------------------------


class DatesForm(forms.Form):
    day = forms.DateField()
    moment = forms.DateTimeField()


@pytest.mark.parametrize("typed", ["22.03.2026", "2026-03-22"])
def test_kk_date_field_accepts_dotted_and_iso_dates(typed: str) -> None:
    with translation.override("kk"):
        form = DatesForm({"day": typed, "moment": "22.03.2026 09:05"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == NAURYZ
    assert form.cleaned_data["moment"] == datetime.datetime(2026, 3, 22, 9, 5, tzinfo=ALMATY)


@pytest.mark.parametrize("typed", ["03/22/2026", "22.13.2026", "2026 жылғы 22 наурыз"])
def test_kk_date_field_refuses_other_shapes(typed: str) -> None:
    with translation.override("kk"):
        form = DatesForm({"day": typed, "moment": "22.03.2026 09:05"})
        assert not form.is_valid()
    assert list(form.errors) == ["day"]


def test_kk_date_field_redisplays_in_the_kazakh_format() -> None:
    with translation.override("kk"):
        html = str(DatesForm(initial={"day": NAURYZ})["day"])
    assert 'value="22.03.2026"' in html
