"""Reads of the cabinet (R-POR-2, R-POR-5): always scoped. A person reads their own measures and
orders (or those of a person they represent), a supplier only orders addressed to it, an officer
only reimbursements of their district; anything else is 404 through the ``get_*_for``
chokepoints."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.models import User
from qamqor.accounts.permissions import district_ids, supplier_ids
from qamqor.accounts.representation import acting_for, can_act_for
from qamqor.accounts.roles import Role
from qamqor.cabinet.models import (
    CatalogueItem,
    Measure,
    MeasureStatus,
    Offer,
    Order,
    OrderStatus,
    RecommendedService,
    SocialPackageItem,
    Supplier,
)
from qamqor.core.errors import NotFoundError


def cabinet_person(request: HttpRequest) -> User:
    """Whose cabinet this request shows: the person the user acts for, else the user."""
    return acting_for(request) or request.user  # type: ignore[return-value]


def measures_of(person: User) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(ipr__person=person)
        .select_related("ipr", "item", "ipr__district")
        .order_by("status", "choice_until", "pk")
    )


def orders_of(person: User) -> QuerySet[Order]:
    return Order.objects.filter(person=person).select_related(
        "measure__item", "supplier", "measure__ipr"
    )


def recommended_services_of(person: User) -> QuerySet[RecommendedService]:
    return RecommendedService.objects.filter(person=person)


def social_package_of(person: User) -> QuerySet[SocialPackageItem]:
    return SocialPackageItem.objects.filter(person=person)


def _for(actor: Any, person: User) -> None:
    if not can_act_for(actor, person):
        raise NotFoundError("cabinet.not_found", _("This was not found."))


def get_measure_for(actor: Any, person: User, pk: Any) -> Measure:
    _for(actor, person)
    found = measures_of(person).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("cabinet.not_found", _("This measure was not found."))
    return found


def get_order_for_person(actor: Any, person: User, pk: Any) -> Order:
    _for(actor, person)
    found = orders_of(person).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("order.not_found", _("This order was not found."))
    return found


def offers_for_measure(measure: Measure) -> QuerySet[Offer]:
    """R-POR-4: the offers a person may choose for a measure: the same catalogue item, in the
    region of the person's IPR district, by an active supplier, not withdrawn."""
    return (
        Offer.objects.filter(
            item_id=measure.item_id,
            regions=measure.ipr.district.region_id,
            withdrawn_at__isnull=True,
            supplier__is_active=True,
        )
        .select_related("supplier", "item")
        .order_by("price", "delivery_days", "pk")
    )


def get_offer_for_measure(measure: Measure, pk: Any) -> Offer:
    try:
        found = offers_for_measure(measure).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFoundError("order.offer_unavailable", _("This offer is not available."))
    return found


def catalogue_search(person: User, q: str = "", *, only_mine: bool = True) -> QuerySet[Offer]:
    """Issue item 3: the catalogue of offers for a recipient, filtered by the items of their
    IPR measures still awaiting a choice and by the regions of their IPR districts."""
    offers = _searched(_available_offers(), q)
    if only_mine:
        mine = Measure.objects.filter(ipr__person=person)
        offers = offers.filter(
            item__in=mine.filter(status=MeasureStatus.AWAITING_CHOICE).values("item"),
            regions__in=mine.values("ipr__district__region"),
        )
    return _in_catalogue_order(offers)


def offers_for_measures(measures: list[Measure]) -> QuerySet[Offer]:
    """``catalogue_search(person)`` for the person's measures already read (the cabinet's IPR
    section read them with their IPR district): the same offers, without reading the measures
    again in two subqueries (issue 9)."""
    items = {m.item_id for m in measures if m.status == MeasureStatus.AWAITING_CHOICE}
    regions = {m.ipr.district.region_id for m in measures}
    return _in_catalogue_order(_available_offers().filter(item_id__in=items, regions__in=regions))


def _in_catalogue_order(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """Each offer once (an offer in two of the person's regions matches twice), by item, price."""
    return offers.distinct().order_by("item__code", "price", "pk")


def _available_offers() -> QuerySet[Offer]:
    return Offer.objects.filter(withdrawn_at__isnull=True, supplier__is_active=True).select_related(
        "supplier", "item"
    )


def _searched(offers: QuerySet[Offer], q: str) -> QuerySet[Offer]:
    """Offers whose item (name or code) or supplier matches ``q`` (kk or ru)."""
    term = q.strip()
    if not term:
        return offers
    return offers.filter(
        Q(item__name_kk__icontains=term)
        | Q(item__name_ru__icontains=term)
        | Q(item__code__iexact=term)
        | Q(supplier__name_kk__icontains=term)
        | Q(supplier__name_ru__icontains=term)
    )


def catalogue_items() -> QuerySet[CatalogueItem]:
    return CatalogueItem.objects.filter(is_active=True).order_by("code")


# --- Suppliers -------------------------------------------------------------------------------


def suppliers_of(user: Any) -> QuerySet[Supplier]:
    return Supplier.objects.filter(pk__in=supplier_ids(user, Role.SUPPLIER)).order_by("pk")


def orders_for_supplier(user: Any) -> QuerySet[Order]:
    """R-POR-5: a supplier sees only the orders addressed to it."""
    return Order.objects.filter(supplier_id__in=supplier_ids(user, Role.SUPPLIER)).select_related(
        "measure__item", "person", "supplier"
    )


def get_order_for_supplier(user: Any, pk: Any) -> Order:
    found = orders_for_supplier(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("order.not_found", _("This order was not found."))
    return found


def offers_of_supplier(user: Any) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(supplier_id__in=supplier_ids(user, Role.SUPPLIER))
        .select_related("item", "supplier")
        .prefetch_related("regions")
        .order_by("withdrawn_at", "item__code", "pk")
    )


def get_offer_for_supplier(user: Any, pk: Any) -> Offer:
    found = offers_of_supplier(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("offer.not_found", _("This offer was not found."))
    return found


# --- The local executive body (R-POR-5) --------------------------------------------------------


def reimbursement_queue(user: Any, *, waiting_only: bool = True) -> QuerySet[Order]:
    """Reimbursement requests of the officer's districts, oldest first."""
    qs = Order.objects.filter(district_id__in=district_ids(user, Role.DISTRICT_OFFICER))
    if waiting_only:
        qs = qs.filter(status=OrderStatus.REIMBURSEMENT_REQUESTED)
    return qs.select_related("measure__item", "person", "supplier", "measure__ipr").order_by(
        "updated_at", "pk"
    )


def get_order_for_officer(user: Any, pk: Any) -> Order:
    found = reimbursement_queue(user, waiting_only=False).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("order.not_found", _("This order was not found."))
    return found


def public_offers(q: str = "", item: str = "", region: str = "") -> QuerySet[Offer]:
    """The public catalogue of offers: not withdrawn, active suppliers; by item code, region
    KATO and a search term."""
    offers = _searched(_available_offers(), q)
    if item:
        offers = offers.filter(item__code=item)
    if region:
        offers = offers.filter(regions__kato=region)
    return offers.distinct().order_by("item__code", "price", "pk")
