"""Issue 9: the reads made on every logged-in request are written in SQL (qamqor.core.hotsql,
qamqor.core.sessions); each gives what the ORM query it replaces gives, on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoDbStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from qamqor.accounts import selectors as account_selectors
from qamqor.accounts.models import RoleAssignment, User
from qamqor.accounts.otp import OneTimeCodeBackend
from qamqor.accounts.permissions import _active_assignments, grants_of
from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role, revoke_role
from qamqor.accounts.signin import ESignatureBackend
from qamqor.core.history import audited_update
from qamqor.core.sessions import cached_db, db
from qamqor.notifications.models import Notification
from qamqor.notifications.selectors import unread_count
from tests.factories import DistrictFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def notify(user: User, *, read: bool = False) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind="test",
        language="kk",
        subject="Хабар",
        read_at=timezone.now() if read else None,
    )


def test_the_unread_count_is_the_orms() -> None:
    me, other = UserFactory(), UserFactory()
    assert unread_count(me) == 0
    for read in (False, False, True):
        notify(me, read=read)
    notify(other)
    assert unread_count(me) == 2
    assert unread_count(me) == Notification.objects.filter(recipient=me, read_at=None).count()
    assert unread_count(other) == 1


def test_the_active_roles_are_the_orms() -> None:
    officer = UserFactory()
    district, org = DistrictFactory(), OrganizationFactory()
    grant_role(None, officer, Role.DISTRICT_OFFICER, district=district)
    grant_role(None, officer, Role.ORGANIZATION_STAFF, organization=org)
    gone = grant_role(None, officer, Role.MINISTRY)
    revoke_role(None, gone)
    orm = officer.role_assignments.filter(revoked_at__isnull=True).values_list(
        "role", "district_id", "organization_id", "supplier_id"
    )
    assert sorted(_active_assignments(officer.pk)) == sorted(orm)
    grants = grants_of(User.objects.get(pk=officer.pk))
    assert grants.roles == {Role.DISTRICT_OFFICER, Role.ORGANIZATION_STAFF}
    assert grants.districts == {Role.DISTRICT_OFFICER: {district.pk}}
    assert grants.organizations == {Role.ORGANIZATION_STAFF: {org.pk}}
    assert _active_assignments(UserFactory().pk) == []
    assert RoleAssignment.objects.filter(user=officer).count() == 3


def test_the_active_user_is_the_orms_with_every_field() -> None:
    user = UserFactory(phone="+77011234567", email="a@example.kz", patronymic="Серікұлы")
    user.last_login = timezone.now()
    user.save()
    found = account_selectors.active_user(user.pk)
    expected = User.objects.get(pk=user.pk)
    assert found is not None and found.pk == user.pk
    for field in User._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert not found._state.adding and found._state.db == "default"
    # The session hash is computed from the same fields, so the session stays valid.
    assert found.get_session_auth_hash() == expected.get_session_auth_hash()


def test_an_inactive_missing_or_malformed_user_is_none() -> None:
    user = UserFactory()
    audited_update(User.objects.filter(pk=user.pk), is_active=False)
    assert account_selectors.active_user(user.pk) is None
    assert account_selectors.active_user(10**9) is None
    assert account_selectors.active_user("1 OR 1=1") is None
    assert account_selectors.active_user(None) is None


@pytest.mark.parametrize("backend", [ESignatureBackend, OneTimeCodeBackend])
def test_the_login_backends_read_the_user_in_sql(backend, django_assert_num_queries) -> None:
    user = UserFactory()
    with django_assert_num_queries(1):
        assert backend().get_user(user.pk).iin == user.iin
    audited_update(User.objects.filter(pk=user.pk), is_active=False)
    assert backend().get_user(user.pk) is None


@pytest.mark.parametrize("engine", [db.SessionStore, cached_db.SessionStore])
def test_a_session_reads_back_what_djangos_engine_wrote(engine) -> None:
    written = DjangoDbStore()
    written["language"] = "kk"
    written["acting_for"] = 42
    written.create()
    read = engine(written.session_key)
    assert read["language"] == "kk" and read["acting_for"] == 42
    assert read.session_key == written.session_key
    # The expiry read back is the row's, as an aware time (SQLite's driver gives it naive).
    row = Session.objects.get(session_key=written.session_key)
    assert read._get_session_from_db().expire_date == row.expire_date


@pytest.mark.parametrize("engine", [db.SessionStore, cached_db.SessionStore])
def test_an_expired_or_unknown_session_is_empty_and_gets_a_new_key(engine) -> None:
    old = DjangoDbStore()
    old["x"] = 1
    old.create()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    for key in (old.session_key, "unknownunknownunknown", None):
        store = engine(key)
        assert dict(store.items()) == {}
        assert store.session_key is None
        store["y"] = 2
        store.save()
        assert store.session_key and store.session_key != old.session_key
        assert engine(store.session_key)["y"] == 2


def test_a_logged_in_request_uses_the_sql_engine(client, settings) -> None:
    assert settings.SESSION_ENGINE == "qamqor.core.sessions.db"
    user = UserFactory(surname="Сессиялы")
    client.force_login(user, backend="qamqor.accounts.backends.ESignatureBackend")
    notify(user)
    page = client.get("/cabinet/").content.decode()
    assert "Сессиялы" in page
    assert '<span class="badge">1<span class="visually-hidden">' in page


def test_postgresql_plans_a_repeated_statement_once(settings) -> None:
    """Issue 9: on PostgreSQL psycopg binds on the server and prepares a statement after its fifth
    run on a connection (docs/decisions.md, "Prepared statements")."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (SQLite has nothing to switch on)")
    assert settings.DATABASES["default"]["OPTIONS"]["server_side_binding"] is True
    user = UserFactory()
    for _ in range(6):
        assert account_selectors.active_user(user.pk) is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%accounts_user%is_active%"],
        )
        assert cursor.fetchone()[0] >= 1


