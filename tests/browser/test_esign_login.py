"""Login by e-signature in the browser (R-X-2), through the development signer: the page's script
gets a login request, the server signs it with the demo user's test key, the form posts the CMS and
the portal verifies it like any other. In Kazakh and Russian, with an axe check."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from qamqor.accounts import services
from qamqor.accounts.models import User
from qamqor.accounts.roles import Role
from qamqor.core.models import DomainEvent
from tests.browser.test_accessibility import check_with_axe
from tests.factories import DistrictFactory, UserFactory

pytestmark = pytest.mark.browser

DEV_SIGN = "/accounts/login/esign/dev-sign/"


@pytest.mark.django_db
def test_dev_signer_is_404_when_debug_is_off(client: Client) -> None:
    # No browser needed: this runs even where chromium is missing.
    assert client.get(DEV_SIGN).status_code == 404


def test_dev_signer_is_not_found_in_the_browser_in_production(page: Page) -> None:
    response = page.goto(DEV_SIGN)
    assert response is not None and response.status == 404
    page.goto("/accounts/login/esign/")
    expect(page.locator(f"a[href*='{DEV_SIGN}']")).to_have_count(0)
    expect(page.locator("[data-esign-dev-sign]")).to_have_count(0)


@pytest.fixture
def saule_recipient(db: None) -> User:
    user = UserFactory(email="saule@demo.qamqor.kz", surname="Демо", given_name="Сәуле")
    services.grant_role(None, user, Role.RECIPIENT)
    return user


@pytest.fixture
def dauren_officer(db: None) -> User:
    user = UserFactory(email="dauren@demo.qamqor.kz", surname="Демо", given_name="Дәурен")
    services.grant_role(None, user, Role.DISTRICT_OFFICER, district=DistrictFactory())
    return user


def _log_in_with_the_dev_signer(page: Page, user: User) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("main").locator("a.button[href^='/accounts/login/esign/']").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/esign/"))
    check_with_axe(page)
    page.locator("#dev-user").select_option(str(user.pk))
    page.locator("[data-esign-dev-sign]").click()


@pytest.mark.usefixtures("dev_signer_on")
@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("persona", ["saule_recipient", "dauren_officer"])
def test_a_demo_user_logs_in_through_the_development_signer(
    request: pytest.FixtureRequest,
    live_server: LiveServer,
    new_context: Callable[..., BrowserContext],
    language: str,
    persona: str,
) -> None:
    # given a development machine with a demo user (a recipient, or a granted district officer)
    user: User = request.getfixturevalue(persona)
    page = new_context(language=language).new_page()

    # when they choose themselves in the development signer on the e-signature login page
    _log_in_with_the_dev_signer(page, user)

    # then the signature was verified, they are home and the header names them
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    banner = page.get_by_role("banner")
    expect(banner).to_contain_text(user.get_full_name())
    assert DomainEvent.objects.filter(verb="accounts.esign_login", subject_id=user.pk).exists()
    user.refresh_from_db()
    assert [a.role for a in user.active_roles()] == [
        Role.RECIPIENT if persona == "saule_recipient" else Role.DISTRICT_OFFICER
    ]
    check_with_axe(page)


@pytest.mark.usefixtures("dev_signer_on")
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_dev_signer_works_without_javascript(
    live_server: LiveServer,
    new_context: Callable[..., BrowserContext],
    saule_recipient: User,
    language: str,
) -> None:
    page = new_context(language=language, java_script_enabled=False).new_page()
    page.goto("/accounts/login/esign/")
    expect(page.locator("[data-esign-dev-sign]")).to_be_hidden()  # a script-only button
    page.locator(f"a[href^='{DEV_SIGN}']").click()
    expect(page.locator("h1")).to_have_count(1)
    page.get_by_label(saule_recipient.get_full_name()).check()
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("banner")).to_contain_text(saule_recipient.get_full_name())


@pytest.mark.usefixtures("dev_signer_on")
def test_ncalayer_not_running_is_explained_and_upload_stays_possible(
    live_server: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    """Nothing listens on 127.0.0.1:13579 here: the page says NCALayer is not running."""
    page = new_context(language="en").new_page()
    page.goto("/accounts/login/esign/")
    page.get_by_role("button", name="Sign with NCALayer and log in").click()
    status = page.locator("[data-esign-status]")
    expect(status).to_contain_text("NCALayer is not running")
    page.get_by_text("Sign without NCALayer in the browser").click()
    expect(page.get_by_label("Or upload the signature file (.p7s, .cms)")).to_be_visible()
    check_with_axe(page)


@pytest.mark.usefixtures("dev_signer_on")
def test_a_signed_act_in_the_browser(
    live_server: LiveServer, new_context: Callable[..., BrowserContext], saule_recipient: User
) -> None:
    page = new_context(language="ru").new_page()
    _log_in_with_the_dev_signer(page, saule_recipient)
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto("/accounts/sign-demo/")
    expect(page.locator(".about-to-sign dl")).to_contain_text(saule_recipient.iin)
    check_with_axe(page)
    page.locator("button[name=method][value=dev]").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table")).to_contain_text(saule_recipient.iin)
    check_with_axe(page)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_recipient_logs_in_with_a_gost_2015_key_through_the_development_signer(
    dev_signer_on: Any,
    live_server: LiveServer,
    new_context: Callable[..., BrowserContext],
    saule_recipient: User,
    language: str,
) -> None:
    """Issue 12: the development signer signs with a GOST 34.10-2015 512-bit test key (NCA's
    current key type); the portal verifies it in-process like any NCALayer signature."""
    # given a development machine whose test PKI has its GOST part (its own sub-folder)
    dev_signer_on.ensure_gost()
    page = new_context(language=language).new_page()

    # when the recipient chooses themselves and a GOST 2015 key in the development signer
    page.goto("/accounts/login/esign/")
    gost = page.locator("#dev-key-type-gost512")
    expect(page.locator("#dev-key-type-ecdsa")).to_be_checked()  # ECDSA stays the default
    gost.check()
    check_with_axe(page)
    page.locator("#dev-user").select_option(str(saule_recipient.pk))
    page.locator("[data-esign-dev-sign]").click()

    # then the GOST signature was verified, they are home and the header names them
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("banner")).to_contain_text(saule_recipient.get_full_name())
    event = DomainEvent.objects.get(verb="accounts.esign_login", subject_id=saule_recipient.pk)
    assert event.data["certificate_issuer"] == "CN=Qamqor Test Issuing CA (GOST) 2015,C=KZ"
    check_with_axe(page)
