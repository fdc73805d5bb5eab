"""The overdue sweep (R-SVC-12): set-based SQL marks every open case whose stage is past its due
date (one ``OverdueMark`` per case, stage and due date) and notifies each responsible officer
once with the count; cases nobody took yet go to the district officers of their district.

How it stays fast over the national data (issue 9, docs/benchmarks.md):

* the cases to mark are first copied into a temporary table by one read-only anti-join
  (``NOT EXISTS`` a mark); inserting straight from that anti-join made PostgreSQL scan the mark
  table it was growing once per inserted row on the first run over a backlog (quadratic: 51 s at
  scale 0.2);
* the marks are then written by one ``INSERT … SELECT`` from it, born ``notified``, and the
  notices (one per officer, with the count, aggregated in SQL from the same table) are written in
  the same transaction: a worker killed mid-run leaves neither marks nor notices, and the rerun
  does the whole work once. No per-row Python, no second pass to flip ``notified``.
* one sweep at a time (a PostgreSQL advisory lock for the transaction), so two workers started
  together cannot both notify the same cases.

Marks left ``notified = False`` by an older version of the sweep are still notified once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from qamqor.accounts.models import RoleAssignment, User
from qamqor.accounts.roles import Role
from qamqor.applications import notices
from qamqor.applications.models import Application, OverdueMark
from qamqor.applications.workflow import OPEN

CANDIDATES = "applications_overdue_candidates"  # a temporary table, per connection
LOCK_KEY = 0x5153_0C12  # the advisory lock of this sweep (PostgreSQL)


def _exec(cursor: Any, sql: str, params: list[Any] | None = None) -> int:
    cursor.execute(sql, params or [])
    return int(cursor.rowcount)


def _collect_candidates(cursor: Any, today: dt.date) -> None:
    app = Application._meta.db_table
    mark = OverdueMark._meta.db_table
    statuses = sorted(str(s) for s in OPEN)
    placeholders = ", ".join(["%s"] * len(statuses))
    cursor.execute(f"DROP TABLE IF EXISTS {CANDIDATES}")  # nosec B608 - a constant name
    sql = f"""
        CREATE TEMPORARY TABLE {CANDIDATES} AS
        SELECT a.id AS application_id, a.status AS status, a.current_due AS due,
               a.responsible_officer_id AS officer_id, a.district_id AS district_id
        FROM {app} a
        WHERE a.current_due < %s AND a.status IN ({placeholders})
          AND NOT EXISTS (
            SELECT 1 FROM {mark} m
            WHERE m.application_id = a.id AND m.status = a.status AND m.due = a.current_due
          )
    """  # noqa: S608  # nosec B608 - table names from the models, values as parameters
    cursor.execute(sql, [today, *statuses])


def _insert_marks(cursor: Any, now: dt.datetime) -> int:
    mark = OverdueMark._meta.db_table
    # "WHERE 1 = 1" lets SQLite parse ON CONFLICT after INSERT … SELECT. The conflict clause
    # is a safety net only: under the lock no other sweep inserts the same marks.
    sql = f"""
        INSERT INTO {mark} (application_id, status, due, marked_at, officer_id, notified)
        SELECT c.application_id, c.status, c.due, %s, c.officer_id, %s
        FROM {CANDIDATES} c WHERE 1 = 1
        ON CONFLICT (application_id, status, due) DO NOTHING
    """  # noqa: S608  # nosec B608 - table names from the models, values as parameters
    return _exec(cursor, sql, [now, True])


def _counts(cursor: Any, sql: str) -> dict[int, int]:
    cursor.execute(sql, [False])
    return {int(key): int(n) for key, n in cursor.fetchall()}


def _pending_counts(cursor: Any) -> tuple[dict[int, int], dict[int, int]]:
    """Per officer and, for the cases nobody took, per district: this run's candidates plus any
    mark an older sweep left unnotified."""
    app = Application._meta.db_table
    mark = OverdueMark._meta.db_table
    pending = f"""
        SELECT c.officer_id AS officer_id, c.district_id AS district_id FROM {CANDIDATES} c
        UNION ALL
        SELECT m.officer_id, a.district_id FROM {mark} m JOIN {app} a ON a.id = m.application_id
        WHERE m.notified = %s
    """  # noqa: S608  # nosec B608 - table names from the models
    per_officer = _counts(
        cursor,
        f"SELECT p.officer_id, COUNT(*) FROM ({pending}) p "  # noqa: S608  # nosec B608
        "WHERE p.officer_id IS NOT NULL GROUP BY p.officer_id",
    )
    per_district = _counts(
        cursor,
        f"SELECT p.district_id, COUNT(*) FROM ({pending}) p "  # noqa: S608  # nosec B608
        "WHERE p.officer_id IS NULL GROUP BY p.district_id",
    )
    return per_officer, per_district


def sweep_overdue(*, today: dt.date | None = None) -> dict[str, Any]:
    """Mark and notify (see the module docstring). Idempotent: a second run the same day marks
    nothing and notifies nobody."""
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        # On an error the transaction rolls the temporary table back with everything else.
        _collect_candidates(cursor, today)
        per_officer, per_district = _pending_counts(cursor)
        marked = _insert_marks(cursor, now)
        cursor.execute(f"DROP TABLE {CANDIDATES}")  # nosec B608 - a constant name
        if per_district:
            for user_id, district_id in RoleAssignment.objects.filter(
                role=Role.DISTRICT_OFFICER,
                district_id__in=list(per_district),
                revoked_at__isnull=True,
            ).values_list("user_id", "district_id"):
                per_officer[user_id] = per_officer.get(user_id, 0) + per_district[district_id]
        users = User.objects.in_bulk(list(per_officer))
        for user_id, count in per_officer.items():
            notices.send(
                [users.get(user_id)],
                "applications.overdue",
                "/applications/dashboard/",
                count=count,
            )
        OverdueMark.objects.filter(notified=False).update(notified=True)
    return {"marked": marked, "officers_notified": len(per_officer)}
