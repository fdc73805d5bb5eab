"""Benchmark data of the journal (issue 7): 1,000 journals, 200,000 journal records and
100,000 queue entries.

A thin wrapper over ``qamqor.demo.national.journal`` (issue 9's generator: bulk COPY on
PostgreSQL). `prepare` is a bench/run.py `prepare` hook (django.setup() done). It builds on the
registry's bench organizations (bench.registry_data), takes the first ``ORGS`` with a condition
of capacity > 0 and gives their journals ``STAYS`` stays and ``QUEUE`` waiting queue entries
each (at most half the capacity in care, the rest discharged within the last year with their
movements; every 50th entry out of turn). One queue entry in the middle of one queue belongs to
the benchmark recipient (``RECIPIENT_IIN``) for "my position". Idempotent: journals that already
have stays are skipped. Bench rows get no history rows.

Smaller counts: ``JOURNAL_BENCH_ORGS=100 JOURNAL_BENCH_STAYS=200 JOURNAL_BENCH_QUEUE=100``.
"""

from __future__ import annotations

import os

ORGS = int(os.environ.get("JOURNAL_BENCH_ORGS", "1000"))
STAYS = int(os.environ.get("JOURNAL_BENCH_STAYS", "200"))  # per journal → 200,000
QUEUE = int(os.environ.get("JOURNAL_BENCH_QUEUE", "100"))  # per journal → 100,000
RECIPIENT_IIN = "900101300017"  # KZ-NOTES synthetic valid IIN


def prepare() -> None:
    from bench import registry_data
    from qamqor.demo.national import journal
    from qamqor.organizations.models import OrganizationService

    registry_data.prepare()
    first: dict[int, tuple[int, str, int]] = {}
    for org_id, condition, capacity in (
        OrganizationService.objects.filter(
            organization__licence_number__startswith=registry_data.PREFIX, capacity__gt=0
        )
        .order_by("organization_id", "condition")
        .values_list("organization_id", "condition", "capacity")
    ):
        first.setdefault(org_id, (org_id, condition, capacity))
    services = list(first.values())[:ORGS]
    written = journal.build(
        services,
        stays=STAYS * len(services),
        queue=QUEUE * len(services),
        recipient_iin=RECIPIENT_IIN,
    )
    print(f"journal bench data: {written}")
