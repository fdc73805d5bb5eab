"""Reads of core reference data."""

from __future__ import annotations

from django.db.models import QuerySet

from qamqor.core.models import District, Region


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("kato")


def districts(*, region_kato: str | None = None) -> QuerySet[District]:
    qs = District.objects.select_related("region").order_by("region__kato", "name_kk")
    if region_kato:
        qs = qs.filter(region__kato=region_kato)
    return qs


def region_row(pk: int) -> dict[str, object] | None:
    """The benchmark floor's one primary-key SELECT."""
    row = Region.objects.filter(pk=pk).values("pk", "kato").first()
    return dict(row) if row is not None else None
