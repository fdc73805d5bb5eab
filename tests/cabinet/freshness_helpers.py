"""Helpers of the cabinet cache's tests (qamqor.cabinet.freshness): the sections' part of the
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


def assert_write_shows(client: Any, write: Callable[[], Any]) -> tuple[str, str]:
    """View (cached), view again (from the cache), ``write()``, view: the view after the write
    differs from before and is what a fresh render (empty cache) shows."""
    before = sections_of(client)
    assert sections_of(client) == before
    write()
    after = sections_of(client)
    cache.clear()
    assert after == sections_of(client), "the cache served what a fresh render does not show"
    assert after != before, "the write did not change the cabinet"
    return before, after
