"""Every error under /api/ has the API's structure, also the ones no handler of ours wrote
(issue 10 item 2; STYLE: errors and input)."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _errors(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/json")
    return response.json()["errors"]


def test_a_wrong_method_is_a_structured_405_that_keeps_allow(client) -> None:
    response = client.post("/api/v1/core/regions")
    assert response.status_code == 405
    assert _errors(response)[0]["code"] == "http.405"
    assert "GET" in response["Allow"]


def test_an_unknown_api_address_is_a_structured_404(client) -> None:
    client.cookies["qamqor_language"] = "en"
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert _errors(response) == [
        {"code": "http.404", "message": "Nothing here: check the address.", "field": None}
    ]


def test_a_failed_csrf_check_is_a_structured_403() -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post("/api/v1/notifications/read", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert _errors(response)[0]["code"] == "auth.csrf_failed"


def test_pages_outside_the_api_keep_their_html_errors(client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_error_structure_on_every_operation(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "Errors" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "404", "422"} <= set(operation["responses"]), (method, path)


def test_a_nul_character_is_refused_before_any_view(client) -> None:
    """PostgreSQL text cannot hold U+0000: a query, form or JSON value with it is refused (400 on
    a page, 422 in the error structure in the API), never a server error (API fuzzing)."""
    api = client.get("/api/v1/organizations", {"q": "a\x00b"})
    assert api.status_code == 422
    assert _errors(api)[0]["code"] == "input.nul_character"

    page = client.get("/organizations/", {"q": "a\x00b"})
    assert page.status_code == 400

    body = client.post(
        "/api/v1/notifications/read",
        data='{"ids": [], "x": "\\u0000"}',
        content_type="application/json",
    )
    assert body.status_code == 422


def test_ordinary_text_with_percent_signs_passes(client) -> None:
    assert client.get("/organizations/", {"q": "100%"}).status_code == 200
