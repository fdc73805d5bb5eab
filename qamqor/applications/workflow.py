"""The states of an application and their legal moves (R-SVC-4…11), as data.

registered → assessment_assigned (R-SVC-7, 10 working days) → concluded → approved (R-SVC-8,
3 working days) → choice_notified (R-SVC-9, 2 working days) → organization_chosen (hand-off to
the journal/queue); or concluded → refusal_intended → hearing_notified (R-SVC-11: notice at least
3 working days before the term ends, hearing within 2 working days) → approved or refused
(R-SVC-10 ground). refused_at_intake is the refusal of R-SVC-4. A change of the law is a diff
of ``TRANSITIONS``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qamqor.core.errors import ConflictError


class Status(models.TextChoices):
    REFUSED_AT_INTAKE = "refused_at_intake", _("refused at intake")
    REGISTERED = "registered", _("accepted")
    ASSESSMENT_ASSIGNED = "assessment_assigned", _("assessment assigned")
    CONCLUDED = "concluded", _("conclusion received")
    REFUSAL_INTENDED = "refusal_intended", _("refusal intended")
    HEARING_NOTIFIED = "hearing_notified", _("hearing notice sent")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    CHOICE_NOTIFIED = "choice_notified", _("notified to choose an organization")
    ORGANIZATION_CHOSEN = "organization_chosen", _("organization chosen")


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.REFUSED_AT_INTAKE: frozenset(),
    Status.REGISTERED: frozenset({Status.ASSESSMENT_ASSIGNED}),
    Status.ASSESSMENT_ASSIGNED: frozenset({Status.CONCLUDED}),
    Status.CONCLUDED: frozenset({Status.APPROVED, Status.REFUSAL_INTENDED}),
    Status.REFUSAL_INTENDED: frozenset({Status.HEARING_NOTIFIED}),
    Status.HEARING_NOTIFIED: frozenset({Status.APPROVED, Status.REFUSED}),
    Status.APPROVED: frozenset({Status.CHOICE_NOTIFIED}),
    Status.REFUSED: frozenset(),
    Status.CHOICE_NOTIFIED: frozenset({Status.ORGANIZATION_CHOSEN}),
    Status.ORGANIZATION_CHOSEN: frozenset(),
}

#: States in which nothing more happens in this app.
CLOSED: frozenset[Status] = frozenset(s for s, moves in TRANSITIONS.items() if not moves)
OPEN: frozenset[Status] = frozenset(Status) - CLOSED


def can_move(current: str, target: str) -> bool:
    try:
        return Status(target) in TRANSITIONS[Status(current)]
    except ValueError:
        return False


def ensure_transition(current: str, target: str) -> None:
    """Refuse an illegal move with ``applications.illegal_transition`` (409): nothing changes."""
    if not can_move(current, target):
        raise ConflictError(
            "applications.illegal_transition",
            gettext(
                "An application that is “%(current)s” cannot become “%(target)s”. "
                "Reload the case: someone may have acted on it already."
            )
            % {"current": _label(current), "target": _label(target)},
            params={"from": current, "to": target},
        )


def _label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value
