"""Schemas of the journal API (issue 7 item 6)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field


class CountsOut(Schema):
    condition: str
    capacity: int
    occupied: int
    offered: int
    vacancies: int
    queue: int


class PersonIn(Schema):
    iin: str = Field(..., max_length=12)
    full_name: str = Field(..., min_length=1, max_length=300)
    birth_date: dt.date | None = None
    sex: Literal["", "female", "male"] = ""
    home_address: str = Field("", max_length=500)
    phone: str = Field("", max_length=32)
    ipr_until: dt.date | None = None
    referral: str = Field("", max_length=200)


class OrderIn(Schema):
    on: dt.date
    order_number: str = Field(..., max_length=100)
    order_date: dt.date


class AdmissionIn(OrderIn):
    person: PersonIn


class MovementIn(OrderIn):
    kind: str = Field(..., max_length=24)
    reason: str = Field("", max_length=2000)
    target: int | None = None


class StayOut(Schema):
    id: int
    journal: int
    status: str
    full_name: str
    admitted_on: dt.date
    admission_order: str
    returned: bool

    @staticmethod
    def resolve_journal(obj: object) -> int:
        return obj.journal_id  # type: ignore[attr-defined]


class OfferIn(Schema):
    arrive_by: dt.date


class EntryOut(Schema):
    id: int
    journal: int
    organization: int
    condition: str
    status: str
    priority: int
    registered_at: dt.datetime
    arrive_by: dt.date | None
    postponed: bool

    @staticmethod
    def resolve_journal(obj: object) -> int:
        return obj.journal_id  # type: ignore[attr-defined]

    @staticmethod
    def resolve_organization(obj: object) -> int:
        return obj.journal.organization_id  # type: ignore[attr-defined]

    @staticmethod
    def resolve_condition(obj: object) -> str:
        return obj.journal.condition  # type: ignore[attr-defined]


class PositionOut(Schema):
    entry: EntryOut
    position: int | None
    ahead: int
    wait_days: int | None
    places_freed: int | None
    window_days: int | None


class QueueApplicationIn(Schema):
    organization: int
    condition: str
    cms: str  # base64 CMS over the act of GET .../queue/application-act


class PostponementIn(Schema):
    new_date: dt.date
    reason: str
    cms: str


class ActOut(Schema):
    act: dict
    content: str
