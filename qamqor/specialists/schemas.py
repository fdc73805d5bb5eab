"""Schemas of the specialists API (R-SPC-5: the public registry, kk and ru)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class SpecialistOut(Schema):
    """A public entry, in the fields of the form (appendix to seed 002)."""

    id: int
    surname: str
    given_name: str
    patronymic: str
    birth_date: dt.date
    phone: str | None
    email: str
    region: str = Field(..., alias="region.kato")
    region_name_kk: str = Field(..., alias="region.name_kk")
    region_name_ru: str = Field(..., alias="region.name_ru")
    locality: str
    address: str
    profession: str = Field(..., alias="profession.code")
    profession_name_kk: str = Field(..., alias="profession.name_kk")
    profession_name_ru: str = Field(..., alias="profession.name_ru")
    experience_years: int
    experience_months: int
    education: list[dict[str, Any]]
    employment: list[dict[str, Any]]
    qualification_category: str
    qualification_date: dt.date | None
    attestation_commission: str
    included_on: dt.date

    @staticmethod
    def resolve_phone(obj: Any) -> str | None:
        return str(obj.phone) if obj.phone else None
