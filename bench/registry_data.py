"""Benchmark data of the registry of organizations: 10,000 entries, the national scale (issue 4).

`prepare` is a bench/run.py `prepare` hook (called once, django.setup() done). It is idempotent:
the benchmark's entries carry a licence number starting with BENCH-, and only the missing ones
are created, in batches, through the audited bulk insert (every row gets its history row).
About 70 % consent to publication; conditions, categories and districts rotate over the
reference data so that filters select realistic shares.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

TOTAL = 10_000
BATCH = 1_000
PREFIX = "BENCH-"

# Kazakh names with every letter of the alphabet that Russian lacks (ә ғ қ ң ө ұ ү һ і).
NAMES_KK = (
    "Мейірім",
    "Шапағат",
    "Қамқорлық",
    "Үміт",
    "Ақжүрек",
    "Өркен",
    "Ұлағат",
    "Нұр",
    "Һикмет",
)
NAMES_RU = ("Милосердие", "Шапагат", "Забота", "Надежда", "Доброе сердце", "Росток", "Улагат")
KINDS_KK = (
    "қарттар үйі",
    "оңалту орталығы",
    "әлеуметтік қызмет көрсету орталығы",
    "күндізгі бөлім",
)
KINDS_RU = (
    "дом престарелых",
    "реабилитационный центр",
    "центр социальных услуг",
    "дневное отделение",
)
CONDITIONS = ("stationary", "semi_stationary", "at_home", "temporary_stay")
CATEGORIES = (
    "child_psychoneuro",
    "child_musculoskeletal",
    "adult_psychoneuro",
    "disability_group_1_2",
    "elderly",
    "homeless",
    "released",
    "domestic_violence",
    "trafficking",
)


def bench_bins() -> Iterator[str]:
    """Checksum-valid BINs of legal entities "registered" in January 1999, by serial."""
    from qamqor.core.identifiers import check_digit

    for serial in range(100_000):
        prefix = f"990140{serial:05d}"
        digit = check_digit(prefix)
        if digit is not None:
            yield prefix + str(digit)


def prepare() -> None:
    from django.db import transaction

    from qamqor.core.history import audited_bulk_create
    from qamqor.core.models import District
    from qamqor.organizations.models import Organization, OrganizationService

    existing = Organization.objects.filter(licence_number__startswith=PREFIX).count()
    if existing >= TOTAL:
        print(f"registry bench data: {existing} organizations already there")
        return
    districts = list(District.objects.order_by("pk"))
    if not districts:
        raise RuntimeError("no districts: migrate the database first (reference data)")
    taken = set(
        Organization.objects.filter(licence_number__startswith=PREFIX).values_list(
            "licence_number", flat=True
        )
    )
    bins = list(itertools.islice(bench_bins(), TOTAL))
    todo = [n for n in range(TOTAL) if f"{PREFIX}{n:05d}" not in taken]
    for start in range(0, len(todo), BATCH):
        organizations = []
        plans = []
        for n in todo[start : start + BATCH]:
            bin_ = bins[n]  # the n-th entry always has the n-th BIN: reruns never clash
            public = n % 10 < 7
            organizations.append(
                Organization(
                    name_kk=f"«{NAMES_KK[n % len(NAMES_KK)]}-{n}» {KINDS_KK[n % len(KINDS_KK)]}",
                    name_ru=(
                        f"{KINDS_RU[n % len(KINDS_RU)].capitalize()} "
                        f"«{NAMES_RU[n % len(NAMES_RU)]}-{n}»"
                    ),
                    bin=bin_,
                    district=districts[n % len(districts)],
                    legal_address=f"{n % 300 + 1}-үй, Абай даңғылы",
                    phone="+77172" + f"{n % 1_000_000:06d}",
                    email=f"org{n}@bench.qamqor.kz",
                    categories=[CATEGORIES[n % 9], CATEGORIES[(n // 9) % 9]]
                    if n % 3
                    else [CATEGORIES[n % 9]],
                    licence_number=f"{PREFIX}{n:05d}",
                    licence_issued_on=dt.date(2020, 1, 1) + dt.timedelta(days=n % 1500),
                    included_on=dt.date(2020, 1, 1) + dt.timedelta(days=n % 1500),
                    publication_consent=public,
                    consent_given_on=dt.date(2024, 1, 1) if public else None,
                )
            )
            plans.append(n)
        with transaction.atomic():
            created = audited_bulk_create(Organization, organizations, batch_size=BATCH)
            services = []
            for org, n in zip(created, plans, strict=True):
                for k in range(1 + n % 2):
                    services.append(
                        OrganizationService(
                            organization=org,
                            condition=CONDITIONS[(n + k) % 4],
                            capacity=0 if n % 17 == 0 else 20 + n % 80,
                        )
                    )
            audited_bulk_create(OrganizationService, services, batch_size=BATCH)
    if todo:
        # A production database has autovacuum's statistics; a freshly bulk-loaded one has none
        # and the planner would guess (nested loops over 10,000 rows), so measure what runs.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Organization.objects.filter(licence_number__startswith=PREFIX).count()
    print(f"registry bench data: {total} organizations ({len(todo)} created)")
