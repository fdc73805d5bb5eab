"""A worker killed mid-task (issue 10 item 7): ``requeue_stuck_tasks`` puts the task back, it
runs again, and its effects happen once (the deadline sweep and its daily digest)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from qamqor.core.models import DomainEvent
from qamqor.notifications.management.commands.requeue_stuck_tasks import INTERRUPTED
from qamqor.notifications.models import Delivery, Notification
from qamqor.specialists.models import Application, DueFlag
from qamqor.specialists.tasks import sweep_deadlines
from tests.specialists.factories import registry_admin, submitted

pytestmark = pytest.mark.django_db


def _run_worker(monkeypatch: Any) -> None:
    """One pass of django-tasks-db's own worker, in this process (its connection cleanup would
    close the test's transaction, so it is switched off here)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def test_killed_sweep_runs_again_once(monkeypatch: Any) -> None:
    admin = registry_admin()
    app = submitted(at=timezone.now() - dt.timedelta(days=30))
    assert app.due_on < timezone.localdate()
    result = sweep_deadlines.enqueue()
    # The killed worker: it claimed the task 20 minutes ago; the database rolled back its
    # open transaction, so it left no effect, only the RUNNING row.
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=20),
        worker_ids=["killed"],
    )
    _run_worker(monkeypatch)  # a new worker alone does not touch a RUNNING task
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING

    call_command("requeue_stuck_tasks", "--minutes", "30")  # not old enough yet
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    call_command("requeue_stuck_tasks", "--minutes", "15")
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY

    _run_worker(monkeypatch)
    done = DBTaskResult.objects.get(pk=result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL, done.traceback
    assert done.worker_ids == ["killed", "test-worker"]
    assert Application.objects.get(pk=app.pk).due_flag == DueFlag.OVERDUE
    digests = Notification.objects.filter(recipient=admin, kind="specialists.digest")
    assert digests.count() == 1

    # The same task delivered twice (a requeue racing a slow worker): no second effect.
    sweep_deadlines.enqueue()
    _run_worker(monkeypatch)
    assert digests.count() == 1
    assert DomainEvent.objects.filter(verb="specialists.digest").count() == 1


def test_interrupted_send_is_marked_failed_not_resent() -> None:
    admin = registry_admin()
    from qamqor.notifications.services import notify

    n = notify(admin, kind="test", subject="Тест", sms=False, email=True)
    Notification.objects.filter(pk=n.pk).update(
        email_state=Delivery.SENDING, created_at=timezone.now() - dt.timedelta(hours=1)
    )
    call_command("requeue_stuck_tasks", "--dry-run")
    assert Notification.objects.get(pk=n.pk).email_state == Delivery.SENDING
    call_command("requeue_stuck_tasks")
    n.refresh_from_db()
    assert n.email_state == Delivery.FAILED and n.delivery_error == INTERRUPTED
