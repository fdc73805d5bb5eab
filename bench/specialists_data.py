"""Benchmark data of the registry of specialists: 100,000 registered specialists (issue 5).

A thin wrapper over ``qamqor.demo.national.specialists`` (issue 9's generator). ``prepare`` is a
bench/run.py ``prepare`` hook (called once, django.setup() done), also used by
bench/specialists_export_bench.py. Idempotent: the benchmark's people have e-mails on
``@bench-spc.qamqor.kz``; only the missing ones are created, in batches, through the audited
bulk insert (users, applications, registry entries, each with its history row). About 70 %
consent to publication; names, regions, professions and categories rotate with fixed strides
(the search endpoints of bench/run.py count on them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

TOTAL = 100_000
DOMAIN = "@bench-spc.qamqor.kz"

SURNAMES = ("Нұрланова", "Сейтқали", "Әбілов", "Жұмабаева", "Өмірзақов", "Ким", "Иванова", "Құлжан")
NAMES = ("Айгерім", "Дәурен", "Гүлнар", "Ерлан", "Мария", "Әсел", "Нұржан", "Һилал", "Інкәр")


def bench_iins() -> Iterator[str]:
    """Checksum-valid IINs of people born in the 1970s–1990s, by serial (never a real person's
    on purpose: digits 8–11 are a serial from 5000 up)."""
    from qamqor.core.identifiers import check_digit

    for day in range(0, 7300):
        birth = dt.date(1975, 1, 1) + dt.timedelta(days=day)
        century = 3 + day % 2  # born in the 1900s, male/female
        for serial in range(5000, 5040):
            prefix = f"{birth:%y%m%d}{century}{serial:04d}"
            digit = check_digit(prefix)
            if digit is not None:
                yield prefix + str(digit)


def _people() -> Iterator[tuple[str, dt.date, bool]]:
    for n, iin in enumerate(bench_iins()):
        yield iin, dt.date(1975, 1, 1) + dt.timedelta(days=n % 7300), False


def prepare() -> None:
    from qamqor.demo.national import specialists
    from qamqor.specialists.models import Specialist

    created = specialists.build(
        TOTAL, domain=DOMAIN, people=_people(), names=(SURNAMES, NAMES), progress=True
    )
    total = Specialist.objects.filter(email__endswith=DOMAIN).count()
    print(f"specialists bench data: {total} specialists ({created} created)")
