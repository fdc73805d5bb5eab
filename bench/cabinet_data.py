"""Benchmark data of the personal cabinet (issue 8): persons with disabilities with an IPR and
two measures each, 700,000 by default (the national scale), built with set-based SQL on
PostgreSQL: the persons are streamed with COPY into a temporary table and inserted with
ON CONFLICT DO NOTHING; the IPRs and measures are one INSERT … SELECT each. No history rows and
no notifications (this is fixture data, not an import: the import has its own benchmark,
bench/cabinet_bench.py). Idempotent: a re-run adds only what is missing.

    .venv/bin/python bench/cabinet_data.py --count 700000     # or a smaller --count
    (or as the `prepare` hook of the "cabinet (kk)" endpoint of bench/run.py; the count then
    comes from CABINET_BENCH_COUNT, default 700,000)
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
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
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench/cabinet_data.py builds with PostgreSQL COPY: use PostgreSQL.")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user WHERE surname = %s", [SURNAME])
        existing = cursor.fetchone()[0]
        if existing < count:
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_person (iin varchar(12))")
            cursor.execute("TRUNCATE bench_person")
            buffer = io.StringIO()
            for n, iin in enumerate(bench_iins()):
                if n >= count:
                    break
                buffer.write(iin + "\n")
            buffer.seek(0)
            with cursor.cursor.copy("COPY bench_person (iin) FROM STDIN") as copy:
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
            cursor.execute(
                """
                INSERT INTO accounts_user (password, is_superuser, iin, surname, given_name,
                    patronymic, language, is_active, is_staff, date_joined, registered_by_code,
                    session_salt, created_at, updated_at)
                SELECT '!', false, iin, %s, 'Айгерім', '', 'kk', true, false, now(), false, '',
                    now(), now()
                FROM bench_person
                ON CONFLICT (iin) DO NOTHING
                """,
                [SURNAME],
            )
        timings["persons_s"] = time.perf_counter() - start
        cursor.execute("SELECT id FROM core_district WHERE valid_to IS NULL ORDER BY id")
        districts = [row[0] for row in cursor.fetchall()]
        step = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO cabinet_ipr (person_id, number, issued_on, district_id, created_at,
                updated_at)
            SELECT u.id, 'BENCH-' || u.iin, date '2026-03-02',
                (%s::int[])[1 + u.id %% %s], now(), now()
            FROM accounts_user u
            WHERE u.surname = %s
              AND NOT EXISTS (SELECT 1 FROM cabinet_ipr i WHERE i.person_id = u.id)
            """,
            [districts, len(districts), SURNAME],
        )
        timings["iprs_s"] = time.perf_counter() - step
        step = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO cabinet_measure (ipr_id, item_id, quantity, term_until, status,
                notified_at, choice_until, choice_deadline, import_digest, created_at, updated_at)
            SELECT i.id, c.id, 1, date '2027-03-01', 'awaiting_choice', now(),
                current_date + 60, '{}'::jsonb, 'bench', now(), now()
            FROM cabinet_ipr i
            CROSS JOIN cabinet_catalogueitem c
            WHERE i.number LIKE 'BENCH-%%' AND c.code IN ('M-0101', 'M-0201')
              AND NOT EXISTS (SELECT 1 FROM cabinet_measure m WHERE m.ipr_id = i.id)
            """
        )
        timings["measures_s"] = time.perf_counter() - step
        cursor.execute("ANALYZE accounts_user")
        cursor.execute("ANALYZE cabinet_ipr")
        cursor.execute("ANALYZE cabinet_measure")
    _offers()
    timings["total_s"] = time.perf_counter() - start
    return timings


def _offers() -> None:

    from qamqor.cabinet.models import CatalogueItem, Offer, Supplier
    from qamqor.core.models import Region

    supplier, _ = Supplier.objects.get_or_create(
        bin=SUPPLIER_BIN, defaults={"name_kk": "«Бенч Оңалту» ЖШС", "name_ru": "ТОО «Бенч»"}
    )
    for code in ("M-0101", "M-0201"):
        item = CatalogueItem.objects.get(code=code)
        if not Offer.objects.filter(supplier=supplier, item=item).exists():
            offer = Offer.objects.create(
                supplier=supplier, item=item, price=item.guaranteed_sum, delivery_days=10
            )
            offer.regions.set(Region.objects.all())


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
