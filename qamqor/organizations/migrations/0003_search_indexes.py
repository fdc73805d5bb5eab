"""Trigram indexes for the registry search (R-ORG-4) on PostgreSQL.

``name_kk__icontains`` is ``UPPER(name_kk::text) LIKE UPPER('%…%')``: a GIN index with
``gin_trgm_ops`` on the same expression serves it; ``bin__startswith`` is ``bin LIKE '…%'``.
SQLite has neither GIN nor pg_trgm; there the migration does nothing.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "organization_name_kk_trgm": "UPPER(name_kk::text) gin_trgm_ops",
    "organization_name_ru_trgm": "UPPER(name_ru::text) gin_trgm_ops",
    "organization_bin_trgm": "bin gin_trgm_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON organizations_organization "
            f"USING gin ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_registry")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
