"""The legal moves of an application to the registry of specialists (R-SPC-3, R-SPC-4).

A change of the law is a diff of this table. ``DRAFT`` is also where a registered specialist
prepares a new version of their entry (R-SPC-4: employment or qualification updates are reviewed
the same way); ``REFUSED`` is final: a refused applicant applies again with a new application.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from qamqor.core.errors import ConflictError
from qamqor.specialists.models import Status

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    # R-SPC-3: register, return for revision, refuse.
    Status.SUBMITTED: frozenset({Status.REGISTERED, Status.RETURNED, Status.REFUSED}),
    # R-SPC-4: the applicant removes the reasons and submits again.
    Status.RETURNED: frozenset({Status.SUBMITTED}),
    # R-SPC-4: a registered specialist updates the entry through a new version.
    Status.REGISTERED: frozenset({Status.DRAFT}),
    Status.REFUSED: frozenset(),
}

#: The states in which the applicant edits the working copy.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


def can_move(current: str, new: str) -> bool:
    return Status(new) in TRANSITIONS[Status(current)]


def ensure_transition(current: str, new: str) -> None:
    """Raise ``ConflictError("specialists.illegal_transition")`` unless the move is legal."""
    if not can_move(current, new):
        raise ConflictError(
            "specialists.illegal_transition",
            _("This application is %(status)s: this action is not possible now.")
            % {"status": Status(current).label},
            params={"from": current, "to": new},
        )
