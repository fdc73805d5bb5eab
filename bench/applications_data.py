"""Benchmark data of the state service (issue 6): 1,000,000 applications, the national scale.

    .venv/bin/python bench/applications_data.py [--count N] [--database-url URL]

also the bench/run.py ``prepare`` hook ``bench.applications_data:prepare`` (count from the
environment variable QAMQOR_BENCH_APPLICATIONS, default 1,000,000). Idempotent: only the
missing rows (numbers ``B-…``) are inserted.

The rows are written by **set-based SQL** (one ``INSERT … SELECT`` over a recursive series, in
chunks of 200,000), not through the ORM: a million audited creates would take an hour. They
therefore have no history rows and no transition rows; the sweep, the dashboard and the case
list read only the application table, so what is measured is unchanged. 10,000 recipients share
them (their IINs are bench placeholders, not checksum-valid); statuses and due dates rotate so
that about a fifth of the open cases is overdue, and districts rotate over the reference data.
Bench users: ``BENCH_MINISTRY_IIN`` (ministry) and ``BENCH_OFFICER_IIN`` (district officer of the
first district), for the dashboard endpoints.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

RECIPIENTS = 10_000
CHUNK = 200_000
BENCH_MINISTRY_IIN = "900101300011"
BENCH_OFFICER_IIN = "900101300022"
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


def _users() -> None:
    from qamqor.accounts import services
    from qamqor.accounts.models import User
    from qamqor.accounts.roles import Role
    from qamqor.core.models import District

    district = District.objects.order_by("pk").first()
    for iin, role, scope in (
        (BENCH_MINISTRY_IIN, Role.MINISTRY, {}),
        (BENCH_OFFICER_IIN, Role.DISTRICT_OFFICER, {"district": district}),
    ):
        user, _created = User.objects.get_or_create(
            iin=iin, defaults={"surname": "Bench", "given_name": role.value}
        )
        if not user.role_assignments.filter(role=role, revoked_at__isnull=True).exists():
            services.grant_role(None, user, role, **scope)


def _recipients(cursor, now, is_postgres: bool) -> None:  # type: ignore[no-untyped-def]
    iin = (
        "'8' || lpad(n::text, 11, '0')" if is_postgres else "'8' || substr('00000000000' || n, -11)"
    )
    cursor.execute(
        f"""
        WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %s)
        INSERT INTO applications_recipient (
            iin, surname, given_name, patronymic, birth_date, sex, birthplace,
            registration_address, residence_address, phone, district_id,
            identity_document_number, disability_group, ipr_reference, is_pension_age,
            is_veteran, allowance_kind, legal_representatives, relatives, source, source_hash,
            imported_at, created_at, updated_at)
        SELECT {iin}, 'Bench', 'Recipient ' || n, '',
            %s, 'female', '', 'Bench address', 'Bench address', '',
            (SELECT min(id) FROM core_district), '', 'group_2', '', %s, %s, '', '[]', '[]',
            'bench', 'bench', %s, %s, %s
        FROM s
        WHERE NOT EXISTS (SELECT 1 FROM applications_recipient r
                          WHERE r.iin = {iin})
        """,  # noqa: S608 (constants only)
        [RECIPIENTS, "1950-01-01", True, False, now, now, now],
    )


def build(count: int) -> dict[str, float]:
    """Insert the missing bench applications; returns timings in seconds."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from qamqor.core import crypto
    from qamqor.core.models import District

    started = time.perf_counter()
    # form_data, medical_card and conclusion are encrypted at rest (docs/privacy.md): the bench's
    # empty JSON goes in as one ciphertext (synthetic data: one nonce for all rows is harmless).
    empty = crypto.encrypt("{}")
    _users()
    filer = get_user_model().objects.get(iin=BENCH_OFFICER_IIN)
    districts = District.objects.count()
    today = timezone.localdate()
    now = timezone.now()
    with connection.cursor() as cursor:
        _recipients(cursor, now, connection.vendor == "postgresql")
        cursor.execute("SELECT min(id) FROM applications_recipient WHERE source = 'bench'")
        first_recipient = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM core_district")
        first_district = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM applications_application WHERE number LIKE 'B-%%'")
        have = cursor.fetchone()[0]
    statuses = " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(STATUSES))
    is_postgres = connection.vendor == "postgresql"
    # The due date of the open stage: -10 … +19 days around today (one third overdue-ish).
    due = (
        "(%s::date + ((n %% 30) - 10))" if is_postgres else "date(%s, ((n %% 30) - 10) || ' days')"
    )
    for start in range(have, count, CHUNK):
        stop = min(count, start + CHUNK)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH RECURSIVE s(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM s WHERE n < %s)
                INSERT INTO applications_application (
                    number, recipient_id, district_id, channel, form_kind, stay, status,
                    form_data, attached_documents, medical_card, consent_personal_data,
                    consent_relatives_data, liability_acknowledged, conditions_acknowledged,
                    filed_at, filed_by_id, idempotency_key, registered_on, intake_problems,
                    conclusion, refusal_reasons, hearing_place, result_due, current_due,
                    deadlines, created_at, updated_at)
                SELECT 'B-' || n, %s + (n %% {RECIPIENTS}), %s + (n %% %s),
                    CASE n %% 3 WHEN 0 THEN 'portal' WHEN 1 THEN 'state_corporation'
                         ELSE 'district_office' END,
                    'form_1', 'permanent',
                    CASE n %% {len(STATUSES)} {statuses} END,
                    %s, '[]', %s, %s, %s, %s, %s, %s, %s, '', %s, '[]', %s, '', '',
                    {due}, {due}, '{{}}', %s, %s
                FROM s
                """,  # noqa: S608 (constants only; values as parameters)
                [
                    start + 1,
                    stop,
                    first_recipient,
                    first_district,
                    districts,
                    empty,
                    empty,
                    True,
                    True,
                    True,
                    True,
                    now,
                    filer.pk,
                    today,
                    empty,
                    today,
                    today,
                    now,
                    now,
                ],
            )
    with connection.cursor() as cursor:
        # Closed cases have nothing due.
        cursor.execute(
            "UPDATE applications_application SET current_due = NULL "
            "WHERE number LIKE 'B-%%' AND current_due IS NOT NULL "
            "AND status IN ('organization_chosen', 'refused', 'refused_at_intake')"
        )
        if is_postgres:
            cursor.execute("ANALYZE applications_application")
    return {"seconds": time.perf_counter() - started, "inserted": max(0, count - have)}


def prepare() -> None:
    """bench/run.py hook."""
    count = int(os.environ.get("QAMQOR_BENCH_APPLICATIONS", "1000000"))
    result = build(count)
    print(f"applications bench data: {count} applications ({result})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/qamqor_bench")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DATABASE_URL", args.database_url)
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "Dmio7KwA0sT6eXoXpUN4qEdwowgVXDqTNiIS4u08h04=")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qamqor.settings")
    import django

    django.setup()
    print(build(args.count))


if __name__ == "__main__":
    main()
