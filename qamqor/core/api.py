"""Public reference data of the core app (regions, districts)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from qamqor.core import selectors

router = Router(tags=["reference data"])


class RegionOut(Schema):
    kato: str
    kind: str
    name_kk: str
    name_ru: str
    name_en: str


class DistrictOut(Schema):
    slug: str
    kato: str | None
    kind: str
    region: str
    name_kk: str
    name_ru: str
    name_en: str


@router.get("/regions", response=list[RegionOut])
def list_regions(request: HttpRequest) -> list[RegionOut]:
    return [RegionOut.model_validate(r, from_attributes=True) for r in selectors.regions()]


@router.get("/districts", response=list[DistrictOut])
def list_districts(request: HttpRequest, region: str | None = None) -> list[DistrictOut]:
    return [
        DistrictOut(
            slug=d.slug,
            kato=d.kato,
            kind=d.kind,
            region=d.region.kato,
            name_kk=d.name_kk,
            name_ru=d.name_ru,
            name_en=d.name_en,
        )
        for d in selectors.districts(region_kato=region)
    ]
