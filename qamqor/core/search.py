"""Case-insensitive "contains" search over names in Kazakh and Russian on both databases.

PostgreSQL's ``UPPER`` knows Cyrillic, Kazakh letters included, and a trigram index
(``pg_trgm``) serves ``UPPER(col) LIKE '%…%'``. SQLite's ``LIKE`` and ``lower()`` fold only ASCII,
so "Қарттар" would not find "қарттар": on SQLite the column goes through a Python function,
``QAMQOR_CASEFOLD``, registered on every new connection.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import CharField, F, Func, Q, QuerySet

CASEFOLD_SQL = "QAMQOR_CASEFOLD"


def _casefold(value: str | None) -> str | None:
    return None if value is None else value.casefold()


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(CASEFOLD_SQL, 1, _casefold, deterministic=True)


def connect_signals() -> None:
    connection_created.connect(register_sqlite_functions, dispatch_uid="qamqor_sqlite_functions")


def any_contains(qs: QuerySet[Any], fields: list[str], needle: str) -> tuple[QuerySet[Any], Q]:
    """``qs`` (annotated where needed) and a ``Q`` true when any of ``fields`` contains
    ``needle``, ignoring case in every alphabet the portal uses."""
    if connection.vendor != "sqlite":
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": needle})
        return qs, match
    folded = needle.casefold()
    annotations = {
        f"_folded_{field}": Func(F(field), function=CASEFOLD_SQL, output_field=CharField())
        for field in fields
    }
    match = Q()
    for name in annotations:
        match |= Q(**{f"{name}__contains": folded})
    return qs.annotate(**annotations), match
