"""The journal and the queue in a browser (issue 7): staff admit, discharge and transfer; a
recipient files a signed queue application, sees the position, gets an offer and postpones it;
in kk and ru, with axe-core finding nothing serious."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from qamqor.accounts import services as account_services
from qamqor.accounts.roles import Role
from qamqor.journal import services
from qamqor.journal.models import QueueEntry, Stay
from tests.browser.support import log_in
from tests.browser.test_accessibility import check_with_axe
from tests.factories import UserFactory
from tests.journal.factories import admit, new_person, order, organization_with

# Live-server tests flush the database; keep the migrations' reference data (legal terms).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(serialized_rollback=True)]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_staff_admit_discharge_and_transfer(
    new_context: Callable[..., BrowserContext], live_server: Any, db: None, language: str
) -> None:
    """R-JRN-1 through the staff pages."""
    org = organization_with(3)
    other = organization_with(3)
    staff = UserFactory()
    account_services.grant_role(None, staff, Role.ORGANIZATION_STAFF, organization=org)
    context = new_context(language=language)
    log_in(context, live_server.url, staff)
    page = context.new_page()
    page.goto("/journal/")
    check_with_axe(page)
    page.locator("ul.journal-list a").first.click()
    check_with_axe(page)
    today = dt.date.today().isoformat()
    for n, iin in enumerate([UserFactory().iin, UserFactory().iin]):
        page.locator('a[href$="/admit/"]').click()
        page.locator("#id_iin").fill(iin)
        page.locator("#id_full_name").fill(f"Сынақ Адам {n}")
        page.locator("#id_on").fill(today)
        page.locator("#id_order_number").fill(f"{n + 1}-Ө")
        page.locator("#id_order_date").fill(today)
        if n == 0:
            check_with_axe(page)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/journal/\d+/$"))
        expect(page.locator("h1")).to_contain_text(org.name_kk if language == "kk" else org.name_ru)
    stays = list(Stay.objects.filter(journal__organization=org).order_by("pk"))
    assert len(stays) == 2
    # Discharge the first, transfer the second.
    page.goto(f"/journal/stays/{stays[0].pk}/move/")
    check_with_axe(page)
    page.locator("#id_kind").select_option("discharge")
    page.locator("#id_on").fill(today)
    page.locator("#id_order_number").fill("3-Ө")
    page.locator("#id_order_date").fill(today)
    page.locator("#id_reason").fill("өз еркімен")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/journal/\d+/$"))
    page.goto(f"/journal/stays/{stays[1].pk}/move/")
    page.locator("#id_kind").select_option("transfer")
    page.locator("#id_on").fill(today)
    page.locator("#id_order_number").fill("4-Ө")
    page.locator("#id_order_date").fill(today)
    page.locator("#id_target").fill(str(other.pk))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/journal/\d+/$"))
    assert [s.status for s in Stay.objects.filter(pk__in=[s.pk for s in stays]).order_by("pk")] == [
        "discharged",
        "transferred",
    ]
    assert Stay.objects.filter(journal__organization=other, status="in_care").count() == 1


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_recipient_applies_sees_position_and_postpones(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    dev_signer_on: Any,
    language: str,
) -> None:
    """R-QUE-2 signed application, R-QUE-1 position, R-QUE-5 signed postponement."""
    org = organization_with(1, publication_consent=True, consent_given_on=dt.date(2025, 1, 1))
    staff = UserFactory()
    stay = admit(staff, org, new_person(), admitted_on=dt.date.today())
    recipient = UserFactory(surname="Нұрланова", given_name="Айгерім")
    context = new_context(language=language)
    log_in(context, live_server.url, recipient)
    page = context.new_page()
    page.goto(f"/organizations/{org.pk}/")
    page.locator(f'a[href="/journal/organizations/{org.pk}/"]').click()
    check_with_axe(page)
    page.locator(f'a[href^="/journal/apply/{org.pk}/"]').first.click()
    check_with_axe(page)
    page.locator("button[name=method][value=dev]").click()
    expect(page.locator(".position")).to_be_visible()
    check_with_axe(page)
    entry = QueueEntry.objects.get(person_iin=recipient.iin)
    assert entry.application.signer_iin == recipient.iin
    # The place frees and is offered to her.
    today = dt.date.today()
    services.discharge(None, stay, on=today, reason="x", **order())
    services.offer_place(None, entry.journal, arrive_by=today + dt.timedelta(days=5))
    page.goto("/journal/my/")
    page.locator(f'a[href="/journal/my/{entry.pk}/postpone/"]').click()
    check_with_axe(page)
    page.locator("#id_new_date").fill((today + dt.timedelta(days=12)).isoformat())
    page.locator("#id_reason").select_option("hospitalisation")
    page.locator("main form button[type=submit]").first.click()
    check_with_axe(page)
    page.locator("button[name=method][value=dev]").click()
    expect(page).to_have_url(re.compile(r"/journal/my/$"))
    expect(page.locator(".card")).to_contain_text(
        (today + dt.timedelta(days=12)).strftime("%d.%m.%Y")
    )
    check_with_axe(page)
    entry.refresh_from_db()
    assert entry.postponed and entry.arrive_by == today + dt.timedelta(days=12)
