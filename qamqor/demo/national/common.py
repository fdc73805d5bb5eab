"""Shared parts of the synthetic country: identifiers, names, the bulk row writer.

Everything is deterministic for a given seed: identifiers come from fixed serial blocks walked
in a fixed order, names and dates from a ``random.Random(seed)``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.core.management.color import no_style
from django.db import connection, models

from qamqor.core.identifiers import check_digit

M = TypeVar("M", bound=models.Model)

# Serial blocks (digits 8–11 of an IIN) of each kind of synthetic person, 400 serials each, far
# from the ones the demo, the tests and the older per-feature bench builders use (5000–5039,
# 9000–9899). One block holds ~9,000,000 valid IINs over 1940–2009.
IIN_BLOCKS = {
    "specialist": 1000,
    "person": 1400,  # persons with disabilities and an IPR (cabinet); 800 serials
    "recipient": 2200,
    "stay": 2600,
    "queue": 3000,
    "bench_recipient": 3400,  # recipients of bench/applications_data.py (source "bench")
}
BLOCK_SIZE = {"person": 800}
BIRTH_FROM = dt.date(1940, 1, 1)
BIRTH_DAYS = (dt.date(2009, 12, 31) - BIRTH_FROM).days + 1


def iin_for(birth: dt.date, female: bool, serial: int) -> str | None:
    """The IIN of a person born on `birth` with that serial, or None (no check digit exists)."""
    century = (3 if birth.year < 2000 else 5) + (1 if female else 0)
    prefix = f"{birth:%y%m%d}{century}{serial:04d}"
    digit = check_digit(prefix)
    return None if digit is None else prefix + str(digit)


def _weighted(digits: str, offset: int) -> tuple[int, int]:
    """Partial sums of the two IIN/BIN weightings for `digits` starting at position `offset`."""
    w1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
    w2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
    a = sum(int(d) * w1[offset + i] for i, d in enumerate(digits))
    b = sum(int(d) * w2[offset + i] for i, d in enumerate(digits))
    return a, b


def synthetic_people(
    kind: str, *, birth_from: dt.date = BIRTH_FROM, birth_until: dt.date | None = None
) -> Iterator[tuple[str, dt.date, bool]]:
    """(IIN, birth date, female) of the people of `kind`, always in the same order: birth dates
    over 1940–2009 (a prime stride spreads consecutive people over the whole span), then the
    next serial of the kind's block. Never a real person's on purpose.

    The check digit is the one of ``qamqor.core.identifiers.check_digit`` (the tests compare),
    computed from partial sums so that 700,000 IINs take about a second."""
    first = IIN_BLOCKS[kind]
    until = birth_until or BIRTH_FROM + dt.timedelta(days=BIRTH_DAYS - 1)
    days = (until - birth_from).days + 1
    stride = 7919 if days % 7919 else 7907
    dates = [birth_from + dt.timedelta(days=(k * stride) % days) for k in range(days)]
    date_text = [f"{d:%y%m%d}" for d in dates]
    date_sums = [_weighted(t, 0) for t in date_text]
    for serial in range(first, first + BLOCK_SIZE.get(kind, 400)):
        serial_text = f"{serial:04d}"
        s1, s2 = _weighted(serial_text, 7)
        for k in range(days):
            birth = dates[k]
            female = (k + serial) % 2 == 1
            century = (3 if birth.year < 2000 else 5) + (1 if female else 0)
            d1, d2 = date_sums[k]
            r = (d1 + century * 7 + s1) % 11
            if r == 10:
                r = (d2 + century * 9 + s2) % 11
                if r == 10:
                    continue
            yield f"{date_text[k]}{century}{serial_text}{r}", birth, female


def synthetic_bin(n: int) -> str:
    """The n-th synthetic BIN of a legal entity (registered 2005–2024, serials from 2·n)."""
    year = 5 + n % 20
    month = 1 + (n // 20) % 12
    for serial in (2 * n, 2 * n + 1):
        prefix = f"{year:02d}{month:02d}40{serial % 100_000:05d}"
        digit = check_digit(prefix)
        if digit is not None:
            return prefix + str(digit)
    raise ValueError(f"no BIN for {n}")  # pragma: no cover (two serials never both fail)


# Real Kazakh and Russian names and the letters Russian lacks (ә ғ қ ң ө ұ ү һ і).
SURNAMES_M = (
    "Нұрланов",
    "Сейтқалиев",
    "Әбілов",
    "Жұмабаев",
    "Өмірзақов",
    "Құлжанов",
    "Ибраев",
    "Серікбаев",
    "Тоқтаров",
    "Ғабдуллин",
    "Иванов",
    "Ким",
    "Шевченко",
    "Байтұрсынов",
)
SURNAMES_F = (
    "Нұрланова",
    "Сейтқалиева",
    "Әбілова",
    "Жұмабаева",
    "Өмірзақова",
    "Құлжанова",
    "Ибраева",
    "Серікбаева",
    "Тоқтарова",
    "Ғабдуллина",
    "Иванова",
    "Ким",
    "Шевченко",
    "Байтұрсынова",
)
GIVEN_M = ("Дәурен", "Ерлан", "Нұржан", "Асқар", "Ғалым", "Бауыржан", "Серік", "Һидаят", "Игорь")
GIVEN_F = ("Айгерім", "Гүлнар", "Әсел", "Інкәр", "Мария", "Жанар", "Ұлжан", "Сәуле", "Өнеркүл")
PATRONYMIC_M = ("Серікұлы", "Ерланұлы", "Асқарұлы", "Болатұлы", "")
PATRONYMIC_F = ("Серікқызы", "Ерланқызы", "Асқарқызы", "Болатқызы", "")
STREETS = ("Абай даңғылы", "Әл-Фараби даңғылы", "Қабанбай батыр көшесі", "Төле би көшесі")


def person_name(rng: random.Random, female: bool) -> tuple[str, str, str]:
    """(surname, given name, patronymic)."""
    if female:
        return rng.choice(SURNAMES_F), rng.choice(GIVEN_F), rng.choice(PATRONYMIC_F)
    return rng.choice(SURNAMES_M), rng.choice(GIVEN_M), rng.choice(PATRONYMIC_M)


def address(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)}, {rng.randint(1, 300)}-үй, {rng.randint(1, 120)}-пәтер"


# --- The bulk writer -----------------------------------------------------------------------------


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of `model` (rows are written with explicit keys)."""
    value = model._default_manager.aggregate(m=models.Max("pk"))["m"]
    return int(value or 0) + 1


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


