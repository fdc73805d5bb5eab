"""The registry of specialists of the synthetic country (issue 5 data, issue 9 scale).

Each specialist is a portal user with a registered application and a registry entry, written in
batches through the audited bulk insert (each row with its history row). About 70 % consent to
publication; regions, professions and categories rotate with different strides so that any
filter selects its share of any other filter's rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

CATEGORIES = ("none", "second", "first", "highest")
BATCH = 5_000


def build(
    total: int,
    *,
    domain: str,
    people: Iterator[tuple[str, dt.date, bool]],
    seed: int = 0,
    names: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
    today: dt.date = dt.date(2025, 6, 1),
    progress: bool = False,
) -> int:
    """Create the missing specialists number 0…total-1 (e-mails ``spc{n}{domain}``); the n-th
    always takes the n-th person of `people`. `names` = (surnames, given names) rotated by n
    (the bench's fixed strides); without it names are drawn from the seed. Returns the count
    created."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from qamqor.accounts.models import User
    from qamqor.core.models import Region
    from qamqor.demo.national.common import audited_copy, person_name
    from qamqor.specialists.models import Application, Profession, Specialist, Status

    unusable = make_password(None)
    regions = list(Region.objects.order_by("kato"))
    professions = list(Profession.objects.order_by("code"))
    if not regions or not professions:
        raise RuntimeError("no regions or professions: migrate the database first")
    taken = set(User.objects.filter(email__endswith=domain).values_list("email", flat=True))
    if len(taken) >= total:
        return 0
    todo = []
    for n in range(total):
        iin, birth, female = next(people)
        if f"spc{n}{domain}" not in taken:
            todo.append((n, iin, birth, female))
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        people_rows = []
        for n, iin, birth, female in chunk:
            if names is not None:
                surname = names[0][(n // 80) % len(names[0])]
                given = names[1][(n // 7) % len(names[1])]
                patronymic = ""
            else:
                rng = random.Random(f"{seed}-spc-{n}")  # noqa: S311 (synthetic data)
                surname, given, patronymic = person_name(rng, female)
            people_rows.append((n, iin, birth, surname, given, patronymic))
        with transaction.atomic():
            users = audited_copy(
                User,
                [
                    User(
                        iin=iin,
                        surname=surname,
                        given_name=given,
                        patronymic=patronymic,
                        email=f"spc{n}{domain}",
                        registered_by_code=True,
                        password=unusable,
                    )
                    for n, iin, _birth, surname, given, patronymic in people_rows
                ],
            )
            applications = audited_copy(
                Application,
                [
                    Application(applicant=user, status=Status.REGISTERED, surname=user.surname)
                    for user in users
                ],
            )
            entries = []
            for row, user, application in zip(people_rows, users, applications, strict=True):
                n, _iin, birth, surname, given, patronymic = row
                region = regions[n % len(regions)]
                # The bench's names carry n so that each row is distinct in a search.
                given_name = f"{given} {n}" if names is not None else given
                name = f"{surname} {given_name} {patronymic}".strip()
                category = CATEGORIES[(n // 20) % 4]
                entries.append(
                    Specialist(
                        application=application,
                        surname=surname,
                        given_name=given_name,
                        patronymic=patronymic,
                        birth_date=birth,
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
                        qualification_category=category,
                        qualification_date=dt.date(2022, 1, 1) if category != "none" else None,
                        attestation_commission=(
                            "ЖАО аттестаттау комиссиясы" if category != "none" else ""
                        ),
                        included_on=today - dt.timedelta(days=n % 900),
                        updated_on=today,
                        publication_consent=(n // 11) % 10 < 7,
                        search_name=name.lower(),
                    )
                )
            audited_copy(Specialist, entries)
        if progress:
            print(f"  specialists: {start + len(chunk)}/{len(todo)}", flush=True)
    if todo:
        from qamqor.demo.national.common import analyze

        analyze(User, Specialist)
    return len(todo)
