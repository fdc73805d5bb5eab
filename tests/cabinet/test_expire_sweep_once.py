"""R-POR-4, issue 9: the set-based expiry sweep writes exactly one history row and counts each
measure in exactly one event, chunk by chunk; a rerun adds nothing; a worker that dies in the
middle leaves whole chunks and the rerun expires the rest, each measure once."""

from __future__ import annotations

import datetime as dt

import pytest

from qamqor.cabinet.models import Measure, MeasureStatus
from qamqor.cabinet.services import orders
from qamqor.core.models import DomainEvent
from tests.cabinet.factories import MeasureFactory

pytestmark = pytest.mark.django_db

DAY_AFTER = dt.date(2026, 5, 5)  # the factory's window ends on 4 May


def _expiry_history(measure: Measure) -> list[str]:
    return [h.status for h in measure.history.filter(history_type="~").order_by("history_id")]


def _event_counts() -> list[int]:
    return [
        e.data["count"]
        for e in DomainEvent.objects.filter(verb="cabinet.measures_expired").order_by("pk")
    ]


@pytest.mark.parametrize("chunk", [1, 2, 20_000])
def test_each_measure_expires_once_with_one_history_row(monkeypatch, chunk) -> None:
    monkeypatch.setattr(orders, "EXPIRE_CHUNK", chunk)
    due = [MeasureFactory() for _ in range(3)]
    later = MeasureFactory(choice_until=DAY_AFTER)
    assert orders.expire_measures(DAY_AFTER) == 3
    assert orders.expire_measures(DAY_AFTER) == 0  # the rerun adds nothing
    for m in due:
        m.refresh_from_db()
        assert m.status == MeasureStatus.EXPIRED
        assert _expiry_history(m) == [MeasureStatus.EXPIRED]
        assert m.history.latest().quantity == m.quantity  # the row as it now is, copied
    later.refresh_from_db()
    assert later.status == MeasureStatus.AWAITING_CHOICE
    assert _expiry_history(later) == []
    assert sum(_event_counts()) == 3
    assert len(_event_counts()) == (3 if chunk == 1 else 2 if chunk == 2 else 1)


def test_a_sweep_killed_mid_run_leaves_whole_chunks_and_the_rerun_finishes(monkeypatch) -> None:
    monkeypatch.setattr(orders, "EXPIRE_CHUNK", 1)
    due = [MeasureFactory() for _ in range(3)]
    real = orders.history_rows_from_table
    calls = {"n": 0}

    def dies_on_the_second_chunk(model, pks):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(model, pks)

    monkeypatch.setattr(orders, "history_rows_from_table", dies_on_the_second_chunk)
    with pytest.raises(RuntimeError):
        orders.expire_measures(DAY_AFTER)
    statuses = [Measure.objects.get(pk=m.pk).status for m in due]
    assert statuses == [
        MeasureStatus.EXPIRED,
        MeasureStatus.AWAITING_CHOICE,
        MeasureStatus.AWAITING_CHOICE,
    ]
    assert _event_counts() == [1]

    monkeypatch.setattr(orders, "history_rows_from_table", real)
    assert orders.expire_measures(DAY_AFTER) == 2
    for m in due:
        assert _expiry_history(Measure.objects.get(pk=m.pk)) == [MeasureStatus.EXPIRED]
    assert sum(_event_counts()) == 3


def test_the_history_rows_carry_the_actor() -> None:
    from qamqor.core.history import acting_as
    from tests.factories import UserFactory

    m = MeasureFactory()
    robot = UserFactory()
    with acting_as(robot):
        assert orders.expire_measures(DAY_AFTER) == 1
    assert m.history.filter(history_type="~").get().history_user_id == robot.pk


def test_the_task_and_the_command_run_the_sweep(time_machine) -> None:
    """R-POR-4: the daily task (django-tasks) and the cron command call the same sweep."""
    from io import StringIO

    from django.core.management import call_command

    from qamqor.cabinet import tasks

    time_machine.move_to(dt.datetime(2026, 5, 5, 9, 0, tzinfo=dt.UTC), tick=False)
    MeasureFactory()
    MeasureFactory()
    assert tasks.expire_ipr_choices.call() == 2
    out = StringIO()
    call_command("expire_ipr_choices", stdout=out)
    assert out.getvalue().strip() == "0 measure(s) expired."
