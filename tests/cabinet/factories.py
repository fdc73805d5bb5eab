"""Factories of the cabinet app (R-POR): suppliers, offers, IPRs and measures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory

from qamqor.cabinet.models import CatalogueItem, Ipr, Measure, MeasureStatus, Offer, Supplier
from tests.factories import DistrictFactory, RegionFactory, UserFactory, make_bin


def ensure_reference_data() -> None:
    """The catalogue (cabinet migration 0002) and the legal terms (core migration 0002), again:
    transactional tests (the browser's live server) flush what migrations seeded."""
    from django.apps import apps
    from django.conf import settings

    from qamqor.cabinet.catalogue import ITEMS
    from qamqor.core.models import CalendarDay, LegalTerm
    from qamqor.core.seeddata import legal_terms
    from qamqor.core.services import sync_calendar_days

    if not LegalTerm.objects.filter(rule_id="R-POR-4").exists():
        legal_terms.load(apps)
    if not CalendarDay.objects.exists():
        sync_calendar_days(settings.CALENDAR_FIRST_YEAR, settings.CALENDAR_LAST_YEAR)
    for code, kind, kk, ru, en, unit_kk, unit_ru, amount in ITEMS:
        CatalogueItem.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
                "unit_kk": unit_kk,
                "unit_ru": unit_ru,
                "guaranteed_sum": amount,
            },
        )


def item(code: str = "M-0101") -> CatalogueItem:
    """A catalogue item of the seeded reference catalogue (migration 0002)."""
    found = CatalogueItem.objects.filter(code=code).first()
    if found is None:
        ensure_reference_data()
        found = CatalogueItem.objects.get(code=code)
    return found


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    bin = factory.Sequence(lambda n: make_bin(500 + n))
    name_kk = factory.Sequence(lambda n: f"«Оңалту-{n}» ЖШС")
    name_ru = factory.Sequence(lambda n: f"ТОО «Реабилитация-{n}»")


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    supplier = factory.SubFactory(SupplierFactory)
    item = factory.LazyFunction(item)
    price = Decimal("150000")
    delivery_days = 14
    delivery_terms = "Үйге дейін жеткізу / доставка до дома"

    @factory.post_generation
    def regions(obj: Offer, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.regions.set(extracted or [RegionFactory()])  # type: ignore[arg-type]


class IprFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ipr

    person = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"ОЖБ-2026-{n:06d}")
    issued_on = dt.date(2026, 3, 2)
    district = factory.SubFactory(DistrictFactory)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    ipr = factory.SubFactory(IprFactory)
    item = factory.LazyFunction(item)
    quantity = 1
    term_until = dt.date(2026, 12, 31)
    status = MeasureStatus.AWAITING_CHOICE
    notified_at = factory.LazyFunction(lambda: dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC))
    choice_until = dt.date(2026, 5, 4)
    import_digest = "test"


def order_of(measure: Measure, offer: Offer, status: str = "ordered") -> Any:
    """An order of ``measure`` from ``offer`` in ``status``, with a stored (test) signed
    application and its first step, written directly: for tests that need many orders to read
    (the real path, signed through the test PKI, is tested in test_orders.py)."""
    from qamqor.cabinet.models import Order, OrderTransition
    from qamqor.core.history import audited_update
    from tests.journal.factories import fake_signed

    person = measure.ipr.person
    order = Order.objects.create(
        measure=measure,
        person=person,
        supplier=offer.supplier,
        offer=offer,
        district=measure.ipr.district,
        quantity=measure.quantity,
        price=offer.price,
        guaranteed_sum=measure.item.guaranteed_sum,
        person_pays=max(Decimal("0"), offer.price - measure.item.guaranteed_sum),
        status=status,
        application=fake_signed(person, {"measure": measure.pk}, "cabinet.order"),
    )
    OrderTransition.objects.create(order=order, from_status="", to_status=status, actor=person)
    audited_update(Measure.objects.filter(pk=measure.pk), status=MeasureStatus.ORDERED)
    return order


def social_package_item(person: Any) -> Any:
    """A year's food set of the guaranteed social package (R-POR-2)."""
    from qamqor.cabinet.models import SocialPackageItem

    return SocialPackageItem.objects.create(
        person=person,
        kind="food_set",
        volume=Decimal("12"),
        unit_kk="жиынтық",
        unit_ru="набор",
        period_from=dt.date(2026, 1, 1),
        period_to=dt.date(2026, 12, 31),
    )


def recommended_service(person: Any) -> Any:
    """Home care recommended to an elderly person (R-POR-2)."""
    from qamqor.cabinet.models import RecommendedService

    return RecommendedService.objects.create(
        person=person,
        name_kk="Үйде күтім",
        name_ru="Уход на дому",
        form="home",
        recommended_on=dt.date(2026, 2, 1),
    )
