"""The state machine as data (STYLE: workflows; R-SVC-4…11)."""

from __future__ import annotations

import pytest

from qamqor.applications.workflow import CLOSED, TRANSITIONS, Status, can_move, ensure_transition
from qamqor.core.errors import ConflictError

PAIRS = [(a, b) for a in Status for b in Status]


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_ensure_transition_follows_the_table(current, target):
    if target in TRANSITIONS[current]:
        ensure_transition(current, target)
    else:
        with pytest.raises(ConflictError) as caught:
            ensure_transition(current, target)
        assert caught.value.code == "applications.illegal_transition"


def test_every_state_is_in_the_table_and_the_ends_are_closed():
    assert set(TRANSITIONS) == set(Status)
    assert {Status.REFUSED_AT_INTAKE, Status.REFUSED, Status.ORGANIZATION_CHOSEN} == CLOSED


def test_a_refusal_needs_a_hearing_first():
    """R-SVC-11: no refusal straight after the conclusion."""
    assert not can_move(Status.CONCLUDED, Status.REFUSED)
    assert can_move(Status.REFUSAL_INTENDED, Status.HEARING_NOTIFIED)
    assert can_move(Status.HEARING_NOTIFIED, Status.REFUSED)
    assert not can_move("nonsense", Status.REFUSED)
