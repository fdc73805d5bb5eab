"""R-POR-4, R-POR-5: choosing a supplier within the window, the signed order with its
reimbursement application, and the order's steps to the local executive body's decision.

Every command is one transaction that checks who acts, checks the state (``workflow``), writes
the new state with a compare-and-set update, appends an ``OrderTransition`` and a domain event,
and notifies the person when the step asks something of them (R-POR-4: choose; confirm the
delivery) or tells them an outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qamqor.accounts import signing
from qamqor.accounts.models import User
from qamqor.accounts.permissions import can
from qamqor.accounts.representation import can_act_for
from qamqor.accounts.roles import Role
from qamqor.cabinet.models import (
    Measure,
    MeasureStatus,
    Offer,
    Order,
    OrderStatus,
    OrderTransition,
)
from qamqor.cabinet.workflow import ensure_transition
from qamqor.core.audit import record_event
from qamqor.core.errors import ConflictError, DomainError, NotFoundError
from qamqor.core.history import acting_as, history_rows_from_table
from qamqor.core.history import audited_update as _audited_update

APPLICATION_KIND = "cabinet.reimbursement_application"


def audited_update(queryset: Any, **fields: Any) -> int:
    """``core.history.audited_update`` (its signature wants the audited queryset type, which
    the managers return at runtime)."""
    return _audited_update(queryset, **fields)


# --- The window (R-POR-4) ----------------------------------------------------------------------


def is_choice_open(measure: Measure, today: dt.date | None = None) -> bool:
    """R-POR-4: a supplier may be chosen up to and including ``choice_until``."""
    day = today or timezone.localdate()
    return (
        measure.status == MeasureStatus.AWAITING_CHOICE
        and measure.choice_until is not None
        and day <= measure.choice_until
    )


def days_left(measure: Measure, today: dt.date | None = None) -> int | None:
    if measure.choice_until is None or measure.status != MeasureStatus.AWAITING_CHOICE:
        return None
    return max((measure.choice_until - (today or timezone.localdate())).days, -1)


EXPIRE_CHUNK = 20_000  # measures per transaction of the sweep (a key range each)


def _expire_chunk(day: dt.date, low: int, high: int) -> int:
    """One transaction: a compare-and-set ``UPDATE … RETURNING`` of the measures with keys in
    [low, high] still awaiting a choice after ``day``, their history rows by ``INSERT … SELECT``
    and one domain event with the count."""
    table = connection.ops.quote_name(Measure._meta.db_table)
    sql = (
        f"UPDATE {table} SET status = %s "  # noqa: S608  # nosec B608 - name from the model
        "WHERE status = %s AND choice_until < %s AND id BETWEEN %s AND %s RETURNING id"
    )
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        cursor.execute(sql, [MeasureStatus.EXPIRED, MeasureStatus.AWAITING_CHOICE, day, low, high])
        pks = sorted(row[0] for row in cursor.fetchall())
        if pks:
            history_rows_from_table(Measure, pks)
            record_event(
                "cabinet.measures_expired",
                ("cabinet.measure", "*"),
                data={"count": len(pks), "on": day.isoformat(), "ids": [pks[0], pks[-1]]},
            )
    return len(pks)


def expire_measures(today: dt.date | None = None) -> int:
    """R-POR-4, the daily sweep: measures still awaiting a choice after their last day become
    "term expired"; set-based and idempotent (a second run finds nothing).

    Issue 9: the measures are walked by key range (``EXPIRE_CHUNK`` measures per transaction,
    found through the partial index ``measure_awaiting_until``), so no transaction holds its row
    locks long; every chunk writes its state, its history rows and its event together, so a worker
    killed mid-run leaves whole chunks and the rerun expires the rest, each measure once."""
    day = today or timezone.localdate()
    # The keys come from the partial index alone (an index-only scan that is empty on a daily
    # run); a MIN/MAX here made PostgreSQL walk the primary key over every measure once none
    # was left to expire.
    keys = list(
        Measure.objects.filter(status=MeasureStatus.AWAITING_CHOICE, choice_until__lt=day)
        .order_by("id")
        .values_list("id", flat=True)
    )
    count = 0
    for start in range(0, len(keys), EXPIRE_CHUNK):
        chunk = keys[start : start + EXPIRE_CHUNK]
        count += _expire_chunk(day, chunk[0], chunk[-1])
    return count


# --- The order and the signed application (R-POR-5) --------------------------------------------


def price_of(measure: Measure, offer: Offer) -> dict[str, Decimal]:
    """R-POR-5: the price, the guaranteed sum and what the person pays above it."""
    price = offer.price * measure.quantity
    guaranteed = measure.item.guaranteed_sum * measure.quantity
    return {
        "price": price,
        "guaranteed_sum": guaranteed,
        "person_pays": max(price - guaranteed, Decimal("0")),
    }


def application_act(measure: Measure, offer: Offer, person: User) -> dict[str, Any]:
    """What the person signs: the application to the supplier for reimbursement of the
    guaranteed sum from the local budget, with the order it comes with (R-POR-5)."""
    sums = price_of(measure, offer)
    return {
        "act": APPLICATION_KIND,
        "person_iin": person.iin,
        "person": person.get_full_name(),
        "ipr_number": measure.ipr.number,
        "measure_id": measure.pk,
        "item_code": measure.item.code,
        "item": measure.item.name_ru,
        "quantity": measure.quantity,
        "supplier_bin": offer.supplier.bin,
        "supplier": offer.supplier.name_ru,
        "offer_id": offer.pk,
        "price": str(sums["price"]),
        "guaranteed_sum": str(sums["guaranteed_sum"]),
        "person_pays": str(sums["person_pays"]),
    }


def _check_offer(measure: Measure, offer: Offer) -> None:
    region_id = measure.ipr.district.region_id
    if (
        offer.item_id != measure.item_id
        or offer.withdrawn_at is not None
        or not offer.supplier.is_active
        or not offer.regions.filter(pk=region_id).exists()
    ):
        raise DomainError(
            "order.offer_unavailable",
            _("This offer is not available for this measure in your region."),
            field="offer",
        )


def _check_window(measure: Measure, today: dt.date) -> None:
    if measure.status == MeasureStatus.EXPIRED or (
        measure.status == MeasureStatus.AWAITING_CHOICE
        and (measure.choice_until is None or today > measure.choice_until)
    ):
        raise DomainError(
            "order.term_expired",
            _("The two months to choose a supplier have passed: the choice is closed."),
        )
    if measure.status != MeasureStatus.AWAITING_CHOICE:
        raise ConflictError("order.already_ordered", _("This measure is already ordered."))


def _step(order: Order, new: OrderStatus, actor: Any, reason: str = "") -> None:
    ensure_transition(order.status, new)
    changed = audited_update(
        Order.objects.filter(pk=order.pk, status=order.status),
        status=new,
        **({"rejection_reason": reason} if new == OrderStatus.REJECTED else {}),
    )
    if changed != 1:
        raise ConflictError(
            "order.changed", _("Someone changed this order meanwhile. Reload the page.")
        )
    OrderTransition.objects.create(
        order=order, from_status=order.status, to_status=new, actor=actor, reason=reason
    )
    record_event(
        f"cabinet.order_{new}",
        order,
        actor=actor,
        comment=reason,
        data={"from": order.status, "to": str(new)},
    )
    order.status = new
    if new == OrderStatus.REJECTED:
        order.rejection_reason = reason


def _staff(role: Role, **scope: Any) -> list[User]:
    """The active users holding ``role`` with this scope (a supplier, a district)."""
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=role,
            role_assignments__revoked_at__isnull=True,
            **{f"role_assignments__{k}": v for k, v in scope.items()},
        ).distinct()
    )


def _notify(person: User, kind: str, subject: Any, body: Any, order: Order, url: str = "") -> None:
    from qamqor.notifications.services import notify

    item = order.measure.item
    notify(
        person,
        kind=kind,
        subject=subject,
        body=body,
        params={
            "number": order.pk,
            "item": item.name_ru if person.language == "ru" else item.name_kk,
            "supplier": order.supplier.name_ru
            if person.language == "ru"
            else order.supplier.name_kk,
        },
        url=url or f"/cabinet/orders/{order.pk}/",
    )


NEW_ORDER_SUBJECT = _("New order No. %(number)s: “%(item)s”")
NEW_ORDER_BODY = _(
    "A person ordered “%(item)s” from you and signed the reimbursement application. Open the "
    "order in the supplier's office and accept it."
)
REQUESTED_SUBJECT = _("Order No. %(number)s: a reimbursement to decide")
REQUESTED_BODY = _(
    "The person confirmed the delivery of “%(item)s” by %(supplier)s. Decide on the "
    "reimbursement of the guaranteed sum."
)


def place_order(
    *,
    signer: User,
    on_behalf_of: User | None,
    measure: Measure,
    offer: Offer,
    cms: bytes | str,
    idempotency_key: str | None = None,
    today: dt.date | None = None,
) -> Order:
    """R-POR-4, R-POR-5: order ``measure`` from ``offer`` and sign the reimbursement
    application. The signer is the person or their legal representative.

    Refuses someone else's measure (``order.not_found``), a choice after the window
    (``order.term_expired``: the last day is allowed, the day after is not), a measure already
    ordered, an offer for another item or region, and a signature that does not verify or is
    not the signer's (``esign.*``); nothing is written on a refusal. A replay with the same
    ``Idempotency-Key`` returns the first order."""
    person = on_behalf_of or signer
    if measure.ipr.person_id != person.pk or not can_act_for(signer, person):
        raise NotFoundError("order.not_found", _("This measure was not found."))
    if idempotency_key:
        first = Order.objects.filter(idempotency_key=idempotency_key, person=person).first()
        if first is not None:
            return first
    day = today or timezone.localdate()
    _check_window(measure, day)
    _check_offer(measure, offer)
    act = application_act(measure, offer, person)
    content = signing.canonical_bytes(act)
    try:
        with transaction.atomic(durable=True), acting_as(signer):
            document = signing.record_signed_document(
                kind=APPLICATION_KIND,
                content=content,
                cms=cms,
                signed_by=signer,
                on_behalf_of=on_behalf_of,
            )
            claimed = audited_update(
                Measure.objects.filter(pk=measure.pk, status=MeasureStatus.AWAITING_CHOICE),
                status=MeasureStatus.ORDERED,
            )
            if claimed != 1:
                raise ConflictError("order.already_ordered", _("This measure is already ordered."))
            sums = price_of(measure, offer)
            order = Order.objects.create(
                measure=measure,
                person=person,
                supplier=offer.supplier,
                offer=offer,
                district=measure.ipr.district,
                quantity=measure.quantity,
                application=document,
                idempotency_key=idempotency_key or None,
                **sums,
            )
            OrderTransition.objects.create(
                order=order, from_status="", to_status=OrderStatus.ORDERED, actor=signer
            )
            record_event(
                "cabinet.order_placed",
                order,
                actor=signer,
                data={
                    "measure": measure.pk,
                    "offer": offer.pk,
                    "supplier": offer.supplier_id,
                    "on_behalf_of": on_behalf_of.pk if on_behalf_of else None,
                    "person_pays": str(sums["person_pays"]),
                },
            )
            for staff in _staff(Role.SUPPLIER, supplier=offer.supplier):
                _notify(
                    staff,
                    "cabinet.order_to_accept",
                    NEW_ORDER_SUBJECT,
                    NEW_ORDER_BODY,
                    order,
                    url=f"/cabinet/supplier/orders/{order.pk}/",
                )
    except IntegrityError as exc:
        raise ConflictError("order.already_ordered", _("This measure is already ordered.")) from exc
    measure.status = MeasureStatus.ORDERED
    return order


ACCEPTED_SUBJECT = _("Order No. %(number)s: %(supplier)s accepted it")
ACCEPTED_BODY = _(
    "%(supplier)s accepted your order of “%(item)s” and will deliver it. When you receive it, "
    "confirm the delivery in your personal cabinet."
)
HANDED_SUBJECT = _("Order No. %(number)s: confirm that you received “%(item)s”")
HANDED_BODY = _(
    "%(supplier)s says it delivered “%(item)s”. Open your personal cabinet and confirm the "
    "delivery: only then is the reimbursement requested."
)
PAID_SUBJECT = _("Order No. %(number)s: the reimbursement is approved")
PAID_BODY = _("The local executive body approved the reimbursement of the guaranteed sum.")
REJECTED_SUBJECT = _("Order No. %(number)s: the reimbursement is rejected")
REJECTED_BODY = _(
    "The local executive body rejected the reimbursement. The reason is in your personal cabinet."
)


def _require_supplier(actor: Any, order: Order) -> None:
    if not can(actor, "cabinet.handle_order", order):
        raise NotFoundError("order.not_found", _("This order was not found."))


@transaction.atomic(durable=True)
def accept_order(*, actor: User, order: Order) -> Order:
    """R-POR-5: the supplier the order is addressed to accepts it."""
    _require_supplier(actor, order)
    with acting_as(actor):
        _step(order, OrderStatus.ACCEPTED, actor)
        _notify(order.person, "cabinet.order_accepted", ACCEPTED_SUBJECT, ACCEPTED_BODY, order)
    return order


@transaction.atomic(durable=True)
def hand_over(*, actor: User, order: Order) -> Order:
    """R-POR-5: the supplier reports the delivery; the person is asked to confirm it."""
    _require_supplier(actor, order)
    with acting_as(actor):
        _step(order, OrderStatus.HANDED_OVER, actor)
        _notify(order.person, "cabinet.confirm_delivery", HANDED_SUBJECT, HANDED_BODY, order)
    return order


@transaction.atomic(durable=True)
def confirm_delivery(*, actor: User, order: Order) -> Order:
    """R-POR-5: the person (or their representative) confirms the delivery; the signed
    application then goes to the local executive body as a reimbursement request and the
    measure is done."""
    if not can_act_for(actor, order.person):
        raise NotFoundError("order.not_found", _("This order was not found."))
    with acting_as(actor):
        _step(order, OrderStatus.DELIVERED, actor)
        _step(order, OrderStatus.REIMBURSEMENT_REQUESTED, actor)
        audited_update(Measure.objects.filter(pk=order.measure_id), status=MeasureStatus.COMPLETED)
        for officer in _staff(Role.DISTRICT_OFFICER, district_id=order.district_id):
            _notify(
                officer,
                "cabinet.reimbursement_to_decide",
                REQUESTED_SUBJECT,
                REQUESTED_BODY,
                order,
                url=f"/cabinet/reimbursements/{order.pk}/",
            )
    return order


def _require_officer(actor: Any, order: Order) -> None:
    if not can(actor, "cabinet.decide_reimbursement", order):
        raise NotFoundError("order.not_found", _("This order was not found."))


@transaction.atomic(durable=True)
def approve_reimbursement(*, actor: User, order: Order) -> Order:
    """R-POR-5: the local executive body of the person's district approves and pays."""
    _require_officer(actor, order)
    with acting_as(actor):
        _step(order, OrderStatus.PAID, actor)
        _notify(order.person, "cabinet.reimbursement_paid", PAID_SUBJECT, PAID_BODY, order)
    return order


@transaction.atomic(durable=True)
def reject_reimbursement(*, actor: User, order: Order, reason: str) -> Order:
    """R-POR-5: the local executive body rejects, always with a reason
    (``order.reason_required``)."""
    _require_officer(actor, order)
    if not reason.strip():
        raise DomainError(
            "order.reason_required", _("Write the reason of the rejection."), field="reason"
        )
    with acting_as(actor):
        _step(order, OrderStatus.REJECTED, actor, reason.strip())
        _notify(
            order.person, "cabinet.reimbursement_rejected", REJECTED_SUBJECT, REJECTED_BODY, order
        )
    return order
