"""Demo data of the journal (called once by ``seed_demo``): a few admissions with their
orders in each demo organization's stationary or semi-stationary journal. Idempotent: a journal
that already has stays is left alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qamqor.journal import services
from qamqor.journal.models import Journal, Stay
from qamqor.journal.services import PersonData
from qamqor.organizations.models import OrganizationService, OrganizationStatus

_PEOPLE = [
    ("Сейітқали Бақыт Ержанұлы", dt.date(1949, 4, 12), "male"),
    ("Омарова Күләш Сейітқызы", dt.date(1944, 11, 3), "female"),
    ("Петрова Анна Ивановна", dt.date(1951, 7, 21), "female"),
]


def _iin(birth: dt.date, female: bool, serial: int) -> str:
    from qamqor.demo.management.commands.seed_demo import demo_iin

    return demo_iin(birth, female, serial)


def seed_journal_demo() -> None:
    today = timezone.localdate()
    offered = OrganizationService.objects.filter(
        capacity__gt=0,
        condition__in=["stationary", "semi_stationary"],
        organization__status=OrganizationStatus.ACTIVE,
    ).select_related("organization")
    for n, service in enumerate(offered.order_by("pk")):
        journal = Journal.objects.filter(
            organization=service.organization, condition=service.condition
        ).first()
        if journal is not None and Stay.objects.filter(journal=journal).exists():
            continue
        for i, (name, birth, sex) in enumerate(_PEOPLE[: service.capacity]):
            services.admit(
                None,
                service.organization,
                service.condition,
                PersonData(
                    iin=_iin(birth, sex == "female", 5000 + 100 * n + 10 * i),
                    full_name=name,
                    birth_date=birth,
                    sex=sex,
                    home_address="Астана қ.",
                    ipr_until=today.replace(year=today.year + 1),
                    referral=f"Шешім № {100 + i}",
                ),
                admitted_on=today - dt.timedelta(days=30 * (i + 1)),
                order_number=f"{10 + i}-Ө",
                order_date=today - dt.timedelta(days=30 * (i + 1)),
            )
