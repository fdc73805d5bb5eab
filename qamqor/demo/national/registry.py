"""The registry of organizations of the synthetic country (issue 4 data, issue 9 scale).

Organizations go through the audited bulk insert (every row gets its creation history row),
with one or two service conditions each. About 70 % consent to publication; conditions,
categories and districts rotate over the reference data so that filters select realistic
shares; one in 17 services has no capacity (closed for admission).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

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
BATCH = 1_000


def build(
    total: int,
    *,
    prefix: str,
    bin_for: Callable[[int], str],
    seed: int = 0,
    email_domain: str = "bench.qamqor.kz",
) -> int:
    """Create the missing organizations number 0…total-1 (licence numbers ``{prefix}00000``…);
    returns how many were created. The n-th always gets ``bin_for(n)``: reruns never clash."""
    from django.db import transaction

    from qamqor.core.history import audited_bulk_create
    from qamqor.core.models import District
    from qamqor.organizations.models import Organization, OrganizationService

    districts = list(District.objects.filter(valid_to__isnull=True).order_by("pk"))
    if not districts:
        raise RuntimeError("no districts: migrate the database first (reference data)")
    taken = set(
        Organization.objects.filter(licence_number__startswith=prefix).values_list(
            "licence_number", flat=True
        )
    )
    todo = [n for n in range(total) if f"{prefix}{n:05d}" not in taken]
    for start in range(0, len(todo), BATCH):
        organizations = []
        plans = []
        for n in todo[start : start + BATCH]:
            rng = random.Random(f"{seed}-org-{n}")  # noqa: S311 (synthetic data, not secrets)
            public = n % 10 < 7
            since = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
            organizations.append(
                Organization(
                    name_kk=f"«{NAMES_KK[n % len(NAMES_KK)]}-{n}» {KINDS_KK[n % len(KINDS_KK)]}",
                    name_ru=(
                        f"{KINDS_RU[n % len(KINDS_RU)].capitalize()} "
                        f"«{NAMES_RU[n % len(NAMES_RU)]}-{n}»"
                    ),
                    bin=bin_for(n),
                    district=districts[n % len(districts)],
                    legal_address=f"{rng.randint(1, 300)}-үй, Абай даңғылы",
                    phone="+77172" + f"{n % 1_000_000:06d}",
                    email=f"org{n}@{email_domain}",
                    categories=[CATEGORIES[n % 9], CATEGORIES[(n // 9) % 9]]
                    if n % 3
                    else [CATEGORIES[n % 9]],
                    licence_number=f"{prefix}{n:05d}",
                    licence_issued_on=since,
                    included_on=since + dt.timedelta(days=rng.randrange(60)),
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
        from qamqor.demo.national.common import analyze

        analyze(Organization, OrganizationService)
    return len(todo)
