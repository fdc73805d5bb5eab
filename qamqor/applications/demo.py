"""Demo data of the state service: the demo recipient's file, as the state systems would send it
(R-SVC-2), in the district of the demo district officer, so she can apply on the portal.
Idempotent: the import leaves an unchanged record alone."""

from __future__ import annotations

from typing import Any

from qamqor.accounts.models import RoleAssignment
from qamqor.accounts.roles import Role
from qamqor.applications.services.recipients import RecipientRow, import_recipients


def seed_applications(people: list[tuple[Any, Any]]) -> None:
    recipients = [user for spec, user in people if spec.role == Role.RECIPIENT]
    officer = (
        RoleAssignment.objects.filter(role=Role.DISTRICT_OFFICER, revoked_at__isnull=True)
        .select_related("district")
        .order_by("pk")
        .first()
    )
    if officer is None or officer.district is None:
        return
    rows = [
        RecipientRow(
            {
                "iin": user.iin,
                "surname": user.surname,
                "given_name": user.given_name,
                "patronymic": user.patronymic,
                "birth_date": _birth(user.iin),
                "sex": "female" if int(user.iin[6]) % 2 == 0 else "male",
                "birthplace": "Қарағанды облысы",
                "registration_address": "Астана қ., Абай д-лы, 10, 5 пәтер",
                "residence_address": "Астана қ., Абай д-лы, 10, 5 пәтер",
                "phone": str(user.phone or ""),
                "district": officer.district.slug,
                "identity_document_number": "045678912",
                "identity_document_issued_on": "2018-03-01",
                "disability_group": "group_2",
                "is_pension_age": True,
            }
        )
        for user in recipients
    ]
    result = import_recipients(rows, source="demo")
    if not result.ok:
        raise RuntimeError(f"demo recipients refused: {result.errors}")


def _birth(iin: str) -> str:
    from qamqor.core.identifiers import parse_iin

    return parse_iin(iin).birth_date.isoformat()
