"""Benchmark data of the registry of specialists: 100,000 registered specialists (issue 5).

``prepare`` is a bench/run.py ``prepare`` hook (called once, django.setup() done), also used by
bench/specialists_export_bench.py. Idempotent: the benchmark's people have e-mails on
``@bench-spc.qamqor.kz``; only the missing ones are created, in batches, through the audited
bulk insert (users, applications, registry entries, each with its history row). About 70 %
consent to publication; regions, professions and categories rotate over the reference data so
that filters select realistic shares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

TOTAL = 100_000
BATCH = 5_000
DOMAIN = "@bench-spc.qamqor.kz"

SURNAMES = ("Нұрланова", "Сейтқали", "Әбілов", "Жұмабаева", "Өмірзақов", "Ким", "Иванова", "Құлжан")
NAMES = ("Айгерім", "Дәурен", "Гүлнар", "Ерлан", "Мария", "Әсел", "Нұржан", "Һилал", "Інкәр")
CATEGORIES = ("none", "second", "first", "highest")


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


def prepare() -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from qamqor.accounts.models import User
    from qamqor.core.history import audited_bulk_create
    from qamqor.core.models import Region
    from qamqor.specialists.models import Application, Profession, Specialist, Status

    unusable = make_password(None)
    existing = Specialist.objects.filter(email__endswith=DOMAIN).count()
    if existing >= TOTAL:
        print(f"specialists bench data: {existing} specialists already there")
        return
    regions = list(Region.objects.order_by("kato"))
    professions = list(Profession.objects.order_by("code"))
    if not regions or not professions:
        raise RuntimeError("no regions or professions: migrate the database first")
    taken = set(User.objects.filter(email__endswith=DOMAIN).values_list("email", flat=True))
    iins = bench_iins()
    todo = []
    for n in range(TOTAL):
        iin = next(iins)  # the n-th person always has the n-th IIN: reruns never clash
        if f"spc{n}{DOMAIN}" not in taken:
            todo.append((n, iin))
    today = dt.date(2025, 6, 1)
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        with transaction.atomic():
            users = audited_bulk_create(
                User,
                [
                    User(
                        iin=iin,
                        # Strides differ so that name, region, profession and category are
                        # independent: a filter selects its share of any other filter's rows.
                        surname=SURNAMES[(n // 80) % len(SURNAMES)],
                        given_name=NAMES[(n // 7) % len(NAMES)],
                        patronymic="",
                        email=f"spc{n}{DOMAIN}",
                        registered_by_code=True,
                        password=unusable,
                    )
                    for n, iin in chunk
                ],
                batch_size=BATCH,
            )
            applications = audited_bulk_create(
                Application,
                [
                    Application(applicant=user, status=Status.REGISTERED, surname=user.surname)
                    for user in users
                ],
                batch_size=BATCH,
            )
            entries = []
            for (n, _iin), user, application in zip(chunk, users, applications, strict=True):
                region = regions[n % len(regions)]
                name = f"{user.surname} {user.given_name} {n}"
                entries.append(
                    Specialist(
                        application=application,
                        surname=user.surname,
                        given_name=f"{user.given_name} {n}",
                        birth_date=dt.date(1975, 1, 1) + dt.timedelta(days=n % 7300),
                        email=user.email or "",
                        region=region,
                        locality=region.name_kk,
                        address=f"{n % 300 + 1}-үй, Абай даңғылы",
                        profession=professions[(n // 3) % len(professions)],
                        experience_years=n % 30,
                        experience_months=n % 12,
                        education=[
                            {
                                "level": "higher",
                                "institution": "Қазақ ұлттық университеті",
                                "start": "2000-09-01",
                                "end": "2004-06-30",
                                "document": f"ЖБ-Б № {n:07d}",
                            }
                        ],
                        employment=[
                            {
                                "organization": "Қамқор орталығы",
                                "bin": "940140000385",
                                "position": "әлеуметтік жұмыскер",
                                "start": "2010-01-10",
                                "end": "",
                            }
                        ],
                        qualification_category=CATEGORIES[(n // 20) % 4],
                        qualification_date=dt.date(2022, 1, 1) if (n // 20) % 4 else None,
                        attestation_commission=(
                            "ЖАО аттестаттау комиссиясы" if (n // 20) % 4 else ""
                        ),
                        included_on=today - dt.timedelta(days=n % 900),
                        updated_on=today,
                        publication_consent=(n // 11) % 10 < 7,
                        search_name=name.lower(),
                    )
                )
            audited_bulk_create(Specialist, entries, batch_size=BATCH)
        print(f"  specialists bench data: {start + len(chunk)}/{len(todo)}", flush=True)
    total = Specialist.objects.filter(email__endswith=DOMAIN).count()
    print(f"specialists bench data: {total} specialists ({len(todo)} created)")
