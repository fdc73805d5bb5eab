"""Reads of the inbox: only ever the person's own notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from qamqor.accounts.models import User
from qamqor.notifications.models import Notification


def inbox_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def unread_count_of_request(request: Any) -> int:
    """The logged-in user's unread count, counted once per request (issue 9: the header link and
    the cabinet's inbox section both show it)."""
    found = getattr(request, "_unread_notifications", None)
    if found is None:
        found = unread_count(request.user)
        request._unread_notifications = found
    return int(found)


def get_notification_for(user: User, pk: int) -> Notification | None:
    return inbox_for(user).filter(pk=pk).first()
