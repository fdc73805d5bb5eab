"""Object scope as a generated matrix (issue 10 item 1; R-X-5, R-POR-1).

``tests/test_access_matrix.py`` says who may open each *kind* of page. This module says whose
*objects* they may open. The world is ``seed_demo``'s: one person for every role, with their
objects (district 0's cases, the organization's journal and queue, cabinets, orders, specialist
applications, notifications, files). Each role also has a *twin*: same role, another scope
(another district, organization, supplier, person) and no objects. Then:

* every page reached by a demo person (a crawl from every parameter-less URL, following links),
  when it shows an object (a URL parameter) and is not public: every twin gets 404 (same role:
  "not found", never "forbidden", so nothing is disclosed) or 403 (a role that may not use that
  kind of page at all);
* every POST form target found on those pages: every twin and the anonymous visitor are refused
  (403/404, anonymous: to the login page) and nothing changes (history and events unchanged);
  the owner is not refused (tried inside a rolled-back savepoint);
* every API operation of the OpenAPI schema × anonymous and every twin, with each object of the
  world and a schema-valid body: no 2xx for an object of another scope, no state change, no 5xx;
  and some demo person gets a 2xx for the object GETs (the matrix is not vacuous).

The test fails when a URL pattern with a parameter or an API operation appears without an entry
in ``ROUTES``/``OPERATIONS`` below (the entries say what scopes the object).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from qamqor.accounts.roles import ROLE_SCOPE, Role, Scope
from tests.scope_world import (
    SKIP_PREFIXES,
    crawl,
    demo_people,
    login_client,
    seed_world,
    start_paths,
    state_fingerprint,
    twin_of,
)

pytestmark = pytest.mark.postgres

# Roles with no object scope: they act for the whole country, so their twin is no "other scope".
NATIONAL = {
    Role.INTAKE_OPERATOR.value,
    Role.REGISTRY_ADMIN.value,
    Role.MINISTRY.value,
    Role.QUALITY_AUTHORITY.value,
}

# Every URL pattern with a parameter → what scopes its object. "public" objects are shown to
# anyone (the access matrix covers them); the others are checked here.
ROUTES: dict[str, str] = {
    "accounts/representation/<int:pk>/end/": "person (the representative or the represented)",
    "bench/floor/<int:pk>": "public (load-test floor page, no data)",
    "organizations/<int:pk>/": "public (consented registry entry)",
    "organizations/staff/<int:pk>/": "organization (its staff) or national registry roles",
    "organizations/staff/<int:pk>/contacts/": "organization (its staff)",
    "organizations/staff/<int:pk>/consent/": "organization (its staff)",
    "specialists/<int:pk>/": "public (registered specialist)",
    "specialists/applications/<int:pk>/": "person (the applicant) or registry administrator",
    "specialists/applications/<int:pk>/personal/": "person (the applicant)",
    "specialists/applications/<int:pk>/profession/": "person (the applicant)",
    "specialists/applications/<int:pk>/education/": "person (the applicant)",
    "specialists/applications/<int:pk>/employment/": "person (the applicant)",
    "specialists/applications/<int:pk>/documents/": "person (the applicant)",
    "specialists/applications/<int:pk>/submit/": "person (the applicant)",
    "specialists/applications/<int:pk>/update/": "person (the applicant)",
    "specialists/applications/<int:pk>/consent/": "person (the applicant)",
    "specialists/files/<int:pk>/": "person (the applicant) or registry administrator",
    "specialists/files/<int:pk>/remove/": "person (the applicant)",
    "specialists/review/<int:pk>/": "registry administrator (national)",
    "cabinet/measures/<int:pk>/": "person (the IPR holder or their representative)",
    "cabinet/measures/<int:pk>/order/": "person (the IPR holder or their representative)",
    "cabinet/orders/<int:pk>/": "person (who ordered)",
    "cabinet/orders/<int:pk>/confirm/": "person (who ordered)",
    "cabinet/supplier/offers/<int:pk>/withdraw/": "supplier (its offers)",
    "cabinet/supplier/orders/<int:pk>/": "supplier (orders addressed to it)",
    "cabinet/supplier/orders/<int:pk>/accept/": "supplier (orders addressed to it)",
    "cabinet/supplier/orders/<int:pk>/hand-over/": "supplier (orders addressed to it)",
    "cabinet/reimbursements/<int:pk>/": "district (the officer of the person's district)",
    "applications/my/<int:pk>/": "person (the recipient or their representative)",
    "applications/my/<int:pk>/choose/": "person (the recipient or their representative)",
    "applications/my/<int:pk>/receipt.pdf": "person (the recipient or their representative)",
    "applications/my/<int:pk>/result.pdf": "person (the recipient or their representative)",
    "applications/cases/<int:pk>/": "district (officer, assigned social worker) or ministry",
    "applications/cases/<int:pk>/approve/": "district (officer)",
    "applications/cases/<int:pk>/refuse/": "district (officer)",
    **{
        f"applications/cases/<int:pk>/{action}/": "district (officer)"
        for action in (
            "assign",
            "intend-refusal",
            "hearing-notice",
            "notify-choice",
            "complaint",
            "complaint-outcome",
            "result-collected",
            "result-request",
            "result-resent",
        )
    },
    "applications/assessments/<int:pk>/": "district (the assigned social worker)",
    "notifications/<int:pk>/open/": "person (the addressee)",
    "journal/<int:pk>/": "organization (its staff) or ministry",
    "journal/<int:pk>/admit/": "organization (its staff)",
    "journal/<int:pk>/offer/": "organization (its staff)",
    "journal/<int:pk>/verify/": "organization (its staff)",
    "journal/<int:pk>/export.xlsx": "organization (its staff) or ministry",
    "journal/<int:pk>/export.pdf": "organization (its staff) or ministry",
    "journal/stays/<int:pk>/move/": "organization (its staff)",
    "journal/queue/<int:pk>/arrival/": "organization (its staff)",
    "journal/my/<int:pk>/postpone/": "person (the queued person or their representative)",
    "journal/apply/<int:pk>/": "public organization (any logged-in person may apply)",
    "journal/organizations/<int:pk>/": "public (counts of a consented organization)",
    # The parameter is a kind of consent, not an object: each person acts on their own consents
    # (tests/privacy/test_privacy.py proves nobody reaches another person's).
    "privacy/consents/<slug:kind>/withdraw/": "public kind (own consents only)",
    "privacy/consents/<slug:kind>/give/": "public kind (own consents only)",
}

# Every API operation → what scopes its object ("-" for operations without one).
OPERATIONS: dict[str, str] = {
    "GET /api/v1/core/regions": "-",
    "GET /api/v1/core/districts": "-",
    "GET /api/v1/organizations": "-",
    "GET /api/v1/organizations/{pk}": "public",
    "POST /api/v1/organizations/licence-events": "- (integration bearer token)",
    "GET /api/v1/specialists": "-",
    "GET /api/v1/specialists/{pk}": "public",
    "GET /api/v1/notifications": "- (own notifications only)",
    "GET /api/v1/privacy/access-log": "- (reads of own file only)",
    "GET /api/v1/privacy/consents": "- (own consents only)",
    "GET /api/v1/privacy/export": "- (own data only)",
    "POST /api/v1/notifications/read": "person (ids of own notifications)",
    "GET /api/v1/cabinet": "- (own cabinet)",
    "GET /api/v1/cabinet/measures/{pk}/offers": "person",
    "GET /api/v1/cabinet/measures/{pk}/act": "person",
    "POST /api/v1/cabinet/measures/{pk}/orders": "person",
    "GET /api/v1/cabinet/orders/{pk}": "person",
    "POST /api/v1/cabinet/orders/{pk}/confirm": "person",
    "GET /api/v1/suppliers/offers": "-",
    "GET /api/v1/suppliers/orders": "- (own supplier's)",
    "POST /api/v1/suppliers/orders/{pk}/accept": "supplier",
    "POST /api/v1/suppliers/orders/{pk}/hand-over": "supplier",
    "POST /api/v1/ipr/records": "- (integration bearer token)",
    "GET /api/v1/journal/organizations/{pk}/counts": "public",
    "POST /api/v1/journal/journals/{pk}/admissions": "organization",
    "POST /api/v1/journal/stays/{pk}/movements": "organization",
    "POST /api/v1/journal/journals/{pk}/offers": "organization",
    "POST /api/v1/journal/queue/{pk}/arrival": "organization",
    "GET /api/v1/journal/queue/application-act": "-",
    "POST /api/v1/journal/queue/applications": "- (the signed act names the person)",
    "GET /api/v1/journal/queue/mine": "- (own entries)",
    "GET /api/v1/journal/queue/{pk}/position": "person",
    "POST /api/v1/journal/queue/{pk}/postponement": "person",
    "POST /api/v1/applications/recipients": "- (intake staff)",
    "POST /api/v1/applications/portal-act": "- (own file)",
    "POST /api/v1/applications": "- (intake staff / own file)",
    "GET /api/v1/applications": "- (scoped list)",
    "GET /api/v1/applications/events": "- (monitoring roles)",
    "GET /api/v1/applications/dashboard": "- (monitoring roles)",
    "GET /api/v1/applications/{pk}": "district or person",
    "POST /api/v1/applications/{pk}/assign": "district",
    "POST /api/v1/applications/{pk}/conclusion": "district (assigned social worker)",
    "GET /api/v1/applications/{pk}/decision-act": "district",
    "POST /api/v1/applications/{pk}/approve": "district",
    "POST /api/v1/applications/{pk}/intend-refusal": "district",
    "POST /api/v1/applications/{pk}/hearing-notice": "district",
    "POST /api/v1/applications/{pk}/refuse": "district",
    "POST /api/v1/applications/{pk}/notify-choice": "district",
    "POST /api/v1/applications/{pk}/choose": "person",
    "POST /api/v1/applications/{pk}/complaints": "person",
    "POST /api/v1/applications/{pk}/complaints/{complaint_id}/outcome": "district",
    "POST /api/v1/applications/{pk}/result/{step}": "district",
}

# Which model's keys an API path's {pk} takes (the objects of the seeded world are tried).
API_OBJECTS: dict[str, str] = {
    "/api/v1/organizations/": "organizations.Organization",
    "/api/v1/specialists/": "specialists.Specialist",
    "/api/v1/cabinet/measures/": "cabinet.Measure",
    "/api/v1/cabinet/orders/": "cabinet.Order",
    "/api/v1/suppliers/orders/": "cabinet.Order",
    "/api/v1/journal/organizations/": "organizations.Organization",
    "/api/v1/journal/journals/": "journal.Journal",
    "/api/v1/journal/stays/": "journal.Stay",
    "/api/v1/journal/queue/": "journal.QueueEntry",
    "/api/v1/applications/": "applications.Application",
}


def _rolled_back() -> Any:
    """An atomic block whose changes are undone by the caller's ``set_rollback``. Marked as a test
    case's block (what Django's TestCase does) so that durable service blocks may run inside."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    return block


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    out: list[str] = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route in ("admin/", "i18n/") or route.startswith("api/v1/"):
                continue  # Django's own; the API is enumerated from its OpenAPI schema
            out.extend(_routes(entry, route))
        elif isinstance(entry, URLPattern):
            out.append(route)
    return out


