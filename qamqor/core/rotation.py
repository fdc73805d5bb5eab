"""Rewriting encrypted columns in place: the data migrations that encrypt (and, reversed, decrypt)
existing rows, and ``manage.py rotate_field_keys`` (docs/privacy.md, "Key rotation").

Work goes in batches ordered by primary key, each batch its own transaction with its rows locked
(``SELECT … FOR UPDATE`` where the database has it), so a long run never holds the whole table
and a run that stops resumes: the next one selects only the rows still to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from qamqor.core import crypto
from qamqor.core.encrypted import EncryptedJSONField, EncryptedTextField

Transform = Callable[[str], str]


@dataclass(frozen=True)
class Column:
    table: str
    pk: str
    column: str
    label: str


def encrypted_columns() -> Iterator[Column]:
    """Every encrypted column of every installed model, historical tables included."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField | EncryptedJSONField):
                yield Column(
                    model._meta.db_table,
                    model._meta.pk.column,
                    field.column,
                    f"{model._meta.label}.{field.name}",
                )


def rewrite_column(
    col: Column,
    transform: Transform,
    *,
    where: str,
    params: list[str],
    batch: int = 500,
    conn: BaseDatabaseWrapper | None = None,
) -> int:
    """Apply ``transform`` to every row matching ``where`` (an SQL condition on the column, given
    as ``{c}``); returns the number of rows rewritten. Only quoted identifiers from the models'
    ``_meta`` are formatted into the SQL; every value is a parameter."""
    conn = conn or connection
    q = conn.ops.quote_name
    table, pk, c = q(col.table), q(col.pk), q(col.column)
    lock = " FOR UPDATE" if conn.features.has_select_for_update else ""
    cond = where.format(c=c)
    select = (
        f"SELECT {pk}, {c} FROM {table} WHERE {pk} > %s AND {cond} "  # noqa: S608  # nosec B608
        f"ORDER BY {pk} LIMIT {int(batch)}{lock}"
    )
    update = f"UPDATE {table} SET {c} = %s WHERE {pk} = %s"  # noqa: S608  # nosec B608
    done, last = 0, None
    while True:
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            cursor.execute(select, [last if last is not None else _lowest(conn), *params])
            rows = cursor.fetchall()
            for pk_value, value in rows:
                cursor.execute(update, [transform(value), pk_value])
        if not rows:
            return done
        done += len(rows)
        last = rows[-1][0]


def _lowest(conn: BaseDatabaseWrapper) -> int:
    return -(2**62)


NOT_EMPTY = "{c} IS NOT NULL AND {c} <> ''"


def encrypt_plain(col: Column, conn: BaseDatabaseWrapper | None = None) -> int:
    """Data migrations: encrypt the values still in plaintext (idempotent)."""
    return rewrite_column(
        col,
        crypto.encrypt,
        where=NOT_EMPTY + " AND {c} NOT LIKE %s",
        params=[f"{crypto.PREFIX}%"],
        conn=conn,
    )


def decrypt_all(col: Column, conn: BaseDatabaseWrapper | None = None) -> int:
    """Reversed data migrations: back to plaintext."""
    return rewrite_column(
        col,
        crypto.decrypt,
        where=NOT_EMPTY + " AND {c} LIKE %s",
        params=[f"{crypto.PREFIX}%"],
        conn=conn,
    )


def rotate(col: Column, *, batch: int = 500) -> int:
    """Re-encrypt with the current key every value written with another key."""
    ring = crypto.keyring()
    return rewrite_column(
        col,
        lambda v: crypto.encrypt(crypto.decrypt(v, ring), ring),
        where=NOT_EMPTY + " AND {c} NOT LIKE %s",
        params=[f"{ring.current_prefix}%"],
        batch=batch,
    )


def column_of(model: type[models.Model], field_name: str) -> Column:
    field = model._meta.get_field(field_name)
    return Column(model._meta.db_table, str(model._meta.pk.column), str(field.column), field_name)  # type: ignore[union-attr]
