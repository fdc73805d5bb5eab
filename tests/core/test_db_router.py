"""The read-replica router (issue 9, item 4; qamqor/core/db_router.py).

The replica is a second connection to the test database (Django's ``TEST: {"MIRROR": "default"}``,
as ``DATABASE_REPLICA_URL`` configures it; added here for the test when the environment has none).
Each test records the SQL that reached each connection, so "read from the replica" means a query
really went through the replica's connection. The tests commit for real (``transaction=True``):
the replica's own connection sees only committed rows, like a real replica.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connections, transaction
from django.test import RequestFactory

from qamqor.accounts.models import User
from qamqor.accounts.roles import Role
from qamqor.core import db_router
from qamqor.core.db_router import REPLICA, ReplicaRouter, using_replica, view_reads_replica
from qamqor.organizations.models import Organization
from tests.factories import OrganizationServiceFactory, PublicOrganizationFactory, UserFactory
from tests.organizations.conftest import person

live = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases="__all__")


@pytest.fixture(scope="module", autouse=True)
def _replica_alias() -> Iterator[None]:
    """The ``replica`` alias: the configured one, or a mirror of ``default`` for this module.

    Module-scoped so that it exists before pytest-django decides which aliases a test may use
    (``databases="__all__"``)."""
    if REPLICA in connections.settings:
        yield
        return
    connections.settings[REPLICA] = {
        **connections["default"].settings_dict,
        "TEST": {"MIRROR": "default"},
    }
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica() -> Any:
    return connections[REPLICA]


class Recorder:
    """The SQL that went through one connection."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.sql.append(sql)
        return execute(sql, params, many, context)

    def touched(self, table: str) -> bool:
        return any(table in sql for sql in self.sql)


@contextmanager
def recording() -> Iterator[tuple[Recorder, Recorder]]:
    primary, copy = Recorder(), Recorder()
    with (
        connections["default"].execute_wrapper(primary),
        connections[REPLICA].execute_wrapper(copy),
    ):
        yield primary, copy


@pytest.fixture
def public_entry() -> Organization:
    org = PublicOrganizationFactory(name_kk="«Шапағат» үйі", name_ru="Дом «Шапагат»")
    OrganizationServiceFactory(organization=org, capacity=40)
    return org


# --- The router alone ---------------------------------------------------------------------------


def test_without_a_replica_every_read_stays_on_the_primary(monkeypatch) -> None:
    monkeypatch.setattr(db_router, "replica_configured", lambda: False)
    with using_replica():
        assert ReplicaRouter().db_for_read(Organization) is None  # Django then uses default
    assert ReplicaRouter().db_for_write(Organization) == "default"


def test_the_replica_is_never_migrated() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "organizations") is False
    assert router.allow_migrate("default", "organizations") is None


def test_only_get_and_head_of_listed_views_read_the_replica() -> None:
    rf = RequestFactory()
    assert view_reads_replica(rf.get("/organizations/"))
    assert view_reads_replica(rf.head("/organizations/export.csv"))
    assert view_reads_replica(rf.get("/specialists/"))
    assert view_reads_replica(rf.get("/applications/dashboard/"))
    assert not view_reads_replica(rf.post("/organizations/"))
    assert not view_reads_replica(rf.get("/"))
    assert not view_reads_replica(rf.get("/cabinet/"))
    assert not view_reads_replica(rf.get("/no/such/page/"))


@live
def test_reads_go_to_the_replica_only_inside_using_replica(replica, public_entry) -> None:
    with recording() as (primary, copy):
        assert Organization.objects.filter(pk=public_entry.pk).exists()
    assert primary.touched("organizations_organization")
    assert not copy.sql

    with recording() as (primary, copy), using_replica():
        assert Organization.objects.filter(pk=public_entry.pk).exists()
    assert copy.touched("organizations_organization")
    assert not primary.touched("organizations_organization")


@live
def test_a_read_inside_a_write_transaction_stays_on_the_primary(replica) -> None:
    with recording() as (primary, copy), using_replica(), transaction.atomic():
        new = PublicOrganizationFactory(name_kk="Жаңа ұйым")
        # The replica cannot see this uncommitted row: the read must not go there.
        assert Organization.objects.get(pk=new.pk).name_kk == "Жаңа ұйым"
    assert not copy.sql
    assert primary.touched("organizations_organization")


