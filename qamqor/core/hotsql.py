"""Reads made on every logged-in page, written as SQL (issue 9).

On a small page the work of Django's ORM in building a query (resolving the lookups, choosing
the columns, compiling the SQL) costs more than PostgreSQL's running it: the unread count in the
header and the user's roles were about a millisecond each of a five-millisecond page. Here the
statement is built once per process and database vendor from the models' ``_meta`` (table and
column names quoted by the connection; every value a parameter) and run on the primary, like
the ORM's reads in a request. Each function has a test that compares it with the ORM query it
replaces (tests/core/test_hotsql.py); use this for per-request reads only, never for anything
a user searches or sorts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection

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
