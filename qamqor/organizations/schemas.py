"""Schemas of the organizations API (R-ORG-1, R-ORG-2, R-ORG-4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class ServiceOut(Schema):
    condition: str
    capacity: int


class OrganizationOut(Schema):
    """The public part of an entry (R-ORG-2; shown only with consent, R-ORG-4)."""

    id: int
    name_kk: str
    name_ru: str
    bin: str
    status: str
    region: str = Field(..., alias="district.region.kato")
    region_name_kk: str = Field(..., alias="district.region.name_kk")
    region_name_ru: str = Field(..., alias="district.region.name_ru")
    district: str = Field(..., alias="district.slug")
    district_name_kk: str = Field(..., alias="district.name_kk")
    district_name_ru: str = Field(..., alias="district.name_ru")
    legal_address: str
    phone: str | None
    email: str
    categories: list[str]
    services: list[ServiceOut]
    licence_number: str
    licence_issued_on: dt.date | None
    licence_valid_until: dt.date | None
    reregistered_on: dt.date | None
    included_on: dt.date | None


class LicenceEventIn(Schema):
    """One event of the licensing system. Types are loose on purpose: the service validates the
    content of every event and reports all bad ones at once."""

    event_id: str = ""
    kind: str = ""
    licence_number: str = ""
    bin: str = ""
    occurred_at: str = ""
    name_kk: str = ""
    name_ru: str = ""
    legal_address: str = ""
    region: str = ""
    district: str = ""
    services: dict[str, Any] | str | None = None
    categories: list[Any] | str | None = None
    phone: str = ""
    email: str = ""
    licence_issued_on: str = ""
    licence_valid_until: str = ""
    basis: str = ""


class LicenceEventsIn(Schema):
    events: list[LicenceEventIn] = Field(..., min_length=1, max_length=10_000)


class LicenceEventResultOut(Schema):
    index: int
    event_id: str
    outcome: str
    organization_id: int | None


class LicenceEventsOut(Schema):
    batch_id: str
    applied: int
    already_applied: int
    results: list[LicenceEventResultOut]


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None


class ErrorsOut(Schema):
    errors: list[ErrorOut]
