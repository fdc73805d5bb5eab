"""Shared constants and helpers of the browser tests (the fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page

from qamqor.accounts.models import User

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Fail fast: every page here is local and small.
TIMEOUT_MS = 5_000

# The language buttons are named by each language's own name, whatever the page language is.
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
LANGUAGES = tuple(LANGUAGE_NAMES)

# Findings below "serious" are reported, not failed; collected for the end-of-run summary.
AXE_NOTES: list[str] = []


def catalogue_missing(language: str) -> bool:
    """True when the project's compiled message catalogue for ``language`` does not exist."""
    return not any(
        (Path(path) / language / "LC_MESSAGES" / "django.mo").exists()
        for path in settings.LOCALE_PATHS
    )


def log_in(context: BrowserContext, base_url: str, user: User) -> None:
    """Give the browser a session for ``user`` without going through a login page."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


def set_language_cookie(context: BrowserContext, base_url: str, language: str) -> None:
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )


def watch_for_page_problems(page: Page, problems: list[str]) -> None:
    """Collect script errors, CSP refusals and failed sub-resources (a missing stylesheet would
    make the layout checks pass for the wrong reason)."""
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    # A Content-Security-Policy refusal shows only in the console: something the page needs
    # (a script, a style, a connection) would silently not work.
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} for {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