def _operations() -> dict[str, dict[str, Any]]:
    from qamqor.api.api import api

    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": {**op, "_schema": schema}
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    }


def test_every_object_url_and_api_operation_has_an_entry() -> None:
    with_object = {r for r in _routes() if "<" in r}
    assert sorted(with_object - ROUTES.keys()) == [], "add these URL patterns to ROUTES"
    assert sorted(ROUTES.keys() - with_object) == [], "remove these from ROUTES"
    operations = set(_operations())
    assert sorted(operations - OPERATIONS.keys()) == [], "add these API operations to OPERATIONS"
    assert sorted(OPERATIONS.keys() - operations) == [], "remove these from OPERATIONS"


# ---------------------------------------------------------------------------------------------
# The world: seeded once for the module, inside a transaction rolled back at the end.


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        override_settings(STORAGES=plain_static),
        django_db_blocker.unblock(),
        _rolled_back(),
    ):
        seed_world()
        people = demo_people()
        twins = {role: twin_of(role, n) for n, role in enumerate(sorted(people))}
        starts = start_paths()
        # logged in once: a login writes the user's history, which the state checks compare
        own = {role: login_client(user) for role, user in people.items()}
        other = {role: login_client(user) for role, user in twins.items()}
        crawls = {role: crawl(own[role], starts) for role in people}
        yield {"people": own, "twins": other, "crawls": crawls}
        transaction.set_rollback(True)


