"""``/api/v1/notifications``: the logged-in person's inbox."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from qamqor.notifications import selectors, services

router = Router(tags=["notifications"], auth=django_auth)


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class MarkReadIn(Schema):
    ids: list[int] | None = None


class MarkReadOut(Schema):
    marked: int


@router.get("", response=list[NotificationOut])
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def list_notifications(request: HttpRequest) -> object:
    return selectors.inbox_for(request.user)  # type: ignore[arg-type]


@router.post("/read", response=MarkReadOut)
def mark_read(request: HttpRequest, payload: MarkReadIn) -> MarkReadOut:
    """Mark the given notifications (all, without ``ids``) read; others' ids are ignored."""
    return MarkReadOut(marked=services.mark_read(request.user, payload.ids))  # type: ignore[arg-type]
