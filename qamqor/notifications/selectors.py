"""Reads of the inbox: only ever the person's own notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from qamqor.accounts.models import User
from qamqor.core import hotsql
from qamqor.notifications.models import Notification


def inbox_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    """``inbox_for(user).filter(read_at=None).count()``, in SQL: it is on every logged-in page
    (the header's badge; qamqor.core.hotsql)."""
    table = Notification._meta.db_table

    def build(q: Callable[[str], str]) -> str:
        return (
            f"SELECT COUNT(*) FROM {q(table)} "  # noqa: S608  # nosec B608
            f"WHERE {q('recipient_id')} = %s AND {q('read_at')} IS NULL"
        )

    return int(hotsql.fetch("notifications.unread_count", build, [user.pk])[0][0])


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
