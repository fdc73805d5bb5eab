"""Recover background tasks whose worker died (issue 10 item 7; docs/operations.md). It lives
in the notifications app because it also settles the deliveries a dead worker left half-way.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
worker killed with SIGKILL, by the OOM killer or by a lost machine leaves the task RUNNING for
ever. This command puts such tasks back to READY so that a worker runs them again:

    manage.py requeue_stuck_tasks                 # RUNNING for more than 15 minutes
    manage.py requeue_stuck_tasks --minutes 5 --dry-run

Run it from cron every few minutes, and before a worker starts (``ExecStartPre``). The minutes
must be longer than the longest task (our sweeps take seconds): a task still running would
otherwise run twice at once. Running again is safe because every Qamqor task is idempotent
(set-based sweeps that find nothing the second time, a digest marked per day in the same
transaction, notification channels claimed pending → sending); a killed task's open
transaction is rolled back by the database, so it left nothing half-way.

The one effect that cannot be repeated safely is an SMS or e-mail handed to the gateway just
before the worker died: the channel stays "being sent". Sending it again could send it twice,
so such channels older than the same limit are marked failed with the reason; the message is
still in the person's inbox, and an operator sees the failure in the admin.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("qamqor.tasks")
INTERRUPTED = "interrupted: the worker stopped while sending; not sent again (no duplicates)"


def requeue_stuck(older_than: dt.timedelta, *, dry_run: bool = False) -> dict[str, int]:
    """RUNNING tasks started before now − ``older_than`` → READY; notification channels left
    "being sent" as long → failed. Returns the counts."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from qamqor.notifications.models import Delivery, Notification

    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stuck = DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        )
        requeued = 0
        for result in stuck:
            logger.warning(
                "requeue stuck task %s %s (started %s by %s)",
                result.id,
                result.task_path,
                result.started_at,
                ",".join(result.worker_ids),
            )
            requeued += 1
            if not dry_run:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
        failed = 0
        for field in ("sms_state", "email_state"):
            channels = Notification.objects.filter(
                **{field: Delivery.SENDING}, created_at__lt=cutoff
            )
            if dry_run:
                failed += channels.count()
            else:
                failed += channels.update(**{field: Delivery.FAILED}, delivery_error=INTERRUPTED)
    return {"requeued": requeued, "channels_failed": failed}


class Command(BaseCommand):
    help = "Put tasks left RUNNING by a dead worker back in the queue (see docs/operations.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--minutes",
            type=float,
            default=15.0,
            help="RUNNING for longer than this many minutes means the worker died (default 15).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = requeue_stuck(dt.timedelta(minutes=options["minutes"]), dry_run=options["dry_run"])
        verb = "would requeue" if options["dry_run"] else "requeued"
        self.stdout.write(
            f"{verb} {counts['requeued']} stuck task(s); "
            f"{counts['channels_failed']} interrupted notification channel(s) marked failed"
        )
