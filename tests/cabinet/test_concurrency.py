"""R-POR-4/5 under concurrency (PostgreSQL, real threads): two signed orders of one measure at
the same moment (a double click, two tabs) make exactly one order."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from qamqor.accounts.signing import canonical_bytes
from qamqor.cabinet.models import Order
from qamqor.cabinet.services import orders
from qamqor.core.errors import DomainError
from tests.cabinet.factories import MeasureFactory, OfferFactory, ensure_reference_data
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("esign_settings")
def test_two_concurrent_orders_of_one_measure_make_one(test_pki: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")
    ensure_reference_data()
    person = UserFactory(iin=test_pki.new_iin(dt.date(1987, 7, 7), 3))
    test_pki.issue(person.iin, "Ахметов", "Дәурен")
    measure = MeasureFactory(ipr__person=person, choice_until=dt.date.today() + dt.timedelta(9))
    offers = [
        OfferFactory(regions=[measure.ipr.district.region], price=Decimal(p))
        for p in ("100000", "120000")
    ]
    signed = [
        test_pki.sign(
            canonical_bytes(orders.application_act(measure, o, person)), iin=person.iin, kind="sign"
        )
        for o in offers
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def order(i: int) -> None:
        try:
            barrier.wait()
            orders.place_order(
                signer=person, on_behalf_of=None, measure=measure, offer=offers[i], cms=signed[i]
            )
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=order, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "order.already_ordered"]
    assert Order.objects.filter(measure=measure).count() == 1
