"""Consents of the data subject (R-X-5; Law of the RK of 21 May 2013 No. 94-V "On personal data
and their protection", art. 7–8; R-SVC-3: consent to restricted personal data on form 1/2).

A consent is never edited: giving and withdrawing are rows of ``ConsentRecord`` (append-only), so
the record itself is the history, and the state of a consent is its latest row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qamqor.core.fields import IINField
from qamqor.core.models import AppendOnlyModel


class ConsentKind(models.TextChoices):
    # R-SVC-3: form 1/2, "consent to the collection and processing of restricted personal data"
    PERSONAL_DATA = "personal_data", _("collection and processing of restricted personal data")
    # R-SVC-3: "consent to use data on adult children / spouse"
    RELATIVES_DATA = "relatives_data", _("use of data on adult children and spouse")


class ConsentAction(models.TextChoices):
    GIVEN = "given", _("given")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: The text the person agreed to, by version: a new wording is a new version, and every record
#: names the version it was given under (docs/privacy.md).
CONSENT_TEXT_VERSION = "2025-01"


class ConsentRecord(AppendOnlyModel):
    """One act of consent ("келісім"): given or withdrawn, by whom, when, under which text."""

    recorded_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    subject_iin = IINField(_("IIN of the person"), db_index=True)
    kind = models.CharField(_("consent"), max_length=32, choices=ConsentKind.choices)
    action = models.CharField(_("action"), max_length=16, choices=ConsentAction.choices)
    text_version = models.CharField(_("text version"), max_length=32)
    channel = models.CharField(_("channel"), max_length=32)
    context = models.CharField(_("for"), max_length=120, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["subject_iin", "kind", "-recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=ConsentAction.values), name="consent_action_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ConsentKind.values), name="consent_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recorded_at:%Y-%m-%d %H:%M} {self.subject_iin} {self.kind} {self.action}"