# --- fetch_query: statements written as querysets --------------------------------------------


def test_represented_names_are_represented_by_in_the_same_order() -> None:
    """``represented_names`` (compiled once with stand-ins) gives the persons, the order and the
    validity of ``represented_by`` (the ORM), for each user and day it is asked with."""
    from qamqor.accounts.representation import represented_by, represented_names
    from tests.factories import LegalRepresentativeFactory

    mother, father = UserFactory(), UserFactory()
    kids = [UserFactory(surname=s) for s in ("Ахметова", "Бекова", "Әлиева")]
    LegalRepresentativeFactory(representative=mother, represented=kids[0])
    LegalRepresentativeFactory(representative=mother, represented=kids[1])
    LegalRepresentativeFactory(
        representative=father, represented=kids[2], valid_until=dt.date(2026, 1, 31)
    )
    for user in (mother, father, kids[0]):
        for day in (dt.date(2026, 1, 15), dt.date(2026, 2, 15)):
            expected = [(u.pk, u.get_full_name()) for u in represented_by(user, on=day)]
            assert represented_names(user, on=day) == expected
    assert len(represented_names(mother, on=dt.date(2026, 2, 15))) == 2
    assert represented_names(father, on=dt.date(2026, 1, 15)) == [
        (kids[2].pk, kids[2].get_full_name())
    ]
    assert represented_names(father, on=dt.date(2026, 2, 15)) == []


def test_fetch_query_replaces_each_stand_in_and_keeps_constants() -> None:
    from qamqor.core import hotsql

    compiled = hotsql.compile_query(
        User.objects.filter(pk=hotsql.arg("user"), surname="Ахметова", iin=hotsql.arg("iin", str))
    )
    slots = [p for p in compiled.params if isinstance(p, hotsql.Slot)]
    assert sorted(s.name for s in slots) == ["iin", "user"]
    assert "Ахметова" in compiled.params  # a constant of the queryset stays as it is
    user = UserFactory()
    rows = hotsql.fetch_query(
        "test.user_by_pk_and_iin",
        lambda: User.objects.filter(pk=hotsql.arg("user"), iin=hotsql.arg("iin", str)).values_list(
            "pk"
        ),
        {"user": user.pk, "iin": user.iin},
    )
    assert rows == [(user.pk,)]
