"""The cabinet APIs: IPR records from E-Sobes (R-POR-3), the person's cabinet and signed order
(R-POR-4, R-POR-5), the supplier's orders (permissions)."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role
from qamqor.cabinet.models import Measure, Order
from tests.cabinet.factories import MeasureFactory, OfferFactory, SupplierFactory
from tests.factories import DistrictFactory, IntegrationClientFactory, UserFactory, make_iin

pytestmark = pytest.mark.django_db

# Not the birth date of UserFactory's IINs, so "a person new to Qamqor" stays new.
BORN = dt.date(1956, 6, 6)


def _record(district, **over) -> dict[str, Any]:
    record = {
        "iin": make_iin(7, birth=BORN),
        "surname": "Нұрланова",
        "given_name": "Айгерім",
        "ipr_number": "ОЖБ-1",
        "ipr_date": "2026-03-02",
        "district": district.slug,
        "measure_code": "M-0201",
        "quantity": 2,
        "term_until": "2026-12-31",
    }
    record.update(over)
    return record


@time_machine.travel(dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC), tick=False)
def test_ipr_records_api_is_idempotent_and_reports_every_bad_record(client) -> None:
    """R-POR-3: bearer token with the ipr_records scope; replay changes nothing; 400 names
    ``records[i].field`` for each bad record and applies none."""
    IntegrationClientFactory(token="esobes", scopes=["ipr_records"])
    IntegrationClientFactory(token="licensing", scopes=["licence_events"])
    district = DistrictFactory()
    auth = {"HTTP_AUTHORIZATION": "Bearer esobes"}
    body = {"records": [_record(district)]}

    assert (
        client.post("/api/v1/ipr/records", body, content_type="application/json").status_code == 401
    )
    wrong = client.post(
        "/api/v1/ipr/records",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer licensing",
    )
    assert wrong.status_code == 403

    first = client.post("/api/v1/ipr/records", body, content_type="application/json", **auth)
    again = client.post("/api/v1/ipr/records", body, content_type="application/json", **auth)
    assert first.status_code == again.status_code == 200
    assert first.json()["applied"] == 1 and again.json()["already_applied"] == 1
    assert Measure.objects.count() == 1

    bad = {
        "records": [
            _record(district, measure_code="M-0101"),
            _record(district, iin="1", measure_code="M-0401"),
        ]
    }
    refused = client.post("/api/v1/ipr/records", bad, content_type="application/json", **auth)
    assert refused.status_code == 400
    assert [(e["code"], e["field"]) for e in refused.json()["errors"]] == [
        ("import.iin", "records[1].iin"),
        ("import.ipr_inconsistent", "records[1].ipr_number"),
        ("import.ipr_other_person", "records[1].ipr_number"),
    ]
    assert Measure.objects.count() == 1


@pytest.mark.usefixtures("esign_settings")
def test_the_person_orders_through_the_api_and_a_replay_files_once(client, test_pki) -> None:
    """R-POR-5: the act to sign, then the order with the signature; Idempotency-Key replays."""
    person = UserFactory(iin=test_pki.new_iin(dt.date(1988, 1, 1), 3))
    test_pki.issue(person.iin, "Ахметов", "Дәурен")
    measure = MeasureFactory(
        ipr__person=person, choice_until=dt.date.today() + dt.timedelta(days=5)
    )
    offer = OfferFactory(regions=[measure.ipr.district.region], price=Decimal("100000"))
    client.force_login(person)

    cabinet = client.get("/api/v1/cabinet").json()
    assert [m["id"] for m in cabinet["measures"]] == [measure.pk]
    act = client.get(f"/api/v1/cabinet/measures/{measure.pk}/act?offer={offer.pk}").json()
    assert Decimal(act["person_pays"]) == 0
    cms = base64.b64encode(
        test_pki.sign(act["content"].encode(), iin=person.iin, kind="sign")
    ).decode()
    url = f"/api/v1/cabinet/measures/{measure.pk}/orders"
    body = {"offer_id": offer.pk, "cms": cms}
    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Order.objects.count() == 1
    other = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 409
    assert other.json()["errors"][0]["code"] == "order.already_ordered"


def test_someone_elses_cabinet_objects_are_404(client) -> None:
    measure = MeasureFactory()
    client.force_login(UserFactory())
    assert client.get(f"/api/v1/cabinet/measures/{measure.pk}/offers").status_code == 404


def test_public_offers_filter_by_item_and_region(client) -> None:
    district = DistrictFactory()
    offer = OfferFactory(regions=[district.region])
    OfferFactory(item=Measure._meta.get_field("item").related_model.objects.get(code="M-0201"))
    got = client.get(f"/api/v1/suppliers/offers?item=M-0101&region={district.region.kato}").json()
    assert [o["id"] for o in got["items"]] == [offer.pk]


def test_a_supplier_lists_only_its_orders(client) -> None:
    staff = UserFactory()
    grant_role(None, staff, Role.SUPPLIER, supplier=SupplierFactory())
    client.force_login(staff)
    assert client.get("/api/v1/suppliers/orders").json()["items"] == []


def test_api_lists_have_bounded_query_counts(client, django_assert_max_num_queries) -> None:
    person = UserFactory()
    for _ in range(5):
        MeasureFactory(ipr__person=person)
    for _ in range(5):
        OfferFactory()
    client.force_login(person)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/v1/cabinet").json()["measures"]) == 5
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/suppliers/offers").json()["count"] == 5
