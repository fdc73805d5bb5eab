"""Benchmark data of the journal (issue 7): 1,000 organizations, 200,000 journal records and
100,000 queue entries, written with set-based SQL (PostgreSQL ``generate_series``), in seconds.

`prepare` is a bench/run.py `prepare` hook (django.setup() done). It builds on the registry's
bench organizations (bench.registry_data), takes the first ``ORGS`` with a condition of
capacity > 0 and gives each journal ``STAYS`` stays (half the capacity occupied, the rest
discharged within the last year, each discharge with its movement so the wait estimate has a
turnover) and ``QUEUE`` waiting queue entries (every 50th out of turn). One queue entry in the
middle of one queue belongs to the benchmark recipient (``RECIPIENT_IIN``) for "my position".
Idempotent: journals that already have stays are skipped. Bench rows get no history rows.

Smaller counts: ``JOURNAL_BENCH_ORGS=100 JOURNAL_BENCH_STAYS=200 JOURNAL_BENCH_QUEUE=100``.
"""

from __future__ import annotations

import os

ORGS = int(os.environ.get("JOURNAL_BENCH_ORGS", "1000"))
STAYS = int(os.environ.get("JOURNAL_BENCH_STAYS", "200"))  # per journal → 200,000
QUEUE = int(os.environ.get("JOURNAL_BENCH_QUEUE", "100"))  # per journal → 100,000
RECIPIENT_IIN = "900101300017"  # KZ-NOTES synthetic valid IIN


def prepare() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from bench import registry_data
    from qamqor.accounts.models import SignedDocument, User
    from qamqor.journal.models import Journal
    from qamqor.organizations.models import OrganizationService

    if connection.vendor != "postgresql":
        raise RuntimeError("the journal bench data needs PostgreSQL (generate_series)")
    registry_data.prepare()
    services = list(
        OrganizationService.objects.filter(
            organization__licence_number__startswith=registry_data.PREFIX, capacity__gt=0
        )
        .order_by("organization_id", "condition")
        .distinct("organization_id")
        .values_list("organization_id", "condition")[:ORGS]
    )
    user, _ = User.objects.get_or_create(
        iin=RECIPIENT_IIN, defaults={"surname": "Бенчмарк", "given_name": "Айгүл"}
    )
    doc = SignedDocument.objects.filter(kind="bench.queue_application").first()
    if doc is None:
        doc = SignedDocument.objects.create(
            kind="bench.queue_application",
            content=b"{}",
            content_sha256="0" * 64,
            cms=b"bench",
            signer_iin=RECIPIENT_IIN,
            certificate=b"bench",
            certificate_serial="00",
            certificate_issuer="bench",
            signature_algorithm="bench",
            signed_at=timezone.now(),
            verifier="bench",
            signed_by=user,
        )
    today = timezone.localdate()
    with transaction.atomic(), connection.cursor() as cur:
        for org_id, condition in services:
            Journal.objects.get_or_create(
                organization_id=org_id, condition=condition, defaults={"started_on": today}
            )
        journal_ids = list(
            Journal.objects.filter(
                organization_id__in=[o for o, _ in services],
                stays__isnull=True,
            ).values_list("pk", flat=True)
        )
        if not journal_ids:
            print("journal bench data: already there")
            return
        cur.execute(
            """
            INSERT INTO journal_stay (created_at, updated_at, sex, home_address, phone, referral,
                person_iin, full_name, birth_date, journal_id, status, admitted_on,
                admission_order, returned)
            SELECT now(), now(), '', '', '', '',
                lpad((j.id * 1000 + g)::text, 12, '0'), 'Қызмет алушы ' || g,
                DATE '1950-01-01' + g, j.id,
                CASE WHEN g <= greatest(s.capacity / 2, 1) THEN 'in_care' ELSE 'discharged' END,
                %s::date - (400 + g %% 300), g || '-Ө', false
            FROM journal_journal j
            JOIN organizations_organizationservice s
              ON s.organization_id = j.organization_id AND s.condition = j.condition
            CROSS JOIN generate_series(1, %s) g
            WHERE j.id = ANY(%s)
            """,
            [today, STAYS, journal_ids],
        )
        cur.execute(
            """
            INSERT INTO journal_movement (stay_id, kind, "on", order_number, order_date, reason,
                destination, recorded_at)
            SELECT st.id, 'admission', st.admitted_on, st.admission_order, st.admitted_on, '', '',
                now()
            FROM journal_stay st WHERE st.journal_id = ANY(%s)
            UNION ALL
            SELECT st.id, 'discharge', %s::date - (st.id %% 360)::int, 'D-' || st.id,
                %s::date - (st.id %% 360)::int, 'өз еркімен', '', now()
            FROM journal_stay st WHERE st.journal_id = ANY(%s) AND st.status = 'discharged'
            """,
            [journal_ids, today, today, journal_ids],
        )
        cur.execute(
            """
            INSERT INTO journal_queueentry (created_at, updated_at, sex, home_address, phone,
                referral, person_iin, full_name, journal_id, priority, out_of_turn_basis,
                registered_at, status, application_id, postponed, postponement_reason,
                closed_reason)
            SELECT now(), now(), '', '', '', '',
                lpad((j.id * 1000 + 500 + g)::text, 12, '0'), 'Кезектегі ' || g,
                j.id, CASE WHEN g %% 50 = 0 THEN 0 ELSE 1 END,
                CASE WHEN g %% 50 = 0 THEN 'анықтама' ELSE '' END,
                now() - make_interval(hours => (%s - g) * 5), 'waiting', %s, false, '', ''
            FROM journal_journal j CROSS JOIN generate_series(1, %s) g
            WHERE j.id = ANY(%s)
            """,
            [QUEUE, doc.pk, QUEUE, journal_ids],
        )
        middle = journal_ids[len(journal_ids) // 2]
        cur.execute(
            """
            UPDATE journal_queueentry SET user_id = %s, person_iin = %s
            WHERE id = (SELECT id FROM journal_queueentry WHERE journal_id = %s
                        ORDER BY priority, registered_at, id OFFSET %s LIMIT 1)
            """,
            [user.pk, RECIPIENT_IIN, middle, QUEUE // 2],
        )
    with connection.cursor() as cur:
        # Fresh statistics, or the planner scans 350,000 movements per "my position" request.
        cur.execute("ANALYZE journal_stay; ANALYZE journal_movement; ANALYZE journal_queueentry")
    cur_counts = Journal.objects.filter(pk__in=journal_ids).count()
    print(
        f"journal bench data: {cur_counts} journals, {cur_counts * STAYS} stays, "
        f"{cur_counts * QUEUE} queue entries"
    )
