"""The in-portal inbox ("хабарламалар") and the delivery state of each message by SMS and e-mail.

A notification is written in the recipient's language when it is created: it is what the person was
told, and it stays so even if the wording of the catalogue changes later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    NOT_REQUESTED = "not_requested", _("not requested")
    NO_CONTACT = "no_contact", _("no contact to send to")
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    language = models.CharField(_("language"), max_length=2)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    sms_state = models.CharField(
        _("SMS"), max_length=16, choices=Delivery.choices, default=Delivery.NOT_REQUESTED
    )
    email_state = models.CharField(
        _("e-mail"), max_length=16, choices=Delivery.choices, default=Delivery.NOT_REQUESTED
    )
    delivery_error = models.CharField(_("delivery error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_inbox"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at=None), name="notif_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
