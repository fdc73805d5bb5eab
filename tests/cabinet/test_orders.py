"""R-POR-4 (choice within 2 months: the last day allowed, the day after refused; the daily
sweep), R-POR-5 (signed order, reimbursement steps, illegal moves refused, rejection with a
reason) and the permissions (a supplier sees only its orders, a person only their own)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from qamqor.accounts.models import SignedDocument, User
from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role
from qamqor.accounts.signing import canonical_bytes
from qamqor.cabinet import selectors
from qamqor.cabinet.models import Measure, MeasureStatus, Order, OrderStatus, OrderTransition
from qamqor.cabinet.services import orders
from qamqor.cabinet.workflow import TRANSITIONS, can_transition, ensure_transition
from qamqor.core.errors import DomainError
from qamqor.notifications.models import Notification
from tests.cabinet.factories import MeasureFactory, OfferFactory, SupplierFactory
from tests.factories import DistrictFactory, LegalRepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db

LAST_DAY = dt.date(2026, 5, 4)  # the factory's measure: notified 4 March, choose by 4 May


@pytest.fixture
def aigerim(test_pki: Any) -> User:
    user = UserFactory(iin=test_pki.new_iin(dt.date(1991, 2, 2), 4), surname="Нұрланова")
    test_pki.issue(user.iin, "Нұрланова", "Айгерім")
    return user


@pytest.fixture
def world(aigerim: User) -> dict[str, Any]:
    measure = MeasureFactory(ipr__person=aigerim)
    region = measure.ipr.district.region
    offer = OfferFactory(regions=[region], price=Decimal("200000"))
    supplier_staff = UserFactory()
    grant_role(None, supplier_staff, Role.SUPPLIER, supplier=offer.supplier)
    officer = UserFactory()
    grant_role(None, officer, Role.DISTRICT_OFFICER, district=measure.ipr.district)
    return {
        "measure": measure,
        "offer": offer,
        "supplier_staff": supplier_staff,
        "officer": officer,
    }


def _sign(test_pki: Any, signer: User, measure: Measure, offer: Any, person: User | None = None):
    content = canonical_bytes(orders.application_act(measure, offer, person or signer))
    return test_pki.sign(content, iin=signer.iin, kind="sign")


def _order(test_pki: Any, aigerim: User, world: dict[str, Any], today=LAST_DAY) -> Order:
    m, o = world["measure"], world["offer"]
    return orders.place_order(
        signer=aigerim,
        on_behalf_of=None,
        measure=m,
        offer=o,
        cms=_sign(test_pki, aigerim, m, o),
        today=today,
    )


@pytest.mark.usefixtures("esign_settings")
def test_choice_on_the_last_day_is_allowed(test_pki, aigerim, world) -> None:
    """R-POR-4: the last day of the 2-month window is still in time; R-POR-5: the order
    carries the signed application and shows what the person pays above the guaranteed sum."""
    order = _order(test_pki, aigerim, world, today=LAST_DAY)

    assert order.status == OrderStatus.ORDERED
    assert order.price == Decimal("200000") and order.guaranteed_sum == Decimal("185000")
    assert order.person_pays == Decimal("15000")
    assert order.application.kind == "cabinet.reimbursement_application"
    assert order.application.signed_by == aigerim
    assert Measure.objects.get(pk=world["measure"].pk).status == MeasureStatus.ORDERED
    assert list(order.transitions.values_list("from_status", "to_status")) == [("", "ordered")]


@pytest.mark.usefixtures("esign_settings")
def test_choice_the_day_after_is_refused(test_pki, aigerim, world) -> None:
    """R-POR-4: the day after the window the choice is closed; nothing is written."""
    with pytest.raises(DomainError) as refused:
        _order(test_pki, aigerim, world, today=LAST_DAY + dt.timedelta(days=1))
    assert refused.value.code == "order.term_expired"
    assert Order.objects.count() == SignedDocument.objects.count() == 0


def test_the_daily_sweep_expires_measures_after_their_last_day(world) -> None:
    """R-POR-4: "term expired" the day after the window, not on the last day; idempotent."""
    other = MeasureFactory(choice_until=LAST_DAY + dt.timedelta(days=1))
    assert orders.expire_measures(LAST_DAY) == 0
    assert orders.expire_measures(LAST_DAY + dt.timedelta(days=1)) == 1
    assert orders.expire_measures(LAST_DAY + dt.timedelta(days=1)) == 0
    assert Measure.objects.get(pk=world["measure"].pk).status == MeasureStatus.EXPIRED
    assert Measure.objects.get(pk=other.pk).status == MeasureStatus.AWAITING_CHOICE


@pytest.mark.usefixtures("esign_settings")
def test_the_signature_is_required_and_must_be_over_the_act(test_pki, aigerim, world) -> None:
    """R-POR-5: no order without a valid signature of the person over this very act."""
    m, o = world["measure"], world["offer"]
    wrong = test_pki.sign(b"something else", iin=aigerim.iin, kind="sign")
    for cms in (b"", wrong):
        with pytest.raises(DomainError) as refused:
            orders.place_order(
                signer=aigerim, on_behalf_of=None, measure=m, offer=o, cms=cms, today=LAST_DAY
            )
        assert refused.value.code.startswith("esign.")
    assert Order.objects.count() == 0
    assert Measure.objects.get(pk=m.pk).status == MeasureStatus.AWAITING_CHOICE


@pytest.mark.usefixtures("esign_settings")
def test_a_legal_representative_signs_for_the_person(test_pki, aigerim, world) -> None:
    """R-POR-1, R-POR-5: the representative orders for the represented person."""
    mother = UserFactory(iin=test_pki.new_iin(dt.date(1965, 5, 5), 4))
    test_pki.issue(mother.iin, "Нұрланова", "Гүлнар")
    LegalRepresentativeFactory(representative=mother, represented=aigerim)
    m, o = world["measure"], world["offer"]
    cms = _sign(test_pki, mother, m, o, person=aigerim)
    order = orders.place_order(
        signer=mother, on_behalf_of=aigerim, measure=m, offer=o, cms=cms, today=LAST_DAY
    )
    assert order.person == aigerim
    assert order.application.signed_by == mother and order.application.on_behalf_of == aigerim


@pytest.mark.usefixtures("esign_settings")
def test_someone_elses_measure_cannot_be_ordered(test_pki, aigerim, world) -> None:
    stranger = UserFactory()
    with pytest.raises(DomainError) as refused:
        orders.place_order(
            signer=stranger,
            on_behalf_of=None,
            measure=world["measure"],
            offer=world["offer"],
            cms=b"x",
            today=LAST_DAY,
        )
    assert refused.value.code == "order.not_found"


@pytest.mark.usefixtures("esign_settings")
def test_an_offer_outside_the_region_is_refused(test_pki, aigerim, world) -> None:
    far = OfferFactory(regions=[DistrictFactory(region__kato="75").region])
    with pytest.raises(DomainError) as refused:
        orders.place_order(
            signer=aigerim,
            on_behalf_of=None,
            measure=world["measure"],
            offer=far,
            cms=_sign(test_pki, aigerim, world["measure"], far),
            today=LAST_DAY,
        )
    assert refused.value.code == "order.offer_unavailable"


@pytest.mark.usefixtures("esign_settings")
def test_the_order_goes_to_payment_step_by_step(test_pki, aigerim, world) -> None:
    """R-POR-5: ordered → accepted → handed over → delivered → reimbursement requested → paid,
    each step recorded with its actor and the person notified when asked to act."""
    order = _order(test_pki, aigerim, world)
    staff, officer = world["supplier_staff"], world["officer"]
    orders.accept_order(actor=staff, order=order)
    orders.hand_over(actor=staff, order=order)
    orders.confirm_delivery(actor=aigerim, order=order)
    orders.approve_reimbursement(actor=officer, order=order)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    steps = list(order.transitions.values_list("to_status", "actor"))
    assert steps == [
        ("ordered", aigerim.pk),
        ("accepted", staff.pk),
        ("handed_over", staff.pk),
        ("delivered", aigerim.pk),
        ("reimbursement_requested", aigerim.pk),
        ("paid", officer.pk),
    ]
    assert Measure.objects.get(pk=order.measure_id).status == MeasureStatus.COMPLETED
    kinds = list(
        Notification.objects.filter(recipient=aigerim).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == [
        "cabinet.order_accepted",
        "cabinet.confirm_delivery",
        "cabinet.reimbursement_paid",
    ]
    # the steps that ask the other sides to act notify them too (issue item 5)
    assert list(Notification.objects.filter(recipient=staff).values_list("kind", "url")) == [
        ("cabinet.order_to_accept", f"/cabinet/supplier/orders/{order.pk}/")
    ]
    assert list(Notification.objects.filter(recipient=officer).values_list("kind", flat=True)) == [
        "cabinet.reimbursement_to_decide"
    ]


@pytest.mark.usefixtures("esign_settings")
def test_illegal_moves_are_refused_and_a_rejection_needs_a_reason(test_pki, aigerim, world) -> None:
    order = _order(test_pki, aigerim, world)
    with pytest.raises(DomainError) as refused:
        orders.confirm_delivery(actor=aigerim, order=order)  # not handed over yet
    assert refused.value.code == "order.illegal_transition"
    with pytest.raises(DomainError):
        orders.approve_reimbursement(actor=world["officer"], order=order)
    assert order.transitions.count() == 1
    staff = world["supplier_staff"]
    orders.accept_order(actor=staff, order=order)
    orders.hand_over(actor=staff, order=order)
    orders.confirm_delivery(actor=aigerim, order=order)
    with pytest.raises(DomainError) as refused:
        orders.reject_reimbursement(actor=world["officer"], order=order, reason="  ")
    assert refused.value.code == "order.reason_required"
    orders.reject_reimbursement(actor=world["officer"], order=order, reason="Шот-фактура жоқ")
    order.refresh_from_db()
    assert order.status == OrderStatus.REJECTED and order.rejection_reason == "Шот-фактура жоқ"


@pytest.mark.parametrize("current", list(OrderStatus))
@pytest.mark.parametrize("new", list(OrderStatus))
def test_the_transition_table_is_the_only_way(current: OrderStatus, new: OrderStatus) -> None:
    """R-POR-5: every pair the table does not list is refused."""
    allowed = new in TRANSITIONS[current]
    assert can_transition(current, new) is allowed
    if allowed:
        ensure_transition(current, new)
    else:
        with pytest.raises(DomainError):
            ensure_transition(current, new)


@pytest.mark.usefixtures("esign_settings")
def test_a_supplier_sees_only_orders_addressed_to_it(test_pki, aigerim, world) -> None:
    order = _order(test_pki, aigerim, world)
    rival = UserFactory()
    grant_role(None, rival, Role.SUPPLIER, supplier=SupplierFactory())
    unlinked = UserFactory()
    grant_role(None, unlinked, Role.SUPPLIER)
    assert list(selectors.orders_for_supplier(world["supplier_staff"])) == [order]
    assert list(selectors.orders_for_supplier(rival)) == []
    assert list(selectors.orders_for_supplier(unlinked)) == []
    with pytest.raises(DomainError) as refused:
        orders.accept_order(actor=rival, order=order)
    assert refused.value.code == "order.not_found"
    assert OrderTransition.objects.filter(order=order).count() == 1


@pytest.mark.usefixtures("esign_settings")
def test_a_person_sees_only_their_own_orders(test_pki, aigerim, world) -> None:
    order = _order(test_pki, aigerim, world)
    stranger = UserFactory()
    assert list(selectors.orders_of(aigerim)) == [order]
    assert list(selectors.orders_of(stranger)) == []
    with pytest.raises(DomainError):
        selectors.get_order_for_person(stranger, stranger, order.pk)
    with pytest.raises(DomainError):
        orders.confirm_delivery(actor=stranger, order=order)


@pytest.mark.usefixtures("esign_settings")
def test_an_officer_of_another_district_cannot_decide(test_pki, aigerim, world) -> None:
    order = _order(test_pki, aigerim, world)
    elsewhere = UserFactory()
    grant_role(None, elsewhere, Role.DISTRICT_OFFICER, district=DistrictFactory())
    assert list(selectors.reimbursement_queue(elsewhere)) == []
    with pytest.raises(DomainError) as refused:
        orders.approve_reimbursement(actor=elsewhere, order=order)
    assert refused.value.code == "order.not_found"