_DATES: dict[dt.date, str] = {}


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format (faster than psycopg's ``write_row``)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):  # dates and aware datetimes; a few values repeat a lot
        text = _DATES.get(value)
        if text is None:
            if len(_DATES) > 100_000:
                _DATES.clear()
            text = _DATES[value] = value.isoformat()
        return text
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    obj = getattr(value, "obj", None)  # psycopg's Jsonb from JSONField.get_db_prep_save
    if obj is not None:
        return json.dumps(obj, ensure_ascii=False).translate(_ESCAPES)
    return str(value).translate(_ESCAPES)


def write_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows` (tuples in the order of `columns`) into `model`'s table by the bulk path of
    the database: COPY … FROM STDIN on PostgreSQL (psycopg ``cursor.copy``), executemany in
    batches on SQLite. Values are Python values (dates, aware datetimes, dicts for JSON).
    Returns the number of rows. Call ``reset_sequences`` after writing explicit keys."""
    table = model._meta.db_table
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                lines: list[str] = []
                for row in rows:
                    lines.append("\t".join([_copy_text(v) for v in row]))
                    if len(lines) >= 10_000:
                        copy.write("\n".join(lines) + "\n")
                        count += len(lines)
                        lines = []
                if lines:
                    copy.write("\n".join(lines) + "\n")
                    count += len(lines)
            return count
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608 - names from _meta
        batch: list[list[Any]] = []
        for row in rows:
            batch.append([_sqlite_value(v) for v in row])
            if len(batch) >= 5_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def reset_sequences(*model_list: type[models.Model]) -> None:
    """After rows were written with explicit keys: PostgreSQL's identity sequences continue
    after the largest key (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def analyze(*model_list: type[models.Model]) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL; SQLite's ANALYZE is cheap too)."""
    with connection.cursor() as cursor:
        for model in model_list:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def audited_copy(model: type[M], objs: list[M]) -> list[M]:
    """Like ``qamqor.core.history.audited_bulk_create`` (each row with its creation history row,
    no actor), by the bulk path: on PostgreSQL the rows and their history rows are streamed with
    COPY with explicit keys (several times faster than INSERT … RETURNING for 100,000 rows); on
    SQLite it is the audited bulk insert itself. Returns `objs` with their keys."""
    from django.utils import timezone

    from qamqor.core.history import audited_bulk_create

    if connection.vendor != "postgresql":
        return audited_bulk_create(model, objs, batch_size=5_000)
    if not objs:
        return objs
    now = timezone.now()
    fields = model._meta.concrete_fields
    start = next_id(model)
    for offset, obj in enumerate(objs):
        obj.pk = start + offset
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, now)
    values = [[f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] for o in objs]
    write_rows(model, [f.column for f in fields], values)
    reset_sequences(model)
    historical = model.history.model  # type: ignore[attr-defined]
    position = {f.column: i for i, f in enumerate(fields)}
    extra = {"history_date": now, "history_change_reason": None, "history_type": "+"}
    columns = [f.column for f in historical._meta.concrete_fields if f.column != "history_id"]
    rows = (
        [row[position[c]] if c in position else extra.get(c) for c in columns] for row in values
    )
    write_rows(historical, columns, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
