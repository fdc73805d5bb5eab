"""Factories of the registry of specialists (R-SPC). Applications are built through the services
where the rules matter (submit, decisions), so tests exercise the real path."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qamqor.accounts import services as account_services
from qamqor.accounts.roles import Role
from qamqor.core.models import Region
from qamqor.specialists import services
from qamqor.specialists.models import Application, Profession
from tests.factories import UserFactory, make_bin

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "diploma.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def applicant(**kwargs: Any) -> Any:
    user = UserFactory(**kwargs)
    account_services.grant_role(None, user, Role.APPLICANT_SPECIALIST)
    return user


def registry_admin(**kwargs: Any) -> Any:
    user = UserFactory(**kwargs)
    account_services.grant_role(None, user, Role.REGISTRY_ADMIN)
    return user


def complete_values(**overrides: Any) -> dict[str, Any]:
    """Every field R-SPC-2 requires, as a form step would save them."""
    values: dict[str, Any] = {
        "birth_date": dt.date(1988, 5, 17),
        "phone": "+77012345678",
        "email": "aigerim@example.kz",
        "region": Region.objects.get(kato="71"),
        "locality": "Астана",
        "address": "Сарыарқа ауданы, Бейбітшілік к-сі, 10, 5-пәтер",
        "profession": Profession.objects.get(code="social_worker_care"),
        "experience_years": 6,
        "experience_months": 3,
        "education": [
            {
                "level": "higher",
                "institution": "Л.Н. Гумилев атындағы Еуразия ұлттық университеті",
                "start": "2005-09-01",
                "end": "2009-06-30",
                "document": "ЖБ-Б № 0123456",
            }
        ],
        "employment": [
            {
                "organization": "Қамқор орталығы ЖШС",
                "bin": make_bin(7),
                "position": "әлеуметтік жұмыскер",
                "start": "2019-02-01",
                "end": "",
            }
        ],
        "qualification_category": "first",
        "qualification_date": dt.date(2023, 4, 10),
        "attestation_commission": (
            "Астана қаласының Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы"
        ),
        "publication_consent": True,
    }
    values.update(overrides)
    return values


def complete_draft(user: Any = None, **overrides: Any) -> Application:
    user = user or applicant()
    application = services.start_application(user)
    services.save_draft(user, application, complete_values(**overrides))
    services.attach_document(user, application, "education", pdf_upload())
    application.refresh_from_db()
    return application


def submitted(user: Any = None, *, at: dt.datetime | None = None, **overrides: Any) -> Application:
    application = complete_draft(user, **overrides)
    services.submit(application.applicant, application, at=at)
    application.refresh_from_db()
    return application


def registered(user: Any = None, *, admin: Any = None, **overrides: Any) -> Application:
    application = submitted(user, **overrides)
    services.register(admin or registry_admin(), application)
    application.refresh_from_db()
    return application
