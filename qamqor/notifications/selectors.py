"""Reads of the inbox: only ever the person's own notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from qamqor.accounts.models import User
from qamqor.notifications.models import Notification


def inbox_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def get_notification_for(user: User, pk: int) -> Notification | None:
    return inbox_for(user).filter(pk=pk).first()
