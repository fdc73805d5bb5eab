"""Export benchmark of the registry of specialists (issue 5, R-SPC-5).

The public registry of the benchmark database (100,000 specialists made by
`bench.specialists_data:prepare`, ~70 % of them public) is exported as CSV and XLSX through
`qamqor.specialists.exports.export_response()`, the code behind /specialists/export.*, and read
to the last byte; the same for the first 10,000 public entries. Figures as in
bench/export_bench.py (same harness): rows/s next to the floor (iterating the same queryset),
tracemalloc peak and peak-RSS growth, each case in a fresh process.

    .venv/bin/python bench/specialists_export_bench.py --database-url postgres://…/qamqor_h5_bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import export_bench  # noqa: E402  (the shared harness)
import run as harness  # noqa: E402

SIZES = (10_000, 70_000)


def registry(rows: int) -> Any:
    from qamqor.specialists import selectors

    return selectors.public_specialists()[:rows]


def run_once(kind: str, rows: int, language: str) -> tuple[int, int]:
    """One export (or the floor) of `rows` public entries, read to the end: (rows, bytes)."""
    from qamqor.specialists import exports
    from qamqor.specialists.exports import CHUNK

    qs = registry(rows)
    if kind == "floor":
        return sum(1 for _ in qs.iterator(chunk_size=CHUNK)), 0
    response = exports.export_response(kind, qs, language)
    size = 0
    try:
        for chunk in response.streaming_content:  # type: ignore[attr-defined]
            size += len(chunk)
    finally:
        response.close()
    return rows, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/specialists_export_bench.py")
    parser.add_argument("--database-url", default=harness.DEFAULT_DATABASE_URL)
    parser.add_argument("--language", choices=("kk", "ru"), default="kk")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per case (1)")
    parser.add_argument("--no-prepare", action="store_true", help="skip migrate etc.")
    args = parser.parse_args(argv)
    env = harness.app_environment(args.database_url)
    if not args.no_prepare:
        harness.prepare_database(args.database_url, env)
    export_bench.setup_django(env)
    from bench.specialists_data import prepare

    prepare()
    started = dt.datetime.now().astimezone()
    print(f"== specialists exports ({args.language}, a fresh process per case)", flush=True)
    results = export_bench.measure(
        env, args.language, args.repeat, runner="specialists_export_bench", sizes=SIZES
    )
    print()
    print(export_bench.format_table(results))
    harness.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    output = harness.RESULTS_DIR / f"specialists-export-{started:%Y%m%dT%H%M%S}.json"
    output.write_text(json.dumps({"started": started.isoformat(), "results": results}, indent=1))
    print(f"written {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
