"""The whole IPR path in a browser (R-POR-2…5), in kk and ru, with axe checks: an IPR arrives
from E-Sobes → the person sees it in the cabinet → chooses a supplier → sees the difference and
signs → the supplier accepts and delivers → the person confirms → the district officer approves
the reimbursement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role
from qamqor.cabinet.models import Order, OrderStatus
from qamqor.cabinet.services.ipr_import import IprRowInput, apply_ipr_rows
from tests.browser.support import log_in
from tests.browser.test_accessibility import check_with_axe
from tests.cabinet.factories import OfferFactory, SupplierFactory, ensure_reference_data
from tests.factories import DistrictFactory, UserFactory, make_iin

pytestmark = pytest.mark.browser

ITEM = {"kk": "Құлақ артындағы цифрлық есту аппараты", "ru": "Слуховой аппарат цифровой заушный"}


@pytest.mark.usefixtures("dev_signer_on")
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_ipr_to_paid_reimbursement(
    live_server: Any, new_context: Callable[..., BrowserContext], language: str
) -> None:
    # given a district, a supplier offering hearing aids there, its staff and the officer
    ensure_reference_data()
    district = DistrictFactory()
    supplier = SupplierFactory()
    OfferFactory(
        supplier=supplier, item=_item("M-0201"), regions=[district.region], price=Decimal("110000")
    )
    staff = UserFactory(language=language)
    grant_role(None, staff, Role.SUPPLIER, supplier=supplier)
    officer = UserFactory(language=language)
    grant_role(None, officer, Role.DISTRICT_OFFICER, district=district)
    iin = make_iin(40, birth=dt.date(1979, 4, 4))

    # when the IPR arrives from E-Sobes
    result = apply_ipr_rows(
        [
            IprRowInput(
                iin=iin,
                surname="Серікова",
                given_name="Мадина",
                ipr_number="ОЖБ-B-1",
                ipr_date="2026-03-02",
                district=district.slug,
                measure_code="M-0201",
                quantity="1",
                term_until="2027-03-01",
            )
        ]
    )
    assert result.ok
    from qamqor.accounts.models import User

    person = User.objects.get(iin=iin)

    # then the person sees it in the cabinet and chooses the supplier
    person_ctx = new_context(language=language)
    log_in(person_ctx, live_server.url, person)
    page = person_ctx.new_page()
    page.goto("/cabinet/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#ipr_measures")).to_contain_text(ITEM[language])
    check_with_axe(page)
    page.locator("#ipr_measures a", has_text=ITEM[language]).click()
    check_with_axe(page)
    page.locator(
        "a.button", has_text=supplier.name_ru if language == "ru" else supplier.name_kk
    ).click()
    # the price above the guaranteed sum shows what the person pays (110 000 − 95 000)
    expect(page.locator(".warning")).to_contain_text("15")
    check_with_axe(page)
    page.locator("button[name=method][value=dev]").click()
    expect(page.locator("#order-status")).to_be_visible()
    order = Order.objects.get(person=person)
    assert order.status == OrderStatus.ORDERED and order.application.signed_by == person

    # the supplier accepts and delivers
    supplier_ctx = new_context(language=language)
    log_in(supplier_ctx, live_server.url, staff)
    office = supplier_ctx.new_page()
    office.goto("/cabinet/supplier/")
    check_with_axe(office)
    office.goto(f"/cabinet/supplier/orders/{order.pk}/")
    office.locator(f"form[action$='/{order.pk}/accept/'] button").click()
    office.locator(f"form[action$='/{order.pk}/hand-over/'] button").click()
    expect(office.locator("#order-status")).to_have_text(_label(OrderStatus.HANDED_OVER, language))

    # the person confirms the delivery
    page.goto(f"/cabinet/orders/{order.pk}/")
    check_with_axe(page)
    page.locator(f"form[action$='/{order.pk}/confirm/'] button").click()
    order.refresh_from_db()
    assert order.status == OrderStatus.REIMBURSEMENT_REQUESTED

    # the officer approves the reimbursement
    officer_ctx = new_context(language=language)
    log_in(officer_ctx, live_server.url, officer)
    queue = officer_ctx.new_page()
    queue.goto("/cabinet/reimbursements/")
    check_with_axe(queue)
    queue.locator(f"a[href='/cabinet/reimbursements/{order.pk}/']").click()
    check_with_axe(queue)
    queue.locator("input[name=decision][value=approve]").check()
    queue.locator("form button[type=submit]", has_text="").last.click()
    expect(queue).to_have_url(f"{live_server.url}/cabinet/reimbursements/")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert [t.to_status for t in order.transitions.all()] == [
        "ordered",
        "accepted",
        "handed_over",
        "delivered",
        "reimbursement_requested",
        "paid",
    ]


def _item(code: str) -> Any:
    from tests.cabinet.factories import item

    return item(code)


def _label(status: OrderStatus, language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return str(status.label)
