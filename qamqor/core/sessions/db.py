"""Django's database session engine with the session row read in SQL (qamqor.core.sessions)."""

from __future__ import annotations

from django.contrib.sessions.backends import db

from qamqor.core.sessions import SessionRowInSql


class SessionStore(SessionRowInSql, db.SessionStore):
    pass
