"""Writing to a person's inbox and sending the same words by SMS and e-mail.

``notify`` is called by other apps' services inside their own transaction: the inbox row commits or
rolls back with the act it tells about, and the SMS/e-mail go out only after the commit, through a
task (STYLE: no external effect inside a transaction).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from qamqor.accounts.models import User
from qamqor.accounts.sms import send_sms
from qamqor.core.identifiers import is_mobile_phone
from qamqor.notifications.models import Delivery, Notification

logger = logging.getLogger(__name__)

Text = str | Promise | Callable[[], str]

SUBJECT_MAX = Notification._meta.get_field("subject").max_length or 300


def _render(text: Text, params: Mapping[str, Any]) -> str:
    value = text() if callable(text) else str(text)
    return value % params if params else value


def notify(
    user: User,
    *,
    kind: str,
    subject: Text,
    body: Text = "",
    params: Mapping[str, Any] | None = None,
    url: str = "",
    sms: bool = True,
    email: bool = True,
) -> Notification:
    """Put a message in ``user``'s inbox, written in the user's language, and send it by SMS and/or
    e-mail after the surrounding transaction commits (when the user has that contact).

    ``subject`` and ``body`` are ``gettext_lazy`` msgids with named placeholders filled from
    ``params`` (or a callable returning the text, for ``ngettext``). A channel the user has no
    contact for is recorded as ``no_contact``, not silently dropped.
    """
    params = dict(params or {})
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject_text = _render(subject, params)[:SUBJECT_MAX]
        body_text = _render(body, params) if body else ""
    has_phone = bool(user.phone) and is_mobile_phone(user.phone)
    notification = Notification.objects.create(
        recipient=user,
        kind=kind,
        language=language,
        subject=subject_text,
        body=body_text,
        url=url,
        sms_state=_initial_state(sms, has_phone),
        email_state=_initial_state(email, bool(user.email)),
    )
    if Delivery.PENDING in (notification.sms_state, notification.email_state):
        from qamqor.notifications.tasks import deliver_notification

        transaction.on_commit(lambda: deliver_notification.enqueue(notification.pk))
    return notification


def _initial_state(requested: bool, has_contact: bool) -> str:
    if not requested:
        return Delivery.NOT_REQUESTED
    return Delivery.PENDING if has_contact else Delivery.NO_CONTACT


def absolute_url(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.PORTAL_BASE_URL.rstrip("/") + url


def deliver(notification_id: int) -> dict[str, str]:
    """Send the pending channels of one notification; idempotent: each channel is claimed with a
    conditional update (pending → sending), so a retried or duplicated task sends nothing twice."""
    result: dict[str, str] = {}
    for field, send in (("sms_state", _send_sms), ("email_state", _send_email)):
        claimed = Notification.objects.filter(
            pk=notification_id, **{field: Delivery.PENDING}
        ).update(**{field: Delivery.SENDING})
        if not claimed:
            continue
        notification = Notification.objects.select_related("recipient").get(pk=notification_id)
        try:
            send(notification)
        except Exception as exc:  # a gateway failure must not lose the other channel
            logger.warning("notification %s: %s failed: %s", notification_id, field, exc)
            Notification.objects.filter(pk=notification_id).update(
                **{field: Delivery.FAILED}, delivery_error=str(exc)[:300]
            )
            result[field] = Delivery.FAILED
        else:
            Notification.objects.filter(pk=notification_id).update(**{field: Delivery.SENT})
            result[field] = Delivery.SENT
    return result


def _send_sms(notification: Notification) -> None:
    link = absolute_url(notification.url)
    text = f"Qamqor: {notification.subject}" + (f" {link}" if link else "")
    send_sms(notification.recipient.phone or "", text)


def _send_email(notification: Notification) -> None:
    link = absolute_url(notification.url)
    body = notification.body + (f"\n\n{link}" if link else "")
    send_mail(
        f"Qamqor: {notification.subject}",
        body.strip() or notification.subject,
        None,
        [notification.recipient.email or ""],
    )


@transaction.atomic
def mark_read(user: User, notification_ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when ``notification_ids`` is
    None); someone else's ids are ignored. Returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
