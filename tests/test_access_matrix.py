"""Authorization as one matrix: every URL × every role (and anonymous) → expected status.

STYLE (tests): the matrix fails when a new URL appears without an entry, so no page ships without
a decision about who may open it. Feature issues add their rows here.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from qamqor.accounts import services
from qamqor.accounts.roles import ROLE_SCOPE, Role, Scope
from tests.factories import DistrictFactory, OrganizationFactory, UserFactory

ANON = "anonymous"
PERSONAS = [ANON, *[r.value for r in Role]]
ALL_OK = dict.fromkeys(PERSONAS, 200)
REGISTRY_STAFF_OK = dict.fromkeys(
    ["ministry", "registry_admin", "district_officer", "organization_staff"], 200
)

# path as requested → expected status for each persona (GET)
MATRIX: dict[str, dict[str, int]] = {
    "/": ALL_OK,
    "/calendar/": ALL_OK,
    "/accounts/login/": ALL_OK,
    # E-signature login and signed acts (R-X-2)
    "/accounts/login/esign/": ALL_OK,
    "/accounts/login/esign/nonce/": dict.fromkeys(PERSONAS, 405),  # POST only
    "/accounts/login/esign/dev-sign/": dict.fromkeys(PERSONAS, 404),  # DEBUG is off in tests
    "/accounts/sign-demo/": {**ALL_OK, ANON: 302},
    "/accounts/logout/": dict.fromkeys(PERSONAS, 405),  # POST only
    "/accounts/logout/everywhere/": dict.fromkeys(PERSONAS, 405),  # POST only
    # One-time-code login (R-SPC-1)
    "/accounts/otp/": ALL_OK,
    "/accounts/otp/verify/": dict.fromkeys(PERSONAS, 302),  # no code requested yet: back to otp/
    "/accounts/otp/resend/": dict.fromkeys(PERSONAS, 405),  # POST only
    # Acting on behalf (R-QUE-5, R-SVC-1)
    "/accounts/representation/": {**dict.fromkeys(PERSONAS, 200), ANON: 302},
    "/accounts/representation/register/": {
        **dict.fromkeys(PERSONAS, 403),
        ANON: 302,
        "intake_operator": 200,
        "district_officer": 200,
        "registry_admin": 200,
    },
    "/accounts/representation/1/end/": dict.fromkeys(PERSONAS, 405),  # POST only
    "/bench/floor/1": ALL_OK,
    "/health": ALL_OK,
    "/api/docs": dict.fromkeys(PERSONAS, 302),
    "/api/v1/core/regions": ALL_OK,
    "/api/v1/core/districts": ALL_OK,
    "/api/v1/openapi.json": ALL_OK,
    # Registry of organizations (R-ORG-1, R-ORG-4): the public part needs no login; entry 1 of
    # the matrix's world is not consented (or does not exist), so its detail is 404 for everyone.
    "/api/v1/organizations": ALL_OK,
    "/api/v1/organizations/1": dict.fromkeys(PERSONAS, 404),
    "/api/v1/organizations/licence-events": dict.fromkeys(PERSONAS, 405),  # POST only
    # Public registry pages and exports (R-ORG-4, R-ORG-5): no login; entry 1 is not public.
    "/organizations/": ALL_OK,
    "/organizations/1/": dict.fromkeys(PERSONAS, 404),
    "/organizations/export.csv": ALL_OK,
    "/organizations/export.xlsx": ALL_OK,
    "/organizations/export.pdf": ALL_OK,
    "/organizations/export.json": ALL_OK,
    # Back office of the registry (issue 4 item 4): ministry, registry administrator and
    # organization staff; entry 1 does not exist (or is not theirs): 404 for them.
    "/organizations/staff/": {**dict.fromkeys(PERSONAS, 403), ANON: 302, **REGISTRY_STAFF_OK},
    "/organizations/staff/1/": {
        **dict.fromkeys(PERSONAS, 403),
        ANON: 302,
        **dict.fromkeys(REGISTRY_STAFF_OK, 404),
    },
    # The organization's own contacts (R-ORG-2.7) and consent (R-ORG-4): POST only.
    "/organizations/staff/1/contacts/": dict.fromkeys(PERSONAS, 405),
    "/organizations/staff/1/consent/": dict.fromkeys(PERSONAS, 405),
    "/organizations/staff/export.csv": {
        **dict.fromkeys(PERSONAS, 403),
        ANON: 302,
        **REGISTRY_STAFF_OK,
    },
    "/organizations/staff/export.xlsx": {
        **dict.fromkeys(PERSONAS, 403),
        ANON: 302,
        **REGISTRY_STAFF_OK,
    },
    "/organizations/staff/export.pdf": {
        **dict.fromkeys(PERSONAS, 403),
        ANON: 302,
        **REGISTRY_STAFF_OK,
    },
    "/api/v1/docs": ALL_OK,
    "/api/v1/": dict.fromkeys(PERSONAS, 404),  # django-ninja's root pattern: nothing there
}


def _rows_of_feature_apps() -> dict[str, dict[str, int]]:
    """Each feature app adds its rows in ``tests/<app>/access_rows.py`` (``ROWS``), built on
    ``PERSONAS``/``ANON`` from this module, so two apps never edit the same table."""
    import tests

    rows: dict[str, dict[str, int]] = {}
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{info.name}.access_rows")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{info.name}.access_rows":
                raise
            continue
        clash = rows.keys() & module.ROWS.keys() | MATRIX.keys() & module.ROWS.keys()
        assert not clash, f"rows defined twice: {sorted(clash)}"
        rows.update(module.ROWS)
    return rows


MATRIX.update(_rows_of_feature_apps())

# URL patterns deliberately outside the matrix, with the reason.
NOT_IN_MATRIX = {
    "admin/": "Django admin: staff only, guarded by Django's own admin permissions",
    "i18n/": "Django's set_language view (POST, public)",
}


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    out = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if str(entry.pattern) in NOT_IN_MATRIX:
                continue
            out.extend(_patterns(entry, route))
        elif isinstance(entry, URLPattern):
            out.append(route)
    return out


def _as_path(route: str) -> str:
    return "/" + route.replace("<int:pk>", "1").lstrip("^").rstrip("$")


def test_every_url_has_a_row_in_the_matrix() -> None:
    routes = {_as_path(r) for r in _patterns(get_resolver())}
    missing = sorted(r for r in routes if r not in MATRIX and "{" not in r and "(?" not in r)
    assert missing == [], f"add these URLs to MATRIX: {missing}"


def _login_as(client, persona: str) -> None:
    if persona == ANON:
        return
    role = Role(persona)
    user = UserFactory()
    scope = ROLE_SCOPE[role]
    kwargs = {}
    if scope == Scope.DISTRICT:
        kwargs["district"] = DistrictFactory()
    elif scope == Scope.ORGANIZATION:
        # A pk far from 1, so that ".../1/" rows mean "not your entry" whatever the database's
        # sequences (PostgreSQL does not reset them between tests, SQLite does).
        kwargs["organization"] = OrganizationFactory(pk=900_001)
    services.grant_role(None, user, role, **kwargs)
    client.force_login(user)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, persona: str) -> None:
    _login_as(client, persona)
    got = {path: client.get(path).status_code for path in MATRIX}
    expected = {path: row[persona] for path, row in MATRIX.items()}
    assert got == expected
