"""Reads of the organizations registry, scoped to the user (STYLE: access chokepoints)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.permissions import can, grants_of, organization_ids
from qamqor.accounts.roles import Role
from qamqor.core.errors import NotFoundError
from qamqor.organizations.models import (
    IntegrationClient,
    Organization,
    OrganizationService,
    OrganizationStatus,
    hash_token,
)

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


def _offered_services() -> QuerySet[OrganizationService]:
    # A condition with capacity 0 is one the provider no longer offers (see OrganizationService).
    return OrganizationService.objects.filter(capacity__gt=0).order_by("condition")


def _with_category(qs: QuerySet[Organization], category: str) -> QuerySet[Organization]:
    if connection.vendor == "postgresql":
        return qs.filter(categories__contains=[category])
    # SQLite has no JSON containment; the stored list is JSON text and category slugs are
    # distinct words, so the quoted slug matches exactly one element.
    return qs.annotate(_categories_text=Cast("categories", TextField())).filter(
        _categories_text__contains=f'"{category}"'
    )


def public_organizations(
    *,
    q: str = "",
    region: str = "",
    district: str = "",
    condition: str = "",
    category: str = "",
    has_vacancy: bool = False,
) -> QuerySet[Organization]:
    """The public registry (R-ORG-4): consented entries that are not excluded, filtered.

    ``q`` matches the Kazakh or Russian name (contains) or the BIN (prefix); ``region`` is a
    region's KATO code, ``district`` a district's slug or KATO code. ``has_vacancy`` means, for
    now, a capacity above 0 in the condition asked for (or any): occupancy comes with the
    journal (R-JRN), which will subtract occupied places.
    """
    qs = (
        Organization.objects.filter(publication_consent=True)
        .exclude(status=OrganizationStatus.EXCLUDED)
        .select_related("district", "district__region")
        .prefetch_related(Prefetch("services", queryset=_offered_services()))
    )
    q = q.strip()
    if q:
        match = Q(name_kk__icontains=q) | Q(name_ru__icontains=q)
        if q.isdigit():
            match |= Q(bin__startswith=q)
        qs = qs.filter(match)
    if region:
        qs = qs.filter(district__region__kato=region)
    if district:
        qs = qs.filter(Q(district__slug=district) | Q(district__kato=district))
    if category:
        qs = _with_category(qs, category)
    if condition or has_vacancy:
        services = _offered_services().filter(organization=OuterRef("pk"))
        if condition:
            services = services.filter(condition=condition)
        qs = qs.filter(Exists(services))
    return qs.order_by("name_kk", "pk")


def get_public_organization(pk: int) -> Organization:
    """One entry of the public registry, or NotFoundError (404) when it is not public."""
    org = public_organizations().filter(pk=pk).first()
    if org is None:
        raise NotFoundError("organization.not_found", _("No such organization."))
    return org


def integration_client_for_token(token: str) -> IntegrationClient | None:
    """The active integration client holding this bearer token, if any."""
    if not token:
        return None
    return IntegrationClient.objects.filter(token_hash=hash_token(token), is_active=True).first()
