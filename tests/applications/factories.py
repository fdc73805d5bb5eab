"""Factories of the state service tests (base factories in tests/factories.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from qamqor.applications.models import Recipient
from tests.factories import DistrictFactory, make_iin


class RecipientFactory(factory.django.DjangoModelFactory):
    """A recipient file as the state systems sent it (R-SVC-2)."""

    class Meta:
        model = Recipient
        django_get_or_create = ("iin",)

    iin = factory.Sequence(lambda n: make_iin(n + 300, birth=dt.date(1948, 5, 9), female=True))
    surname = "Сейтқалиева"
    given_name = "Бибігүл"
    patronymic = "Асқарқызы"
    birth_date = dt.date(1948, 5, 9)
    sex = "female"
    birthplace = "Қарағанды облысы"
    registration_address = "Астана қ., Абай д-лы, 10, 5 пәтер"
    residence_address = "Астана қ., Абай д-лы, 10, 5 пәтер"
    phone = "+77012345678"
    district = factory.SubFactory(DistrictFactory)
    identity_document_number = "045678912"
    identity_document_issued_on = dt.date(2018, 3, 1)
    disability_group = "group_2"
    is_pension_age = True
    source_hash = factory.Sequence(lambda n: f"{n:064d}")
    imported_at = factory.LazyFunction(timezone.now)


def full_medical_card(**override: Any) -> dict[str, Any]:
    """A complete medical card of form 5 (R-SVC-16)."""
    card: dict[str, Any] = {
        "medical_organization": "№4 қалалық емхана",
        "anamnesis": "Гипертония, 2-дәрежелі.",
        "epidemiological_conclusion": "Жұқпалы аурулармен байланыс жоқ",
        "examinations": {
            key: {"date": "2024-12-10", "result": "қарсы көрсетілім жоқ"}
            for key in (
                "neuropathologist",
                "psychiatrist",
                "dermatovenerologist",
                "phthisiatrist",
                "therapist",
            )
        },
        "tests": {
            key: {"date": "2024-12-05", "result": "қалыпты"}
            for key in (
                "blood_count",
                "hiv",
                "syphilis",
                "urine",
                "helminth_eggs",
                "e_coli",
                "meningococcus",
            )
        },
        "commission": {"conclusion": "Қарсы көрсетілім жоқ", "date": "2024-12-12"},
    }
    card.update(override)
    return card
