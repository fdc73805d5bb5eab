"""Shared pytest configuration: database selection report, static files, personas."""

from __future__ import annotations

import pytest
from django.conf import settings

pytest_plugins = ["tests.pki"]


def pytest_report_header(config: pytest.Config) -> str:
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"qamqor: database engine = {engine}"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: pytest.FixtureRequest) -> None:
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_outside_requests() -> object:
    """Code called directly by a test (not through a request) speaks English, whatever catalogues
    are compiled; a test about kk or ru activates that language itself. Requests still choose
    their language through LocaleMiddleware (Kazakh by default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that commits for real (``transaction=True``) must also restore the data the
    migrations seed (``serialized_rollback=True``: calendar, legal terms, regions, reference
    lists). Without it the flush after the test empties those tables for the tests after it, and
    Django re-creates content types with new keys that the next restoring test then collides
    with."""
    for item in items:
        for marker in item.iter_markers("django_db"):
            if marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
                raise pytest.UsageError(
                    f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
                )


# --- Issue 9: cached content of public pages (qamqor.core.pagecache) -----------------------------
@pytest.fixture(autouse=True)
def _fresh_page_cache() -> None:
    """The cache outlives a test's rolled-back rows: start each test with an empty cache and new
    data versions, so no page content cached by an earlier test is served and no rate-limit
    counter of an earlier test's user (primary keys are reused after a rollback) applies."""
    from django.core.cache import cache

    from qamqor.core import pagecache

    cache.clear()
    pagecache.bump_all()
