"""Benchmark data of the state service (issue 6): 1,000,000 applications, the national scale.

    .venv/bin/python bench/applications_data.py [--count N] [--database-url URL]

also the bench/run.py ``prepare`` hook ``bench.applications_data:prepare`` (count from the
environment variable QAMQOR_BENCH_APPLICATIONS, default 1,000,000). Idempotent: only the
missing rows (numbers ``B-…``) are inserted.

A thin wrapper over ``qamqor.demo.national.applications`` (issue 9's generator): set-based SQL
(``INSERT … SELECT`` over a recursive series, in chunks of 200,000), no history or transition
rows (the sweep, the dashboard and the case list read only the application table). 10,000
recipients with checksum-valid IINs share them; statuses and due dates rotate so that about a
fifth of the open cases is overdue, and districts rotate over the reference data.
Bench users: ``BENCH_MINISTRY_IIN`` (ministry) and ``BENCH_OFFICER_IIN`` (district officer of the
first district), for the dashboard endpoints.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BENCH_MINISTRY_IIN = "900101300057"
BENCH_OFFICER_IIN = "900101300067"


def build(count: int) -> dict[str, float]:
    """Insert the missing bench applications; returns timings in seconds."""
    from qamqor.demo.national import applications

    started = time.perf_counter()
    result = applications.build(count, prefix="B-", source="bench", recipients=10_000)
    return {"seconds": time.perf_counter() - started, "inserted": result["applications"]}


def prepare() -> None:
    """bench/run.py hook."""
    count = int(os.environ.get("QAMQOR_BENCH_APPLICATIONS", "1000000"))
    result = build(count)
    print(f"applications bench data: {count} applications ({result})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/qamqor_bench")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DATABASE_URL", args.database_url)
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "Dmio7KwA0sT6eXoXpUN4qEdwowgVXDqTNiIS4u08h04=")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qamqor.settings")
    import django

    django.setup()
    print(build(args.count))


if __name__ == "__main__":
    main()