def _is_public(path: str) -> bool:
    return login_client(None).get(path).status_code == 200


def _twins(world: dict[str, Any]) -> Any:
    return world["twins"].items()


def _object_pages(world: dict[str, Any]) -> dict[str, tuple[str, set[str]]]:
    """Every object page (or linked download) reached by a demo person: path → (route, roles
    that reached it)."""
    pages: dict[str, tuple[str, set[str]]] = {}
    for role, result in world["crawls"].items():
        for route, paths in [*result.pages.items(), *result.files.items()]:
            if "<" in route:
                for path in paths:
                    pages.setdefault(path, (route, set()))[1].add(role)
    return pages


@pytest.mark.django_db
def test_demo_people_reach_the_object_pages_of_their_scope(world: dict[str, Any]) -> None:
    """Own scope allowed: the crawl reached (200) an object page of every scoped route that the
    seeded world has objects for, so the denials below are about real objects."""
    reached = {route for route, _ in _object_pages(world).values()}
    reached |= {route for route, _ in _post_targets(world).values()}
    scoped = {r for r, scope in ROUTES.items() if not scope.startswith("public")}
    unreached = sorted(scoped - reached - NOT_REACHED.keys())
    for role, result in world["crawls"].items():
        print(role, len(result.statuses), sorted(result.pages), sorted(result.posts))
    assert unreached == [], "the seeded world has no reachable object for: " + ", ".join(unreached)


