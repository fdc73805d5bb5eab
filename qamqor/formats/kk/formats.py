"""Kazakh (``kk``) formats: dates and numbers as Kazakhs write them (R-X-4, KZ-NOTES "Languages").

Dates are written day.month.year with leading zeros (``22.03.2026``), times on the 24-hour clock,
the week starts on Monday, decimals take a comma and thousands a non-breaking space
(``1 234 567,5``). The full written date (``2026 жылғы 22 наурыз``) needs month names in lower
case, which Django's date format syntax cannot produce from its ``kk`` catalogue: the ``long_date``
template filter (qamqor.core.templatetags.qamqor_dates) writes it.

The *_FORMAT values use Django's date format syntax, the *_INPUT_FORMATS values strptime syntax.
"""

DATE_FORMAT = "d.m.Y"  # 22.03.2026
TIME_FORMAT = "H:i"  # 09:05
DATETIME_FORMAT = "d.m.Y H:i"  # 22.03.2026 09:05
# Month names would come out capitalised ("Наурыз"); Kazakh writes them in lower case, so the
# year-month and month-day forms stay numeric.
YEAR_MONTH_FORMAT = "m.Y"  # 03.2026
MONTH_DAY_FORMAT = "d.m"  # 22.03
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 22.03.2026, as people type it
    "%Y-%m-%d",  # 2026-03-22, what <input type="date"> and the API send
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M",  # 22.03.2026 09:05
    "%d.%m.%Y %H:%M:%S",  # 22.03.2026 09:05:30
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y",  # a date alone means midnight
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d",
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # 09:05
    "%H:%M:%S",
    "%H:%M:%S.%f",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space, so a number never breaks across lines
NUMBER_GROUPING = 3
