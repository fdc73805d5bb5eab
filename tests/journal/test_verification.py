"""The tamper-evident queue history and its verification (issue 7 item 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from qamqor.journal import chain, services
from qamqor.journal.models import QueueEntry, QueueEvent
from qamqor.journal.verification import verify_journal
from tests.journal.factories import admit, file, new_person, order, postpone

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 2)


@pytest.fixture
def history(meyirim, elena_staff):
    stays = [admit(elena_staff, meyirim, new_person()) for _ in range(2)]
    a = file(meyirim, new_person())
    b = file(meyirim, new_person())
    services.discharge(elena_staff, stays[0], on=D, reason="x", **order())
    offered = services.offer_place(elena_staff, a.journal, arrive_by=dt.date(2026, 3, 10))
    postpone(offered, dt.date(2026, 3, 20))
    return a, b


def test_intact_history_verifies(history, capsys):
    """R-QUE-1…6: an honest history passes the replay."""
    a, _ = history
    report = verify_journal(a.journal)
    assert report.ok and report.events == 4
    call_command("verify_queue", a.journal.organization.bin)
    assert "OK" in capsys.readouterr().out


def test_changed_event_breaks_the_chain(history):
    """Tamper-evident: editing a recorded event is detected."""
    a, _ = history
    QueueEvent.objects.filter(journal=a.journal, seq=2).update(data={"iin": "000000000000"})
    report = verify_journal(a.journal)
    assert [p.rule for p in report.problems][:1] == ["chain"]
    with pytest.raises(CommandError):
        call_command("verify_queue", str(a.journal.organization_id))


def test_deleted_event_is_detected(history):
    a, _ = history
    QueueEvent.objects.filter(journal=a.journal, seq=2)._raw_delete(QueueEvent.objects.db)
    assert any(p.rule == "chain" for p in verify_journal(a.journal).problems)


def test_offer_out_of_order_is_reported(history, elena_staff):
    """R-QUE-1: an offer that skipped the head of the queue is reported by the replay."""
    a, _b = history
    c = file(a.journal.organization, new_person())
    # A dishonest write bypassing offer_place: the place goes to c although b is ahead.
    QueueEntry.objects.filter(pk=c.pk)._raw_update(status="offered", offered_on=D, arrive_by=D)
    chain.append_event(
        a.journal,
        c,
        "offered",
        {"offered_on": D.isoformat(), "arrive_by": D.isoformat(), "vacancies_before": 1},
    )
    problems = verify_journal(a.journal).problems
    assert [p.rule for p in problems] == ["R-QUE-1"]
    assert problems[0].seq == 6


def test_registration_time_changed_is_reported(history):
    """R-QUE-3 / R-QUE-1: moving someone's registration time forward is detected."""
    _, b = history
    QueueEntry.objects.filter(pk=b.pk)._raw_update(
        registered_at=b.registered_at - dt.timedelta(days=30)
    )
    assert [p.rule for p in verify_journal(b.journal).problems] == ["R-QUE-3"]
