"""Benchmark data of the personal cabinet (issue 8): persons with disabilities with an IPR and
two measures each, 700,000 by default (the national scale); a thin wrapper over
``qamqor.demo.national.cabinet`` (issue 9's generator: COPY on PostgreSQL, executemany on
SQLite, explicit keys, one transaction). No history rows and
no notifications (this is fixture data, not an import: the import has its own benchmark,
bench/cabinet_bench.py). Idempotent: a re-run adds only what is missing.

    .venv/bin/python bench/cabinet_data.py --count 700000     # or a smaller --count
    (or as the `prepare` hook of the "cabinet (kk)" endpoint of bench/run.py; the count then
    comes from CABINET_BENCH_COUNT, default 700,000)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURNAME = "Бенчмарк"
DEFAULT_COUNT = 700_000
SUPPLIER_BIN = "990140099908"  # a checksum-valid BIN; the benchmark supplier, every region


def bench_iins() -> Iterator[str]:
    """Checksum-valid IINs of the benchmark persons, always in the same order: born from
    1 January 1950 day by day, serials 9000–9899 (far from tests' and demo's)."""
    from qamqor.core.identifiers import check_digit

    day = dt.date(1950, 1, 1)
    while True:
        for serial in range(9000, 9900):
            prefix = f"{day:%y%m%d}3{serial:04d}"
            digit = check_digit(prefix)
            if digit is not None:
                yield prefix + str(digit)
        day += dt.timedelta(days=1)


def first_iin() -> str:
    return next(bench_iins())


def build(count: int) -> dict[str, float]:
    from qamqor.demo.national import cabinet

    start = time.perf_counter()
    rows = cabinet.build(
        count, people=_people(), number_prefix="BENCH-", fixed_name=(SURNAME, "Айгерім")
    )
    cabinet.ensure_offers(SUPPLIER_BIN)
    return {**rows, "total_s": time.perf_counter() - start}


def _people() -> Iterator[tuple[str, dt.date, bool]]:
    for iin in bench_iins():
        yield iin, dt.date(1900 + int(iin[:2]), int(iin[2:4]), int(iin[4:6])), False


def prepare() -> None:
    """bench/run.py hook (django.setup() done)."""
    build(int(os.environ.get("CABINET_BENCH_COUNT", DEFAULT_COUNT)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qamqor.settings")
    import django

    django.setup()
    timings = build(args.count)
    print({k: round(v, 2) for k, v in timings.items()}, "login_as:", first_iin())


if __name__ == "__main__":
    main()
