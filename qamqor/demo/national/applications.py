"""Applications of the state service (issue 6 data, issue 9 scale): a million at scale 1.

The rows are written by **set-based SQL** (one ``INSERT … SELECT`` over a recursive series, in
chunks of 200,000; portable to SQLite), not through the ORM: a million audited creates would
take an hour. They therefore have no history rows and no transition rows; the sweep, the
dashboard and the case list read only the application table. Recipients (one per 100
applications, at least one) are real rows with checksum-valid IINs, written by the bulk writer.
Statuses rotate over every stage; due dates of open stages spread over -10…+19 days around
today (about a third overdue); filing dates over the past year; districts rotate over the
reference data. Users: ``MINISTRY_IIN`` (ministry) and ``OFFICER_IIN`` (district officer of the
first district), for the dashboard.
"""

from __future__ import annotations

import random
from typing import Any

CHUNK = 200_000
MINISTRY_IIN = "900101300057"  # checksum-valid synthetic IINs
OFFICER_IIN = "900101300067"
STATUSES = (
    "registered",
    "assessment_assigned",
    "concluded",
    "approved",
    "choice_notified",
    "organization_chosen",
    "refused",
    "refusal_intended",
    "hearing_notified",
    "refused_at_intake",
)
CLOSED = ("organization_chosen", "refused", "refused_at_intake")


def ensure_users() -> None:
    from qamqor.accounts import services
    from qamqor.accounts.models import User
    from qamqor.accounts.roles import Role
    from qamqor.core.models import District

    district = District.objects.order_by("pk").first()
    for iin, role, scope in (
        (MINISTRY_IIN, Role.MINISTRY, {}),
        (OFFICER_IIN, Role.DISTRICT_OFFICER, {"district": district}),
    ):
        user, _created = User.objects.get_or_create(
            iin=iin, defaults={"surname": "Bench", "given_name": role.value}
        )
        if not user.role_assignments.filter(role=role, revoked_at__isnull=True).exists():
            services.grant_role(None, user, role, **scope)


