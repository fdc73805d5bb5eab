"""Django's cached-database session engine (``REDIS_URL``) with the session row read in SQL on a
cache miss (qamqor.core.sessions)."""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db

from qamqor.core.sessions import SessionRowInSql


class SessionStore(SessionRowInSql, cached_db.SessionStore):
    pass
