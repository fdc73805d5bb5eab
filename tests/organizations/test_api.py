"""The organizations API: public registry (R-ORG-4) and licence events (R-ORG-1)."""

from __future__ import annotations

import pytest

from qamqor.organizations.models import LicenceEvent, Organization
from tests.factories import (
    DistrictFactory,
    IntegrationClientFactory,
    OrganizationFactory,
    OrganizationServiceFactory,
    PublicOrganizationFactory,
    make_bin,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organizations"
EVENTS = "/api/v1/organizations/licence-events"


def test_public_list_shows_only_consented_entries(client, django_assert_max_num_queries) -> None:
    """R-ORG-4: the public list (no login) has consented, non-excluded entries only."""
    shown = [PublicOrganizationFactory() for _ in range(3)]
    for org in shown:
        OrganizationServiceFactory(organization=org)
    OrganizationFactory()
    with django_assert_max_num_queries(4):
        response = client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {item["id"] for item in body["items"]} == {o.pk for o in shown}
    item = body["items"][0]
    assert item["services"] == [{"condition": "stationary", "capacity": 50}]
    assert item["region"] == "71"


def test_public_list_filters_and_pagination(client) -> None:
    district = DistrictFactory()
    for _ in range(5):
        PublicOrganizationFactory(district=district, categories=["homeless"])
    PublicOrganizationFactory()
    response = client.get(
        LIST, {"district": district.slug, "category": "homeless", "page": 2, "page_size": 2}
    )
    body = response.json()
    assert (body["count"], len(body["items"])) == (5, 2)
    assert client.get(LIST, {"page": 0}).status_code == 422


def test_detail_is_404_for_unconsented(client) -> None:
    """R-ORG-4: an unconsented entry does not exist for the public."""
    hidden = OrganizationFactory()
    response = client.get(f"{LIST}/{hidden.pk}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "organization.not_found"
    shown = PublicOrganizationFactory()
    assert client.get(f"{LIST}/{shown.pk}").json()["bin"] == shown.bin


def _issued(n: int = 1, **overrides) -> dict:
    event = {
        "event_id": f"api-{n}",
        "kind": "issued",
        "licence_number": f"API-{n}",
        "bin": make_bin(200 + n),
        "occurred_at": "2026-02-10",
        "name_kk": "Орталық",
        "name_ru": "Центр",
        "legal_address": "Астана",
        "district": "api-district",
        "services": {"stationary": 10},
        "categories": ["elderly"],
    }
    event.update(overrides)
    return event


def _post(client, events, token: str | None = "secret"):  # noqa: S107 - test token
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(EVENTS, {"events": events}, content_type="application/json", headers=headers)


@pytest.fixture
def licensing():
    DistrictFactory(slug="api-district")
    return IntegrationClientFactory(token="secret")


def test_licence_events_need_a_client_token(client, licensing) -> None:
    """R-ORG-1: the licensing system authenticates with its own token, not a session."""
    assert _post(client, [_issued()], token=None).status_code == 401
    assert _post(client, [_issued()], token="wrong").status_code == 401
    licensing.is_active = False
    licensing.save()
    assert _post(client, [_issued()]).status_code == 401
    assert not Organization.objects.exists()


def test_licence_events_need_the_scope(client, licensing) -> None:
    IntegrationClientFactory(token="other", scopes=[])
    response = _post(client, [_issued()], token="other")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "integration.scope"


def test_licence_events_are_applied_and_replay_is_idempotent(client, licensing) -> None:
    """R-ORG-1: 200 with the per-event result; a replay is reported as already applied."""
    response = _post(client, [_issued(1), _issued(2)])
    assert response.status_code == 200
    body = response.json()
    assert (body["applied"], body["already_applied"]) == (2, 0)
    assert [r["outcome"] for r in body["results"]] == ["applied", "applied"]
    assert Organization.objects.count() == 2

    body = _post(client, [_issued(1), _issued(2)]).json()
    assert (body["applied"], body["already_applied"]) == (0, 2)
    assert LicenceEvent.objects.count() == 2


def test_bad_events_are_400_with_every_error_and_nothing_applied(client, licensing) -> None:
    """R-ORG-1: a bad BIN or unknown licence refuses the whole batch, naming each event."""
    response = _post(
        client,
        [
            _issued(1),
            _issued(2, bin="150140000001"),
            {
                "event_id": "s",
                "kind": "suspended",
                "licence_number": "NO",
                "bin": make_bin(9),
                "occurred_at": "2026-02-11",
            },
        ],
    )
    assert response.status_code == 400
    assert [(e["code"], e["field"]) for e in response.json()["errors"]] == [
        ("bin.checksum", "events[1].bin"),
        ("licence_event.unknown_licence", "events[2].licence_number"),
    ]
    assert not Organization.objects.exists()


def test_malformed_body_is_422_structured(client, licensing) -> None:
    response = _post(client, "not a list")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert set(error) == {"code", "message", "field"}
    assert _post(client, []).status_code == 422


def test_create_integration_client_prints_the_token_once(client) -> None:
    """R-ORG-1: only the SHA-256 of the token is stored; the printed token works."""
    from io import StringIO

    from django.core.management import call_command

    from qamqor.organizations.models import IntegrationClient, hash_token

    out = StringIO()
    call_command("create_integration_client", "licensing", stdout=out)
    token = out.getvalue().splitlines()[-1]
    stored = IntegrationClient.objects.get(name="licensing")
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert stored.scopes == ["licence_events"]
    assert _post(client, [], token=token).status_code == 422  # authenticated, empty batch
