"""The reference catalogue (R-POR-1, R-POR-6) seeded by migration 0002."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role
from qamqor.cabinet import selectors
from qamqor.cabinet.models import CatalogueItem
from qamqor.cabinet.services.suppliers import publish_offer
from qamqor.core.errors import DomainError
from tests.cabinet.factories import SupplierFactory
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_catalogue_has_means_and_services_with_kk_and_ru_names() -> None:
    """R-POR-1: wheelchairs, hearing aids, prostheses; R-POR-6: the personal assistant and the
    sign-language interpreter are services suppliers offer."""
    items = {i.code: i for i in selectors.catalogue_items()}
    assert {"M-0101", "M-0201", "M-0301", "S-0101", "S-0201"} <= set(items)
    assistant = items["S-0201"]
    assert assistant.kind == CatalogueItem.Kind.SERVICE
    assert "Жеке көмекші" in assistant.name_kk and "индивидуального помощника" in assistant.name_ru
    assert all(i.name_kk and i.name_ru and i.guaranteed_sum > 0 for i in items.values())


def test_a_supplier_offers_the_personal_assistant_only_for_itself() -> None:
    """R-POR-6: a supplier publishes a personal-assistant offer; another supplier's staff
    cannot publish for it, and an offer needs a region and a positive price."""
    supplier, staff, rival = SupplierFactory(), UserFactory(), UserFactory()
    grant_role(None, staff, Role.SUPPLIER, supplier=supplier)
    grant_role(None, rival, Role.SUPPLIER, supplier=SupplierFactory())
    assistant = CatalogueItem.objects.get(code="S-0201")
    region = RegionFactory()
    offer = publish_offer(
        actor=staff,
        supplier=supplier,
        item=assistant,
        regions=[region],
        price=Decimal("1650"),
        delivery_days=3,
    )
    assert list(selectors.public_offers(item="S-0201", region=region.kato)) == [offer]
    for actor, regions, price, code in (
        (rival, [region], Decimal("1"), "offer.not_found"),
        (staff, [], Decimal("1"), "offer.regions"),
        (staff, [region], Decimal("0"), "offer.price"),
    ):
        with pytest.raises(DomainError) as refused:
            publish_offer(
                actor=actor,
                supplier=supplier,
                item=assistant,
                regions=regions,
                price=price,
                delivery_days=3,
            )
        assert refused.value.code == code
    assert supplier.offers.count() == 1
