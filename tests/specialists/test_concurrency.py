"""Two administrators decide on one application at the same moment (R-SPC-3): exactly one
decision is recorded. PostgreSQL only (real row locks and threads)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from qamqor.core.errors import ConflictError
from qamqor.specialists import services
from qamqor.specialists.models import Decision, RefusalReason, Status
from tests.specialists.factories import registry_admin, submitted

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks with real threads need PostgreSQL"
    ),
]


def test_two_simultaneous_decisions_record_one() -> None:
    application = submitted()
    first, second = registry_admin(), registry_admin()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(decide: Any) -> None:
        from django.db import connections

        try:
            barrier.wait()
            decide()
            outcomes.append("ok")
        except ConflictError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(lambda: services.register(first, application),)),
        threading.Thread(
            target=act,
            args=(
                lambda: services.refuse(
                    second, application, RefusalReason.EMIGRATION, "Шетелге кетті"
                ),
            ),
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # The second waits for the first's row lock, then finds the application decided.
    assert sorted(outcomes) in (
        ["ok", "specialists.illegal_transition"],
        ["ok", "specialists.already_decided"],
    )
    assert Decision.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    assert application.status in (Status.REGISTERED, Status.REFUSED)
