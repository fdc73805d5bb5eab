"""Every page of every role through axe-core, and a keyboard-only citizen path (issue 10 item 6;
WCAG 2.1 AA).

The world is ``seed_demo``'s plus the objects it lacks (``tests/scope_world.py``), so detail pages
have something to show. For each role (and the anonymous visitor) the pages are found by a crawl
from every parameter-less URL following the links of each page (GET, HTML, status 200): the
access matrix's pages with a 200 for that persona and the object pages they lead to. Pages common
to all personas are checked once; each persona's own pages and their home page (the header and
menu differ by role) are checked with that persona's session, one browser context per persona.
Zero serious or critical violations.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from qamqor.accounts import sms
from tests.browser.support import AXE_NOTES, log_in
from tests.browser.test_accessibility import FOCUS_STYLE_JS, axe_violations
from tests.factories import make_iin
from tests.scope_world import crawl, demo_people, login_client, seed_world, start_paths

pytestmark = pytest.mark.browser

# A shared machine under load: a page of the sweep may take longer than the suite's fail-fast 5 s.
SLOW_MS = 30_000


def test_every_page_of_every_role_has_no_serious_axe_violations(
    live_server: Any, new_context: Callable[..., BrowserContext]
) -> None:
    started = time.monotonic()
    seed_world()
    people: dict[str, Any] = {"anonymous": None, **demo_people()}
    starts = start_paths()
    checked_routes: set[str] = set()
    failures: list[str] = []
    pages_checked = 0
    for persona, user in people.items():
        result = crawl(login_client(user), starts, per_route=1)
        paths = [
            paths[0]
            for route, paths in sorted(result.pages.items())
            if route not in checked_routes or route == ""
        ]
        checked_routes.update(result.pages)
        context = new_context(language="kk")
        if user is not None:
            log_in(context, live_server.url, user)
        page = context.new_page()
        page.set_default_timeout(SLOW_MS)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, (persona, path)
            failing, notes = axe_violations(page)
            AXE_NOTES.extend(notes)
            failures.extend(f"{persona}: {line}" for line in failing)
            pages_checked += 1
        context.close()
    elapsed = time.monotonic() - started
    print(f"axe: {pages_checked} pages, {len(checked_routes)} URL patterns, {elapsed:.0f} s")
    assert pages_checked >= 40
    assert failures == [], "axe-core found:\n" + "\n".join(failures)


# ---------------------------------------------------------------------------------------------
# Keyboard only: Tab / Shift+Tab / Enter / Space / typing; no mouse.


def _tab_to(page: Page, selector: str, *, limit: int = 80, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until ``selector`` has the focus; every stop on the way must show
    a focus indicator (WCAG 2.4.7)."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUS_STYLE_JS)
        if focused is not None:
            assert focused["outline"] or focused["shadow"], f"no focus indicator: {focused}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reachable by {key} on {page.url}")


@pytest.fixture
def sms_outbox(settings: Any) -> Any:
    settings.SMS_BACKEND = "qamqor.accounts.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def test_keyboard_only_citizen_path(
    new_context: Callable[..., BrowserContext], sms_outbox: Any
) -> None:
    """A person logs in with a one-time code, reaches their cabinet, goes to their place in the
    queue and to their state-service applications, all by keyboard."""
    page = new_context(language="kk").new_page()
    page.set_default_timeout(SLOW_MS)
    page.goto("/")
    _tab_to(page, "header a[href^='/accounts/login/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    _tab_to(page, "main a[href^='/accounts/otp/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/otp/"))
    _tab_to(page, "input[name=channel]")
    # a radio group: the arrow keys choose, Space checks the focused one
    for _ in range(4):
        if page.evaluate("() => document.activeElement.value") == "sms":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(page.locator("input[name=channel][value=sms]")).to_be_checked()
    for selector, text in (
        ("#id_phone", "8 701 555 12 99"),
        ("#id_iin", make_iin(91, birth=dt.date(1950, 2, 3), female=True)),
        ("#id_surname", "Нұрланова"),
        ("#id_given_name", "Бибігүл"),
    ):
        _tab_to(page, selector)
        page.keyboard.type(text)
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#id_code")).to_be_visible()
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1].text).group(1)  # type: ignore[union-attr]
    _tab_to(page, "#id_code")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("banner")).to_contain_text("Бибігүл")

    _tab_to(page, "a[href='/cabinet/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cabinet/$"))
    _tab_to(page, "a[href='/journal/my/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/journal/my/$"))
    expect(page.locator("h1")).to_be_visible()
    # down to the footer, Shift+Tab back up to the header, and down again to the applications
    _tab_to(page, "footer a[href='/applications/']")
    _tab_to(page, "header a[href='/cabinet/']", backwards=True)
    _tab_to(page, "footer a[href='/applications/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/applications/$"))
    expect(page.locator("h1")).to_be_visible()
