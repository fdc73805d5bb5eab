"""R-SVC-12, issue 9: the set-based overdue sweep writes one mark per case, stage and due date
and one notice per officer per run; a rerun adds nothing; a worker killed mid-run leaves neither
marks nor notices, and the rerun does the work exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from qamqor.applications.models import OverdueMark
from qamqor.applications.services import cases, monitoring
from qamqor.notifications.models import Notification
from tests.applications.conftest import at, file_on
from tests.applications.factories import RecipientFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 4, 17)


def _overdue_notices() -> list[tuple[int, str]]:
    """(recipient, subject): the subject carries the count ("Overdue cases: 3")."""
    return sorted(
        Notification.objects.filter(kind="applications.overdue").values_list(
            "recipient_id", "subject"
        )
    )


@pytest.fixture
def backlog(askar_officer, saule_worker, district):
    """Three cases overdue on 17 April: two assessments (the officer took them) and one
    registered case."""
    apps = []
    for _ in range(2):
        a = file_on(at(2025, 3, 17), askar_officer, RecipientFactory(district=district))
        with time_machine.travel(at(2025, 3, 17), tick=False):
            cases.assign_assessment(a, saule_worker, actor=askar_officer)
        apps.append(a)
    apps.append(file_on(at(2025, 3, 19), askar_officer, RecipientFactory(district=district)))
    return apps


def test_one_mark_per_case_and_one_notice_per_officer_rerun_adds_nothing(backlog) -> None:
    Notification.objects.filter(kind="applications.overdue").delete()
    first = monitoring.sweep_overdue(today=DAY)
    assert first["marked"] == 3
    marks = list(OverdueMark.objects.order_by("application_id"))
    assert [m.application_id for m in marks] == sorted(a.pk for a in backlog)
    assert all(m.notified for m in marks)
    notices = _overdue_notices()
    assert len(notices) == first["officers_notified"]
    assert len({user for user, _ in notices}) == len(notices)  # one notice per officer
    assert all(subject[-1].isdigit() for _, subject in notices)

    assert monitoring.sweep_overdue(today=DAY) == {"marked": 0, "officers_notified": 0}
    assert OverdueMark.objects.count() == 3
    assert _overdue_notices() == notices


def test_a_worker_killed_mid_run_leaves_nothing_and_the_rerun_works_once(
    backlog, monkeypatch
) -> None:
    Notification.objects.filter(kind="applications.overdue").delete()

    def killed(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(monitoring.notices, "send", killed)
    with pytest.raises(RuntimeError):
        monitoring.sweep_overdue(today=DAY)
    assert OverdueMark.objects.count() == 0
    assert _overdue_notices() == []

    monkeypatch.undo()
    assert monitoring.sweep_overdue(today=DAY)["marked"] == 3
    assert monitoring.sweep_overdue(today=DAY)["marked"] == 0
    assert OverdueMark.objects.count() == 3
    assert len(_overdue_notices()) == len({u for u, _ in _overdue_notices()})


def test_a_mark_left_unnotified_by_an_older_sweep_is_notified_once(backlog) -> None:
    Notification.objects.filter(kind="applications.overdue").delete()
    monitoring.sweep_overdue(today=DAY)
    OverdueMark.objects.filter(application_id=backlog[0].pk).update(notified=False)
    Notification.objects.filter(kind="applications.overdue").delete()
    result = monitoring.sweep_overdue(today=DAY)
    assert result["marked"] == 0 and result["officers_notified"] >= 1
    assert len(_overdue_notices()) == result["officers_notified"]
    assert not OverdueMark.objects.filter(notified=False).exists()
    assert monitoring.sweep_overdue(today=DAY)["officers_notified"] == 0