@live
def test_users_and_sessions_are_never_read_from_the_replica(replica) -> None:
    user = UserFactory()
    with recording() as (primary, copy), using_replica():
        assert User.objects.get(pk=user.pk) == user
    assert not copy.sql
    assert primary.touched("accounts_user")


@live
def test_a_row_read_from_the_replica_is_written_to_the_primary(replica, public_entry) -> None:
    with using_replica():
        org = Organization.objects.get(pk=public_entry.pk)
    assert org._state.db == REPLICA
    with recording() as (primary, copy):
        org.email = "newer@example.kz"
        org.save(update_fields=["email"])
    assert not copy.sql
    assert any(sql.startswith('UPDATE "organizations_organization"') for sql in primary.sql)
    assert Organization.objects.get(pk=org.pk).email == "newer@example.kz"


# --- Which pages read from the replica ---------------------------------------------------------


@live
def test_public_registry_detail_is_cached_content_rendered_from_the_primary(
    client, replica, public_entry
) -> None:
    """Issue 9: an entry's public page is cached like the registry's results (core.pagecache), so
    a miss renders from the primary and a hit reads no database at all."""
    with recording() as (primary, copy):
        response = client.get(f"/organizations/{public_entry.pk}/")
    assert response.status_code == 200
    assert "«Шапағат» үйі" in response.content.decode()
    assert primary.touched("organizations_organization")
    assert not copy.touched("organizations_organization")
    with recording() as (primary, copy):
        again = client.get(f"/organizations/{public_entry.pk}/")
    assert "«Шапағат» үйі" in again.content.decode()
    assert not primary.touched("organizations_organization")
    assert not copy.touched("organizations_organization")


@live
def test_cached_content_is_rendered_from_the_primary(client, replica, public_entry) -> None:
    """The registry's content is cached under the current data version (core.pagecache): rendered
    from a lagging replica it would keep the old rows under the new version, so a miss renders
    from the primary, and a hit reads no database at all."""
    with recording() as (primary, copy):
        response = client.get("/organizations/")
    assert response.status_code == 200
    assert "«Шапағат» үйі" in response.content.decode()
    assert primary.touched("organizations_organization")
    assert not copy.touched("organizations_organization")

    with recording() as (primary, copy):
        again = client.get("/organizations/")
    assert "«Шапағат» үйі" in again.content.decode()
    assert not primary.touched("organizations_organization")
    assert not copy.touched("organizations_organization")


@live
def test_streamed_export_reads_the_replica_while_streaming(client, replica, public_entry) -> None:
    with recording() as (primary, copy):
        response = client.get("/organizations/export.csv")
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert "«Шапағат» үйі" in body.decode("utf-8-sig")
    assert copy.touched("organizations_organization")
    assert not primary.touched("organizations_organization")


@live
def test_public_specialists_search_is_rendered_from_the_primary(client, replica) -> None:
    with recording() as (primary, copy), db_router.using_replica():
        response = client.get("/specialists/", {"q": "Әлия"})
    assert response.status_code == 200
    assert primary.touched("specialists_")
    assert not copy.touched("specialists_")


@live
def test_dashboard_reads_cases_from_the_replica_and_the_user_from_the_primary(
    client, replica
) -> None:
    ministry = person(Role.MINISTRY)
    client.force_login(ministry)
    with recording() as (primary, copy):
        response = client.get("/applications/dashboard/")
    assert response.status_code == 200
    assert copy.touched("applications_application")
    assert not primary.touched("applications_application")
    # The session, the user and the role grants: from the primary only.
    assert primary.touched("django_session")
    assert primary.touched("accounts_user")
    assert not copy.touched("django_session")
    assert not copy.touched("accounts_")


@live
def test_own_data_and_other_pages_never_read_the_replica(client, replica, public_entry) -> None:
    user = person(Role.MINISTRY)
    client.force_login(user)
    for url in ("/", "/notifications/", "/cabinet/", "/accounts/representation/"):
        with recording() as (_primary, copy):
            response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        assert not copy.sql, url
