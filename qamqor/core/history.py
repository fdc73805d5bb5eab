"""History and audit primitives (R-X-5: nothing is hard-deleted, changes are history).

* ``AuditedModel``: the abstract base of every domain model. Its full change history is kept by
  django-simple-history (``history`` manager, one ``Historical…`` table per model) with the actor
  and time of each change. The library works through model signals, so it would silently miss
  ``QuerySet.update()``, ``bulk_create``/``bulk_update`` and deletes: the audited queryset refuses
  those, and ``audited_update`` is the one sanctioned set-based write, which records a history row
  for every row it changed.
* The actor of a change comes from the request (``HistoryActorMiddleware``) or, in services, tasks
  and commands, from ``acting_as(user)``.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qamqor.core.errors import DomainError
from qamqor.core.pagecache import rows_changed

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("qamqor_history_actor", default=None)

M = TypeVar("M", bound=models.Model)


class HistoryBypassError(DomainError):
    """A write that would escape the change history (bulk update, bulk insert, delete)."""


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute every history row written inside the block to ``user``."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Any:
    user = _actor.get()
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def _history_user(instance: Any = None, request: Any = None, **kwargs: Any) -> Any:
    explicit = getattr(instance, "_history_user", None) if instance is not None else None
    return explicit or current_actor()


class HistoryActorMiddleware:
    """Makes the logged-in user the actor of history rows written while serving a request."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        with acting_as(user if user is not None and user.is_authenticated else None):
            return self.get_response(request)


class AuditedQuerySet(models.QuerySet[M]):
    """Refuses the writes that would not leave a history row."""

    def update(self, **kwargs: Any) -> int:
        raise HistoryBypassError(
            "history.bypass_update",
            _("Bulk updates of audited records must go through audited_update()."),
        )

    def delete(self) -> tuple[int, dict[str, int]]:
        raise HistoryBypassError(
            "history.no_delete",
            _("Records are never deleted; change their status instead."),
        )

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise HistoryBypassError(
            "history.bypass_update",
            _("Bulk updates of audited records must go through audited_update()."),
        )

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[M]:
        raise HistoryBypassError(
            "history.bypass_create",
            _("Bulk inserts of audited records must go through audited_bulk_create()."),
        )

    def _raw_update(self, **kwargs: Any) -> int:
        return super().update(**kwargs)


class AuditedManager(models.Manager[M]):
    def get_queryset(self) -> AuditedQuerySet[M]:
        return AuditedQuerySet(self.model, using=self._db)


class AuditedModel(models.Model):
    """Base of every domain model: history of every change, never deleted."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(inherit=True, get_user=_history_user)
    objects = AuditedManager()

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise HistoryBypassError(
            "history.no_delete",
            _("Records are never deleted; change their status instead."),
        )


def audited_update(queryset: AuditedQuerySet[M], **fields: Any) -> int:
    """Set-based UPDATE that still records one history row per changed row.

    Use it for compare-and-set writes: ``audited_update(Case.objects.filter(pk=pk,
    status=old), status=new)`` returns the rowcount, which the caller checks.
    """
    model = queryset.model
    with transaction.atomic():
        # Lock the matching rows first: a concurrent writer of the same rows waits here and,
        # once it may go on, PostgreSQL re-checks the condition on the rows as they now are, so
        # of two compare-and-set writes only one matches. Reading the keys without the lock and
        # then updating by key alone would let both "succeed". (SQLite serialises writers.)
        pks = list(queryset.select_for_update(of=("self",)).values_list("pk", flat=True))
        if not pks:
            return 0
        count = model._default_manager.filter(pk__in=pks)._raw_update(**fields)  # type: ignore[attr-defined]
        changed = list(model._default_manager.filter(pk__in=pks))
        if changed:
            model.history.bulk_history_create(  # type: ignore[attr-defined]
                changed, update=True, default_user=current_actor()
            )
            rows_changed.send(sender=model)
    return int(count)


def audited_bulk_create(model: type[M], objs: list[M], batch_size: int | None = None) -> list[M]:
    """Bulk insert that records a creation history row for each object.

    Needs a database that returns primary keys from bulk inserts (PostgreSQL, SQLite ≥ 3.35).
    """
    created = models.QuerySet.bulk_create(model._default_manager.all(), objs, batch_size=batch_size)
    model.history.bulk_history_create(  # type: ignore[attr-defined]
        created, batch_size=batch_size, default_user=current_actor()
    )
    if created:
        rows_changed.send(sender=model)
    return created


def history_rows_from_table(model: type[M], pks: list[Any], *, batch_size: int = 5000) -> int:
    """Set-based history for rows a sweep changed by raw SQL (issue 9): one ``INSERT … SELECT``
    per batch of keys copies the rows as they now are into the model's history table, as change
    (``~``) rows with the current actor and time — the same rows ``audited_update`` writes,
    without loading a model object per row. Call it in the transaction that changed the rows;
    returns how many history rows were written."""
    if not pks:
        return 0
    from django.db import connection

    history = model.history.model  # type: ignore[attr-defined]
    source = {f.column for f in model._meta.concrete_fields}
    actor = current_actor()
    extra = {
        "history_date": timezone.now(),
        "history_type": "~",
        "history_change_reason": None,
        "history_user_id": actor.pk if getattr(actor, "is_authenticated", False) else None,
    }
    columns, selects, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in extra:
            selects.append("%s")
            params.append(extra[field.attname])
        elif field.column in source:
            selects.append("t." + connection.ops.quote_name(field.column))
        else:
            raise ValueError(f"{history._meta.label}.{field.column}: no source column")
    pk = connection.ops.quote_name(model._meta.pk.column)
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(pks), batch_size):
            batch = pks[start : start + batch_size]
            # Names from the models, values as parameters:
            sql = (
                f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} "  # noqa: S608  # nosec B608
                f"({', '.join(columns)}) SELECT {', '.join(selects)} "
                f"FROM {connection.ops.quote_name(model._meta.db_table)} t "
                f"WHERE t.{pk} IN ({', '.join(['%s'] * len(batch))})"
            )
            cursor.execute(sql, [*params, *batch])
            written += int(cursor.rowcount)
    if written:
        rows_changed.send(sender=model)
    return written
