"""Demo data of the registry of specialists (called once by ``seed_demo``): two registered
specialists (one consenting to publication, one not) and one application waiting in the
administrator's queue. Idempotent: people are matched by IIN and skipped once they applied."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from qamqor.accounts.models import User
from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role
from qamqor.core.identifiers import check_digit
from qamqor.core.models import Region
from qamqor.specialists import services
from qamqor.specialists.models import Application, Profession

DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PEOPLE = [
    # key, surname, name, patronymic, birth, region, profession, category, consent, registered
    (
        "gulnar",
        "Сейтқалиева",
        "Гүлнар",
        "Ержанқызы",
        dt.date(1984, 2, 11),
        "71",
        "social_worker_care",
        "first",
        True,
        True,
    ),
    (
        "dauren",
        "Омаров",
        "Дәурен",
        "Серікұлы",
        dt.date(1990, 9, 3),
        "75",
        "psychologist",
        "second",
        False,
        True,
    ),
    (
        "maria",
        "Ким",
        "Мария",
        "",
        dt.date(1993, 4, 21),
        "79",
        "social_worker_assessment",
        "none",
        True,
        False,
    ),
]


def _iin(birth: dt.date, serial: int) -> str:
    century = {19: 4, 20: 6}[birth.year // 100]
    for s in range(serial, serial + 100):
        prefix = f"{birth:%y%m%d}{century}{s:04d}"
        digit = check_digit(prefix)
        if digit is not None:
            return prefix + str(digit)
    raise ValueError(serial)


def seed_specialists(stdout: Any = None) -> None:
    admin = User.objects.filter(
        role_assignments__role=Role.REGISTRY_ADMIN, role_assignments__revoked_at__isnull=True
    ).first()
    for serial, (
        key,
        surname,
        name,
        patronymic,
        birth,
        kato,
        profession,
        category,
        consent,
        done,
    ) in enumerate(PEOPLE, start=1):
        iin = _iin(birth, 7000 + serial)
        user = User.objects.filter(iin=iin).first()
        if user is None:
            user = User.objects.create_user(
                iin,
                surname=surname,
                given_name=name,
                patronymic=patronymic,
                phone=f"+7705000{serial:04d}",
                email=f"{key}@specialist.demo.qamqor.kz",
                registered_by_code=True,
            )
            grant_role(None, user, Role.APPLICANT_SPECIALIST)
        if Application.objects.filter(applicant=user).exists():
            continue
        application = services.start_application(user)
        services.save_draft(
            user,
            application,
            {
                "birth_date": birth,
                "region": Region.objects.get(kato=kato),
                "locality": Region.objects.get(kato=kato).name_kk,
                "address": "Орталық к-сі, 1",
                "profession": Profession.objects.get(code=profession),
                "experience_years": 4 + serial,
                "experience_months": 0,
                "education": [
                    {
                        "level": "higher",
                        "institution": "Қазақ ұлттық университеті",
                        "start": "2008-09-01",
                        "end": "2012-06-30",
                        "document": f"ЖБ-Б № 00{serial}",
                    }
                ],
                "employment": [
                    {
                        "organization": "Қамқор орталығы",
                        "bin": "940140000385",
                        "position": "әлеуметтік жұмыскер",
                        "start": "2015-01-10",
                        "end": "",
                    }
                ],
                "qualification_category": category,
                "qualification_date": dt.date(2023, 3, 1) if category != "none" else None,
                "attestation_commission": "ЖАО аттестаттау комиссиясы"
                if category != "none"
                else "",
                "publication_consent": consent,
            },
        )
        upload = ContentFile(DEMO_PDF, name="diploma.pdf")
        services.attach_document(user, application, "education", upload)  # type: ignore[arg-type]
        services.submit(user, application, at=timezone.now())
        if done and admin is not None:
            services.register(admin, application)
    if stdout is not None:
        stdout.write("Demo specialists (registry of specialists; log in with a one-time code):")
        for serial, (_key, surname, name, _patronymic, birth, *_rest) in enumerate(PEOPLE, start=1):
            user = User.objects.get(iin=_iin(birth, 7000 + serial))
            stdout.write(f"  {user.iin}  {surname} {name}  {user.phone}")
