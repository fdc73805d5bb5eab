"""The legal moves of the journal and the queue, as data (STYLE: workflows).

``MOVEMENTS`` says, for each movement of R-JRN-1, from which stay statuses it may start, the
status it leads to and in which service conditions the law knows it: temporary leave in
stationary and temporary-stay organizations (p.11.1, 35.2), suspension and termination in
semi-stationary and home care (p.21.1, 26.1). ``QUEUE_TRANSITIONS`` is the life of a queue
application (R-QUE-1…6). A change of the law is a diff of these tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from qamqor.core.errors import DomainError
from qamqor.journal.models import MovementKind, QueueStatus, StayStatus
from qamqor.organizations.models import ServiceCondition

S = StayStatus
C = ServiceCondition
ALL_CONDITIONS = frozenset(C.values)


@dataclass(frozen=True)
class MovementRule:
    sources: frozenset[str]
    target: str
    conditions: frozenset[str]


#: R-JRN-1: movement → (from statuses, to status, conditions where it exists).
MOVEMENTS: dict[str, MovementRule] = {
    MovementKind.LEAVE: MovementRule(
        frozenset({S.IN_CARE}), S.ON_LEAVE, frozenset({C.STATIONARY, C.TEMPORARY_STAY})
    ),
    MovementKind.RETURN_FROM_LEAVE: MovementRule(
        frozenset({S.ON_LEAVE}), S.IN_CARE, frozenset({C.STATIONARY, C.TEMPORARY_STAY})
    ),
    MovementKind.SUSPENSION: MovementRule(
        frozenset({S.IN_CARE}), S.SUSPENDED, frozenset({C.SEMI_STATIONARY, C.AT_HOME})
    ),
    MovementKind.RESUMPTION: MovementRule(
        frozenset({S.SUSPENDED}), S.IN_CARE, frozenset({C.SEMI_STATIONARY, C.AT_HOME})
    ),
    MovementKind.TERMINATION: MovementRule(
        frozenset({S.IN_CARE, S.SUSPENDED}),
        S.TERMINATED,
        frozenset({C.SEMI_STATIONARY, C.AT_HOME}),
    ),
    MovementKind.DISCHARGE: MovementRule(
        frozenset({S.IN_CARE, S.ON_LEAVE, S.SUSPENDED}), S.DISCHARGED, ALL_CONDITIONS
    ),
    MovementKind.TRANSFER: MovementRule(
        frozenset({S.IN_CARE, S.ON_LEAVE, S.SUSPENDED}), S.TRANSFERRED, ALL_CONDITIONS
    ),
}

Q_ = QueueStatus
#: R-QUE-1…6: the life of a queue application.
QUEUE_TRANSITIONS: dict[str, frozenset[str]] = {
    Q_.WAITING: frozenset({Q_.SUSPENDED, Q_.OFFERED, Q_.CLOSED}),
    Q_.SUSPENDED: frozenset({Q_.WAITING, Q_.CLOSED}),  # R-QUE-3
    Q_.OFFERED: frozenset({Q_.ADMITTED, Q_.CLOSED}),  # R-QUE-6
    Q_.ADMITTED: frozenset(),
    Q_.CLOSED: frozenset(),
}


def ensure_movement(kind: str, status: str, condition: str) -> str:
    """The status a stay in ``status`` reaches by movement ``kind`` in a journal of
    ``condition``; ``DomainError`` with the reason when the law does not allow it (R-JRN-1)."""
    rule = MOVEMENTS[kind]
    if condition not in rule.conditions:
        raise DomainError(
            "journal.movement_not_in_condition",
            _("The movement “%(movement)s” is not used in the condition “%(condition)s”.")
            % {
                "movement": MovementKind(kind).label,
                "condition": ServiceCondition(condition).label,
            },
            params={"movement": kind, "condition": condition},
        )
    if status not in rule.sources:
        raise DomainError(
            "journal.illegal_movement",
            _(
                "The movement “%(movement)s” is not possible for a recipient whose status "
                "is “%(status)s”."
            )
            % {"movement": MovementKind(kind).label, "status": StayStatus(status).label},
            params={"movement": kind, "status": status},
        )
    return rule.target


def ensure_queue_transition(old: str, new: str) -> None:
    if new not in QUEUE_TRANSITIONS[old]:
        raise DomainError(
            "queue.illegal_transition",
            _("A queue application with the status “%(old)s” cannot become “%(new)s”.")
            % {"old": QueueStatus(old).label, "new": QueueStatus(new).label},
            params={"old": old, "new": new},
        )