# Object routes the crawl cannot reach in the seeded world, with the reason. They keep their
# rows in the access matrix (someone else's or a missing object: 404) and the reader-may-not-act
# test below; the API operations behind most of them are tried with every object here.
_STATE = "its form shows only in a later state of the object than the seeded one"
NOT_REACHED: dict[str, str] = {
    **{
        f"applications/cases/<int:pk>/{a}/": _STATE
        for a in (
            "approve",
            "refuse",
            "complaint-outcome",
            "hearing-notice",
            "intend-refusal",
            "notify-choice",
            "result-collected",
            "result-request",
            "result-resent",
        )
    },
    "applications/cases/<int:pk>/assign/": "the seeded case is already assigned (for the "
    "social worker's assessment page)",
    "cabinet/measures/<int:pk>/order/": "the seeded measure already has its order (for the "
    "order, supplier and confirmation pages)",
    "applications/my/<int:pk>/choose/": _STATE,
    "applications/my/<int:pk>/receipt.pdf": "linked from the recipient's page after filing",
    "applications/my/<int:pk>/result.pdf": _STATE,
    "cabinet/orders/<int:pk>/confirm/": _STATE,
    "cabinet/reimbursements/<int:pk>/": _STATE,
    "cabinet/supplier/orders/<int:pk>/accept/": _STATE,
    "cabinet/supplier/orders/<int:pk>/hand-over/": _STATE,
    "journal/queue/<int:pk>/arrival/": _STATE,
    "journal/my/<int:pk>/postpone/": _STATE,
    "notifications/<int:pk>/open/": "the seeded world's notifications are sent after commit",
    "specialists/files/<int:pk>/": "linked from the applicant's documents step",
    "accounts/representation/<int:pk>/end/": "ended by intake staff from the register page",
    "specialists/applications/<int:pk>/submit/": _STATE,
    "specialists/applications/<int:pk>/update/": _STATE,
    "specialists/applications/<int:pk>/consent/": _STATE,
    "specialists/files/<int:pk>/remove/": _STATE,
    "specialists/applications/<int:pk>/personal/": "reached through the steps after starting",
}

# A national reader of a kind of object sees it whatever its scope: by design, not a leak.
WHOLE_COUNTRY: dict[tuple[str, str], str] = {
    ("ministry", "applications/my/<int:pk>/"): "R-X-5: the ministry reads every case",
    ("registry_admin", "specialists/applications/<int:pk>/"): "R-SPC-3: reviews every one",
    ("registry_admin", "specialists/files/<int:pk>/"): "R-SPC-3: reviews every one",
    ("district_officer", "organizations/staff/<int:pk>/"): (
        "the back office of the registry shows every organization to district officers "
        "(organizations.selectors._SEE_ALL: they refer people to providers anywhere)"
    ),
}


