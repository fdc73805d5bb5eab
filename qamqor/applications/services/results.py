"""Uncollected results (R-SVC-13): a result waiting at the State Corporation is kept one month,
then goes back to the local executive body; on a later request it is sent back within 1 working
day. Each step is stored with its due date and explanation and recorded as an event."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qamqor.accounts.models import User
from qamqor.accounts.permissions import require
from qamqor.applications.models import Application, Channel
from qamqor.applications.services.common import term, update_rows
from qamqor.core.audit import record_event
from qamqor.core.errors import ConflictError


def _started(app: Application) -> dt.date:
    return app.registered_on or timezone.localdate()


def store_at_state_corporation(app: Application, on: dt.date) -> None:
    """Called by the decision services inside their transaction: the result waits one month."""
    storage = term(app, "R-SVC-13", on, key="storage", started=_started(app))
    deadlines = {**app.deadlines, "storage": storage.as_dict()}
    update_rows(
        Application.objects.filter(pk=app.pk),
        result_at_state_corporation_on=on,
        result_storage_due=storage.due,
        deadlines=deadlines,
    )
    app.refresh_from_db()


def _guard(app: Application, ok: bool) -> None:
    if not ok:
        raise ConflictError(
            "applications.result_state",
            _("The result is not where this step expects it. Reload the case."),
        )


@transaction.atomic(durable=True)
def record_collected(app: Application, *, actor: User) -> Application:
    """The recipient collected the result at the State Corporation."""
    require(actor, "applications.handle_result", app)
    _guard(
        app,
        app.channel == Channel.STATE_CORPORATION
        and app.result_at_state_corporation_on is not None
        and app.result_collected_on is None
        and app.result_returned_on is None,
    )
    today = timezone.localdate()
    update_rows(Application.objects.filter(pk=app.pk), result_collected_on=today)
    record_event("applications.result_collected", app, actor=actor, data={"on": today.isoformat()})
    app.refresh_from_db()
    return app


def return_uncollected(*, today: dt.date | None = None) -> int:
    """R-SVC-13: set-based: every result kept at the State Corporation past its month goes back
    to the local executive body. Idempotent; returns how many went back."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due_ids = list(
            Application.objects.filter(
                result_storage_due__lt=today,
                result_collected_on__isnull=True,
                result_returned_on__isnull=True,
            ).values_list("pk", flat=True)
        )
        if not due_ids:
            return 0
        count = update_rows(
            Application.objects.filter(pk__in=due_ids, result_returned_on__isnull=True),
            result_returned_on=today,
        )
        for pk in due_ids:
            record_event(
                "applications.result_returned",
                ("applications.application", pk),
                data={"on": today.isoformat()},
            )
        return count


@transaction.atomic(durable=True)
def request_result_again(app: Application, *, actor: User) -> Application:
    """R-SVC-13: a later request for a returned result: the local executive body sends it back
    to the State Corporation within 1 working day."""
    require(actor, "applications.handle_result", app)
    _guard(app, app.result_returned_on is not None and app.result_requested_on is None)
    today = timezone.localdate()
    due = term(app, "R-SVC-13", today, key="return", started=_started(app))
    update_rows(
        Application.objects.filter(pk=app.pk),
        result_requested_on=today,
        deadlines={**app.deadlines, "return": due.as_dict()},
    )
    record_event(
        "applications.result_requested", app, actor=actor, data={"due": due.due.isoformat()}
    )
    app.refresh_from_db()
    return app


@transaction.atomic(durable=True)
def record_result_resent(app: Application, *, actor: User) -> Application:
    """R-SVC-13: the local executive body sent the result back to the State Corporation."""
    require(actor, "applications.manage_case", app)
    _guard(app, app.result_requested_on is not None and app.result_resent_on is None)
    today = timezone.localdate()
    update_rows(Application.objects.filter(pk=app.pk), result_resent_on=today)
    due = app.deadline("return")
    record_event(
        "applications.result_resent",
        app,
        actor=actor,
        data={"on": today.isoformat(), "late": bool(due and today > due.due)},
    )
    app.refresh_from_db()
    return app
