"""Reads made on every logged-in page, written as SQL (issue 9).

On a small page the work of Django's ORM in building a query (resolving the lookups, choosing
the columns, compiling the SQL) costs more than PostgreSQL's running it: the unread count in the
header and the user's roles were about a millisecond each of a five-millisecond page. Here the
statement is built once per process and database vendor from the models' ``_meta`` (table and
column names quoted by the connection; every value a parameter) and run on the primary, like
the ORM's reads in a request. Each function has a test that compares it with the ORM query it
replaces (tests/core/test_hotsql.py); use this for per-request reads only, never for anything
a user searches or sorts.

``fetch_query`` does the same for a statement written as an ORM queryset: the queryset is built
with stand-ins (``arg``) for the values of the request and compiled once per name and vendor;
each call runs the compiled statement with the real values. Its rows are the raw columns of a
``values_list`` (no model, no converter): use it for keys, names, codes and dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

#: (name, database vendor) -> the statement, built on first use.
_STATEMENTS: dict[tuple[str, str], str] = {}


def fetch(name: str, build: Callable[[Callable[[str], str]], str], params: list[Any]) -> list[Any]:
    """Rows of the statement ``build(quote_name)`` (built once per ``name`` and vendor; ``name``
    must be unique to the statement) with ``params``."""
    key = (name, connection.vendor)
    sql = _STATEMENTS.get(key)
    if sql is None:
        sql = _STATEMENTS[key] = build(connection.ops.quote_name)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# --- Statements written as querysets ----------------------------------------------------------

#: (name, kind) -> stand-in value; a stand-in is never a real key, IIN or date of the portal.
_BY_NAME: dict[tuple[str, type], Any] = {}


def arg(name: str, kind: type = int) -> Any:
    """The stand-in for the value ``name`` (an ``int``, ``str`` or ``date``) in a queryset that
    ``fetch_query`` or ``compile_query`` compiles; the same name gives the same stand-in."""
    found = _BY_NAME.get((name, kind))
    if found is not None:
        return found
    n = len(_BY_NAME) + 1
    if kind is int:
        value: Any = -730_000_000 - n
    elif kind is str:
        value = f"@{n}:{name}@"
    elif kind is dt.date:
        value = dt.date(1000 + n, 1, 1)
    else:  # pragma: no cover - a programming error
        raise TypeError(kind)
    _BY_NAME[(name, kind)] = value
    return value


@dataclass(frozen=True)
class Slot:
    """A parameter of a compiled statement filled from the call's values."""

    name: str
    kind: type


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple[Any, ...]  # a Slot, or a constant of the queryset as it is

    def bind(self, values: dict[str, Any]) -> list[Any]:
        """The parameters with the call's ``values``, adapted as the ORM adapts them."""
        out = []
        for p in self.params:
            if isinstance(p, Slot):
                value = values[p.name]
                if p.kind is dt.date:
                    value = connection.ops.adapt_datefield_value(value)
                out.append(value)
            else:
                out.append(p)
        return out


def compile_query(queryset: QuerySet[Any]) -> Compiled:
    """``queryset``'s SQL, with each stand-in's parameter as a ``Slot``."""
    stand_ins: dict[Any, Slot] = {}
    for (name, kind), value in _BY_NAME.items():
        stand_ins[(type(value), value)] = Slot(name, kind)
        if kind is dt.date:  # SQLite receives dates as text
            adapted = connection.ops.adapt_datefield_value(value)
            stand_ins[(type(adapted), adapted)] = Slot(name, kind)
    sql, params = queryset.query.sql_with_params()
    out: list[Any] = []
    for p in params:
        try:
            slot = stand_ins.get((type(p), p))
        except TypeError:  # pragma: no cover - an unhashable constant
            slot = None
        out.append(slot if slot is not None else p)
    return Compiled(sql, tuple(out))


_QUERIES: dict[tuple[str, str], Compiled] = {}


def fetch_query(
    name: str, build: Callable[[], QuerySet[Any]], values: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """Rows of ``build()`` (a ``values_list`` written with ``arg`` stand-ins; ``name`` unique to
    it), compiled once per vendor, with the stand-ins replaced by ``values``."""
    key = (name, connection.vendor)
    compiled = _QUERIES.get(key)
    if compiled is None:
        compiled = _QUERIES[key] = compile_query(build())
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.bind(values))
        return list(cursor.fetchall())
