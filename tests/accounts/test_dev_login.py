"""The development-only login: impossible when DEBUG is off (foundation issue, item 5)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from qamqor.accounts import services
from qamqor.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_dev_login_is_404_when_debug_is_off(client, settings) -> None:
    settings.DEBUG = False
    settings.DEV_LOGIN_ENABLED = True  # even if someone forced the flag on
    assert client.get("/accounts/dev-login/").status_code == 404
    assert client.post("/accounts/dev-login/", {"user": 1}).status_code == 404


def test_login_page_hides_dev_login_in_production(client, settings) -> None:
    settings.DEBUG = False
    html = client.get("/accounts/login/").content.decode()
    assert "/accounts/dev-login/" not in html


def test_app_refuses_to_start_with_dev_login_and_debug_off(settings) -> None:
    settings.DEBUG = False
    settings.DEV_LOGIN_ENABLED = True
    with pytest.raises(ImproperlyConfigured):
        apps.get_app_config("accounts").ready()


def test_production_settings_never_enable_dev_login() -> None:
    """With DEBUG unset, DEV_LOGIN=1 in the environment makes Django refuse to start."""
    env = {**os.environ, "SECRET_KEY": "x", "DEV_LOGIN": "1", "DEBUG": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DEV_LOGIN is set while DEBUG is off" in result.stderr


def test_secret_key_is_required_when_debug_is_off() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_dev_login_logs_in_a_demo_user_in_debug(client, settings) -> None:
    settings.DEBUG = True
    settings.DEV_LOGIN_ENABLED = True
    demo = UserFactory(email="saule@demo.qamqor.kz")
    services.grant_role(None, demo, Role.RECIPIENT)
    UserFactory(email="someone@example.kz")  # not a demo user: never listed
    page = client.get("/accounts/dev-login/")
    assert page.status_code == 200
    html = page.content.decode()
    assert demo.get_full_name() in html
    assert "someone@example.kz" not in html
    response = client.post("/accounts/dev-login/", {"user": demo.pk, "next": "/"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == demo.pk


def test_dev_login_keeps_the_page_on_bad_choice(client, settings) -> None:
    settings.DEBUG = True
    settings.DEV_LOGIN_ENABLED = True
    UserFactory(email="saule@demo.qamqor.kz")
    outsider = UserFactory(email="someone@example.kz")
    response = client.post("/accounts/dev-login/", {"user": outsider.pk})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_dev_login_refuses_offsite_redirects(client, settings) -> None:
    settings.DEBUG = True
    settings.DEV_LOGIN_ENABLED = True
    demo = UserFactory(email="saule@demo.qamqor.kz")
    response = client.post(
        "/accounts/dev-login/", {"user": demo.pk, "next": "https://evil.example"}
    )
    assert response["Location"] == "/"
