"""Micro-benchmark of `qamqor.core.calendar.add_working_days(start, n)` (R-X-1 deadlines).

Prints calls/s for n = 3, 17 and 60 over random start dates in 2024–2027, each as a ratio to a
trivial baseline (`start + timedelta(days=n)` behind a function call) measured in the same run,
and the database queries one call makes once warm.

    .venv/bin/python bench/calendar_bench.py            # prepares the benchmark database first
    .venv/bin/python bench/calendar_bench.py --no-prepare --seconds 2
    make bench                                          # runs it after the HTTP benchmark

Exit status 3 means the calendar module does not exist yet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402 - needs ROOT on sys.path
    CALENDAR_MARKER,
    DEFAULT_DATABASE_URL,
    app_environment,
    prepare_database,
)

N_VALUES = (3, 17, 60)
FIRST_START = dt.date(2024, 1, 1)
LAST_START = dt.date(2027, 12, 31)
SAMPLE_SIZE = 2000
ROUNDS = 3
MISSING = 3

AddDays = Callable[[dt.date, int], dt.date]


def random_starts(count: int = SAMPLE_SIZE, seed: int = 2024) -> list[dt.date]:
    """The same `count` start dates in FIRST_START..LAST_START on every run (seeded)."""
    rng = random.Random(seed)
    span = (LAST_START - FIRST_START).days
    return [FIRST_START + dt.timedelta(days=rng.randint(0, span)) for _ in range(count)]


def baseline(start: dt.date, n: int) -> dt.date:
    return start + dt.timedelta(days=n)


def calls_per_second(func: AddDays, starts: list[dt.date], n: int, seconds: float) -> float:
    """Best of ROUNDS rounds, each calling `func` over `starts` until its share of time is up."""
    best = 0.0
    per_round = seconds / ROUNDS
    for _ in range(ROUNDS):
        calls = 0
        began = time.perf_counter()
        deadline = began + per_round
        while True:
            for start in starts:
                func(start, n)
            calls += len(starts)
            now = time.perf_counter()
            if now >= deadline:
                break
        best = max(best, calls / (now - began))
    return best


def queries_per_call(func: AddDays, starts: list[dt.date], n: int) -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sample = starts[:100]
    with CaptureQueriesContext(connection) as ctx:
        for start in sample:
            func(start, n)
    return len(ctx.captured_queries) / len(sample)


def measure(func: AddDays, seconds: float) -> list[dict[str, Any]]:
    starts = random_starts()
    rows = []
    for n in N_VALUES:
        func(starts[0], n)  # warm any cache before timing
        rate = calls_per_second(func, starts, n, seconds)
        base = calls_per_second(baseline, starts, n, seconds)
        rows.append(
            {
                "n": n,
                "calls_per_s": rate,
                "baseline_calls_per_s": base,
                "ratio_to_baseline": rate / base,
                "queries_per_call": queries_per_call(func, starts, n),
            }
        )
    return rows


def format_table(rows: list[dict[str, Any]], seconds: float) -> str:
    header = ("n", "calls/s", "baseline calls/s", "÷ baseline", "queries/call")
    lines = [header]
    for r in rows:
        lines.append(
            (
                str(r["n"]),
                f"{r['calls_per_s']:,.0f}",
                f"{r['baseline_calls_per_s']:,.0f}",
                f"{r['ratio_to_baseline']:.4f}",
                f"{r['queries_per_call']:.2f}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = ["  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    title = (
        f"add_working_days(start, n): {SAMPLE_SIZE} random starts in "
        f"{FIRST_START.year}–{LAST_START.year}, best of {ROUNDS} rounds in {seconds:g} s per figure"
    )
    rule = "-" * len(out[0])
    return "\n".join([title, rule, out[0], rule, *out[1:], rule])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/calendar_bench.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE_URL, help=f"({DEFAULT_DATABASE_URL})"
    )
    parser.add_argument("--no-prepare", action="store_true", help="skip migrate/collectstatic")
    parser.add_argument(
        "--use-environment",
        action="store_true",
        help="use the environment as given (bench/run.py sets it) instead of --database-url",
    )
    parser.add_argument("--seconds", type=float, default=1.0, help="seconds per figure (1)")
    parser.add_argument(
        "--json-line", action="store_true", help="also print one JSON line for bench/run.py"
    )
    args = parser.parse_args(argv)

    if not args.use_environment:
        env = app_environment(args.database_url)
        if not args.no_prepare:
            prepare_database(args.database_url, env)
        os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qamqor.settings")
    import django

    django.setup()
    try:
        from qamqor.core.calendar import add_working_days
    except ImportError as exc:
        print(f"calendar micro-benchmark skipped: add_working_days is missing ({exc})")
        if args.json_line:
            print(CALENDAR_MARKER + json.dumps({"status": "missing", "reason": str(exc)}))
        return MISSING

    from qamqor.core.models import CalendarDay

    rows = measure(add_working_days, args.seconds)
    calendar_rows = CalendarDay.objects.filter(date__range=(FIRST_START, LAST_START)).count()
    print(format_table(rows, args.seconds))
    years = f"{FIRST_START.year}–{LAST_START.year}"
    print(f"calendar rows (exceptions to Mon–Fri) in {years}: {calendar_rows}")
    if args.json_line:
        result = {
            "status": "ok",
            "sample_size": SAMPLE_SIZE,
            "seconds_per_figure": args.seconds,
            "calendar_rows": calendar_rows,
            "results": rows,
        }
        print(CALENDAR_MARKER + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
