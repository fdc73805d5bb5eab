"""Persons with disabilities and their IPRs (issue 8 data, issue 9 scale): 700,000 at scale 1.

Each person is a portal user with one individual rehabilitation programme of two measures
awaiting the choice of a supplier, written by the bulk writer with explicit keys (COPY on
PostgreSQL, executemany on SQLite) in one transaction, so a run is all or nothing. No history
rows and no notifications: this is fixture data, not an import (the import has its own
benchmark, bench/cabinet_bench.py). A rerun with a larger count adds the missing persons (the
n-th person is always the same).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

ITEMS = ("M-0101", "M-0201")


def build(
    count: int,
    *,
    people: Iterator[tuple[str, dt.date, bool]],
    number_prefix: str,
    seed: int = 0,
    fixed_name: tuple[str, str] | None = None,
    expired_share: int = 0,
    digest: str = "bench",
) -> dict[str, int]:
    """Create persons 0…count-1 of `people` with IPRs ``{number_prefix}{IIN}`` (the existing
    first ones are skipped). `fixed_name` = (surname, given name) for every person, else names
    from the seed. `expired_share`: one measure in that many had its choice window end already
    (the daily sweep's backlog); 0 for none."""
    from django.db import transaction
    from django.utils import timezone

    from qamqor.accounts.models import User
    from qamqor.cabinet.models import CatalogueItem, Ipr, Measure
    from qamqor.core.models import District
    from qamqor.demo.national.common import (
        analyze,
        next_id,
        person_name,
        reset_sequences,
        write_rows,
    )

    have = Ipr.objects.filter(number__startswith=number_prefix).count()
    if have >= count:
        return {"persons": 0, "iprs": 0, "measures": 0}
    items = list(
        CatalogueItem.objects.filter(code__in=ITEMS).order_by("code").values_list("pk", flat=True)
    )
    districts = list(
        District.objects.filter(valid_to__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    if not items or not districts:
        raise RuntimeError("no catalogue items or districts: migrate the database first")
    rng = random.Random(f"{seed}-cabinet")  # noqa: S311 (synthetic data)
    now = timezone.now()
    today = timezone.localdate()
    for _ in range(have):
        next(people)
    user_rows: list[tuple[Any, ...]] = []
    ipr_rows: list[tuple[Any, ...]] = []
    measure_rows: list[tuple[Any, ...]] = []
    with transaction.atomic():
        user_id, ipr_id, measure_id = next_id(User), next_id(Ipr), next_id(Measure)
        for n in range(have, count):
            iin, _birth, female = next(people)
            if fixed_name:
                surname, given, patronymic = fixed_name[0], fixed_name[1], ""
            else:
                surname, given, patronymic = person_name(rng, female)
            user_rows.append(
                (
                    "!",
                    False,
                    now,
                    now,
                    iin,
                    surname,
                    given,
                    patronymic,
                    "kk",
                    True,
                    False,
                    now,
                    False,
                    "",
                    user_id,
                )
            )
            issued = dt.date(2026, 3, 2) - dt.timedelta(days=n % 700)
            ipr_rows.append(
                (
                    ipr_id,
                    now,
                    now,
                    user_id,
                    f"{number_prefix}{iin}",
                    issued,
                    districts[n % len(districts)],
                )
            )
            for k, item in enumerate(items):
                expired = expired_share and (n * len(items) + k) % expired_share == 0
                until = today - dt.timedelta(days=1) if expired else today + dt.timedelta(days=60)
                measure_rows.append(
                    (
                        measure_id,
                        now,
                        now,
                        ipr_id,
                        item,
                        1,
                        issued + dt.timedelta(days=365),
                        "awaiting_choice",
                        now,
                        until,
                        {},
                        digest,
                    )
                )
                measure_id += 1
            user_id += 1
            ipr_id += 1
        written = {
            "persons": write_rows(
                User,
                (
                    "password",
                    "is_superuser",
                    "created_at",
                    "updated_at",
                    "iin",
                    "surname",
                    "given_name",
                    "patronymic",
                    "language",
                    "is_active",
                    "is_staff",
                    "date_joined",
                    "registered_by_code",
                    "session_salt",
                    "id",
                ),
                user_rows,
            ),
            "iprs": write_rows(
                Ipr,
                (
                    "id",
                    "created_at",
                    "updated_at",
                    "person_id",
                    "number",
                    "issued_on",
                    "district_id",
                ),
                ipr_rows,
            ),
            "measures": write_rows(
                Measure,
                (
                    "id",
                    "created_at",
                    "updated_at",
                    "ipr_id",
                    "item_id",
                    "quantity",
                    "term_until",
                    "status",
                    "notified_at",
                    "choice_until",
                    "choice_deadline",
                    "import_digest",
                ),
                measure_rows,
            ),
        }
        reset_sequences(User, Ipr, Measure)
    analyze(User, Ipr, Measure)
    return written


def ensure_offers(supplier_bin: str) -> None:
    """One supplier offering both measures in every region (the cabinet's choice has offers)."""
    from qamqor.cabinet.models import CatalogueItem, Offer, Supplier
    from qamqor.core.models import Region

    supplier, _ = Supplier.objects.get_or_create(
        bin=supplier_bin, defaults={"name_kk": "«Бенч Оңалту» ЖШС", "name_ru": "ТОО «Бенч»"}
    )
    for code in ITEMS:
        item = CatalogueItem.objects.get(code=code)
        if not Offer.objects.filter(supplier=supplier, item=item).exists():
            offer = Offer.objects.create(
                supplier=supplier, item=item, price=item.guaranteed_sum, delivery_days=10
            )
            offer.regions.set(Region.objects.all())
