"""Browser tests: Playwright (sync API) drives Debian chromium against the live server.

One browser per session, a fresh context (cookies, language, viewport) and page per test.
Run them with ``make test-browser`` (``pytest -m browser``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from qamqor.accounts.models import User
from tests.browser.support import (
    AXE_NOTES,
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    set_language_cookie,
    watch_for_page_problems,
)

# Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls from
# that thread (SynchronousOnlyOperation) although they are plain synchronous calls here. The
# session-scoped browser starts before the test database exists, so the switch must hold for the
# whole process: bin/test therefore runs the browser tests in a pytest process of their own, and
# the rest of the suite keeps Django's async-safety check.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if AXE_NOTES:
        terminalreporter.section("axe-core findings below 'serious' (not failing)")
        for line in AXE_NOTES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):  # CI: a missing browser is a failure, not a skip
            pytest.fail(f"REQUIRE_BROWSER is set but Debian chromium is missing at {CHROMIUM}")
        pytest.skip(
            f"!!! BROWSER TESTS NOT RUN: Debian chromium is missing at {CHROMIUM} "
            "(install it with `apt-get install chromium`; Playwright cannot download browsers "
            "here) !!!"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[Callable[..., BrowserContext]]:
    """Make a browser context for the live server; closed after the test.

    Defaults: a Kazakh browser in Astana. Pass ``language="ru"`` to start with the portal's
    language cookie already set (as after choosing it once), or any ``new_context`` option.
    Script errors and failed sub-resources on any of its pages fail the test at teardown.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def make(language: str | None = None, **options: Any) -> BrowserContext:
        options.setdefault("locale", "kk-KZ")
        options.setdefault("timezone_id", "Asia/Almaty")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", lambda page: watch_for_page_problems(page, problems))
        if language:
            set_language_cookie(context, live_server.url, language)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("The pages had problems:\n" + "\n".join(problems))


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def aigerim_demo(db: None) -> User:
    """A demo user, as ``seed_demo`` makes them (their e-mail is on the demo domain)."""
    return User.objects.create_user(
        iin="900101300017", surname="Демо", given_name="Айгерім", email="aigerim@demo.qamqor.kz"
    )


@pytest.fixture
def dev_signer_on(settings: Any, esign_settings: Any) -> Any:
    """A development machine: DEBUG and ESIGN_DEV_SIGNER on, the session's test PKI trusted and
    used by the development signer (the live server reads the same settings)."""
    from django.core.cache import cache

    settings.DEBUG = True
    settings.ESIGN_DEV_SIGNER = True
    settings.ESIGN_TEST_PKI_DIR = str(esign_settings.root)
    cache.clear()  # rate-limit counters of earlier tests
    return esign_settings


@pytest.fixture(autouse=True)
def reference_data(db: None) -> None:
    """Browser tests share a live server and flush the database after each test: earlier ones
    may have removed the seeded reference data. Load it again (the migrations' own loaders)."""
    from tests.reference_data import reload_migration_reference_data

    reload_migration_reference_data()
