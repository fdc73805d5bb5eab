"""Organizations providing special social services ("ұйым"), R-ORG.

This is the foundation's part of the registry: identity, place, contacts and capacity per service
condition, enough for role scopes and demo data. The licence, consent and exclusion fields of
R-ORG-2…4 arrive with the registry issue.
"""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qamqor.core.fields import BINField, PhoneField
from qamqor.core.history import AuditedModel


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


class Organization(AuditedModel):
    """A licensed provider of special social services."""

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

    class Meta:
        ordering = ["name_kk"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    @property
    def name(self) -> str:
        lang = (translation.get_language() or "kk")[:2]
        return self.name_ru if lang == "ru" and self.name_ru else self.name_kk

    def __str__(self) -> str:
        return self.name


class OrganizationService(AuditedModel):
    """One service condition of an organization with its capacity (R-ORG-2.4, R-ORG-2.6)."""

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
