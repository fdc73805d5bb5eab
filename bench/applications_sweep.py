"""Timing of the overdue sweep (R-SVC-12) over the bench applications:

    .venv/bin/python bench/applications_sweep.py [--database-url URL] [--keep]

Runs ``sweep_overdue`` twice: the first run marks every overdue open case (set-based
``INSERT … SELECT``) and notifies the officers; the second finds nothing new (what a daily run
costs once the backlog is marked). Without ``--keep`` the marks of the bench cases and the
notifications it sent are removed afterwards (bench database only), so the figure repeats.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/qamqor_bench")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if "bench" not in args.database_url.rsplit("/", 1)[-1]:
        raise SystemExit("refusing: the database name must contain 'bench'")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "Dmio7KwA0sT6eXoXpUN4qEdwowgVXDqTNiIS4u08h04=")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qamqor.settings")
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
    import django

    django.setup()
    from django.db import connection

    from qamqor.applications.models import Application
    from qamqor.applications.services.monitoring import sweep_overdue

    total = Application.objects.count()
    for label in ("first run (backlog)", "second run (nothing new)"):
        started = time.perf_counter()
        result = sweep_overdue()
        print(f"{label}: {time.perf_counter() - started:.2f} s over {total} applications: {result}")
    if not args.keep:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM applications_overduemark")
            cursor.execute(
                "DELETE FROM notifications_notification WHERE kind = 'applications.overdue'"
            )


if __name__ == "__main__":
    main()
