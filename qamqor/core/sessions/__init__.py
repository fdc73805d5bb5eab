"""Session engines: Django's database and cached-database engines, reading the session row in SQL
(issue 9). The row is read on every logged-in request, and building the ORM's query cost about as
much as PostgreSQL's answering it (qamqor.core.hotsql). Everything else (saving, expiry, cycling
the key on login, ``clearsessions``) is Django's own; the rows and the cache entries are the
same, so the engines can be switched either way with no session lost.

- ``qamqor.core.sessions.db``: the default (no ``REDIS_URL``);
- ``qamqor.core.sessions.cached_db``: with ``REDIS_URL`` (docs/deployment.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.sessions.models import Session
from django.db import connections
from django.utils import timezone

from qamqor.core import hotsql


class SessionRowInSql:
    """Replaces ``db.SessionStore._get_session_from_db`` (also used by ``cached_db``)."""

    session_key: str | None
    _session_key: str | None

    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if not key:
            self._session_key = None
            return None
        table = Session._meta.db_table

        def build(q: Callable[[str], str]) -> str:
            return (
                f"SELECT {q('session_data')}, {q('expire_date')} FROM {q(table)} "  # noqa: S608  # nosec B608
                f"WHERE {q('session_key')} = %s AND {q('expire_date')} > %s"
            )

        connection = connections["default"]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        rows = hotsql.fetch("sessions.row", build, [key, now])
        if not rows:
            self._session_key = None
            return None
        data, expire = rows[0]
        return Session(session_key=key, session_data=data, expire_date=_aware(expire))


def _aware(value: Any) -> dt.datetime:
    """SQLite's driver gives the stored UTC time without its zone; PostgreSQL's an aware one."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value  # type: ignore[no-any-return]
