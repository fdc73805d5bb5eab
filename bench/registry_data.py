"""Benchmark data of the registry of organizations: 10,000 entries (issue 4).

A thin wrapper over ``qamqor.demo.national.registry`` (the generator of the synthetic country,
issue 9). `prepare` is a bench/run.py `prepare` hook (called once, django.setup() done). It is
idempotent: the benchmark's entries carry a licence number starting with BENCH-, and only the
missing ones are created, in batches, through the audited bulk insert (every row gets its
history row). About 70 % consent to publication; conditions, categories and districts rotate
over the reference data so that filters select realistic shares.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

TOTAL = 10_000
PREFIX = "BENCH-"


def bench_bins() -> Iterator[str]:
    """Checksum-valid BINs of legal entities "registered" in January 1999, by serial."""
    from qamqor.core.identifiers import check_digit

    for serial in range(100_000):
        prefix = f"990140{serial:05d}"
        digit = check_digit(prefix)
        if digit is not None:
            yield prefix + str(digit)


def prepare() -> None:
    from qamqor.demo.national import registry
    from qamqor.organizations.models import Organization

    bins = list(itertools.islice(bench_bins(), TOTAL))
    created = registry.build(TOTAL, prefix=PREFIX, bin_for=bins.__getitem__)
    total = Organization.objects.filter(licence_number__startswith=PREFIX).count()
    print(f"registry bench data: {total} organizations ({created} created)")
