"""The base layout and the home page (foundation issue: look and language)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_page_has_landmarks_and_skip_link(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert 'name="viewport"' in html


def test_home_defaults_to_kazakh(client: Client) -> None:
    response = client.get("/")
    assert '<html lang="kk">' in response.content.decode()


def test_floor_endpoint_returns_json(client: Client) -> None:
    response = client.get("/bench/floor/1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_api_docs_are_served(client: Client) -> None:
    assert client.get("/api/docs").status_code == 302
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_unknown_page_is_a_translated_404_in_the_layout(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<main id="main"' in html
    assert 'href="/"' in html


def test_expired_form_gets_a_plain_words_page(settings) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "ru"})
    assert response.status_code == 403
    assert '<main id="main"' in response.content.decode()
