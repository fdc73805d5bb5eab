"""Dates written out in full, as each language writes them (R-X-4, KZ-NOTES "Languages").

    {% load qamqor_dates %}
    {{ decision.decided_on|long_date }}       kk: 2026 жылғы 22 наурыз
                                              ru: 22 марта 2026 г.
                                              en: 22 March 2026
    {{ decision.decided_on|long_date:"ru" }}  a fixed language, e.g. in a Russian document

Django cannot produce the Kazakh form from a date format: its ``kk`` catalogue capitalises month
names and the year comes first with the suffix "жылғы". The Russian form needs the genitive
("марта"). The month names are grammar, not interface text, so they live here rather than in the
message catalogues, and the result does not depend on which catalogues are compiled.
"""

from __future__ import annotations

import datetime

from django import template
from django.conf import settings
from django.utils import formats, translation

register = template.Library()

_MONTHS: dict[str, tuple[str, ...]] = {
    # Kazakh months are common nouns: lower case inside a date.
    "kk": (
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ),
    # Russian: the genitive, as after a day number.
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

_PATTERNS: dict[str, str] = {
    "kk": "{year} жылғы {day} {month}",
    "ru": "{day} {month} {year} г.",
    "en": "{day} {month} {year}",
}


def _language(language: str | None) -> str:
    code = language or translation.get_language() or settings.LANGUAGE_CODE
    return code.split("-")[0].lower()


def format_long_date(value: datetime.date, language: str | None = None) -> str:
    """The full written date of ``value`` in ``language`` (default: the active language).

    A datetime is written by its own calendar date: convert aware datetimes to local time first
    (the template filter does). A language without a written form here falls back to the
    locale's DATE_FORMAT.
    """
    code = _language(language)
    if code not in _PATTERNS:
        return formats.date_format(value, "DATE_FORMAT")
    return _PATTERNS[code].format(
        year=value.year, day=value.day, month=_MONTHS[code][value.month - 1]
    )


@register.filter(expects_localtime=True)
def long_date(value: object, language: str | None = None) -> str:
    """``{{ value|long_date }}`` or ``{{ value|long_date:"kk" }}``; empty for a non-date."""
    if not isinstance(value, datetime.date):
        return ""
    return format_long_date(value, language)
