"""`manage.py seed_demo`: a small, realistic, bilingual world for trying every feature.

Idempotent: people are matched by IIN, organizations by BIN, roles by (user, role, scope), so
running it again changes nothing. Demo users have e-mails on the demo domain, which is what the
development-only login lists.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qamqor.accounts import services as account_services
from qamqor.accounts.models import User
from qamqor.accounts.roles import Role
from qamqor.accounts.selectors import DEMO_EMAIL_DOMAIN
from qamqor.applications.demo import seed_applications
from qamqor.cabinet.demo import seed_cabinet_demo
from qamqor.core.history import acting_as
from qamqor.core.identifiers import check_digit
from qamqor.core.models import District
from qamqor.journal.demo import seed_journal_demo
from qamqor.organizations.models import (
    Organization,
    OrganizationService,
    RecipientCategory,
    ServiceCondition,
)
from qamqor.specialists.demo import seed_specialists


def demo_iin(birth: dt.date, female: bool, serial: int) -> str:
    """A checksum-valid IIN for a demo person (digits 8–11 are a serial we choose)."""
    century = {18: 1, 19: 3, 20: 5}[birth.year // 100] + (1 if female else 0)
    for s in range(serial, serial + 100):
        prefix = f"{birth:%y%m%d}{century}{s:04d}"
        digit = check_digit(prefix)
        if digit is not None:
            return prefix + str(digit)
    raise CommandError("no valid IIN serial found")  # pragma: no cover


def demo_bin(year: int, month: int, serial: int) -> str:
    """A checksum-valid BIN of a resident legal entity, head unit."""
    for s in range(serial, serial + 100):
        prefix = f"{year % 100:02d}{month:02d}40{s:05d}"
        digit = check_digit(prefix)
        if digit is not None:
            return prefix + str(digit)
    raise CommandError("no valid BIN serial found")  # pragma: no cover


def save_if_changed(obj: Any, **values: Any) -> None:
    """Set the values and save only when something differs, so a re-run writes no history."""
    changed = obj.pk is None
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.save()


@dataclass(frozen=True)
class DemoPerson:
    key: str
    surname: str
    given_name: str
    patronymic: str
    birth: dt.date
    female: bool
    role: Role | None
    scope: str | None = None  # "district:<n>" or "org:<key>"
    language: str = "kk"


PEOPLE = [
    DemoPerson(
        "saule", "Жұмабаева", "Сәуле", "Қанатқызы", dt.date(1948, 3, 14), True, Role.RECIPIENT
    ),
    DemoPerson(
        "dauren",
        "Ахметов",
        "Дәурен",
        "Болатұлы",
        dt.date(1985, 7, 2),
        False,
        Role.LEGAL_REPRESENTATIVE,
    ),
    DemoPerson(
        "gulnar",
        "Сейітова",
        "Гүлнар",
        "Маратқызы",
        dt.date(1990, 11, 20),
        True,
        Role.INTAKE_OPERATOR,
        language="ru",
    ),
    DemoPerson(
        "askar",
        "Тоқтаров",
        "Асқар",
        "Еркінұлы",
        dt.date(1979, 5, 9),
        False,
        Role.DISTRICT_OFFICER,
        "district:0",
    ),
    DemoPerson(
        "dinara",
        "Омарова",
        "Динара",
        "Әліқызы",
        dt.date(1988, 1, 30),
        True,
        Role.SOCIAL_WORKER,
        "district:0",
    ),
    DemoPerson(
        "elena",
        "Ким",
        "Елена",
        "Викторовна",
        dt.date(1975, 9, 17),
        True,
        Role.ORGANIZATION_STAFF,
        "org:psycho",
        language="ru",
    ),
    DemoPerson(
        "timur",
        "Исаев",
        "Тимур",
        "Русланович",
        dt.date(1982, 4, 4),
        False,
        Role.SUPPLIER,
        language="ru",
    ),
    DemoPerson(
        "aizhan", "Бекова", "Айжан", "Нұрланқызы", dt.date(1986, 12, 1), True, Role.REGISTRY_ADMIN
    ),
    DemoPerson(
        "erzhan", "Сәрсенбаев", "Ержан", "Талғатұлы", dt.date(1970, 6, 25), False, Role.MINISTRY
    ),
    DemoPerson(
        "moldir",
        "Жақыпова",
        "Мөлдір",
        "Ерланқызы",
        dt.date(1992, 2, 11),
        True,
        Role.QUALITY_AUTHORITY,
    ),
    DemoPerson(
        "lazzat",
        "Қасымова",
        "Ләззат",
        "Бақытқызы",
        dt.date(1995, 8, 8),
        True,
        Role.APPLICANT_SPECIALIST,
    ),
    DemoPerson("admin", "Платформа", "Әкімші", "", dt.date(1980, 1, 1), False, None),
]


@dataclass(frozen=True)
class DemoOrganization:
    key: str
    name_kk: str
    name_ru: str
    district: int
    services: dict[str, int]
    categories: list[str]
    address: str


ORGANIZATIONS = [
    DemoOrganization(
        "psycho",
        "«Астана қалалық психоневрологиялық медициналық-әлеуметтік мекемесі» КММ",
        "КГУ «Городское психоневрологическое медико-социальное учреждение города Астаны»",
        0,
        {ServiceCondition.STATIONARY: 120},
        [RecipientCategory.ADULT_PSYCHONEURO],
        "Астана қ., Бейбітшілік к-сі, 12",
    ),
    DemoOrganization(
        "daycare",
        "Қарттар мен мүгедектігі бар адамдарға арналған «Мейірім» күндізгі болу орталығы",
        "Центр дневного пребывания для пожилых и лиц с инвалидностью «Мейірім»",
        1,
        {ServiceCondition.SEMI_STATIONARY: 40},
        [RecipientCategory.ELDERLY, RecipientCategory.DISABILITY_GROUP_1_2],
        "Астана қ., Сығанақ к-сі, 5",
    ),
    DemoOrganization(
        "home",
        "Үйде әлеуметтік қызмет көрсету бөлімшесі «Қамқорлық»",
        "Отделение социальной помощи на дому «Қамқорлық»",
        2,
        {ServiceCondition.AT_HOME: 200},
        [RecipientCategory.ELDERLY, RecipientCategory.DISABILITY_GROUP_1_2],
        "Алматы облысы, Қонаев қ., Абай к-сі, 3",
    ),
    DemoOrganization(
        "shelter",
        "«Жылы үй» уақытша болу орталығы",
        "Центр временного пребывания «Жылы үй»",
        3,
        {ServiceCondition.TEMPORARY_STAY: 30},
        [
            RecipientCategory.HOMELESS,
            RecipientCategory.RELEASED,
            RecipientCategory.DOMESTIC_VIOLENCE,
        ],
        "Қарағанды қ., Бұқар жырау д-лы, 40",
    ),
    DemoOrganization(
        "children",
        "«Балбөбек» мүгедектігі бар балаларды оңалту орталығы",
        "Реабилитационный центр для детей с инвалидностью «Балбөбек»",
        0,
        {ServiceCondition.STATIONARY: 60, ServiceCondition.SEMI_STATIONARY: 25},
        [RecipientCategory.CHILD_PSYCHONEURO, RecipientCategory.CHILD_MUSCULOSKELETAL],
        "Астана қ., Тұран д-лы, 19",
    ),
]


def demo_districts() -> list[District]:
    """Four districts of the demo world: two in Astana, one in Almaty region, one in Karaganda."""
    picks: list[District] = []
    for kato, count in (("71", 2), ("19", 1), ("35", 1)):
        found = list(District.objects.filter(region__kato=kato).order_by("slug")[:count])
        if len(found) < count:
            raise CommandError(
                f"The reference data has no districts for region {kato}: run `manage.py migrate`."
            )
        picks.extend(found)
    return picks


class Command(BaseCommand):
    help = "Create (or refresh) the demo world: districts, organizations, a user for every role."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic(), acting_as(None):
            districts = demo_districts()
            orgs = {
                o.key: self._organization(o, districts, i)
                for i, o in enumerate(ORGANIZATIONS, start=1)
            }
            people = [self._person(p, i, districts, orgs) for i, p in enumerate(PEOPLE, start=1)]
            seed_cabinet_demo({spec.key: user for spec, user in people}, districts)
            seed_journal_demo()  # issue 7: admissions in the demo journals
        seed_specialists(self.stdout)  # outside the block: the specialists' services are durable
        seed_applications(people)
        self._print_logins(people)

    def _organization(
        self, spec: DemoOrganization, districts: list[District], serial: int
    ) -> Organization:
        bin_ = demo_bin(2010 + serial, serial, 1000 * serial)
        org = Organization.objects.filter(bin=bin_).first() or Organization(bin=bin_)
        save_if_changed(
            org,
            name_kk=spec.name_kk,
            name_ru=spec.name_ru,
            district_id=districts[spec.district].pk,
            legal_address=spec.address,
            phone=f"+7717255{serial:04d}",
            email=f"{spec.key}@org.{DEMO_EMAIL_DOMAIN}",
            categories=[str(c) for c in spec.categories],
            # A licensed, consenting provider (R-ORG-1, R-ORG-4), so the public registry has rows;
            # the last demo organization keeps no consent to show the difference.
            licence_number=f"KZ{serial:02d}DEMO{1000 + serial}",
            licence_issued_on=dt.date(2015 + serial, 3, 1),
            included_on=dt.date(2015 + serial, 3, 1),
            publication_consent=serial < len(ORGANIZATIONS),
            consent_given_on=dt.date(2024, 1, 15) if serial < len(ORGANIZATIONS) else None,
        )
        for condition, capacity in spec.services.items():
            service = OrganizationService.objects.filter(
                organization=org, condition=condition
            ).first() or OrganizationService(organization=org, condition=condition)
            if service.capacity != capacity:
                service.capacity = capacity
                service.save()
        return org

    def _person(
        self,
        spec: DemoPerson,
        serial: int,
        districts: list[District],
        orgs: dict[str, Organization],
    ) -> tuple[DemoPerson, User]:
        iin = demo_iin(spec.birth, spec.female, 100 * serial)
        user = User.objects.filter(iin=iin).first() or User(iin=iin)
        if user.pk is None:
            user.set_unusable_password()
        save_if_changed(
            user,
            surname=spec.surname,
            given_name=spec.given_name,
            patronymic=spec.patronymic,
            email=f"{spec.key}@{DEMO_EMAIL_DOMAIN}",
            phone=f"+7701000{serial:04d}",
            language=spec.language,
            is_staff=spec.role is None,
            is_superuser=spec.role is None,
        )
        if spec.role is not None:
            district = organization = None
            if spec.scope and spec.scope.startswith("district:"):
                district = districts[int(spec.scope.split(":")[1])]
            elif spec.scope and spec.scope.startswith("org:"):
                organization = orgs[spec.scope.split(":")[1]]
            account_services.grant_role(
                None, user, spec.role, district=district, organization=organization
            )
        return spec, user

    def _print_logins(self, people: list[tuple[DemoPerson, User]]) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("Demo data is ready."))
        base = os.environ.get("QAMQOR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        out.write(
            f"Log in at {base}/accounts/login/esign/ with the development signer (choose a person;"
            " development only), or sign the challenge with their test certificate"
            " var/test-pki/users/<IIN>/auth.p12 (password: qamqor-test). Demo people:"
        )
        for spec, user in people:
            role = spec.role.label if spec.role else "platform administrator (Django admin)"
            out.write(f"  {user.iin}  {user.get_full_name():<35} {role}")
