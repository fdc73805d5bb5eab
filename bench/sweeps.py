"""Times the two long sweeps over the national data (issue 9), first run
over the backlog and an immediate rerun (the daily case: nothing new).

    .venv/bin/python bench/sweeps.py [--database postgres://…/qamqor_bench_sweeps] [--reset]

The database is a copy of the synthetic country (``createdb -T qamqor_bench_national``).
``--reset`` first undoes what the two sweeps wrote (overdue marks and their notices, expired
measures and their history rows), so that every run times the same backlog. Never point it at
a database that holds real data.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/qamqor_bench_sweeps"

RESET = (
    "DELETE FROM applications_overduemark",
    "DELETE FROM notifications_notification WHERE kind = 'applications.overdue'",
    "UPDATE cabinet_measure SET status = 'awaiting_choice' WHERE status = 'expired'",
    "DELETE FROM cabinet_historicalmeasure WHERE history_type = '~' AND status = 'expired'",
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    name = args.database.rstrip("/").rsplit("/", 1)[-1]
    if args.reset and ("bench" not in name or name == "qamqor_bench_national"):
        parser.error("--reset runs only on a copy of the bench data (a name with 'bench')")
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("SECRET_KEY", "bench-sweeps")
    os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "Dmio7KwA0sT6eXoXpUN4qEdwowgVXDqTNiIS4u08h04=")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qamqor.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from qamqor.applications.services.monitoring import sweep_overdue
    from qamqor.cabinet.services.orders import expire_measures

    if args.reset:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in RESET:
                cursor.execute(sql)
        with connection.cursor() as cursor:
            for table in (
                "applications_overduemark",
                "cabinet_measure",
                "cabinet_historicalmeasure",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")  # nosec B608 - constant
        print("reset: the sweeps' marks undone", flush=True)
    for name, fn in (
        ("applications: sweep_overdue (R-SVC-12)", sweep_overdue),
        ("cabinet: expire_measures (R-POR-4)", expire_measures),
    ):
        for run in ("first run", "rerun"):
            started = time.perf_counter()
            result = fn()
            print(
                f"{name:<42} {run:<10} {time.perf_counter() - started:7.2f} s  {result}", flush=True
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
