"""Reads of the organizations registry, scoped to the user (STYLE: access chokepoints)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.permissions import can, grants_of, organization_ids
from qamqor.accounts.roles import Role
from qamqor.core.errors import NotFoundError
from qamqor.core.search import any_contains
from qamqor.organizations.models import (
    IntegrationClient,
    Organization,
    OrganizationService,
    OrganizationStatus,
    ServiceCondition,
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
    # In the order of the form (R-ORG-2.4): stationary, semi-stationary, at home, temporary stay.
    order = Case(
        *(
            When(Q(condition=value), then=Value(i))
            for i, value in enumerate(ServiceCondition.values)
        ),
        default=Value(len(ServiceCondition.values)),
    )
    return OrganizationService.objects.filter(capacity__gt=0).order_by(order, "condition")


def _with_category(qs: QuerySet[Organization], category: str) -> QuerySet[Organization]:
    if connection.vendor == "postgresql":
        return qs.filter(categories__contains=[category])
    # SQLite has no JSON containment; the stored list is JSON text and category slugs are
    # distinct words, so the quoted slug matches exactly one element.
    return qs.annotate(_categories_text=Cast("categories", TextField())).filter(
        _categories_text__contains=f'"{category}"'
    )


#: R-ORG-4 public registry and staff list: the orders a person can choose.
SORTS = ("name", "district")


def _name_field(language: str | None) -> str:
    # Names are shown in the active language; English falls back to Russian (Organization.name).
    return "name_kk" if (language or "kk")[:2] == "kk" else "name_ru"


def _filtered(
    qs: QuerySet[Organization],
    *,
    q: str = "",
    region: str = "",
    district: str = "",
    condition: str = "",
    category: str = "",
    has_vacancy: bool = False,
) -> QuerySet[Organization]:
    q = q.strip()
    if q:
        qs, match = any_contains(qs, ["name_kk", "name_ru"], q)
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
    return qs


def sorted_organizations(
    qs: QuerySet[Organization], sort: str = "name", *, language: str | None = None
) -> QuerySet[Organization]:
    """``qs`` in the order asked for (``SORTS``), by names in ``language`` (default: active)."""
    name = _name_field(language or translation.get_language())
    if sort == "district":
        district_name = "district__name_kk" if name == "name_kk" else "district__name_ru"
        return qs.order_by(district_name, name, "pk")
    return qs.order_by(name, "pk")


#: What a list page shows of each entry (R-ORG-4 cards): loading only these columns makes a page of
#: 20 several times cheaper to build than whole rows of ~35 columns with their district and region.
LISTING_FIELDS = (
    "id",
    "name_kk",
    "name_ru",
    "bin",
    "status",
    "publication_consent",
    "excluded_on",
    *(f"district__{f}" for f in ("name_kk", "name_ru", "name_en", "region")),
    *(f"district__region__{f}" for f in ("name_kk", "name_ru", "name_en")),
)


def for_listing(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    """``qs`` with only the columns the registry lists show (the exports need every column)."""
    return qs.only(*LISTING_FIELDS)


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
    qs = _filtered(
        qs,
        q=q,
        region=region,
        district=district,
        condition=condition,
        category=category,
        has_vacancy=has_vacancy,
    )
    return qs.order_by("name_kk", "pk")


def staff_organizations(
    user: Any,
    *,
    q: str = "",
    region: str = "",
    district: str = "",
    condition: str = "",
    category: str = "",
    has_vacancy: bool = False,
    status: str = "",
) -> QuerySet[Organization]:
    """The back-office registry (R-ORG-4): every entry the user may see (``organizations_for``),
    including excluded and unconsented ones, filtered like the public one and by ``status``."""
    qs = organizations_for(user).prefetch_related(
        Prefetch("services", queryset=_offered_services())
    )
    if status:
        qs = qs.filter(status=status)
    qs = _filtered(
        qs,
        q=q,
        region=region,
        district=district,
        condition=condition,
        category=category,
        has_vacancy=has_vacancy,
    )
    return qs.order_by("name_kk", "pk")


@dataclass(frozen=True)
class HistoryEntry:
    """One change of an entry (R-ORG-3): when, by whom, what kind, which fields."""

    at: dt.datetime
    actor: Any
    kind: str  # "+" created, "~" changed, "-" deleted (never happens: R-X-5)
    changed_fields: list[str]


def organization_history(organization: Organization) -> list[HistoryEntry]:
    """The change history of an entry, newest first, with the actor and the changed fields."""
    records = list(
        organization.history.select_related("history_user").order_by(  # type: ignore[attr-defined]
            "-history_date", "-history_id"
        )
    )
    labels = {f.name: str(f.verbose_name) for f in Organization._meta.fields}
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changed: list[str] = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=["created_at", "updated_at"])
            changed = [labels.get(c.field, c.field) for c in delta.changes]
        entries.append(
            HistoryEntry(
                at=newer.history_date,
                actor=newer.history_user,
                kind=newer.history_type,
                changed_fields=changed,
            )
        )
    return entries


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


def offered_services_of(organization: Organization) -> list[OrganizationService]:
    """The conditions an entry offers, with their capacity (R-ORG-2.4, R-ORG-2.6)."""
    return list(_offered_services().filter(organization=organization))
