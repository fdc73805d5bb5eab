"""Registry export benchmark (issue 4, R-ORG-5): `make bench-export`, also run by `make bench`.

The whole back-office registry of the benchmark database (10,000 entries made by
`bench.registry_data:prepare`, the national scale) is exported as XLSX and as CSV through
`qamqor.organizations.exports.export_response()`, the code behind the export URLs, and the
response's `streaming_content` is read to the end (for XLSX that is the finished workbook; it is
built when the response is made). The same for the first 1,000 entries, to show that memory
stays flat with the size of the registry. Reported per format and size:

* **rows/s**: rows ÷ seconds from the call to the last byte (median of `--repeat` runs),
  next to the **floor**: rows/s of simply iterating the selector's queryset the exports read
  (`selectors.staff_organizations`, sorted, with its prefetch, in chunks of `exports.CHUNK`);
* **peak memory**, two ways: the peak of Python allocations during one export
  (`tracemalloc`, a separate run: tracing slows Python down) and the growth of the process's
  peak RSS over a warmed-up baseline (`resource.getrusage`). Every case runs in a fresh process,
  so the RSS high-water mark is that case's alone.

DEBUG is off (as in production: Django keeps no query log); the database is `make bench`'s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import multiprocessing as mp
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import run as harness  # noqa: E402  (bench/run.py: database environment and preparation)

SIZES = (1_000, 10_000)
KINDS = ("floor", "csv", "xlsx")


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def registry(rows: int, language: str) -> Any:
    """The first `rows` benchmark entries, as the staff export reads them (every entry)."""
    from django.contrib.auth import get_user_model

    from bench.registry_data import PREFIX
    from qamqor.organizations import selectors

    # Sees every entry (organizations_for); never saved: no row, no session.
    everyone = get_user_model()(is_superuser=True, is_active=True)
    qs = selectors.staff_organizations(everyone).filter(licence_number__startswith=PREFIX)
    return selectors.sorted_organizations(qs, "name", language=language)[:rows]


def run_once(kind: str, rows: int, language: str) -> tuple[int, int]:
    """One export (or the floor) of `rows` entries, read to the end: (rows, bytes)."""
    from qamqor.organizations import exports

    qs = registry(rows, language)
    if kind == "floor":
        return sum(1 for _ in exports.each_once(qs)), 0
    response = exports.export_response(kind, qs, language, "staff")
    size = 0
    try:
        for chunk in response.streaming_content:  # type: ignore[union-attr]
            size += len(chunk)
    finally:
        response.close()
    return rows, size


def _max_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _case(env: dict[str, str], kind: str, rows: int, language: str, repeat: int, out: Any) -> None:
    """In a fresh process: warm up, time `repeat` runs, then one run under tracemalloc."""
    setup_django(env)
    run_once(kind, 10, language)  # imports, translations, connection, query plans
    gc.collect()
    baseline = _max_rss_kib()
    times = []
    done = size = 0
    for _ in range(repeat):
        started = time.perf_counter()
        done, size = run_once(kind, rows, language)
        times.append(time.perf_counter() - started)
    rss_growth = _max_rss_kib() - baseline
    gc.collect()
    tracemalloc.start()
    run_once(kind, rows, language)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    seconds = statistics.median(times)
    out.put(
        {
            "kind": kind,
            "rows": done,
            "bytes": size,
            "seconds": round(seconds, 3),
            "seconds_all": [round(t, 3) for t in times],
            "rows_per_s": round(done / seconds, 1),
            "tracemalloc_peak_mib": round(peak / 2**20, 2),
            "rss_baseline_mib": round(baseline / 1024, 1),
            "rss_growth_mib": round(rss_growth / 1024, 1),
        }
    )


def measure(env: dict[str, str], language: str, repeat: int) -> list[dict[str, Any]]:
    ctx = mp.get_context("spawn")
    results = []
    for rows in SIZES:
        for kind in KINDS:
            queue = ctx.Queue()
            proc = ctx.Process(target=_case, args=(env, kind, rows, language, repeat, queue))
            proc.start()
            result = queue.get()
            proc.join()
            if result["rows"] != rows:
                raise RuntimeError(f"{kind}: {result['rows']} rows instead of {rows}")
            results.append(result)
            print(
                f"  {kind:5} {rows:>6} rows  {result['rows_per_s']:>9.1f} rows/s  "
                f"tracemalloc peak {result['tracemalloc_peak_mib']:6.2f} MiB  "
                f"RSS +{result['rss_growth_mib']:5.1f} MiB",
                flush=True,
            )
    floors = {r["rows"]: r["rows_per_s"] for r in results if r["kind"] == "floor"}
    for r in results:
        r["ratio_to_floor"] = round(r["rows_per_s"] / floors[r["rows"]], 3)
    return results


def format_table(results: list[dict[str, Any]]) -> str:
    head = ("kind", "rows", "rows/s", "÷ floor", "seconds", "MiB out", "tracemalloc", "RSS +")
    lines = ["  ".join(f"{h:>11}" for h in head)]
    for r in results:
        cells = (
            r["kind"],
            r["rows"],
            f"{r['rows_per_s']:.0f}",
            f"{r['ratio_to_floor']:.3f}",
            f"{r['seconds']:.2f}",
            f"{r['bytes'] / 2**20:.2f}",
            f"{r['tracemalloc_peak_mib']:.2f} MiB",
            f"{r['rss_growth_mib']:.1f} MiB",
        )
        lines.append("  ".join(f"{c:>11}" for c in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/export_bench.py", description=__doc__)
    parser.add_argument("--database-url", default=harness.DEFAULT_DATABASE_URL)
    parser.add_argument("--language", choices=("kk", "ru"), default="kk")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per case (3)")
    parser.add_argument(
        "--no-prepare", action="store_true", help="skip migrate/collectstatic/compilemessages"
    )
    args = parser.parse_args(argv)

    env = harness.app_environment(args.database_url)
    if not args.no_prepare:
        harness.prepare_database(args.database_url, env)
    setup_django(env)
    from bench.registry_data import prepare

    prepare()  # idempotent: creates only the missing benchmark entries
    started = dt.datetime.now().astimezone()
    print(
        f"== registry exports ({args.language}, median of {args.repeat} runs, "
        "a fresh process per case)",
        flush=True,
    )
    results = measure(env, args.language, args.repeat)
    print()
    print(format_table(results))
    output = harness.RESULTS_DIR / f"export-{started:%Y%m%dT%H%M%S}.json"
    harness.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    payload = {
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join(["export_bench.py", *(argv if argv is not None else sys.argv[1:])]),
        "cores": os.cpu_count(),
        "database": harness.redact_url(args.database_url),
        "language": args.language,
        "repeat": args.repeat,
        "results": results,
    }
    output.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"results in {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