def _recipients(count: int, source: str, seed: int) -> int:
    """The recipients of `source` (created if missing, contiguous keys); returns the first key."""
    from django.utils import timezone

    from qamqor.applications.models import Recipient
    from qamqor.core import crypto
    from qamqor.core.models import District
    from qamqor.demo.national.common import (
        address,
        next_id,
        person_name,
        reset_sequences,
        synthetic_people,
        write_rows,
    )

    first = Recipient.objects.filter(source=source).order_by("pk").values_list("pk", flat=True)
    if first:
        return int(first[0])
    districts = list(
        District.objects.filter(valid_to__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    start = next_id(Recipient)
    now = timezone.now()
    people = synthetic_people("bench_recipient" if source == "bench" else "recipient")
    rng = random.Random(f"{seed}-recipients")  # noqa: S311 (synthetic data)
    columns = (
        "id",
        "created_at",
        "updated_at",
        "iin",
        "surname",
        "given_name",
        "patronymic",
        "birth_date",
        "sex",
        "birthplace",
        "registration_address",
        "residence_address",
        "phone",
        "district_id",
        "identity_document_number",
        "disability_group",
        "ipr_reference",
        "is_pension_age",
        "is_veteran",
        "allowance_kind",
        "legal_representatives",
        "relatives",
        "source",
        "source_hash",
        "imported_at",
    )

    def rows() -> Any:
        for k in range(count):
            iin, birth, female = next(people)
            surname, given, patronymic = person_name(rng, female)
            home = address(rng)
            yield (
                start + k,
                now,
                now,
                iin,
                surname,
                given,
                patronymic,
                birth,
                "female" if female else "male",
                "Астана",
                home,
                home,
                "",
                districts[k % len(districts)],
                crypto.encrypt(f"0{k:08d}"),  # encrypted at rest (docs/privacy.md)
                ("group_1", "group_2", "group_3")[k % 3],
                "",
                birth.year < 1965,
                k % 40 == 0,
                "",
                [],
                [],
                source,
                source,
                now,
            )

    write_rows(Recipient, columns, rows())
    reset_sequences(Recipient)
    return start


def build(
    count: int,
    *,
    prefix: str = "B-",
    source: str = "bench",
    recipients: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Insert the missing applications ``{prefix}1…{prefix}{count}``; returns what was done."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from qamqor.core import crypto
    from qamqor.core.models import District

    # form_data, medical_card and conclusion are encrypted at rest (docs/privacy.md): the empty
    # JSON goes in as one ciphertext (synthetic data: one nonce for every row is harmless).
    empty = crypto.encrypt("{}")
    ensure_users()
    filer = get_user_model().objects.get(iin=OFFICER_IIN)
    district_count = District.objects.count()
    today = timezone.localdate()
    now = timezone.now()
    is_postgres = connection.vendor == "postgresql"
    recipient_count = max(1, recipients if recipients is not None else count // 100)
    first_recipient = _recipients(recipient_count, source, seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM core_district")
        first_district = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM applications_application WHERE number LIKE %s", [prefix + "%"]
        )
        have = cursor.fetchone()[0]
    statuses = " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(STATUSES))
    if is_postgres:
        due = "(%s::date + ((n %% 30) - 10))"
        filed = "(%s::timestamptz - make_interval(days => (n %% 365)::int))"
        registered = "(%s::date - (n %% 365)::int)"
        now_param: Any = now
    else:
        due = "date(%s, ((n %% 30) - 10) || ' days')"
        filed = "datetime(%s, '-' || (n %% 365) || ' days')"
        registered = "date(%s, '-' || (n %% 365) || ' days')"
        now_param = connection.ops.adapt_datetimefield_value(now)
    for start in range(have, count, CHUNK):
        stop = min(count, start + CHUNK)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH RECURSIVE s(n) AS (
                    SELECT CAST(%s AS integer) UNION ALL SELECT n + 1 FROM s WHERE n < %s
                )
                INSERT INTO applications_application (
                    number, recipient_id, district_id, channel, form_kind, stay, status,
                    form_data, attached_documents, medical_card, consent_personal_data,
                    consent_relatives_data, liability_acknowledged, conditions_acknowledged,
                    filed_at, filed_by_id, idempotency_key, registered_on, intake_problems,
                    conclusion, refusal_reasons, hearing_place, result_due, current_due,
                    deadlines, created_at, updated_at)
                SELECT %s || n, %s + (n %% {recipient_count}), %s + (n %% %s),
                    CASE n %% 3 WHEN 0 THEN 'portal' WHEN 1 THEN 'state_corporation'
                         ELSE 'district_office' END,
                    'form_1', 'permanent',
                    CASE n %% {len(STATUSES)} {statuses} END,
                    %s, '[]', %s, %s, %s, %s, %s, {filed}, %s, '', {registered},
                    '[]', %s, '', '', {due}, {due}, '{{}}', %s, %s
                FROM s
                """,  # noqa: S608  # nosec B608 - constants only, values as parameters
                [
                    start + 1,
                    stop,
                    prefix,
                    first_recipient,
                    first_district,
                    district_count,
                    empty,
                    empty,
                    True,
                    True,
                    True,
                    True,
                    now_param,
                    filer.pk,
                    today,
                    empty,
                    today,
                    today,
                    now_param,
                    now_param,
                ],
            )
    with connection.cursor() as cursor:
        # Closed cases have nothing due.
        cursor.execute(
            "UPDATE applications_application SET current_due = NULL "
            "WHERE number LIKE %s AND current_due IS NOT NULL "
            "AND status IN ('organization_chosen', 'refused', 'refused_at_intake')",
            [prefix + "%"],
        )
        if is_postgres:
            cursor.execute("ANALYZE applications_application")
    return {"applications": max(0, count - have), "recipients": recipient_count}
