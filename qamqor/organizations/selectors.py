"""Reads of the organizations registry, scoped to the user (STYLE: access chokepoints)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.permissions import can, grants_of, organization_ids
from qamqor.accounts.roles import Role
from qamqor.core.errors import NotFoundError
from qamqor.organizations.models import Organization

_SEE_ALL = {Role.MINISTRY, Role.REGISTRY_ADMIN, Role.DISTRICT_OFFICER}


def organizations_for(user: Any) -> QuerySet[Organization]:
    """Organizations the user may see in the back office."""
    qs = Organization.objects.select_related("district", "district__region")
    if getattr(user, "is_superuser", False) or grants_of(user).roles & {str(r) for r in _SEE_ALL}:
        return qs
    return qs.filter(pk__in=organization_ids(user, Role.ORGANIZATION_STAFF))


def get_organization_for(user: Any, pk: int, *, write: bool = False) -> Organization:
    """One organization, or NotFoundError (404) when it is not the user's to see."""
    org = organizations_for(user).filter(pk=pk).first()
    if org is None or (write and not can(user, "organizations.change_organization_contacts", org)):
        raise NotFoundError("organization.not_found", _("No such organization."))
    return org
