"""Suppliers and their offers (R-POR-1, R-POR-6): registered by the registry administrator,
offers published and withdrawn by the supplier's own staff."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.models import User
from qamqor.accounts.permissions import can
from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role
from qamqor.cabinet.models import CatalogueItem, Offer, Supplier
from qamqor.core.audit import record_event
from qamqor.core.errors import DomainError, NotFoundError
from qamqor.core.history import acting_as
from qamqor.core.models import Region


@transaction.atomic(durable=True)
def register_supplier(
    *,
    actor: Any,
    bin: str,
    name_kk: str,
    name_ru: str,
    staff: list[User] = (),  # type: ignore[assignment]
) -> Supplier:
    """R-POR-1: a supplier (legal entity by BIN) and the people who act for it (role supplier
    scoped to it). Registering the same BIN again returns it and adds the staff."""
    with acting_as(actor):
        supplier, created = Supplier.objects.get_or_create(
            bin=bin, defaults={"name_kk": name_kk, "name_ru": name_ru}
        )
        if created:
            record_event("cabinet.supplier_registered", supplier, actor=actor, data={"bin": bin})
    for person in staff:
        grant_role(None, person, Role.SUPPLIER, supplier=supplier)
    return supplier


@transaction.atomic(durable=True)
def publish_offer(
    *,
    actor: User,
    supplier: Supplier,
    item: CatalogueItem,
    regions: list[Region],
    price: Decimal,
    delivery_days: int,
    delivery_terms: str = "",
) -> Offer:
    """R-POR-1: the supplier's staff publish an offer of a catalogue item in some regions.
    Refuses another supplier's staff (``offer.not_found``), no region (``offer.regions``) and
    a price that is not positive (``offer.price``)."""
    if not can(actor, "cabinet.manage_offers", supplier):
        raise NotFoundError("offer.not_found", _("This supplier was not found."))
    if not regions:
        raise DomainError("offer.regions", _("Choose at least one region."), field="regions")
    if price is None or price <= 0:
        raise DomainError("offer.price", _("The price must be above zero."), field="price")
    if delivery_days < 1:
        raise DomainError(
            "offer.delivery_days", _("Delivery takes at least one day."), field="delivery_days"
        )
    with acting_as(actor):
        offer = Offer.objects.create(
            supplier=supplier,
            item=item,
            price=price,
            delivery_days=delivery_days,
            delivery_terms=delivery_terms.strip(),
        )
        offer.regions.set(regions)
        record_event(
            "cabinet.offer_published",
            offer,
            actor=actor,
            data={"item": item.code, "price": str(price), "regions": [r.pk for r in regions]},
        )
    return offer


@transaction.atomic(durable=True)
def withdraw_offer(*, actor: User, offer: Offer) -> Offer:
    """The supplier withdraws an offer: no new orders; orders placed stay as they are."""
    if not can(actor, "cabinet.manage_offers", offer.supplier):
        raise NotFoundError("offer.not_found", _("This offer was not found."))
    if offer.withdrawn_at is None:
        with acting_as(actor):
            offer.withdrawn_at = timezone.now()
            offer.save(update_fields=["withdrawn_at", "updated_at"])
            record_event("cabinet.offer_withdrawn", offer, actor=actor)
    return offer
