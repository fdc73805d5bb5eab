"""Organizations providing special social services ("ұйым"), R-ORG.

An entry holds every field of R-ORG-2 (names, BIN, address, conditions with capacity, categories,
contacts, licence, contract, inclusion, licence stop and exclusion), its status, and the provider's
consent to publication (R-ORG-4). Every change is history (``AuditedModel``, R-ORG-3); licence
events from the licensing system are kept append-only in ``LicenceEvent`` (R-ORG-1), and the
licensing system authenticates as an ``IntegrationClient``.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qamqor.core.fields import BINField, PhoneField
from qamqor.core.history import AuditedModel
from qamqor.core.models import AppendOnlyModel


class ServiceCondition(models.TextChoices):
    """R-ORG-2.4: the conditions in which special social services are provided."""

    STATIONARY = "stationary", _("stationary")
    SEMI_STATIONARY = "semi_stationary", _("semi-stationary")
    AT_HOME = "at_home", _("at home")
    TEMPORARY_STAY = "temporary_stay", _("temporary stay")


class RecipientCategory(models.TextChoices):
    """R-ORG-2.5: the nine categories of recipients (seed 000, p.5.5)."""

    CHILD_PSYCHONEURO = (
        "child_psychoneuro",
        _("children with disabilities with psychoneurological disorders"),
    )
    CHILD_MUSCULOSKELETAL = (
        "child_musculoskeletal",
        _("children with disabilities with musculoskeletal disorders"),
    )
    ADULT_PSYCHONEURO = (
        "adult_psychoneuro",
        _("persons with disabilities over 18 with psychoneurological diseases"),
    )
    DISABILITY_GROUP_1_2 = "disability_group_1_2", _("persons with disabilities of groups I and II")
    ELDERLY = "elderly", _("persons unable to care for themselves because of old age")
    HOMELESS = "homeless", _("persons without a fixed place of residence")
    RELEASED = (
        "released",
        _(
            "persons released from places of deprivation of liberty "
            "and/or registered with probation"
        ),
    )
    DOMESTIC_VIOLENCE = "domestic_violence", _("victims of domestic violence")
    TRAFFICKING = "trafficking", _("victims of human trafficking")


class OrganizationStatus(models.TextChoices):
    """Where an entry stands with its licence (R-ORG-1, R-ORG-3)."""

    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("licence suspended")
    EXCLUDED = "excluded", _("excluded from the registry")


def _null_or_not_before(later: str, earlier: str) -> Q:
    # Spelled out for NULLs: Django's Python-side constraint check treats NULL as a failure.
    return (
        Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)})
    )


class Organization(AuditedModel):
    """A licensed provider of special social services ("ұйым"), one entry of the registry."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=500)
    name_ru = models.CharField(_("name (Russian)"), max_length=500)
    bin = BINField(_("BIN"), unique=True)
    district = models.ForeignKey(
        "core.District",
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("district"),
    )
    legal_address = models.CharField(_("legal address"), max_length=500)
    phone = PhoneField(_("phone"), blank=True, null=True)
    email = models.EmailField(_("e-mail"), blank=True)
    categories = models.JSONField(
        _("recipient categories"),
        default=list,
        help_text=_("One or more of the nine recipient categories (R-ORG-2.5)."),
    )
    # R-ORG-2.8–2.13: licence, contract, inclusion and exclusion.
    licence_number = models.CharField(_("licence number"), max_length=64, blank=True, default="")
    licence_issued_on = models.DateField(_("licence issue date"), null=True, blank=True)
    licence_valid_until = models.DateField(
        _("licence valid until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a licence without a time limit."),
    )
    reregistered_on = models.DateField(_("licence re-registration date"), null=True, blank=True)
    contract_signed_on = models.DateField(_("service contract date"), null=True, blank=True)
    contract_valid_until = models.DateField(_("service contract term"), null=True, blank=True)
    included_on = models.DateField(_("date of inclusion"), null=True, blank=True)
    licence_stopped_on = models.DateField(_("date the licence stopped"), null=True, blank=True)
    excluded_on = models.DateField(_("date of exclusion"), null=True, blank=True)
    exclusion_basis = models.TextField(_("basis of exclusion"), blank=True, default="")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
        db_index=True,
    )
    # R-ORG-4: public only with the provider's consent, given and withdrawn with a date.
    publication_consent = models.BooleanField(_("consents to publication"), default=False)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["name_kk"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        # The registry pages sort by the name in the page's language and show 20 (R-ORG-4): an
        # index in that order lets the database stop after the first page.
        indexes = [
            models.Index(fields=["name_kk", "id"], name="organization_name_kk_order"),
            models.Index(fields=["name_ru", "id"], name="organization_name_ru_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["licence_number"],
                condition=~Q(licence_number=""),
                name="organization_licence_number_unique",
                violation_error_message=_("This licence number belongs to another organization."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrganizationStatus.values),
                name="organization_status_valid",
            ),
            # R-ORG-3: excluded exactly when an exclusion date and basis are recorded.
            models.CheckConstraint(
                condition=(
                    Q(status=OrganizationStatus.EXCLUDED, excluded_on__isnull=False)
                    & ~Q(exclusion_basis="")
                )
                | (~Q(status=OrganizationStatus.EXCLUDED) & Q(excluded_on__isnull=True)),
                name="organization_excluded_with_date_and_basis",
                violation_error_message=_(
                    "An excluded organization needs a date and a basis of exclusion, and only an "
                    "excluded one has them."
                ),
            ),
            # R-ORG-4: consent is recorded with its date.
            models.CheckConstraint(
                condition=Q(publication_consent=False) | Q(consent_given_on__isnull=False),
                name="organization_consent_has_date",
                violation_error_message=_("Consent to publication needs the date it was given."),
            ),
            models.CheckConstraint(
                condition=_null_or_not_before("licence_valid_until", "licence_issued_on"),
                name="organization_licence_validity_after_issue",
                violation_error_message=_(
                    "The licence cannot expire before the date it was issued."
                ),
            ),
            models.CheckConstraint(
                condition=_null_or_not_before("contract_valid_until", "contract_signed_on"),
                name="organization_contract_term_after_signing",
                violation_error_message=_(
                    "The service contract cannot end before the date it was signed."
                ),
            ),
        ]

    @property
    def is_public(self) -> bool:
        """R-ORG-4: shown to the public only with consent, and never once excluded."""
        return self.publication_consent and self.status != OrganizationStatus.EXCLUDED

    @property
    def is_excluded(self) -> bool:
        return self.status == OrganizationStatus.EXCLUDED

    @property
    def name(self) -> str:
        """The name in the active language; Russian for English (there is no English name)."""
        lang = (translation.get_language() or "kk")[:2]
        return self.name_ru if lang != "kk" and self.name_ru else self.name_kk

    def __str__(self) -> str:
        return self.name


class OrganizationService(AuditedModel):
    """One service condition of an organization with its capacity (R-ORG-2.4, R-ORG-2.6).

    Rows are never deleted: a condition the provider no longer offers keeps its row with
    capacity 0, and the registry treats only conditions with capacity above 0 as offered.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("organization"),
    )
    condition = models.CharField(
        _("service condition"), max_length=32, choices=ServiceCondition.choices
    )
    capacity = models.PositiveIntegerField(_("capacity (places)"))

    class Meta:
        ordering = ["organization", "condition"]
        verbose_name = _("service condition of an organization")
        verbose_name_plural = _("service conditions of organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "condition"], name="organization_condition_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_condition_display()} ({self.capacity})"


class LicenceEventKind(models.TextChoices):
    """What the licensing system tells the registry about a licence (R-ORG-1, R-ORG-3)."""

    ISSUED = "issued", _("licence issued")
    REISSUED = "reissued", _("licence re-issued")
    SUSPENDED = "suspended", _("licence suspended")
    TERMINATED = "terminated", _("licence terminated")


class LicenceEventSource(models.TextChoices):
    API = "api", _("API of the licensing system")
    IMPORT = "import", _("file import")


class LicenceEvent(AppendOnlyModel):
    """One applied event from the licensing system, kept as received (R-ORG-1).

    ``event_id`` is the licensing system's id and makes delivery idempotent: the same id with
    the same content (``content_hash``) is skipped, with different content refused.
    """

    event_id = models.CharField(_("event id"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=LicenceEventKind.choices)
    licence_number = models.CharField(_("licence number"), max_length=64, db_index=True)
    bin = BINField(_("BIN"))
    payload = models.JSONField(_("payload"), default=dict)
    content_hash = models.CharField(_("content hash"), max_length=64)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="licence_events",
        verbose_name=_("organization"),
    )
    batch_id = models.UUIDField(_("batch"), db_index=True)
    source = models.CharField(
        _("source"), max_length=16, choices=LicenceEventSource.choices, default="api"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("licence event")
        verbose_name_plural = _("licence events")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LicenceEventKind.values), name="licence_event_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind} {self.licence_number}"


class IntegrationScope(models.TextChoices):
    LICENCE_EVENTS = "licence_events", _("send licence events")


def hash_token(token: str) -> str:
    """SHA-256 of a client token: only the hash is stored, the token is shown once."""
    return hashlib.sha256(token.encode()).hexdigest()


class IntegrationClient(AuditedModel):
    """An external system (the licensing system) calling the API with its own bearer token."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    scopes = models.JSONField(_("allowed scopes"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("integration client")
        verbose_name_plural = _("integration clients")

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes
