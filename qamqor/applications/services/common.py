"""What the transition services share: the guarded compare-and-set move, its transition row and
domain event (STYLE: workflows), the stored deadlines, and the numbering."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from qamqor.applications.models import Application, Transition
from qamqor.applications.workflow import ensure_transition
from qamqor.core.audit import record_event
from qamqor.core.calendar import Deadline
from qamqor.core.encrypted import EncryptedJSONField, EncryptedTextField
from qamqor.core.errors import ConflictError
from qamqor.core.history import AuditedQuerySet, current_actor
from qamqor.core.terms import deadline_for


def update_rows(queryset: QuerySet[Any], **fields: Any) -> int:
    """A set-based UPDATE of an audited model that keeps the queryset's condition in the UPDATE
    itself, so it is a real compare-and-set (``filter(pk=…, status=old)``: of two concurrent
    writers the second matches nothing), and records one history row per changed row.

    ``core.history.audited_update`` re-filters by primary key only, which loses the condition
    under concurrency (tests/applications/test_concurrency.py); this keeps it."""
    model = queryset.model
    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return 0
    count = int(cast("AuditedQuerySet[Any]", queryset.filter(pk__in=pks))._raw_update(**fields))
    if count:
        changed = list(model._default_manager.filter(pk__in=pks, **_plain(model, fields)))
        model.history.bulk_history_create(  # type: ignore[attr-defined]
            changed, update=True, default_user=current_actor()
        )
    return count


def _plain(model: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """The written values that can be matched back (the rows this call changed). Encrypted
    columns cannot be matched (their ciphertext differs each time; docs/privacy.md)."""
    return {
        k: v
        for k, v in fields.items()
        if isinstance(v, str | int | bool)
        and k != "updated_at"
        and not isinstance(model._meta.get_field(k), EncryptedTextField | EncryptedJSONField)
    }


def new_number(prefix: str = "A") -> str:
    return f"{prefix}-{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex[:8].upper()}"


def term(
    app: Application | None, rule_id: str, start: dt.date, *, key: str = "main", started: dt.date
) -> Deadline:
    """R-X-6: a deadline with the edition in force on the day the case started."""
    return deadline_for(rule_id, start, key=key, case_started_on=started)


def with_deadlines(app: Application, **named: Deadline) -> dict[str, Any]:
    stored = dict(app.deadlines)
    for name, deadline in named.items():
        stored[name] = deadline.as_dict()
    return stored


def move(
    app: Application,
    target: str,
    *,
    actor: Any,
    verb: str,
    reason_codes: list[str] | None = None,
    comment: str = "",
    signed_document: Any = None,
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> Application:
    """Guard the move, write it compare-and-set (a concurrent move makes it 409), append the
    transition row and the event ``applications.<verb>``. Call inside a transaction."""
    ensure_transition(app.status, target)
    old = app.status
    now = timezone.now()
    changed = update_rows(
        Application.objects.filter(pk=app.pk, status=old),
        status=target,
        updated_at=now,
        **fields,
    )
    if changed != 1:
        raise ConflictError(
            "applications.concurrent_change",
            gettext("The application was changed by someone else. Reload it and try again."),
        )
    app.refresh_from_db()
    Transition.objects.create(
        application=app,
        district_id=app.district_id,
        from_status=old,
        to_status=target,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason_codes=reason_codes or [],
        comment=comment,
        signed_document=signed_document,
        due=app.current_due,
    )
    record_event(
        f"applications.{verb}",
        app,
        actor=actor,
        reason_codes=reason_codes or [],
        comment=comment,
        data={"from": old, "to": target, "number": app.number, **(data or {})},
    )
    return app
