"""The legal moves of an order (R-POR-5) as data: ordered → accepted by the supplier → handed
over → delivery confirmed by the person → reimbursement requested → paid or rejected (by the
local executive body, with a reason). Who may make each move is in ``services``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qamqor.cabinet.models import OrderStatus
from qamqor.core.errors import ConflictError

S = OrderStatus

TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.ORDERED: frozenset({S.ACCEPTED}),
    S.ACCEPTED: frozenset({S.HANDED_OVER}),
    S.HANDED_OVER: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset({S.REIMBURSEMENT_REQUESTED}),
    S.REIMBURSEMENT_REQUESTED: frozenset({S.PAID, S.REJECTED}),
    S.PAID: frozenset(),
    S.REJECTED: frozenset(),
}

#: Statuses in which the order is over (the measure is done, whatever the reimbursement).
FINAL: frozenset[OrderStatus] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)


def can_transition(current: str, new: str) -> bool:
    return OrderStatus(new) in TRANSITIONS.get(OrderStatus(current), frozenset())


def ensure_transition(current: str, new: str) -> None:
    """R-POR-5: refuse a move the table does not allow (``order.illegal_transition``)."""
    if not can_transition(current, new):
        raise ConflictError(
            "order.illegal_transition",
            _("The order cannot go from “%(current)s” to “%(new)s”.")
            % {"current": OrderStatus(current).label, "new": OrderStatus(new).label},
        )
