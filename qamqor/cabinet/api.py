"""The cabinet API (R-POR-2…5): ``/api/v1/cabinet`` for the person (session), ``/api/v1/suppliers``
for the public catalogue of offers and the supplier's orders, ``/api/v1/ipr`` for E-Sobes (an
integration client's bearer token with the scope ``ipr_records``)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from qamqor.accounts import signing
from qamqor.accounts.representation import act_parties
from qamqor.api.pagination import Pages
from qamqor.cabinet import selectors
from qamqor.cabinet.schemas import (
    ActOut,
    CabinetOut,
    ErrorsOut,
    IprRecordsIn,
    IprRecordsOut,
    OfferOut,
    OrderDetailOut,
    OrderOut,
    PlaceOrderIn,
)
from qamqor.cabinet.services import orders
from qamqor.cabinet.services.ipr_import import IprRowInput, api_errors, apply_ipr_rows
from qamqor.core.errors import PermissionDeniedError
from qamqor.organizations.api import IntegrationBearer

IPR_SCOPE = "ipr_records"


cabinet_router = Router(tags=["personal cabinet"], auth=django_auth)
suppliers_router = Router(tags=["suppliers"])
ipr_router = Router(tags=["IPR from E-Sobes"])


# --- /api/v1/cabinet ----------------------------------------------------------------------------


@cabinet_router.get("", response=CabinetOut)
def get_cabinet(request: HttpRequest) -> dict[str, Any]:
    """R-POR-2: the person's IPR measures and orders (the person acted for, if any)."""
    person = selectors.cabinet_person(request)
    return {
        "person_iin": person.iin,
        "person_name": person.get_full_name(),
        "measures": list(selectors.measures_of(person)),
        "orders": list(selectors.orders_of(person)),
    }


@cabinet_router.get("/measures/{int:pk}/offers", response=list[OfferOut])
def measure_offers(request: HttpRequest, pk: int) -> Any:
    person = selectors.cabinet_person(request)
    return list(selectors.offers_for_measure(selectors.get_measure_for(request.user, person, pk)))


@cabinet_router.get("/measures/{int:pk}/act", response=ActOut)
def order_act(request: HttpRequest, pk: int, offer: int) -> dict[str, Any]:
    """R-POR-5: the act to sign for this offer, and what the person pays above the sum."""
    signer, on_behalf_of = act_parties(request)
    person = on_behalf_of or signer
    measure = selectors.get_measure_for(signer, person, pk)
    chosen = selectors.get_offer_for_measure(measure, offer)
    act = orders.application_act(measure, chosen, person)
    return {
        "act": act,
        "content": signing.canonical_bytes(act).decode(),
        **orders.price_of(measure, chosen),
    }


@cabinet_router.post(
    "/measures/{int:pk}/orders", response={201: OrderOut, 400: ErrorsOut, 409: ErrorsOut}
)
def place_order(
    request: HttpRequest,
    pk: int,
    body: PlaceOrderIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    """R-POR-4, R-POR-5: order within the window with the signed application."""
    signer, on_behalf_of = act_parties(request)
    person = on_behalf_of or signer
    measure = selectors.get_measure_for(signer, person, pk)
    offer = selectors.get_offer_for_measure(measure, body.offer_id)
    order = orders.place_order(
        signer=signer,
        on_behalf_of=on_behalf_of,
        measure=measure,
        offer=offer,
        cms=body.cms,
        idempotency_key=idempotency_key,
    )
    return Status(201, order)


@cabinet_router.get("/orders/{int:pk}", response=OrderDetailOut)
def get_order(request: HttpRequest, pk: int) -> Any:
    return selectors.get_order_for_person(request.user, selectors.cabinet_person(request), pk)


@cabinet_router.post("/orders/{int:pk}/confirm", response={200: OrderOut, 409: ErrorsOut})
def confirm_delivery(request: HttpRequest, pk: int) -> Any:
    order = selectors.get_order_for_person(request.user, selectors.cabinet_person(request), pk)
    return orders.confirm_delivery(actor=request.user, order=order)  # type: ignore[arg-type]


# --- /api/v1/suppliers --------------------------------------------------------------------------


class OfferFilters(Schema):
    q: str = ""
    item: str = ""
    region: str = ""


@suppliers_router.get("/offers", response=list[OfferOut], auth=None)
@paginate(Pages, page_size=50, max_page_size=200)
def list_offers(request: HttpRequest, filters: Query[OfferFilters]) -> Any:
    """The public catalogue of offers (issue item 3), by item code and region KATO."""
    return selectors.public_offers(**filters.dict())


@suppliers_router.get("/orders", response=list[OrderOut], auth=django_auth)
@paginate(Pages, page_size=50, max_page_size=200)
def supplier_orders(request: HttpRequest) -> Any:
    """R-POR-5: only the orders addressed to the supplier the user acts for."""
    return selectors.orders_for_supplier(request.user)


@suppliers_router.post(
    "/orders/{int:pk}/accept", response={200: OrderOut, 409: ErrorsOut}, auth=django_auth
)
def accept(request: HttpRequest, pk: int) -> Any:
    order = selectors.get_order_for_supplier(request.user, pk)
    return orders.accept_order(actor=request.user, order=order)  # type: ignore[arg-type]


@suppliers_router.post(
    "/orders/{int:pk}/hand-over", response={200: OrderOut, 409: ErrorsOut}, auth=django_auth
)
def hand_over(request: HttpRequest, pk: int) -> Any:
    order = selectors.get_order_for_supplier(request.user, pk)
    return orders.hand_over(actor=request.user, order=order)  # type: ignore[arg-type]


# --- /api/v1/ipr --------------------------------------------------------------------------------


@ipr_router.post(
    "/records", response={200: IprRecordsOut, 400: ErrorsOut}, auth=IntegrationBearer()
)
def post_records(request: HttpRequest, body: IprRecordsIn) -> Any:
    """R-POR-3: IPR measures from E-Sobes, all or nothing, idempotent; 400 lists every bad
    record as ``records[i].field``."""
    client = request.auth  # type: ignore[attr-defined]
    if not client.has_scope(IPR_SCOPE):
        raise PermissionDeniedError("integration.scope", _("This client may not send IPR data."))
    rows = [
        IprRowInput(**{k: str(v) for k, v in r.dict().items()}, line=None) for r in body.records
    ]
    result = apply_ipr_rows(rows, source="api")
    if not result.ok:
        return Status(400, {"errors": api_errors(result)})
    return Status(
        200,
        {
            "batch_id": str(result.batch_id),
            "applied": result.count("applied"),
            "already_applied": result.count("already_applied"),
            "duplicate_in_batch": result.count("duplicate_in_batch"),
            "outcomes": result.outcomes,
        },
    )
