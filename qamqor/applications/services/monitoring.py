"""The overdue sweep (R-SVC-12): set-based SQL marks every open case whose stage is past its due
date (one ``OverdueMark`` per case, stage and due date) and notifies each responsible officer
once with the count; cases nobody took yet go to the district officers of their district."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from qamqor.accounts.models import RoleAssignment, User
from qamqor.accounts.roles import Role
from qamqor.applications import notices
from qamqor.applications.models import Application, OverdueMark
from qamqor.applications.workflow import OPEN


def _insert_marks(today: dt.date, now: dt.datetime) -> int:
    app = Application._meta.db_table
    mark = OverdueMark._meta.db_table
    statuses = sorted(str(s) for s in OPEN)
    placeholders = ", ".join(["%s"] * len(statuses))
    sql = f"""
        INSERT INTO {mark} (application_id, status, due, marked_at, officer_id, notified)
        SELECT a.id, a.status, a.current_due, %s, a.responsible_officer_id, %s
        FROM {app} a
        WHERE a.current_due < %s AND a.status IN ({placeholders})
          AND NOT EXISTS (
            SELECT 1 FROM {mark} m
            WHERE m.application_id = a.id AND m.status = a.status AND m.due = a.current_due
          )
    """  # noqa: S608  # nosec B608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, False, today, *statuses])
        return int(cursor.rowcount)


def sweep_overdue(*, today: dt.date | None = None) -> dict[str, Any]:
    """Mark and notify (see the module docstring). Idempotent: a second run the same day marks
    nothing and notifies nobody."""
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        marked = _insert_marks(today, now)
        pending = OverdueMark.objects.filter(notified=False)
        per_officer = dict(
            pending.filter(officer__isnull=False)
            .values_list("officer")
            .annotate(n=Count("id"))
            .values_list("officer", "n")
        )
        per_district = dict(
            pending.filter(officer__isnull=True)
            .values_list("application__district")
            .annotate(n=Count("id"))
            .values_list("application__district", "n")
        )
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
        pending.update(notified=True)
    return {"marked": marked, "officers_notified": len(per_officer)}
