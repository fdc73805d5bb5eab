"""manage.py rotate_field_keys: re-encrypt every encrypted column with the current key.

    manage.py rotate_field_keys --new-key        # print a fresh key to put FIRST in the list
    manage.py rotate_field_keys                  # re-encrypt rows written with older keys
    manage.py rotate_field_keys --dry-run        # only count what is left to do

Rotation (docs/operations.md, "Rotating the field encryption key"): put the new key first in
FIELD_ENCRYPTION_KEYS and keep the old ones after it, restart, run this command, and drop an old
key only when a run reports 0 rows left for it. Batches are separate transactions, so the
command can be stopped and run again: it picks up the rows still on an old key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from qamqor.core import crypto, rotation
from qamqor.core.audit import record_event


class Command(BaseCommand):
    help = "Re-encrypt the personal-data columns with the current FIELD_ENCRYPTION_KEYS key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="rows per transaction")
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")
        parser.add_argument("--new-key", action="store_true", help="print a new key and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(crypto.new_key())
            return
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1")
        ring = crypto.keyring()
        self.stdout.write(f"Current key: {ring.current_id}; known keys: {', '.join(ring.keys)}")
        counts: dict[str, int] = {}
        for col in rotation.encrypted_columns():
            if options["dry_run"]:
                counts[col.label] = _left(col, ring.current_prefix)
            else:
                try:
                    counts[col.label] = rotation.rotate(col, batch=options["batch"])
                except crypto.FieldDecryptionError as exc:
                    raise CommandError(f"{col.label}: {exc}") from exc
            self.stdout.write(f"{col.label}: {counts[col.label]}")
        verb = "left on older keys" if options["dry_run"] else "re-encrypted"
        self.stdout.write(f"Total {verb}: {sum(counts.values())}")
        if not options["dry_run"]:
            record_event(
                "core.rotate_field_keys",
                ("core.fieldkey", ring.current_id),
                data={"key_id": ring.current_id, "rows": counts},
            )


def _left(col: rotation.Column, current_prefix: str) -> int:
    q = connection.ops.quote_name
    sql = (
        f"SELECT COUNT(*) FROM {q(col.table)} WHERE {q(col.column)} IS NOT NULL "  # noqa: S608  # nosec B608
        f"AND {q(col.column)} <> '' AND {q(col.column)} NOT LIKE %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{current_prefix}%"])
        return int(cursor.fetchone()[0])
