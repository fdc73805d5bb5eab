"""Admissions per second under contention on ONE organization (issue 7 benchmarks).

Every admission locks the journal's row (qamqor/journal/locks.py), so the writers of one
organization run one after another: this measures what that serialisation costs. ``--threads``
real threads (each its own PostgreSQL connection) admit new persons to one organization with a
capacity large enough never to refuse, for ``--seconds``; the result is admissions/s for each
thread count, and the check that occupied places equal the admissions counted.

    .venv/bin/python bench/journal_bench.py --database-url postgres://postgres@127.0.0.1:5432/qamqor_bench

Migrates the database first unless ``--no-prepare``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import run as harness  # noqa: E402


def valid_iin(n: int) -> str:
    """A checksum-valid IIN, distinct for each n (birth day from n, serial digits from n)."""
    from qamqor.core.identifiers import check_digit

    birth = dt.date(1940, 1, 1) + dt.timedelta(days=(n // 5000) % 20000)
    serial = (n % 5000) * 2
    for s in range(serial, serial + 2):
        digit = check_digit(f"{birth:%y%m%d}3{s:04d}")
        if digit is not None:
            return f"{birth:%y%m%d}3{s:04d}{digit}"
    return valid_iin(n + 5000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/journal_bench.py", description=__doc__)
    parser.add_argument("--database-url", default=harness.DEFAULT_DATABASE_URL)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--threads", default="1,4,16", help="thread counts (1,4,16)")
    parser.add_argument("--no-prepare", action="store_true")
    args = parser.parse_args(argv)
    harness.ensure_loopback(args.database_url)
    env = harness.app_environment(args.database_url)
    if not args.no_prepare:
        harness.ensure_postgres_database(args.database_url)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    from qamqor.core.models import District
    from qamqor.journal import selectors, services
    from qamqor.journal.models import Journal
    from qamqor.journal.services import PersonData
    from qamqor.organizations.models import Organization, OrganizationService

    serial = itertools.count(int(time.time()) % 10_000 * 100_000)
    lock = threading.Lock()
    results = []
    for threads in [int(t) for t in args.threads.split(",")]:
        n = next(serial)
        org = Organization.objects.create(
            name_kk=f"Бенчмарк {n}",
            name_ru=f"Бенчмарк {n}",
            bin=f"{n % 10**12:012d}",
            district=District.objects.order_by("pk").first(),
            legal_address="bench",
        )
        OrganizationService.objects.create(organization=org, condition="stationary", capacity=10**6)
        stop = time.monotonic() + args.seconds
        done = [0]

        def work(org: Organization = org, stop: float = stop, done: list[int] = done) -> None:
            try:
                while time.monotonic() < stop:
                    with lock:
                        iin = valid_iin(next(serial))
                    services.admit(
                        None,
                        org,
                        "stationary",
                        PersonData(iin=iin, full_name="Бенчмарк"),
                        admitted_on=dt.date.today(),
                        order_number="1",
                        order_date=dt.date.today(),
                    )
                    with lock:
                        done[0] += 1
            finally:
                connections.close_all()

        pool = [threading.Thread(target=work) for _ in range(threads)]
        started = time.monotonic()
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        elapsed = time.monotonic() - started
        occupied = selectors.occupancy(Journal.objects.get(organization=org)).occupied
        assert occupied == done[0], (occupied, done[0])
        row = {"threads": threads, "admissions": done[0], "per_second": round(done[0] / elapsed, 1)}
        results.append(row)
        print(f"{threads:>3} threads: {row['admissions']} admissions, {row['per_second']}/s")
    print("QAMQOR_JOURNAL_JSON " + json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
