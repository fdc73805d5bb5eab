"""R-X-1: what the ``holidays`` package says about Kazakhstan, with our kk/ru/en names."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from qamqor.core.calendar.days import _DATE, ESTIMATE_MARK
from qamqor.core.models import CalendarDay


@dataclass(frozen=True)
class LibraryDay:
    """One calendar row as the ``holidays`` package gives it, with our kk/ru/en names."""

    date: dt.date
    is_working_day: bool
    kind: str
    name_kk: str
    name_ru: str
    name_en: str
    note: str = ""


# Our own names per holiday, keyed by the library's English name: the library has no Russian.
_HOLIDAY_NAMES: dict[str, tuple[str, str, str]] = {
    "New Year's Day": ("Жаңа жыл", "Новый год", "New Year"),
    "Orthodox Christmas": (
        "Православиелік Рождество",
        "Православное Рождество",
        "Orthodox Christmas",
    ),
    "International Women's Day": (
        "Халықаралық әйелдер күні",
        "Международный женский день",
        "International Women's Day",
    ),
    "Nowruz Holiday": ("Наурыз мейрамы", "Праздник Наурыз", "Nauryz"),
    "Kazakhstan's People Solidarity Holiday": (
        "Қазақстан халқының бірлігі мерекесі",
        "Праздник единства народа Казахстана",
        "Unity Day of the People of Kazakhstan",
    ),
    "Defender of the Fatherland Day": (
        "Отан Қорғаушы күні",
        "День защитника Отечества",
        "Defender of the Fatherland Day",
    ),
    "Victory Day": ("Жеңіс күні", "День Победы", "Victory Day"),
    "Capital Day": ("Астана күні", "День столицы", "Capital Day"),
    "Constitution Day": (
        "Қазақстан Республикасының Конституциясы күні",
        "День Конституции Республики Казахстан",
        "Constitution Day",
    ),
    "Republic Day": ("Республика күні", "День Республики", "Republic Day"),
    "First President Day": (
        "Қазақстан Республикасының Тұңғыш Президенті күні",
        "День Первого Президента Республики Казахстан",
        "First President Day",
    ),
    "Independence Day": ("Тәуелсіздік күні", "День Независимости", "Independence Day"),
    "Eid al-Adha": ("Құрбан айт", "Курбан айт", "Kurban Ait"),
}


def _holiday_names(base_en: str, year: int) -> tuple[str, str, str] | None:
    names = _HOLIDAY_NAMES.get(base_en)
    if names is not None and base_en == "Republic Day" and year >= 2026:
        # The holidays law renamed it from 2026 ("Қазақстан Республикасы күні").
        return ("Қазақстан Республикасы күні", "День Республики Казахстан", names[2])
    return names


def _trilingual(kk: str, ru: str, en: str) -> str:
    return f"kk: {kk}\nru: {ru}\nen: {en}"


_ESTIMATE_NOTE = f"{ESTIMATE_MARK} " + _trilingual(
    "holidays кітапханасы бұл күнді болжап есептеген. Ресми күн жарияланғанда растаңыз немесе "
    "түзетіңіз.",
    "Дата рассчитана библиотекой holidays приблизительно. Подтвердите или исправьте её, когда "
    "дата будет объявлена официально.",
    "The holidays package only estimates this date. Confirm or correct it once the official "
    "date is announced.",
)
_MOVED_NOTE = _trilingual(
    "Мереке демалыс күніне сәйкес келді: демалыс келесі жұмыс күніне ауыстырылды.",
    "Праздник совпал с выходным днём: выходной перенесён на следующий рабочий день.",
    "The holiday fell on a weekend: the day off moved to the next working day.",
)
_NOT_MOVED_NOTE = _trilingual(
    "Діни мереке: демалыс күніне сәйкес келсе де ауыстырылмайды (Еңбек кодексі, 84-бап).",
    "Религиозный праздник: при совпадении с выходным не переносится (Трудовой кодекс, ст. 84).",
    "Religious holiday: not moved when it falls on a weekend (Labour Code, art. 84).",
)

_SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d{2})/(\d{2})/(\d{4})\)$")
_SUFFIXES = (
    (" (observed, estimated)", True, True),
    (" (observed)", True, False),
    (" (estimated)", False, True),
)


def library_calendar_days(first_year: int, last_year: int) -> list[LibraryDay]:
    """R-X-1: the exceptions to the Monday–Friday week the ``holidays`` package knows for
    ``first_year..last_year``: holidays (also those on a weekend, for their names), days off
    moved from a holiday on a weekend, days off the government transferred and the weekend
    days it made working. Kurban Ait dates the library only estimates carry ``ESTIMATE_MARK``.
    """
    import holidays  # imported here: only the sync needs it

    years = range(first_year, last_year + 1)
    library = holidays.country_holidays("KZ", years=years, language="en_US")
    transfers: dict[dt.date, dt.date] = {}  # working weekend day → the day off it became
    days: list[LibraryDay] = []
    for day, names in sorted(library.items()):
        if day.year not in years:
            continue
        parts = [part.strip() for part in str(names).split(";")]
        found = [_library_part(day, part) for part in parts]
        for part in found:
            if part.transferred_from is not None:
                transfers[part.transferred_from] = day
        kinds = [p.kind for p in found]
        kind = (
            CalendarDay.Kind.HOLIDAY
            if CalendarDay.Kind.HOLIDAY in kinds
            else CalendarDay.Kind.MOVED_DAY_OFF
            if CalendarDay.Kind.MOVED_DAY_OFF in kinds
            else CalendarDay.Kind.TRANSFERRED_DAY_OFF
        )
        notes = [p.note for p in found if p.note]
        days.append(
            LibraryDay(
                date=day,
                is_working_day=False,
                kind=str(kind),
                name_kk="; ".join(p.names[0] for p in found),
                name_ru="; ".join(p.names[1] for p in found),
                name_en="; ".join(p.names[2] for p in found),
                note="\n".join(dict.fromkeys(notes)),
            )
        )
    for day in sorted(library.weekend_workdays):
        if day.year not in years:
            continue
        off = transfers.get(day)
        working_names: tuple[str, str, str]
        if off is None:
            working_names = ("Жұмыс күні", "Рабочий день", "Working day")
        else:
            when = off.strftime(_DATE)
            working_names = (
                f"Жұмыс күні (демалыс {when} күніне ауыстырылды)",
                f"Рабочий день (выходной перенесён на {when})",
                f"Working day (its day off moved to {when})",
            )
        days.append(
            LibraryDay(
                date=day,
                is_working_day=True,
                kind=str(CalendarDay.Kind.WORKING_WEEKEND),
                name_kk=working_names[0],
                name_ru=working_names[1],
                name_en=working_names[2],
                note=_trilingual(
                    "Үкімет демалыс күнін ауыстырды.",
                    "Перенос выходного дня постановлением Правительства.",
                    "A day off transferred by the government.",
                ),
            )
        )
    days.sort(key=lambda d: d.date)
    return days


@dataclass(frozen=True)
class _Part:
    kind: str
    names: tuple[str, str, str]
    note: str = ""
    transferred_from: dt.date | None = None


def _library_part(day: dt.date, name: str) -> _Part:
    match = _SUBSTITUTED.match(name)
    if match:
        month, dom, year = (int(g) for g in match.groups())
        worked = dt.date(year, month, dom)
        when = worked.strftime(_DATE)
        return _Part(
            kind=str(CalendarDay.Kind.TRANSFERRED_DAY_OFF),
            names=(
                f"Демалыс күні ({when} күнінен ауыстырылды)",
                f"Выходной день (перенесён с {when})",
                f"Day off (moved from {when})",
            ),
            note=_trilingual(
                "Үкімет демалыс күнін ауыстырды.",
                "Перенос выходного дня постановлением Правительства.",
                "A day off transferred by the government.",
            ),
            transferred_from=worked,
        )
    base, observed, estimated = name, False, False
    for suffix, is_observed, is_estimated in _SUFFIXES:
        if name.endswith(suffix):
            base, observed, estimated = name[: -len(suffix)], is_observed, is_estimated
            break
    names = _holiday_names(base, day.year) or (base, base, base)
    notes = []
    if estimated:
        notes.append(_ESTIMATE_NOTE)
    if observed:
        notes.append(_MOVED_NOTE)
    elif base in ("Orthodox Christmas", "Eid al-Adha") and day.weekday() >= 5:
        notes.append(_NOT_MOVED_NOTE)
    if base not in _HOLIDAY_NAMES:
        notes.append(
            _trilingual(
                "Qamqor-да бұл мерекенің атауы жоқ: атауларын толықтырыңыз.",
                "В Qamqor нет названий этого праздника: дополните их.",
                "Qamqor has no names for this holiday yet: complete them.",
            )
        )
    return _Part(
        kind=str(CalendarDay.Kind.MOVED_DAY_OFF if observed else CalendarDay.Kind.HOLIDAY),
        names=names,
        note="\n".join(notes),
    )
