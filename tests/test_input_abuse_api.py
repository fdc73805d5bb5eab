"""Input abuse of the API, generated from the OpenAPI schema (issue 10 item 3): every write
operation, every property of its body (and every key of a body's object values), every abusive
value of the property's type. No 5xx, every refusal in the structure
``{"errors": [{"code", "message", "field"}]}``, and a refused request stores nothing (the row
counts of every table of the apps are the same before and after).

Raw bodies that a ``str`` cannot carry (overlong UTF-8, escaped lone surrogates) are sent as
bytes in ``test_raw_bodies``."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest
from django.apps import apps

from qamqor.accounts import services as account_services
from qamqor.accounts.roles import Role
from qamqor.api.api import api
from qamqor.journal.locks import journal_for_update
from tests.abuse import discovery
from tests.abuse import values as V
from tests.applications.conftest import at, file_on, filing
from tests.factories import DistrictFactory, IntegrationClientFactory, UserFactory
from tests.journal.factories import organization_with

pytestmark = pytest.mark.django_db

SCHEMA = api.get_openapi_schema()
OPERATIONS = [(method, path) for method, path, op in discovery.write_operations(SCHEMA)]
_API_TEXT = [v for v in V.TEXT if v[0] not in ("emoji", "whitespace_only", "control")]
NUMBERS: list[tuple[str, object]] = [
    ("nan", math.nan),
    ("infinity", math.inf),
    ("negative_huge", -(10**30)),
    ("as_text", "12"),
]


def _values_for(schema: dict[str, Any], name: str, prop: dict[str, Any]) -> list[tuple[str, Any]]:
    prop = discovery.resolve(schema, prop)
    kind = prop.get("type")
    found: list[tuple[str, Any]] = list(V.JSON_WRONG_TYPES)
    if kind == "string" or "enum" in prop:
        found += _API_TEXT
        if prop.get("format") in ("date", "date-time") or name.endswith(("_date", "_on", "_at")):
            found += V.DATE
        if "iin" in name or "bin" in name:
            found += V.IIN
    elif kind in ("integer", "number"):
        found += NUMBERS + [v for v in V.NUMBER if v[0] in ("huge", "text")]
    return found


def _filler(schema: dict[str, Any], prop: dict[str, Any]) -> Any:
    prop = discovery.resolve(schema, prop)
    if "default" in prop:
        return prop["default"]
    if "enum" in prop:
        return prop["enum"][0]
    return {
        "integer": 1,
        "number": 1,
        "boolean": True,
        "array": [],
        "object": {},
    }.get(prop.get("type", ""), "2026-03-02" if prop.get("format") == "date" else "x")


@pytest.fixture
def world(client: Any) -> dict[str, Any]:
    """A person with every staff role in one district and organization, an application in that
    district, an integration client with every scope."""
    district = DistrictFactory()
    organization = organization_with(2)
    user = UserFactory()
    for role in (Role.MINISTRY, Role.REGISTRY_ADMIN, Role.INTAKE_OPERATOR):
        account_services.grant_role(None, user, role)
    account_services.grant_role(None, user, Role.DISTRICT_OFFICER, district=district)
    account_services.grant_role(None, user, Role.ORGANIZATION_STAFF, organization=organization)
    IntegrationClientFactory(token="abuse", scopes=["recipients", "licence_events", "ipr_records"])
    from tests.applications.factories import RecipientFactory

    recipient = RecipientFactory(district=district)
    application = file_on(at(2026, 3, 2), user, recipient)
    client.force_login(user)
    filing_body = dict(filing(recipient).__dict__)
    filing_body.pop("idempotency_key")
    return {
        "application": application,
        "journal": journal_for_update(organization.pk, "stationary"),
        "filing": filing_body,
    }


def _url(path: str, world: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "step":
            return "collected"
        if path.startswith("/api/v1/applications/{pk}") and name == "pk":
            return str(world["application"].pk)
        if name == "pk" and "/journals/{" in path:
            return str(world["journal"].pk)
        return "1"

    return re.sub(r"\{(?:int:)?([^}]+)\}", value, path)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "accounts",
            "applications",
            "cabinet",
            "core",
            "journal",
            "organizations",
            "specialists",
            "notifications",
        }
        and not model._meta.proxy
        and model._meta.label != "accounts.LoginAttempt"
    }


def _post(client: Any, method: str, url: str, body: Any, bearer: bool) -> Any:
    headers = {"Authorization": "Bearer abuse"} if bearer else {}
    raw = json.dumps(body, default=str)  # NaN/Infinity as the JS literals Python accepts
    return getattr(client, method)(url, raw, content_type="application/json", headers=headers)


def _check(response: Any, where: str) -> list[str]:
    if response.status_code >= 500:
        return [f"{where}: {response.status_code}"]
    if response.status_code < 400:
        return []
    try:
        errors = response.json()["errors"]
        assert errors and all({"code", "message", "field"} <= set(e) for e in errors)
    except Exception:
        return [f"{where}: unstructured {response.status_code}: {response.content[:120]!r}"]
    return []


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_api_write_operation_resists_abuse(
    client: Any, world: dict[str, Any], method: str, path: str
) -> None:
    op = SCHEMA["paths"][path][method]
    body_schema = discovery.body_schema(SCHEMA, op) or {"properties": {}}
    bearer = "IntegrationBearer" in json.dumps(op.get("security", []))
    props = body_schema.get("properties", {})
    if path.endswith(("/applications", "/portal-act")) and method == "post":
        base = {**world["filing"], "signature": ""}
    else:
        base = {k: _filler(SCHEMA, v) for k, v in props.items()}
    url = _url(path, world)
    before = row_counts()
    problems: list[str] = []
    accepted = 0
    cases: list[tuple[str, Any]] = [("no_body", None), ("not_an_object", ["x"])]
    for name, prop in props.items():
        for label, value in _values_for(SCHEMA, name, prop):
            cases.append((f"{name}={label}", {**base, name: value}))
        if isinstance(base.get(name), dict):  # one level down: form_data, medical_card…
            for key in list(base[name])[:8]:
                for label, value in _API_TEXT + V.JSON_WRONG_TYPES[:3]:
                    cases.append(
                        (f"{name}.{key}={label}", {**base, name: {**base[name], key: value}})
                    )
    for where, body in cases:
        response = _post(client, method, url, body, bearer)
        problems += _check(response, where)
        accepted += response.status_code < 400
    assert not problems, "\n".join(problems)
    if not accepted:
        assert row_counts() == before, "a refused request stored something"


RAW_BODIES = [
    ("overlong_utf8", b'{"ids": [1], "x": "\xc0\xaf"}'),
    ("invalid_utf8", b"\xff\xfe{"),
    ("escaped_lone_surrogate", b'{"recipient_iin": "\\ud800", "channel": "portal"}'),
    ("nan_literal", b'{"ids": [NaN]}'),
    ("deep_nesting", b"[" * 5000 + b"]" * 5000),
    ("truncated", b'{"ids": [1,'),
    ("not_json", b"<script>alert(1)</script>"),
    ("oversize", b'{"x": "' + b"a" * 3_000_000 + b'"}'),
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_raw_bodies(client: Any, world: dict[str, Any], method: str, path: str) -> None:
    url = _url(path, world)
    problems = []
    for label, raw in RAW_BODIES:
        response = getattr(client, method)(url, raw, content_type="application/json")
        problems += _check(response, label)
    assert not problems, "\n".join(problems)
