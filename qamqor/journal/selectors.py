"""Reads of the journal and the queue: capacity and vacancies, queue order and positions,
the wait estimate, and the access chokepoints (STYLE: access and audit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.permissions import grants_of, organization_ids
from qamqor.accounts.roles import Role
from qamqor.core.errors import NotFoundError
from qamqor.core.freshness import PERSON, PERSON_IIN, latest
from qamqor.journal.models import (
    OCCUPYING,
    Journal,
    Movement,
    MovementKind,
    QueueEntry,
    QueueStatus,
    Stay,
)
from qamqor.organizations.models import Organization, OrganizationService

_SEE_ALL = {str(Role.MINISTRY)}


# --- Capacity and vacancies (SPEC §3, issue 7 item 2) --------------------------------------


@dataclass(frozen=True)
class Occupancy:
    """Capacity (R-ORG-2.6), occupied places, places offered and awaiting arrival, and
    ``vacancies = capacity − occupied − offered`` (never shown below 0)."""

    capacity: int
    occupied: int
    offered: int
    waiting: int
    suspended: int

    @property
    def vacancies(self) -> int:
        return max(0, self.capacity - self.occupied - self.offered)


def capacity_of(organization_id: int, condition: str) -> int:
    """R-ORG-2.6: the capacity of a condition from the registry; 0 when it is not offered."""
    value = (
        OrganizationService.objects.filter(organization_id=organization_id, condition=condition)
        .order_by("pk")  # not the model's ordering: it joins and sorts by organization name
        .values_list("capacity", flat=True)
        .first()
    )
    return int(value or 0)


def occupancy(journal: Journal) -> Occupancy:
    """The counts of one journal, in two queries (call it under the journal's lock to decide)."""
    occupied = Stay.objects.filter(journal=journal, status__in=OCCUPYING).count()
    by_status = dict(
        QueueEntry.objects.filter(journal=journal)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return Occupancy(
        capacity=capacity_of(journal.organization_id, journal.condition),
        occupied=occupied,
        offered=by_status.get(QueueStatus.OFFERED, 0),
        waiting=by_status.get(QueueStatus.WAITING, 0),
        suspended=by_status.get(QueueStatus.SUSPENDED, 0),
    )


def _count_subquery(qs: QuerySet[Any]) -> Any:
    return Coalesce(
        Subquery(
            qs.order_by().values("journal__organization_id").annotate(n=Count("pk")).values("n")[:1]
        ),
        Value(0),
        output_field=IntegerField(),
    )


def services_with_vacancies(
    qs: QuerySet[OrganizationService] | None = None,
) -> QuerySet[OrganizationService]:
    """Documented selector for the organizations app (R-ORG-4 "has vacancies" filter): the
    service conditions ``qs`` annotated with ``occupied``, ``offered`` and
    ``vacancies = capacity − occupied − offered`` computed from the journal, in one SQL query.
    Filter ``vacancies__gt=0`` for the conditions that have a free place."""
    base = qs if qs is not None else OrganizationService.objects.all()
    stays = Stay.objects.filter(
        journal__organization_id=OuterRef("organization_id"),
        journal__condition=OuterRef("condition"),
        status__in=OCCUPYING,
    )
    offers = QueueEntry.objects.filter(
        journal__organization_id=OuterRef("organization_id"),
        journal__condition=OuterRef("condition"),
        status=QueueStatus.OFFERED,
    )
    from django.db.models import F

    return base.annotate(occupied=_count_subquery(stays), offered=_count_subquery(offers)).annotate(
        vacancies=F("capacity") - F("occupied") - F("offered")
    )


def services_with_a_free_place(
    qs: QuerySet[OrganizationService],
) -> QuerySet[OrganizationService]:
    """Documented selector for the organizations app: the conditions of ``qs`` with at least
    one vacancy (capacity − occupied − offered > 0). Usable inside ``Exists``."""
    return services_with_vacancies(qs).filter(vacancies__gt=0)  # type: ignore[misc]


@dataclass(frozen=True)
class ConditionCounts:
    condition: str
    label: str
    capacity: int
    occupied: int
    offered: int
    vacancies: int
    queue: int


def organization_counts(organization_id: int) -> list[ConditionCounts]:
    """Per condition of an organization: capacity, occupied, offered, vacancies and queue length
    (counts only: the public view, issue 7 item 2)."""
    services = services_with_vacancies(
        OrganizationService.objects.filter(organization_id=organization_id, capacity__gt=0)
    )
    queue = dict(
        QueueEntry.objects.filter(
            journal__organization_id=organization_id,
            status__in=[QueueStatus.WAITING, QueueStatus.SUSPENDED],
        )
        .values_list("journal__condition")
        .annotate(n=Count("pk"))
        .values_list("journal__condition", "n")
    )
    return [
        ConditionCounts(
            condition=s.condition,
            label=str(s.get_condition_display()),
            capacity=s.capacity,
            occupied=s.occupied,  # type: ignore[attr-defined]
            offered=s.offered,  # type: ignore[attr-defined]
            vacancies=max(0, s.vacancies),  # type: ignore[attr-defined]
            queue=queue.get(s.condition, 0),
        )
        for s in services
    ]


# --- Queue order and positions (R-QUE-1, R-QUE-4) ------------------------------------------


def waiting_queue(journal: Journal) -> QuerySet[QueueEntry]:
    """The waiting applications in queue order: (priority, registration time, id)."""
    return QueueEntry.objects.filter(journal=journal, status=QueueStatus.WAITING).order_by(
        "priority", "registered_at", "pk"
    )


def queue_head(journal: Journal) -> QueueEntry | None:
    return waiting_queue(journal).first()


def ahead_of(entry: QueueEntry) -> int:
    """How many waiting applications come before ``entry`` (computed, never stored)."""
    before = (
        Q(priority__lt=entry.priority)
        | Q(priority=entry.priority, registered_at__lt=entry.registered_at)
        | Q(priority=entry.priority, registered_at=entry.registered_at, pk__lt=entry.pk)
    )
    return (
        QueueEntry.objects.filter(journal_id=entry.journal_id, status=QueueStatus.WAITING)
        .filter(before)
        .count()
    )


@dataclass(frozen=True)
class WaitEstimate:
    """How long the wait may be, from the journal's actual turnover (docs/journal.md):
    ``places_freed`` in the last ``window_days`` days (discharges, transfers, terminations),
    giving ``days_per_place``; the wait is (ahead + 1) × days_per_place."""

    window_days: int
    places_freed: int
    days_per_place: float | None
    days: int | None

    @property
    def until(self) -> dt.date | None:
        return None if self.days is None else timezone.localdate() + dt.timedelta(days=self.days)


TURNOVER_WINDOW_DAYS = 365
_FREEING = (MovementKind.DISCHARGE, MovementKind.TRANSFER, MovementKind.TERMINATION)


def _freeing_movements(today: dt.date) -> QuerySet[Movement]:
    since = today - dt.timedelta(days=TURNOVER_WINDOW_DAYS)
    return Movement.objects.filter(kind__in=_FREEING, on__gt=since, on__lte=today)


def wait_estimate(journal: Journal, ahead: int, *, today: dt.date | None = None) -> WaitEstimate:
    today = today or timezone.localdate()
    freed = _freeing_movements(today).filter(stay__journal=journal).count()
    return _estimate(freed, ahead)


def _estimate(freed: int, ahead: int) -> WaitEstimate:
    if not freed:
        return WaitEstimate(TURNOVER_WINDOW_DAYS, 0, None, None)
    per_place = TURNOVER_WINDOW_DAYS / freed
    return WaitEstimate(
        TURNOVER_WINDOW_DAYS, freed, round(per_place, 1), round((ahead + 1) * per_place)
    )


@dataclass(frozen=True)
class Position:
    entry: QueueEntry
    position: int | None  # 1-based among the waiting; None when not waiting
    ahead: int
    estimate: WaitEstimate | None


def position_of(entry: QueueEntry) -> Position:
    """R-QUE-1: the recipient's place in the queue, the number ahead and the wait estimate."""
    if entry.status != QueueStatus.WAITING:
        return Position(entry, None, 0, None)
    ahead = ahead_of(entry)
    return Position(entry, ahead + 1, ahead, wait_estimate(entry.journal, ahead))


def _queue_figures_sql(n_entries: int) -> str:
    """One statement for ``positions_of``: for each of ``n_entries`` queue entries, how many
    waiting entries of its journal come before it (priority, then registration time, then key:
    the order of ``ahead_of``, R-QUE-1), and how many places its journal freed in the window of
    ``_freeing_movements``. Written as SQL once (issue 9: compiling the same two querysets on
    every page view cost more than running them); the same on PostgreSQL and SQLite, and
    checked against ``position_of`` by tests/journal/test_positions.py."""
    q = connection.ops.quote_name
    entry, stay, movement = (m._meta.db_table for m in (QueueEntry, Stay, Movement))
    placeholders = ", ".join(["%s"] * n_entries)
    freeing = ", ".join(["%s"] * len(_FREEING))
    # Table and column names come from _meta, every value is a parameter.
    return (
        f"SELECT e.{q('id')}, "  # noqa: S608  # nosec B608
        f"(SELECT COUNT(*) FROM {q(entry)} u WHERE u.{q('journal_id')} = e.{q('journal_id')} "
        f"AND u.{q('status')} = %s AND (u.{q('priority')} < e.{q('priority')} "
        f"OR (u.{q('priority')} = e.{q('priority')} AND (u.{q('registered_at')} < "
        f"e.{q('registered_at')} OR (u.{q('registered_at')} = e.{q('registered_at')} "
        f"AND u.{q('id')} < e.{q('id')}))))), "
        f"(SELECT COUNT(*) FROM {q(movement)} m JOIN {q(stay)} s ON s.{q('id')} = "
        f"m.{q('stay_id')} WHERE s.{q('journal_id')} = e.{q('journal_id')} "
        f"AND m.{q('kind')} IN ({freeing}) AND m.{q('on')} > %s AND m.{q('on')} <= %s) "
        f"FROM {q(entry)} e WHERE e.{q('id')} IN ({placeholders})"
    )


def positions_of(entries: Iterable[QueueEntry]) -> list[Position]:
    """``position_of`` for a list of entries in one query whatever their number (issue 9: no
    query per entry), none when no entry is waiting: the number ahead of each waiting entry
    and the places freed in its journal."""
    entries = list(entries)
    waiting = [e for e in entries if e.status == QueueStatus.WAITING]
    figures: dict[int, tuple[int, int]] = {}
    if waiting:
        today = timezone.localdate()
        since = today - dt.timedelta(days=TURNOVER_WINDOW_DAYS)
        params: list[Any] = [QueueStatus.WAITING, *_FREEING, since, today]
        with connection.cursor() as cursor:
            cursor.execute(_queue_figures_sql(len(waiting)), [*params, *(e.pk for e in waiting)])
            figures = {pk: (ahead, freed) for pk, ahead, freed in cursor.fetchall()}
    out = []
    for entry in entries:
        if entry.status != QueueStatus.WAITING:
            out.append(Position(entry, None, 0, None))
            continue
        n, freed = figures.get(entry.pk, (0, 0))
        out.append(Position(entry, n + 1, n, _estimate(freed, n)))
    return out


def my_queue_entries(user: Any) -> QuerySet[QueueEntry]:
    """The queue applications of the logged-in recipient (own account or IIN)."""
    if not getattr(user, "is_authenticated", False):
        return QueueEntry.objects.none()
    return (
        QueueEntry.objects.filter(Q(user=user) | Q(person_iin=user.iin))
        .select_related("journal", "journal__organization")
        .order_by("-registered_at", "-pk")
    )


#: What "my place in the queue" shows of an entry (the page and ``PositionOut``): issue 9, the
#: page reads these columns, not the person's whole record and the organization's.
_MY_POSITION_FIELDS = (
    "journal",
    "status",
    "priority",
    "registered_at",
    "arrive_by",
    "postponed",
    "journal__condition",
    "journal__organization",
    "journal__organization__name_kk",
    "journal__organization__name_ru",
)


def my_positions(
    user: Any, limit: int = 20, statuses: Iterable[str] | None = None
) -> list[Position]:
    """R-QUE-1 transparency: the newest ``limit`` queue applications of ``user`` (of these
    ``statuses``, or all) with their position, number ahead and wait estimate: two queries, one
    when none is waiting."""
    entries = my_queue_entries(user)
    if statuses is not None:
        entries = entries.filter(status__in=list(statuses))
    return positions_of(entries.only(*_MY_POSITION_FIELDS)[:limit])


def position_watches() -> list[Any]:
    """What the person's queue entries and their positions depend on (``core.freshness``: the
    cabinet's queue section and "my place in the queue" are cached on them). A place moves with
    every entry of the same journals (the number ahead), the movements of their stays (the
    places freed, for the estimate), the journals themselves and their organizations' names. A
    new entry of the person is in these journals by definition."""
    journals = (
        QueueEntry.objects.filter(Q(user_id=PERSON) | Q(person_iin=PERSON_IIN))
        .order_by()
        .values("journal_id")
    )
    return [
        latest(QueueEntry.history.filter(journal_id__in=journals)),
        latest(Movement.objects.filter(stay__journal_id__in=journals), "id"),
        latest(Journal.history.filter(id__in=journals)),
        latest(
            Organization.history.filter(
                id__in=Journal.objects.filter(id__in=journals).values("organization_id")
            )
        ),
    ]


def get_my_entry(user: Any, pk: int) -> QueueEntry:
    entry = my_queue_entries(user).filter(pk=pk).first()
    if entry is None:
        raise NotFoundError("queue.not_found", _("No such queue application."))
    return entry


# --- Access chokepoints ---------------------------------------------------------------------


def journals_for(user: Any) -> QuerySet[Journal]:
    """Journals the user may read: organization staff their own organization's, the ministry all."""
    qs = Journal.objects.select_related("organization")
    if getattr(user, "is_superuser", False) or grants_of(user).roles & _SEE_ALL:
        return qs
    return qs.filter(organization_id__in=organization_ids(user, Role.ORGANIZATION_STAFF))


def get_journal_for(user: Any, pk: int, *, write: bool = False) -> Journal:
    """One journal, or NotFoundError (404); ``write`` needs the organization's own staff."""
    journal = journals_for(user).filter(pk=pk).first()
    if (
        journal is not None
        and write
        and not (
            getattr(user, "is_superuser", False)
            or journal.organization_id in organization_ids(user, Role.ORGANIZATION_STAFF)
        )
    ):
        journal = None
    if journal is None:
        raise NotFoundError("journal.not_found", _("No such journal."))
    return journal


def get_stay_for(user: Any, pk: int, *, write: bool = False) -> Stay:
    stay = (
        Stay.objects.filter(pk=pk, journal__in=journals_for(user)).select_related("journal").first()
    )
    if stay is None:
        raise NotFoundError("journal.stay_not_found", _("No such record in the journal."))
    get_journal_for(user, stay.journal_id, write=write)
    return stay


def get_entry_for(user: Any, pk: int, *, write: bool = False) -> QueueEntry:
    entry = (
        QueueEntry.objects.filter(pk=pk, journal__in=journals_for(user))
        .select_related("journal")
        .first()
    )
    if entry is None:
        raise NotFoundError("queue.not_found", _("No such queue application."))
    get_journal_for(user, entry.journal_id, write=write)
    return entry


def stays_of(journal: Journal) -> QuerySet[Stay]:
    return (
        Stay.objects.filter(journal=journal)
        .prefetch_related("movements")
        .order_by("admitted_on", "pk")
    )


def transfer_target(pk: int | None) -> Any:
    """R-JRN-1 transfer: the receiving organization by its registry number, or NotFoundError."""
    from qamqor.organizations.models import Organization

    org = Organization.objects.filter(pk=pk or 0).select_related("district__region").first()
    if org is None:
        raise NotFoundError(
            "journal.transfer_target", _("No organization with this number."), field="target"
        )
    return org


def services_in_scope(user: Any) -> QuerySet[OrganizationService]:
    """The offered conditions of the organizations whose journals the user may read."""
    qs = OrganizationService.objects.filter(capacity__gt=0).select_related("organization")
    if getattr(user, "is_superuser", False) or grants_of(user).roles & _SEE_ALL:
        return qs
    return qs.filter(organization_id__in=organization_ids(user, Role.ORGANIZATION_STAFF))
