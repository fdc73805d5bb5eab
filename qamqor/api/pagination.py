"""The one pagination of every list in the API."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """Page numbers with an upper bound: an absurd page is a 422, not an offset the database
    cannot hold (SQLite overflows, PostgreSQL refuses: both a 500; found by the API fuzzing)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=1_000)