@pytest.mark.django_db
def test_object_pages_of_one_scope_are_not_found_from_another(world: dict[str, Any]) -> None:
    failures: list[str] = []
    checked = 0
    for path, (route, owners) in sorted(_object_pages(world).items()):
        if ROUTES[route].startswith("public") or _is_public(path):
            continue
        for role, twin in _twins(world):
            if (role in NATIONAL and role in owners) or (role, route) in WHOLE_COUNTRY:
                continue  # the whole country is their scope
            status = twin.get(path).status_code
            checked += 1
            expected = {404} if role in owners else {403, 404}
            if status not in expected:
                failures.append(f"{role} of another scope: GET {path} → {status}")
    print(f"object pages × twin roles checked: {checked}")
    assert checked > 0
    assert failures == [], "\n".join(failures)


def _post_targets(world: dict[str, Any]) -> dict[str, tuple[str, set[str]]]:
    targets: dict[str, tuple[str, set[str]]] = {}
    for role, result in world["crawls"].items():
        for route, paths in result.posts.items():
            for path in paths:
                targets.setdefault(path, (route, set()))[1].add(role)
    return targets


@pytest.mark.django_db
def test_post_actions_are_refused_to_other_scopes_and_change_nothing(
    world: dict[str, Any],
) -> None:
    failures: list[str] = []
    checked = 0
    for path, (route, owners) in sorted(_post_targets(world).items()):
        if "<" not in route or ROUTES[route].startswith("public"):
            continue
        before = state_fingerprint()
        response = login_client(None).post(path, {})
        checked += 1
        if not (response.status_code in (403, 404) or _to_login(response)):
            failures.append(f"anonymous: POST {path} → {response.status_code}")
        for role, twin in _twins(world):
            if (role in NATIONAL and role in owners) or (role, route) in WHOLE_COUNTRY:
                continue
            status = twin.post(path, {}).status_code
            checked += 1
            if status not in (403, 404):
                failures.append(f"{role} of another scope: POST {path} → {status}")
        after = state_fingerprint()
        if after != before:
            changed = {k: (before[k], after[k]) for k in after if before.get(k) != after[k]}
            failures.append(f"POST {path} by a refused persona changed {changed}")
        # the owner is not refused (in a savepoint rolled back: the world stays as seeded)
        for role in sorted(owners):
            with _rolled_back():
                status = world["people"][role].post(path, {}).status_code
                transaction.set_rollback(True)
            if status in (401, 403, 404):
                failures.append(f"{role} (owner): POST {path} → {status}")
    print(f"POST targets × personas checked: {checked}")
    assert checked > 0
    assert failures == [], "\n".join(failures)


def _to_login(response: Any) -> bool:
    return response.status_code == 302 and "/accounts/login" in response["Location"]


# ---------------------------------------------------------------------------------------------
# API: every operation × anonymous, every twin and every demo person.


