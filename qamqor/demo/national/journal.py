"""Electronic journals and queues of the synthetic country (issue 7 data, issue 9 scale).

For each given organization (its first service condition with a capacity) one journal with
stays and queue entries, written by the bulk writer (COPY on PostgreSQL, executemany on
SQLite) with explicit keys. Invariants kept: a person holds at most one place per journal and
is at most once in a queue (every person has their own IIN); the places occupied never exceed
the capacity (at most half of it is in care, the other stays were discharged within the last
year); every stay has its admission movement and every discharge its discharge movement, so the
wait estimate has a turnover; every 50th queue entry is out of turn. All queue entries point to
one signed fixture document (the act is not what is measured). One queue entry in the middle of
the middle journal's queue belongs to `recipient_iin` ("my position"). Fixture rows get no
history rows.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SIGNED_KIND = "bench.queue_application"


def _signed_document(user: Any) -> Any:
    from django.utils import timezone

    from qamqor.accounts.models import SignedDocument

    doc = SignedDocument.objects.filter(kind=SIGNED_KIND).first()
    if doc is None:
        doc = SignedDocument.objects.create(
            kind=SIGNED_KIND,
            content=b"{}",
            content_sha256="0" * 64,
            cms=b"bench",
            signer_iin=user.iin,
            certificate=b"bench",
            certificate_serial="00",
            certificate_issuer="bench",
            signature_algorithm="bench",
            signed_at=timezone.now(),
            verifier="bench",
            signed_by=user,
        )
    return doc


def _spread(total: int, parts: int, index: int) -> int:
    """`total` split over `parts` as evenly as possible: the share of part `index`."""
    return total // parts + (1 if index < total % parts else 0)


def build(
    services: list[tuple[int, str, int]],
    *,
    stays: int,
    queue: int,
    recipient_iin: str,
    seed: int = 0,
) -> dict[str, int]:
    """`services` = (organization id, condition, capacity); `stays` and `queue` are totals
    spread over their journals. Journals that already have stays are left alone."""
    from django.db import transaction
    from django.utils import timezone

    from qamqor.accounts.models import User
    from qamqor.core.history import audited_bulk_create
    from qamqor.demo.national.common import (
        address,
        analyze,
        next_id,
        person_name,
        reset_sequences,
        synthetic_people,
        write_rows,
    )
    from qamqor.journal.models import Journal, Movement, QueueEntry, Stay

    if not services:
        return {"journals": 0, "stays": 0, "movements": 0, "queue": 0}
    today = timezone.localdate()
    now = timezone.now()
    rng = random.Random(f"{seed}-journal")  # noqa: S311 (synthetic data)
    with transaction.atomic():
        user, _ = User.objects.get_or_create(
            iin=recipient_iin, defaults={"surname": "Бенчмарк", "given_name": "Айгүл"}
        )
        doc = _signed_document(user)
        existing = set(
            Journal.objects.filter(organization_id__in=[o for o, _c, _k in services]).values_list(
                "organization_id", "condition"
            )
        )
        audited_bulk_create(
            Journal,
            [
                Journal(organization_id=o, condition=c, started_on=dt.date(2024, 1, 1))
                for o, c, _k in services
                if (o, c) not in existing
            ],
        )
        journals = {
            (j.organization_id, j.condition): j.pk
            for j in Journal.objects.filter(organization_id__in=[o for o, _c, _k in services])
        }
        busy = set(
            Stay.objects.filter(journal_id__in=journals.values())
            .values_list("journal_id", flat=True)
            .distinct()
        )
        plan = [
            (journals[(o, c)], capacity)
            for o, c, capacity in services
            if journals[(o, c)] not in busy
        ]
        if not plan:
            return {"journals": 0, "stays": 0, "movements": 0, "queue": 0}
        stay_people = synthetic_people("stay")
        queue_people = synthetic_people("queue")
        stay_rows: list[tuple[Any, ...]] = []
        movement_rows: list[tuple[Any, ...]] = []
        queue_rows: list[tuple[Any, ...]] = []
        stay_id = next_id(Stay)
        movement_id = next_id(Movement)
        queue_id = next_id(QueueEntry)
        middle = len(plan) // 2
        for index, (journal_id, capacity) in enumerate(plan):
            count = _spread(stays, len(plan), index)
            in_care = min(capacity, max(capacity // 2, 1))
            for g in range(1, count + 1):
                iin, birth, female = next(stay_people)
                surname, given, patronymic = person_name(rng, female)
                status = "in_care" if g <= in_care else "discharged"
                admitted = today - dt.timedelta(days=400 + rng.randrange(1500))
                stay_rows.append(
                    (
                        stay_id,
                        now,
                        now,
                        iin,
                        f"{surname} {given} {patronymic}".strip(),
                        birth,
                        "female" if female else "male",
                        address(rng),
                        "",
                        "",
                        journal_id,
                        status,
                        admitted,
                        f"{g}-Ө",
                        False,
                    )
                )
                movement_rows.append(
                    (movement_id, stay_id, "admission", admitted, f"{g}-Ө", admitted, "", "", now)
                )
                movement_id += 1
                if status == "discharged":
                    left = today - dt.timedelta(days=1 + rng.randrange(360))
                    movement_rows.append(
                        (
                            movement_id,
                            stay_id,
                            "discharge",
                            left,
                            f"Ш-{stay_id}",
                            left,
                            "өз еркімен",
                            "",
                            now,
                        )
                    )
                    movement_id += 1
                stay_id += 1
            waiting = _spread(queue, len(plan), index)
            for g in range(1, waiting + 1):
                iin, birth, female = next(queue_people)
                surname, given, patronymic = person_name(rng, female)
                owner = None
                if index == middle and g == waiting // 2 + 1:
                    iin, owner = recipient_iin, user.pk
                    surname, given, patronymic = user.surname, user.given_name, ""
                queue_rows.append(
                    (
                        queue_id,
                        now,
                        now,
                        iin,
                        f"{surname} {given} {patronymic}".strip(),
                        birth,
                        "female" if female else "male",
                        address(rng),
                        "",
                        "",
                        owner,
                        journal_id,
                        0 if g % 50 == 0 else 1,
                        "мүгедектігі туралы анықтама" if g % 50 == 0 else "",
                        now - dt.timedelta(hours=(waiting - g) * 5 + 1),
                        "waiting",
                        doc.pk,
                        False,
                        "",
                        "",
                    )
                )
                queue_id += 1
        written = {
            "journals": len(plan),
            "stays": write_rows(
                Stay,
                (
                    "id",
                    "created_at",
                    "updated_at",
                    "person_iin",
                    "full_name",
                    "birth_date",
                    "sex",
                    "home_address",
                    "phone",
                    "referral",
                    "journal_id",
                    "status",
                    "admitted_on",
                    "admission_order",
                    "returned",
                ),
                stay_rows,
            ),
            "movements": write_rows(
                Movement,
                (
                    "id",
                    "stay_id",
                    "kind",
                    "on",
                    "order_number",
                    "order_date",
                    "reason",
                    "destination",
                    "recorded_at",
                ),
                movement_rows,
            ),
            "queue": write_rows(
                QueueEntry,
                (
                    "id",
                    "created_at",
                    "updated_at",
                    "person_iin",
                    "full_name",
                    "birth_date",
                    "sex",
                    "home_address",
                    "phone",
                    "referral",
                    "user_id",
                    "journal_id",
                    "priority",
                    "out_of_turn_basis",
                    "registered_at",
                    "status",
                    "application_id",
                    "postponed",
                    "postponement_reason",
                    "closed_reason",
                ),
                queue_rows,
            ),
        }
        reset_sequences(Stay, Movement, QueueEntry)
    # Fresh statistics, or the planner scans every movement per "my position" request.
    analyze(Journal, Stay, Movement, QueueEntry)
    return written
