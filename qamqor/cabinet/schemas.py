"""Schemas of the cabinet, suppliers and IPR APIs (R-POR-2…5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class ItemOut(Schema):
    code: str
    kind: str
    name_kk: str
    name_ru: str
    guaranteed_sum: Decimal


class MeasureOut(Schema):
    id: int
    ipr_number: str = Field(..., alias="ipr.number")
    ipr_date: dt.date = Field(..., alias="ipr.issued_on")
    item: ItemOut
    quantity: int
    term_until: dt.date
    status: str
    notified_at: dt.datetime | None
    choice_until: dt.date | None


class SupplierOut(Schema):
    id: int
    bin: str
    name_kk: str
    name_ru: str


class OfferOut(Schema):
    id: int
    supplier: SupplierOut
    item: ItemOut
    price: Decimal
    delivery_days: int
    delivery_terms: str


class StepOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    reason: str


class OrderOut(Schema):
    id: int
    measure_id: int
    item_code: str = Field(..., alias="measure.item.code")
    supplier: SupplierOut
    quantity: int
    price: Decimal
    guaranteed_sum: Decimal
    person_pays: Decimal
    status: str
    rejection_reason: str
    created_at: dt.datetime


class OrderDetailOut(OrderOut):
    steps: list[StepOut] = Field(..., alias="transitions.all")


class CabinetOut(Schema):
    person_iin: str
    person_name: str
    measures: list[MeasureOut]
    orders: list[OrderOut]


class ActOut(Schema):
    """What the person signs (R-POR-5): the act, its exact bytes as text, and the sums."""

    act: dict[str, object]
    content: str
    price: Decimal
    guaranteed_sum: Decimal
    person_pays: Decimal


class PlaceOrderIn(Schema):
    offer_id: int
    cms: str = Field(..., description="CMS (base64) over the act's exact content")


class IprRecordIn(Schema):
    iin: str
    surname: str = ""
    given_name: str = ""
    patronymic: str = ""
    ipr_number: str
    ipr_date: str
    district: str
    measure_code: str
    quantity: str | int = "1"
    term_until: str


class IprRecordsIn(Schema):
    records: list[IprRecordIn]


class IprRecordsOut(Schema):
    batch_id: str
    applied: int
    already_applied: int
    duplicate_in_batch: int
    outcomes: list[str]


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorsOut(Schema):
    errors: list[ErrorOut]
