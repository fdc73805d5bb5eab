"""Demo data of the cabinet (R-POR): a supplier linked to the demo supplier, its offers, and an
IPR with two measures for the demo recipient in the demo district officer's district, plus a
recommended special social service. Idempotent: a re-run adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from qamqor.accounts.models import User
from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role
from qamqor.cabinet.models import (
    CatalogueItem,
    Ipr,
    Measure,
    Offer,
    RecommendedService,
    Supplier,
)
from qamqor.core.models import District
from qamqor.core.terms import deadline_for

DEMO_SUPPLIER_BIN = "150140000101"


def seed_cabinet_demo(people: dict[str, User], districts: list[District]) -> None:
    supplier, _ = Supplier.objects.get_or_create(
        bin=DEMO_SUPPLIER_BIN,
        defaults={"name_kk": "«Демо Оңалту» ЖШС", "name_ru": "ТОО «Демо Реабилитация»"},
    )
    if "timur" in people:
        grant_role(None, people["timur"], Role.SUPPLIER, supplier=supplier)
    district = districts[0]
    for code, price in (("M-0101", "199000"), ("M-0201", "90000"), ("S-0201", "1650")):
        item = CatalogueItem.objects.get(code=code)
        if not Offer.objects.filter(supplier=supplier, item=item).exists():
            offer = Offer.objects.create(
                supplier=supplier,
                item=item,
                price=Decimal(price),
                delivery_days=14,
                delivery_terms="Үйге дейін тегін жеткізу / бесплатная доставка до дома",
            )
            offer.regions.set([district.region])
    person = people.get("saule")
    if person is None:
        return
    ipr, _ = Ipr.objects.get_or_create(
        number="ОЖБ-DEMO-0001",
        defaults={"person": person, "issued_on": dt.date(2026, 1, 15), "district": district},
    )
    today = timezone.localdate()
    window = deadline_for("R-POR-4", today)
    for code, quantity in (("M-0101", 1), ("M-0201", 2)):
        Measure.objects.get_or_create(
            ipr=ipr,
            item=CatalogueItem.objects.get(code=code),
            defaults={
                "quantity": quantity,
                "term_until": dt.date(today.year + 1, 12, 31),
                "notified_at": timezone.now(),
                "choice_until": window.due,
                "choice_deadline": window.as_dict(),
                "import_digest": "demo",
            },
        )
    RecommendedService.objects.get_or_create(
        person=person,
        name_ru="Специальные социальные услуги на дому",
        defaults={
            "name_kk": "Үйде арнаулы әлеуметтік қызметтер",
            "form": RecommendedService.Form.HOME,
            "recommended_on": dt.date(2026, 1, 20),
        },
    )
