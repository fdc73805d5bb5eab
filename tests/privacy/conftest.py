"""The personas of the state service tests, shared here (tests/applications/conftest.py)."""

from tests.applications.conftest import (  # noqa: F401 (fixtures)
    _fresh_dashboard_cache,
    askar_officer,
    bibigul,
    bibigul_user,
    district,
)
