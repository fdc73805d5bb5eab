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
