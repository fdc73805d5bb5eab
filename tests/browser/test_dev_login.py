"""The development-only login in the browser: absent in production, usable on a dev machine."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from qamqor.accounts.models import User

pytestmark = pytest.mark.browser


@pytest.mark.django_db
def test_dev_login_is_404_when_debug_is_off(client: Client) -> None:
    # No browser needed: this runs even where chromium is missing.
    assert client.get("/accounts/dev-login/").status_code == 404


def test_dev_login_is_not_found_in_the_browser_when_debug_is_off(page: Page) -> None:
    response = page.goto("/accounts/dev-login/")
    assert response is not None and response.status == 404
    page.goto("/accounts/login/")
    expect(page.locator("a[href*='/accounts/dev-login/']")).to_have_count(0)


def test_demo_user_logs_in_and_sees_their_name(
    settings: pytest.FixtureRequest,
    live_server: LiveServer,
    new_context: Callable[..., BrowserContext],
) -> None:
    # given a development machine with one demo user and one real user
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.DEV_LOGIN_ENABLED = True  # type: ignore[attr-defined]
    User.objects.create_user(
        iin="900101300017", surname="Демо", given_name="Айгерім", email="aigerim@demo.qamqor.kz"
    )
    User.objects.create_user(
        iin="850312300305", surname="Нақты", given_name="Болат", email="bolat@example.kz"
    )
    # English: the msgids, which stay stable when the translations arrive.
    page = new_context(language="en").new_page()

    # when they choose the demo user
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Log in as a demo user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Development login")
    expect(page.get_by_role("radio")).to_have_count(1)
    expect(page.get_by_label("Нақты Болат")).to_have_count(0)
    page.get_by_label("Демо Айгерім").check()
    page.get_by_role("main").get_by_role("button", name="Log in").click()

    # then they are home and the header names them
    expect(page).to_have_url(f"{live_server.url}/")
    banner = page.get_by_role("banner")
    expect(banner).to_contain_text("Демо Айгерім")
    expect(banner.get_by_role("link", name="Log in")).to_have_count(0)

    # and logging out brings the login link back
    banner.get_by_role("button", name="Log out").click()
    expect(banner.get_by_role("link", name="Log in")).to_be_visible()
    expect(banner).not_to_contain_text("Демо Айгерім")
