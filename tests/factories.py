"""factory-boy factories (STYLE: no hand-written JSON fixtures)."""

from __future__ import annotations

import datetime as dt

import factory

from qamqor.accounts.models import User
from qamqor.core.identifiers import check_digit
from qamqor.core.models import District, Region
from qamqor.organizations.models import (
    Organization,
    OrganizationService,
    ServiceCondition,
    hash_token,
)


def make_iin(n: int, *, birth: dt.date = dt.date(1980, 1, 1), female: bool = False) -> str:
    """The n-th checksum-valid IIN for a birth date (serials in digits 8–11)."""
    century = {18: 1, 19: 3, 20: 5}[birth.year // 100] + (1 if female else 0)
    found = -1
    for serial in range(10_000):
        prefix = f"{birth:%y%m%d}{century}{serial:04d}"
        digit = check_digit(prefix)
        if digit is not None:
            found += 1
            if found == n:
                return prefix + str(digit)
    raise ValueError(n)


def make_bin(n: int) -> str:
    found = -1
    for serial in range(100_000):
        prefix = f"1501400{serial:04d}"
        digit = check_digit(prefix)
        if digit is not None:
            found += 1
            if found == n:
                return prefix + str(digit)
    raise ValueError(n)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("iin",)
        skip_postgeneration_save = True

    iin = factory.Sequence(lambda n: make_iin(n))
    surname = factory.Iterator(["Нұрланова", "Ахметов", "Смагулова", "Ким", "Иванова"])
    given_name = factory.Iterator(["Айгерім", "Дәурен", "Гүлнар", "Елена", "Мария"])
    patronymic = ""

    @factory.post_generation
    def unusable_password(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        obj.set_unusable_password()
        if create:
            obj.save()


class RegionFactory(factory.django.DjangoModelFactory):
    """Regions come from the reference data; tests reuse them by KATO code."""

    class Meta:
        model = Region
        django_get_or_create = ("kato",)

    kato = "71"
    kind = Region.Kind.CITY
    name_kk = "Астана"
    name_ru = "Астана"
    name_en = "Astana"


class DistrictFactory(factory.django.DjangoModelFactory):
    """A test district (its own slug, no KATO code) so tests do not depend on the edition."""

    class Meta:
        model = District

    region = factory.SubFactory(RegionFactory)
    slug = factory.Sequence(lambda n: f"test-district-{n}")
    kind = District.Kind.DISTRICT
    name_kk = factory.Sequence(lambda n: f"Сынақ ауданы {n}")
    name_ru = factory.Sequence(lambda n: f"Тестовый район {n}")
    name_en = factory.Sequence(lambda n: f"Test district {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_kk = factory.Sequence(lambda n: f"№{n} әлеуметтік қызмет көрсету орталығы")
    name_ru = factory.Sequence(lambda n: f"Центр оказания социальных услуг №{n}")
    bin = factory.Sequence(lambda n: make_bin(n))
    district = factory.SubFactory(DistrictFactory)
    legal_address = "Астана қ., Мәңгілік Ел д-лы, 8"
    categories = factory.LazyFunction(lambda: ["elderly"])
    licence_number = factory.Sequence(lambda n: f"KZ-SSU-{n:05d}")
    licence_issued_on = dt.date(2025, 3, 1)
    included_on = dt.date(2025, 3, 1)

    class Params:
        # R-ORG-4: shown to the public only with the provider's consent.
        public = factory.Trait(publication_consent=True, consent_given_on=dt.date(2025, 4, 1))


class OrganizationServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationService

    organization = factory.SubFactory(OrganizationFactory)
    condition = ServiceCondition.STATIONARY
    capacity = 50


class LegalRepresentativeFactory(factory.django.DjangoModelFactory):
    """An open representation valid from 2020 with no end date (R-QUE-5, R-SVC-1)."""

    class Meta:
        model = "accounts.LegalRepresentative"

    representative = factory.SubFactory(UserFactory)
    represented = factory.SubFactory(UserFactory)
    kind = "guardian"
    basis = "Решение органа опеки № 15 от 10.01.2020"
    valid_from = dt.date(2020, 1, 1)
    valid_until = None


class PublicOrganizationFactory(OrganizationFactory):
    """An entry the provider consented to publish (R-ORG-4)."""

    public = True


class IntegrationClientFactory(factory.django.DjangoModelFactory):
    """A client of the licensing system; its token is ``token`` (pass ``token=`` to choose)."""

    class Meta:
        model = "organizations.IntegrationClient"
        exclude = ("token",)

    name = factory.Sequence(lambda n: f"licensing-{n}")
    token = factory.Sequence(lambda n: f"test-token-{n}")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    scopes = factory.LazyFunction(lambda: ["licence_events"])
