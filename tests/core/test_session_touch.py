"""The idle timeout without a session write per request (issue 9, qamqor.core.session_touch)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qamqor.core import session_touch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_read_within_the_minute_does_not_write_the_session(client, monkeypatch) -> None:
    clock = [1_800_000_000]
    monkeypatch.setattr(session_touch.time, "time", lambda: clock[0])
    client.force_login(UserFactory())
    client.get("/cabinet/")  # the first request after the login stamps the session
    with CaptureQueriesContext(connection) as queries:
        clock[0] += 30
        assert client.get("/cabinet/").status_code == 200
    assert _session_writes(queries.captured_queries) == []


def test_a_read_a_minute_later_renews_the_expiry(client, monkeypatch, settings) -> None:
    clock = [1_800_000_000]
    monkeypatch.setattr(session_touch.time, "time", lambda: clock[0])
    client.force_login(UserFactory())
    client.get("/cabinet/")
    before = _expiry(client)
    clock[0] += settings.SESSION_TOUCH_SECONDS
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cabinet/").status_code == 200
    assert _session_writes(queries.captured_queries)
    assert _expiry(client) > before
    assert client.session[session_touch.TOUCHED_KEY] == clock[0]


def test_an_anonymous_visitor_gets_no_session(client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert _session_writes(queries.captured_queries) == []
    assert "sessionid" not in response.cookies


def test_a_clock_set_back_renews_rather_than_freezes(client, monkeypatch) -> None:
    clock = [1_800_000_000]
    monkeypatch.setattr(session_touch.time, "time", lambda: clock[0])
    client.force_login(UserFactory())
    client.get("/cabinet/")
    clock[0] -= 3600
    client.get("/cabinet/")
    assert client.session[session_touch.TOUCHED_KEY] == clock[0]
