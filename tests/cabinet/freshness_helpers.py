"""Helpers of the cabinet cache's tests (qamqor.core.freshness): the sections' part of the
page, and the check that a write shows on the next view exactly as a fresh render shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache


def sections_of(client: Any) -> str:
    """The page from "what to do next" to the end of the sections (the header holds a CSRF
    token that differs on every render)."""
    html = client.get("/cabinet/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return html[html.index('id="next-title"') : html.index("</main>")]


def my_queue_of(client: Any) -> str:
    """The content of "my place in the queue" (issue 9: cached like the cabinet's sections)."""
    html = client.get("/journal/my/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return html[html.index("<main") : html.index("</main>")]


def my_positions_api_of(client: Any) -> str:
    """The answer of ``GET /api/v1/journal/queue/mine`` (cached like the page)."""
    response = client.get("/api/v1/journal/queue/mine", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def assert_write_shows(
    client: Any, write: Callable[[], Any], view: Callable[[Any], str] = sections_of
) -> tuple[str, str]:
    """View (cached), view again (from the cache), ``write()``, view: the view after the write
    differs from before and is what a fresh render (empty cache) shows."""
    before = view(client)
    assert view(client) == before
    write()
    after = view(client)
    cache.clear()
    assert after == view(client), "the cache served what a fresh render does not show"
    assert after != before, "the write did not change the cabinet"
    return before, after
