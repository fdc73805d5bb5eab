"""The cabinet pages (R-POR-2): sections assembled from providers, plain kk/ru, the price
difference before signing (R-POR-5), switching between represented persons (R-POR-1), and the
back offices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role
from qamqor.cabinet import sections
from tests.cabinet.factories import (
    MeasureFactory,
    OfferFactory,
    SupplierFactory,
    recommended_service,
    social_package_item,
)
from tests.factories import LegalRepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _open_measure(person, **kw):
    return MeasureFactory(
        ipr__person=person, choice_until=dt.date.today() + dt.timedelta(days=9), **kw
    )


def test_the_cabinet_shows_each_section_in_the_persons_language(client) -> None:
    """R-POR-2: IPR measures with status and days left, social package, recommended services,
    notifications; what to do next comes first."""
    person = UserFactory()
    measure = _open_measure(person)
    OfferFactory(regions=[measure.ipr.district.region])
    social_package_item(person)
    recommended_service(person)
    client.force_login(person)

    kk = client.get("/cabinet/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    client.cookies["django_language"] = "ru"
    ru = client.get("/cabinet/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Механикалық кресло-арба" in kk and "Үйде күтім" in kk and "жиынтық" in kk
    assert "Кресло-коляска механическая" in ru and "Уход на дому" in ru and "набор" in ru
    for key in (
        "ipr_measures",
        "supplier_offers",
        "social_package",
        "elderly_services",
        "notifications",
    ):
        assert f'id="{key}"' in ru
    assert 'id="orders"' not in ru  # no orders: the section says nothing


def test_sections_come_from_the_provider_list_and_none_is_skipped(rf, monkeypatch) -> None:
    person = UserFactory()
    request = rf.get("/cabinet/")
    request.user = person
    monkeypatch.setattr(
        sections,
        "SECTION_PROVIDERS",
        ["qamqor.cabinet.sections.orders", "qamqor.cabinet.sections.notifications"],
    )
    assert [s["key"] for s in sections.rendered_sections(request, person)] == ["notifications"]


def test_the_order_page_shows_the_difference_before_signing(client) -> None:
    """R-POR-5: a price above the guaranteed sum shows what the person pays."""
    person = UserFactory()
    measure = _open_measure(person)
    offer = OfferFactory(regions=[measure.ipr.district.region], price=Decimal("200000"))
    client.force_login(person)
    page = client.get(
        f"/cabinet/measures/{measure.pk}/order/?offer={offer.pk}", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "15,000" in html or "15 000" in html or "15000" in html
    assert "cabinet.reimbursement_application" in html  # the exact text to sign


def test_a_representative_switches_to_the_represented_persons_cabinet(client) -> None:
    """R-POR-1: a legal representative sees the cabinet of the person they act for."""
    child = UserFactory(surname="Ахметова", given_name="Әйгерім")
    measure = _open_measure(child)
    mother = UserFactory()
    LegalRepresentativeFactory(representative=mother, represented=child)
    client.force_login(mother)
    assert measure.item.name_kk not in client.get("/cabinet/").content.decode()
    client.post("/cabinet/switch/", {"act_for": child.pk})
    assert measure.item.name_kk in client.get("/cabinet/").content.decode()
    stranger = UserFactory()
    assert client.post("/cabinet/switch/", {"act_for": stranger.pk}).status_code == 404


def test_the_cabinet_page_query_count_is_bounded(client, django_assert_max_num_queries) -> None:
    person = UserFactory()
    for code in ("M-0101", "M-0201", "M-0301", "S-0101"):
        from tests.cabinet.factories import item

        _open_measure(person, item=item(code))
    client.force_login(person)
    with django_assert_max_num_queries(25):
        assert client.get("/cabinet/").status_code == 200


def test_a_supplier_publishes_an_offer_and_a_form_keeps_what_was_typed(client) -> None:
    staff = UserFactory()
    supplier = SupplierFactory()
    grant_role(None, staff, Role.SUPPLIER, supplier=supplier)
    client.force_login(staff)
    bad = client.post("/cabinet/supplier/offers/new/", {"price": "123", "delivery_days": "0"})
    assert bad.status_code == 400 and 'value="123"' in bad.content.decode()
    from qamqor.core.models import Region

    region = Region.objects.first()
    from tests.cabinet.factories import item

    ok = client.post(
        "/cabinet/supplier/offers/new/",
        {"item": item().pk, "regions": [region.pk], "price": "99000", "delivery_days": "10"},
    )
    assert ok.status_code == 302
    assert supplier.offers.get().price == Decimal("99000")


def test_the_cabinets_offers_are_the_catalogue_search_of_the_person(rf) -> None:
    """Issue 9: the offers section filters by the measures the IPR section already read (no
    second reading of them); it shows what ``catalogue_search(person)`` finds, for a person
    with IPRs in two regions, and nothing once no measure awaits a choice."""
    from qamqor.cabinet import selectors
    from qamqor.cabinet.models import Measure, MeasureStatus
    from qamqor.core.history import audited_update
    from tests.cabinet.factories import item
    from tests.factories import RegionFactory

    person = UserFactory()
    wheelchair = _open_measure(person)
    hearing = _open_measure(person, item=item("M-0201"))
    elsewhere = RegionFactory(kato="75", name_kk="Алматы", name_ru="Алматы", name_en="Almaty")
    OfferFactory(regions=[wheelchair.ipr.district.region])
    OfferFactory(item=item("M-0201"), regions=[hearing.ipr.district.region, elsewhere])
    OfferFactory(regions=[elsewhere])  # not in the person's regions
    OfferFactory(item=item("M-0301"), regions=[wheelchair.ipr.district.region])  # not theirs
    request = rf.get("/cabinet/")
    request.user = person

    def shown() -> list[int]:
        request.__dict__.pop("_cabinet_reads", None)
        found = sections.supplier_offers(request, person)
        return [] if found is None else [o.pk for o in found.context["offers"]]

    expected = [o.pk for o in selectors.catalogue_search(person)[:10]]
    assert len(expected) == 2
    assert shown() == expected
    audited_update(Measure.objects.filter(ipr__person=person), status=MeasureStatus.EXPIRED)
    assert selectors.catalogue_search(person).count() == 0
    assert shown() == []


def test_orders_and_reimbursement_read_no_order_twice(rf, django_assert_num_queries) -> None:
    """Issue 9: a person without orders costs one query for both sections; with a paid order
    both sections show it."""
    from tests.cabinet.factories import order_of

    person = UserFactory()
    request = rf.get("/cabinet/")
    request.user = person
    with django_assert_num_queries(1):
        assert sections.orders(request, person) is None
        assert sections.reimbursement(request, person) is None
    measure = _open_measure(person)
    paid = order_of(measure, OfferFactory(regions=[measure.ipr.district.region]), "paid")
    request = rf.get("/cabinet/")
    request.user = person
    assert [o.pk for o in sections.orders(request, person).context["orders"]] == [paid.pk]
    assert [o.pk for o in sections.reimbursement(request, person).context["orders"]] == [paid.pk]
