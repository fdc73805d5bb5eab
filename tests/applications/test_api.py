"""The API of the state service (/api/v1/applications…)."""

from __future__ import annotations

import base64
import json

import pytest

from qamqor.applications.models import Application, Recipient
from tests.applications.conftest import at, file_on, filing
from tests.applications.test_recipients import record
from tests.factories import IntegrationClientFactory

pytestmark = pytest.mark.django_db


def body_of(f):
    data = dict(f.__dict__)
    data.pop("idempotency_key")
    return data


def post(client, path, data, **headers):
    return client.post(
        path, json.dumps(data, default=str), content_type="application/json", headers=headers
    )


def test_recipients_from_the_state_systems_all_or_nothing(client, district):
    """R-SVC-2: an integration client with the recipients scope; every bad row reported."""
    IntegrationClientFactory(token="t-1", scopes=["recipients"])
    IntegrationClientFactory(token="t-2", scopes=["licence_events"])
    auth = {"Authorization": "Bearer t-1"}
    bad = post(
        client,
        "/api/v1/applications/recipients",
        {"recipients": [record(0, district), record(1, district, sex="?")]},
        **auth,
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "recipients[1].sex"
    assert Recipient.objects.count() == 0
    ok = post(
        client, "/api/v1/applications/recipients", {"recipients": [record(0, district)]}, **auth
    )
    assert ok.status_code == 200 and ok.json()["created"] == 1
    again = post(
        client, "/api/v1/applications/recipients", {"recipients": [record(0, district)]}, **auth
    )
    assert again.json()["unchanged"] == 1
    other = post(
        client, "/api/v1/applications/recipients", {"recipients": []}, Authorization="Bearer t-2"
    )
    assert other.status_code == 403


def test_a_paper_application_with_an_idempotency_key_is_filed_once(client, askar_officer, bibigul):
    client.force_login(askar_officer)
    data = body_of(filing(bibigul))
    first = post(client, "/api/v1/applications", data, **{"Idempotency-Key": "abc"})
    second = post(client, "/api/v1/applications", data, **{"Idempotency-Key": "abc"})
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert Application.objects.count() == 1


def test_bad_fields_come_back_structured(client, askar_officer, bibigul):
    """R-SVC-3: 422 with field, code and message for each problem."""
    client.force_login(askar_officer)
    data = body_of(filing(bibigul, liability_acknowledged=False, stay="day"))
    response = post(client, "/api/v1/applications", data)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"stay", "liability_acknowledged"}


def test_an_illegal_transition_is_a_409_with_a_reason(client, askar_officer, bibigul):
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    client.force_login(askar_officer)
    response = post(
        client, f"/api/v1/applications/{app.pk}/intend-refusal", {"ground": 1, "reasons": "x"}
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "applications.illegal_transition"
    app.refresh_from_db()
    assert app.status == "registered"


def test_steps_feed_and_dashboard(client, askar_officer, saule_worker, bibigul):
    """R-SVC-7, R-SVC-12: assign and conclude through the API; the feed follows with a cursor."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    client.force_login(askar_officer)
    assert (
        post(
            client, f"/api/v1/applications/{app.pk}/assign", {"social_worker_id": saule_worker.pk}
        ).status_code
        == 200
    )
    detail = client.get(f"/api/v1/applications/{app.pk}").json()
    assert {d["name"]: d["rule_id"] for d in detail["deadlines"]} == {
        "result": "R-SVC-6",
        "assessment": "R-SVC-7",
    }
    client.force_login(saule_worker)
    response = post(
        client,
        f"/api/v1/applications/{app.pk}/conclusion",
        {"needs_services": True, "findings": "Күтім қажет"},
    )
    assert response.json()["status"] == "concluded"
    client.force_login(askar_officer)
    feed = client.get("/api/v1/applications/events").json()
    assert [e["to_status"] for e in feed["events"]] == [
        "registered",
        "assessment_assigned",
        "concluded",
    ]
    tail = client.get(f"/api/v1/applications/events?after={feed['events'][1]['id']}").json()
    assert [e["to_status"] for e in tail["events"]] == ["concluded"]
    assert client.get("/api/v1/applications/dashboard").json()["totals"]["total"] == 1
    act = client.get(f"/api/v1/applications/{app.pk}/decision-act?decision=approve").json()
    assert json.loads(base64.b64decode(act["content_base64"]))["decision"] == "approved"


def test_someone_elses_case_is_404(client, bibigul, askar_officer):
    from qamqor.accounts.roles import Role
    from tests.applications.conftest import person
    from tests.factories import DistrictFactory

    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    client.force_login(person(Role.DISTRICT_OFFICER, district=DistrictFactory()))
    assert client.get(f"/api/v1/applications/{app.pk}").status_code == 404
    assert post(client, f"/api/v1/applications/{app.pk}/notify-choice", {}).status_code == 404
