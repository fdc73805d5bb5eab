"""The synthetic country (issue 9): ``manage.py seed_national --scale N``.

One module per domain (registry, specialists, applications, journal, cabinet); each writes by
the bulk path of the database and is deterministic for a seed. Scale 1 is the national size of
issue 9; the territories are the reference data the migrations seed (20 regions, 228 districts
valid today), never invented ones.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Rows at scale 1 (issue 9).
NATIONAL = {
    "organizations": 3_000,
    "specialists": 100_000,
    "applications": 1_000_000,
    "stays": 200_000,  # journal records
    "queue": 100_000,
    "persons": 700_000,  # persons with disabilities, each with an IPR
}
ORG_PREFIX = "NAT-"
SPECIALIST_DOMAIN = "@national-spc.qamqor.kz"
APPLICATION_PREFIX = "N-"
RECIPIENT_SOURCE = "national"
IPR_PREFIX = "NAT-"
RECIPIENT_IIN = "900101300017"  # KZ-NOTES synthetic valid IIN: "my queue position"
SUPPLIER_BIN = "990140099908"


def counts_for(scale: float) -> dict[str, int]:
    """The row counts of each domain at `scale` (at least one of each for any scale > 0)."""
    if not scale > 0:
        raise ValueError("the scale must be positive")
    return {k: max(1, math.ceil(v * scale)) for k, v in NATIONAL.items()}


@dataclass
class DomainResult:
    name: str
    seconds: float
    rows: dict[str, Any] = field(default_factory=dict)


def build(scale: float, *, seed: int = 1, log: Callable[[str], None] = print) -> list[DomainResult]:
    """Build (or complete) the synthetic country at `scale`; per-domain rows and seconds."""
    from qamqor.demo.national import applications, cabinet, journal, registry, specialists
    from qamqor.demo.national.common import synthetic_bin, synthetic_people
    from qamqor.organizations.models import OrganizationService

    counts = counts_for(scale)
    results: list[DomainResult] = []

    def step(name: str, fn: Callable[[], dict[str, Any]]) -> None:
        log(f"{name}…")
        started = time.perf_counter()
        rows = fn()
        results.append(DomainResult(name, time.perf_counter() - started, rows))

    step(
        "registry",
        lambda: {
            "organizations": registry.build(
                counts["organizations"],
                prefix=ORG_PREFIX,
                bin_for=synthetic_bin,
                seed=seed,
                email_domain="national.qamqor.kz",
            )
        },
    )
    step(
        "specialists",
        lambda: {
            "specialists": specialists.build(
                counts["specialists"],
                domain=SPECIALIST_DOMAIN,
                people=synthetic_people(
                    "specialist",
                    birth_from=dt.date(1960, 1, 1),
                    birth_until=dt.date(2001, 12, 31),
                ),
                seed=seed,
            )
        },
    )
    step(
        "applications",
        lambda: applications.build(
            counts["applications"],
            prefix=APPLICATION_PREFIX,
            source=RECIPIENT_SOURCE,
            seed=seed,
        ),
    )

    def journals() -> dict[str, Any]:
        services = list(
            OrganizationService.objects.filter(
                organization__licence_number__startswith=ORG_PREFIX, capacity__gt=0
            )
            .order_by("organization_id", "condition")
            .values_list("organization_id", "condition", "capacity")
        )
        first: dict[int, tuple[int, str, int]] = {}
        for org_id, condition, capacity in services:
            first.setdefault(org_id, (org_id, condition, capacity))
        return journal.build(
            list(first.values()),
            stays=counts["stays"],
            queue=counts["queue"],
            recipient_iin=RECIPIENT_IIN,
            seed=seed,
        )

    step("journal", journals)

    def persons() -> dict[str, Any]:
        rows = cabinet.build(
            counts["persons"],
            people=synthetic_people("person"),
            number_prefix=IPR_PREFIX,
            seed=seed,
            expired_share=30,
            digest="national",
        )
        cabinet.ensure_offers(SUPPLIER_BIN)
        return rows

    step("cabinet", persons)
    return results


def first_person_iin() -> str:
    """The IIN of the first person with an IPR (a login for the cabinet page)."""
    from qamqor.demo.national.common import synthetic_people

    return next(synthetic_people("person"))[0]
