"""IPR import benchmark (issue 8, R-POR-3): rows per second of `apply_ipr_rows`, in process,
against the benchmark database. Each row is a new person with one measure (validation, person,
IPR, measure, its R-POR-4 deadline and its notification with the outbox task); then the same
batch replayed (every row "already applied"). The HTTP side (the cabinet page's p95 and its
requests/s as a ratio to the floor) is the "cabinet (kk)" endpoint of bench/run.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qamqor_h8_bench \\
        .venv/bin/python bench/cabinet_bench.py --rows 2000 --batches 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rows_for(n: int, tag: str, district: str) -> list:
    from qamqor.cabinet.services.ipr_import import IprRowInput
    from qamqor.core.identifiers import check_digit

    rows = []
    day = dt.date(1940, 1, 1) + dt.timedelta(days=int(tag[:4], 16) % 3000)
    serial = 0
    while len(rows) < n:
        prefix = f"{day:%y%m%d}4{serial:04d}"
        serial += 1
        if serial == 9000:
            serial, day = 0, day + dt.timedelta(days=1)
        digit = check_digit(prefix)
        if digit is None:
            continue
        rows.append(
            IprRowInput(
                iin=prefix + str(digit),
                surname="Импорт",
                given_name="Бенч",
                ipr_number=f"IMP-{tag}-{len(rows)}",
                ipr_date="2026-03-02",
                district=district,
                measure_code="M-0201",
                quantity="1",
                term_until="2027-03-01",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description="IPR import rows/s")
    parser.add_argument("--rows", type=int, default=2000, help="rows per batch")
    parser.add_argument("--batches", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qamqor.settings")
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
    import django

    django.setup()
    from qamqor.cabinet.services.ipr_import import apply_ipr_rows
    from qamqor.core.models import District

    district = District.objects.order_by("pk").first()
    assert district is not None
    for _ in range(args.batches):
        rows = rows_for(args.rows, uuid.uuid4().hex[:8], district.slug)
        start = time.perf_counter()
        result = apply_ipr_rows(rows, source="bench")
        first = time.perf_counter() - start
        assert result.ok and result.count("applied") == len(rows), result.errors[:3]
        start = time.perf_counter()
        again = apply_ipr_rows(rows, source="bench")
        replay = time.perf_counter() - start
        assert again.count("already_applied") == len(rows)
        print(
            f"rows={len(rows)} import={len(rows) / first:,.0f} rows/s ({first:.2f} s) "
            f"replay={len(rows) / replay:,.0f} rows/s ({replay:.2f} s)"
        )


if __name__ == "__main__":
    main()
