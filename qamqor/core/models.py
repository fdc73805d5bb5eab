"""Reference data and audit tables shared by every app.

* ``Region`` / ``District``: administrative-territorial units keyed by KATO codes.
* ``CalendarDay``: exceptions to the Monday–Friday week (R-X-1): holidays and transferred days off
  on weekdays, and weekend days made working. Seeded from the ``holidays`` package; rows an
  administrator edits win over the library.
* ``LegalTerm``: every legal term as data (R-X-6).
* ``DomainEvent``: the append-only record of who did what to which case (STYLE: access and audit).
* ``PersonalFileAccess``: every read of a recipient's personal file (R-X-5).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qamqor.core.history import AuditedModel, HistoryBypassError


class Named(models.Model):
    """Reference data people read: kk/ru/en names and one accessor that falls back."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (translation.get_language() or "kk")[:2]
        for code in (lang, "kk", "ru", "en"):
            value = getattr(self, f"name_{code}", "")
            if value:
                return str(value)
        return ""


class Region(Named):
    """First-level unit ("облыс" / "республикалық маңызы бар қала"), keyed by its KATO prefix."""

    class Kind(models.TextChoices):
        REGION = "region", _("region")
        CITY = "city", _("city of republican significance")

    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    class Meta:
        ordering = ["kato"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class District(Named):
    """Second-level unit: a district (аудан) or a city (қала) of regional significance, or a
    district of a city of republican significance."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("district")
        CITY = "city", _("city of regional significance")
        CITY_DISTRICT = "city_district", _("district of a city")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region")
    )
    kato = models.CharField(_("KATO code"), max_length=9, unique=True, null=True, blank=True)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["region__kato", "name_kk"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class CalendarDay(AuditedModel):
    """A day that breaks the Monday–Friday rule of the Labour Code calendar (R-X-1)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday")
        MOVED_DAY_OFF = "moved_day_off", _("day off moved from a holiday on a weekend")
        TRANSFERRED_DAY_OFF = "transferred_day_off", _("day off transferred by the government")
        WORKING_WEEKEND = "working_weekend", _("weekend day made a working day")
        EXTRA_DAY_OFF = "extra_day_off", _("extra day off")
        EXTRA_WORKING_DAY = "extra_working_day", _("extra working day")

    class Source(models.TextChoices):
        LIBRARY = "library", _("holidays package")
        ADMIN = "admin", _("administrator")

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    @property
    def name(self) -> str:
        lang = (translation.get_language() or "kk")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_kk or self.name_ru)


class LegalTerm(AuditedModel):
    """A legal term as data (R-X-6): a new edition of an order is a new row, not a code change."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        CALENDAR_DAYS = "calendar_days", _("calendar days")
        MONTHS = "months", _("months")

    rule_id = models.CharField(_("rule"), max_length=32)
    key = models.SlugField(
        _("term key"),
        max_length=64,
        default="main",
        help_text=_("Distinguishes several terms of one rule, e.g. stationary / semi-stationary."),
    )
    count = models.PositiveIntegerField(_("count"))
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    legal_act = models.CharField(_("legal act"), max_length=255)
    paragraph = models.CharField(_("paragraph"), max_length=64)
    effective_from = models.DateField(_("effective from"))
    description_kk = models.CharField(_("description (Kazakh)"), max_length=500)
    description_ru = models.CharField(_("description (Russian)"), max_length=500)
    description_en = models.CharField(_("description (English)"), max_length=500)

    class Meta:
        ordering = ["rule_id", "key", "-effective_from"]
        verbose_name = _("legal term")
        verbose_name_plural = _("legal terms")
        constraints = [
            models.UniqueConstraint(
                fields=["rule_id", "key", "effective_from"], name="legal_term_unique_edition"
            ),
            models.CheckConstraint(condition=models.Q(count__gt=0), name="legal_term_positive"),
        ]

    @property
    def description(self) -> str:
        lang = (translation.get_language() or "kk")[:2]
        return str(getattr(self, f"description_{lang}", "") or self.description_kk)

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.key}: {self.count} {self.unit} from {self.effective_from}"


class AppendOnlyModel(models.Model):
    """Rows are written once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise HistoryBypassError("audit.append_only", _("Audit records cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise HistoryBypassError("audit.append_only", _("Audit records cannot be deleted."))


class DomainEvent(AppendOnlyModel):
    """Who did what to which case, with reason codes (dotted verbs: ``journal.offer_place``)."""

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    verb = models.CharField(_("action"), max_length=80, db_index=True)
    subject_type = models.CharField(_("subject type"), max_length=80)
    subject_id = models.CharField(_("subject"), max_length=64)
    reason_codes = models.JSONField(_("reason codes"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("domain event")
        verbose_name_plural = _("domain events")
        indexes = [models.Index(fields=["subject_type", "subject_id", "occurred_at"])]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.verb} {self.subject_type}#{self.subject_id}"
        )


class PersonalFileAccess(AppendOnlyModel):
    """One read of a recipient's personal file (R-X-5): who, when, what and why."""

    accessed_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    subject_iin = models.CharField(_("IIN of the person"), max_length=12, db_index=True)
    subject_type = models.CharField(_("record type"), max_length=80)
    subject_id = models.CharField(_("record"), max_length=64)
    purpose = models.CharField(_("purpose"), max_length=255)
    path = models.CharField(_("page or API route"), max_length=500, blank=True)

    class Meta:
        ordering = ["-accessed_at", "-id"]
        # The reads of one record (a journal's page lists many persons): the person's report
        # (privacy.selectors.access_log_of) and the cabinet's check of it (issue 9).
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "id"], name="core_access_subject")
        ]
        verbose_name = _("personal file access")
        verbose_name_plural = _("personal file accesses")

    def __str__(self) -> str:
        return f"{self.accessed_at:%Y-%m-%d %H:%M} {self.subject_iin} {self.purpose}"


class IdempotencyRecord(models.Model):
    """The first answer to a write sent with an idempotency key (issue 10 item 7).

    ``qamqor.core.idempotency.IdempotencyMiddleware`` reserves the row (unique per user and key)
    in the same transaction as the write, so a write that commits always has its row and a
    replayed or double-clicked request gets the stored answer instead of a second record. A
    technical row, not a domain record: it holds the response, never personal data beyond it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("idempotency key"), max_length=100)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=2000, blank=True)
    content = models.BinaryField(_("content"), default=b"")
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_one_answer_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.key}: {self.status_code}"