def _example(schema: dict[str, Any], root: dict[str, Any], depth: int = 0) -> Any:
    """A minimal value valid for a JSON schema (enough for django-ninja to call the view)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _example(root["components"]["schemas"][name], root, depth + 1)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return _example(options[0], root, depth + 1)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = schema.get("required", [])
        return {
            name: _example(prop, root, depth + 1)
            for name, prop in schema.get("properties", {}).items()
            if name in required and depth < 6
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "date":
        return "2026-12-01"
    if fmt == "date-time":
        return "2026-12-01T10:00:00+05:00"
    return "x" * max(1, int(schema.get("minLength", 1)))


def _body(op: dict[str, Any]) -> str | None:
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return json.dumps(_example(content["application/json"]["schema"], op["_schema"]))


def _object_model(path: str) -> str | None:
    for prefix, label in API_OBJECTS.items():
        if path.startswith(prefix) and re.match(re.escape(prefix) + r"\{pk\}", path):
            return label
    return None


def _concrete(path: str, pk: int) -> str:
    return path.replace("{pk}", str(pk)).replace("{complaint_id}", "1").replace("{step}", "sent")


def _query(op: dict[str, Any]) -> dict[str, Any]:
    """Required query parameters: an object of the world for ``offer``, else an example."""
    from qamqor.cabinet.models import Offer

    query: dict[str, Any] = {}
    for param in op.get("parameters", []):
        if param.get("in") == "query" and param.get("required"):
            if param["name"] == "offer":
                query["offer"] = Offer.objects.order_by("pk").values_list("pk", flat=True).first()
            else:
                query[param["name"]] = _example(param.get("schema", {}), op["_schema"])
    return query


def _call(client: Any, method: str, path: str, body: str | None, query: Any = None) -> Any:
    if method == "GET":
        return client.get(path, query or {})
    return client.generic(method, path, body or "", content_type="application/json")


@pytest.mark.django_db
def test_api_operations_by_role_and_object_scope(world: dict[str, Any]) -> None:
    from django.apps import apps

    failures: list[str] = []
    checked = 0
    owned_get_ok: set[str] = set()
    personas: dict[str, Any] = {"anonymous": login_client(None)}
    personas.update({f"{r} of another scope": c for r, c in world["twins"].items()})
    for key, op in sorted(_operations().items()):
        method, path = key.split(" ", 1)
        public = OPERATIONS[key].startswith("public") or not op.get("security")
        body = _body(op)
        label = _object_model(path)
        if label is None:
            paths = [path]
        else:
            model = apps.get_model(label)
            keys = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            # the first, a middle and the last object: kinds differ by age in the seeded world
            sample = sorted({keys[0], keys[len(keys) // 2], keys[-1]}) if keys else []
            paths = [_concrete(path, pk) for pk in sample]
        for concrete in paths:
            before = state_fingerprint()
            for name, client in personas.items():
                role = name.split(" ", 1)[0]
                with _rolled_back():
                    response = _call(client, method, concrete, body, _query(op))
                    transaction.set_rollback(True)
                checked += 1
                status = response.status_code
                if status >= 500:
                    failures.append(f"{name}: {method} {concrete} → {status}")
                if label is None or public or (role in NATIONAL and method == "GET"):
                    continue
                if 200 <= status < 300:
                    failures.append(f"{name}: {method} {concrete} → {status} (another scope's)")
            if state_fingerprint() != before:
                failures.append(f"{method} {concrete} by a refused persona changed the state")
            if method == "GET" and label and not public:
                for client in world["people"].values():
                    status = client.get(concrete, _query(op)).status_code
                    checked += 1
                    if status == 200:
                        owned_get_ok.add(key)
    print(f"API operations × personas × objects checked: {checked}")
    object_gets = {
        k for k in OPERATIONS if k.startswith("GET ") and "{" in k and OPERATIONS[k] != "public"
    }
    assert sorted(object_gets - owned_get_ok - API_NOT_REACHED.keys()) == [], (
        "no demo person could read an object through these operations"
    )
    assert failures == [], "\n".join(failures)


API_NOT_REACHED: dict[str, str] = {}

# Keep flake-free imports honest (Scope/ROLE_SCOPE document the NATIONAL set above).
assert {r for r, s in ROLE_SCOPE.items() if s == Scope.NONE} >= {Role(r) for r in NATIONAL}
assert SKIP_PREFIXES


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["recipient", "ministry", "social_worker"])
def test_who_may_read_a_case_may_not_act_on_it(world: dict[str, Any], reader: str) -> None:
    """R-X-5: the recipient, the ministry and the assigned social worker see the case; none of
    them may act on it, and none gets the staff page back from a refused act (before the fix an
    invalid form answered 400 with the whole staff page of the case)."""
    from qamqor.applications.models import Application
    from qamqor.applications.views import ACTION_PERMS

    app = Application.objects.order_by("-pk").first()
    assert app is not None
    client = world["people"][reader]
    assert client.get(f"/applications/my/{app.pk}/").status_code in (200, 404)
    before = state_fingerprint()
    for action in ACTION_PERMS:
        response = client.post(f"/applications/cases/{app.pk}/{action}/", {})
        assert response.status_code == 403, (action, response.status_code)
    assert state_fingerprint() == before
