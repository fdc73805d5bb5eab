"""Profile one page in process (issue 9 item 3): cProfile over N requests of the Django test
client against a benchmark database, with the production settings (DEBUG off, cached template
loader, manifest static files), after a few warm-up requests. Prints the time per request, the
queries per request and the top functions by cumulative and by own time.

    .venv/bin/python bench/profile_page.py \\
        --database-url postgres://postgres@127.0.0.1:5432/qamqor_bench_perf \\
        --path "/cabinet/" --lang kk --login-as 500101390009 -n 50

Run the endpoint's prepare hook first (bench/run.py does it); this script builds no data.
It only uses a database on this machine (same rule as bench/run.py).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--lang", default="kk")
    parser.add_argument("--login-as", default=None, help="natural key (IIN) of the user")
    parser.add_argument("-n", type=int, default=50, help="profiled requests")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--show-queries",
        action="store_true",
        help="print the SQL of one request, each with its time",
    )
    parser.add_argument("--no-profile", action="store_true", help="only time and count queries")
    args = parser.parse_args()

    if urlsplit(args.database_url).hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit("only a database on 127.0.0.1/localhost")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "profile-only-not-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qamqor.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE=args.lang, HTTP_HOST="127.0.0.1")
    client.cookies["qamqor_language"] = args.lang
    if args.login_as:
        user_model = get_user_model()
        # The backend the benchmarks log in with (bench/run.py): its get_user is the one each
        # request pays for.
        client.force_login(
            user_model._default_manager.get_by_natural_key(args.login_as),
            backend="qamqor.accounts.backends.ESignatureBackend",
        )

    def hit() -> int:
        response = client.get(args.path)
        if response.status_code != 200:
            raise SystemExit(f"{args.path}: status {response.status_code}")
        return len(response.content)

    for _ in range(args.warmup):
        size = hit()
    queries: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(f"-- {(time.perf_counter() - t) * 1000:.1f} ms\n{sql}")

    with connection.execute_wrapper(record):
        hit()
    started = time.perf_counter()
    for _ in range(args.n):
        hit()
    plain = (time.perf_counter() - started) / args.n
    print(
        f"{args.path} ({args.lang}): {plain * 1000:.1f} ms per request, "
        f"{len(queries)} queries, {size} bytes"
    )
    if args.show_queries:
        print("\n".join(queries))
    if args.no_profile:
        return 0
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.n):
        hit()
    profiler.disable()
    for sort in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort).print_stats(args.top)
        print(f"--- top {args.top} by {sort} ({args.n} requests)")
        print("\n".join(out.getvalue().splitlines()[6:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
