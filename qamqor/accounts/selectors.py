from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import Prefetch, QuerySet

from qamqor.accounts.models import RoleAssignment, User
from qamqor.core import hotsql

DEMO_EMAIL_DOMAIN = "demo.qamqor.kz"


def demo_users() -> QuerySet[User]:
    """Users created by ``seed_demo`` (their e-mail is on the demo domain)."""
    return (
        User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_active=True)
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(revoked_at__isnull=True).select_related(
                    "district", "organization"
                ),
            )
        )
        .order_by("surname", "given_name")
    )


def active_user(user_id: object) -> User | None:
    """The active user with this key, or None: what the login backends' ``get_user`` returns on
    every logged-in request, read in SQL (qamqor.core.hotsql; issue 9). The same as
    ``User.objects.filter(pk=user_id, is_active=True).first()``."""
    try:
        pk = int(str(user_id))
    except ValueError:
        return None
    fields = User._meta.concrete_fields
    table = User._meta.db_table

    def build(q: Callable[[str], str]) -> str:
        columns = ", ".join(q(f.column) for f in fields)
        return (
            f"SELECT {columns} FROM {q(table)} "  # noqa: S608  # nosec B608
            f"WHERE {q(User._meta.pk.column)} = %s AND {q('is_active')}"
        )

    rows = hotsql.fetch("accounts.active_user", build, [pk])
    if not rows:
        return None
    connection = connections["default"]
    values = list(rows[0])
    for index, col, converters in _user_converters(connection):
        for convert in converters:
            values[index] = convert(values[index], col, connection)
    return User.from_db(connection.alias, [f.attname for f in fields], values)


_CONVERTERS: dict[str, list[tuple[int, Any, list[Any]]]] = {}


def _user_converters(connection: Any) -> list[tuple[int, Any, list[Any]]]:
    """Per column of ``active_user``'s row, what the ORM's compiler applies to turn the
    database's value into the field's (SQLite gives dates and booleans in its own types)."""
    found = _CONVERTERS.get(connection.vendor)
    if found is None:
        found = []
        for index, field in enumerate(User._meta.concrete_fields):
            col = field.get_col(User._meta.db_table)
            converters = [
                *connection.ops.get_db_converters(col),
                *col.get_db_converters(connection),
            ]
            if converters:
                found.append((index, col, converters))
        _CONVERTERS[connection.vendor] = found
    return found
