"""Schemas of the state service API (/api/v1/applications…)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorsOut(Schema):
    errors: list[ErrorOut]


class RecipientsIn(Schema):
    recipients: list[dict[str, Any]]


class RecipientsOut(Schema):
    batch_id: str
    created: int
    updated: int
    unchanged: int


class FilingIn(Schema):
    recipient_iin: str
    channel: str
    form_kind: str
    stay: str
    form_data: dict[str, Any] = Field(default_factory=dict)
    attached_documents: list[dict[str, Any]] = Field(default_factory=list)
    medical_card: dict[str, Any] = Field(default_factory=dict)
    consent_personal_data: bool = False
    consent_relatives_data: bool = False
    liability_acknowledged: bool = False
    conditions_acknowledged: bool = False
    signature: str = ""  # portal: base64 CMS over the act of GET /applications/portal-act


class DeadlineOut(Schema):
    name: str
    due: dt.date
    rule_id: str
    explanation: str


class TransitionOut(Schema):
    id: int
    application_id: int
    application_number: str = Field(..., alias="application.number")
    district_id: int
    from_status: str
    to_status: str
    occurred_at: dt.datetime
    actor_id: int | None
    reason_codes: list[str]
    due: dt.date | None


class ApplicationOut(Schema):
    id: int
    number: str
    status: str
    channel: str
    form_kind: str
    stay: str
    recipient_iin: str = Field(..., alias="recipient.iin")
    district_id: int
    registered_on: dt.date | None
    result_due: dt.date | None
    current_due: dt.date | None
    refusal_ground: int | None
    refusal_reasons: str
    intake_problems: list[dict[str, Any]]
    social_worker_id: int | None
    chosen_organization_id: int | None
    result_document_id: int | None


class ApplicationDetailOut(ApplicationOut):
    deadlines: list[DeadlineOut] = Field(..., alias="deadline_rows")


class AssignIn(Schema):
    social_worker_id: int


class ConclusionIn(Schema):
    needs_services: bool
    findings: str
    recommended_form: str = ""


class SignedIn(Schema):
    signature: str


class RefusalIn(Schema):
    ground: int
    reasons: str


class HearingIn(Schema):
    hearing_at: dt.datetime
    place: str


class ChooseIn(Schema):
    organization_id: int


class ComplaintIn(Schema):
    subject: str
    filed_to: str
    text: str


class ComplaintOutcomeIn(Schema):
    state: str
    comment: str


class ComplaintOut(Schema):
    id: int
    number: str
    registered_on: dt.date
    state: str
    review_due: dt.date
    forward_due: dt.date | None


class ActOut(Schema):
    act: dict[str, Any]
    content_base64: str


class FeedOut(Schema):
    events: list[TransitionOut]
    next_cursor: int


class DashboardOut(Schema):
    today: dt.date
    totals: dict[str, int]
    by_stage: dict[str, int]
    by_district: list[dict[str, Any]]
