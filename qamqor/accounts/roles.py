"""The roles of SPEC.md (Actors) and which scope each one needs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECIPIENT = "recipient", _("recipient of services")
    LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")
    INTAKE_OPERATOR = "intake_operator", _("State Corporation intake operator")
    DISTRICT_OFFICER = "district_officer", _("local executive body officer")
    SOCIAL_WORKER = "social_worker", _("social worker")
    ORGANIZATION_STAFF = "organization_staff", _("organization staff")
    SUPPLIER = "supplier", _("supplier of goods and services")
    REGISTRY_ADMIN = "registry_admin", _("registry administrator")
    MINISTRY = "ministry", _("ministry (authorized body)")
    QUALITY_AUTHORITY = "quality_authority", _("quality authority")
    APPLICANT_SPECIALIST = "applicant_specialist", _("applicant specialist")


class Scope(models.TextChoices):
    NONE = "none", _("no scope")
    DISTRICT = "district", _("district")
    ORGANIZATION = "organization", _("organization")
    SUPPLIER = "supplier", _("supplier")


# Which scope each role is bound to. Local executive body staff act only in their district;
# organization staff only in their organization; supplier staff only for their supplier (a legal
# entity by BIN, ``cabinet.Supplier``). A supplier grant without a supplier is allowed (older
# grants, a login not yet linked) and sees no supplier's data.
ROLE_SCOPE: dict[Role, Scope] = {
    Role.RECIPIENT: Scope.NONE,
    Role.LEGAL_REPRESENTATIVE: Scope.NONE,
    Role.INTAKE_OPERATOR: Scope.NONE,
    Role.DISTRICT_OFFICER: Scope.DISTRICT,
    Role.SOCIAL_WORKER: Scope.DISTRICT,
    Role.ORGANIZATION_STAFF: Scope.ORGANIZATION,
    Role.SUPPLIER: Scope.SUPPLIER,
    Role.REGISTRY_ADMIN: Scope.NONE,
    Role.MINISTRY: Scope.NONE,
    Role.QUALITY_AUTHORITY: Scope.NONE,
    Role.APPLICANT_SPECIALIST: Scope.NONE,
}

STAFF_ROLES = frozenset(
    {
        Role.INTAKE_OPERATOR,
        Role.DISTRICT_OFFICER,
        Role.SOCIAL_WORKER,
        Role.ORGANIZATION_STAFF,
        Role.REGISTRY_ADMIN,
        Role.MINISTRY,
        Role.QUALITY_AUTHORITY,
    }
)
