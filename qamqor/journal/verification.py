"""Replay of a queue's hash-chained history (issue 7 item 4).

``verify_journal(journal)`` checks the chain (numbers without gaps, each ``prev_hash`` the
previous ``hash``, each ``hash`` recomputed from the event) and replays the events, reporting
every step that broke the rules: R-QUE-1/R-QUE-4 (an offer went to someone other than the head
of the queue in (priority, registration time, id) order, or without a vacancy), R-QUE-2 (a
person twice in the queue), R-QUE-3 (suspension/return from the wrong state, a registration
time changed), R-QUE-5 (a second postponement, beyond the legal term, another reason), R-QUE-6
(a no-show closed before the term ended, an admission after it). Used by ``manage.py
verify_queue`` and the verification page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from qamqor.core.errors import DomainError
from qamqor.core.terms import deadline_for
from qamqor.journal.chain import GENESIS, chain_hash, event_payload
from qamqor.journal.models import Journal, PostponementReason, QueueEntry, QueueEvent

_POSTPONE_KEY = {"stationary": "stationary", "semi_stationary": "semi_stationary"}


@dataclass(frozen=True)
class Problem:
    seq: int | None
    rule: str
    message: str


@dataclass
class Report:
    journal: Journal
    events: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _State:
    iin: str
    priority: int
    registered_at: str
    status: str = "waiting"
    postponed: bool = False
    arrive_by: str = ""
    offered_on: str = ""


def _key(entry_id: int, s: _State) -> tuple[int, str, int]:
    return (s.priority, s.registered_at, entry_id)


def verify_journal(journal: Journal) -> Report:
    report = Report(journal)
    states: dict[int, _State] = {}
    prev = GENESIS
    expected_seq = 1

    def problem(seq: int | None, rule: str, message: str) -> None:
        report.problems.append(Problem(seq, rule, message))

    for event in QueueEvent.objects.filter(journal=journal).order_by("seq").iterator():
        report.events += 1
        seq = event.seq
        if seq != expected_seq:
            problem(
                seq,
                "chain",
                _("Event number %(got)s where %(want)s was expected: an event is missing.")
                % {"got": seq, "want": expected_seq},
            )
        expected_seq = seq + 1
        payload = event_payload(
            seq=seq,
            entry_id=event.entry_id,
            kind=event.kind,
            at=event.at.isoformat(),
            data=event.data,
            actor_id=event.actor_id,
        )
        if event.prev_hash != prev:
            problem(seq, "chain", _("The link to the previous event is broken."))
        if chain_hash(event.prev_hash, payload) != event.hash:
            problem(
                seq,
                "chain",
                _("The event was changed after it was recorded (its hash does not match)."),
            )
        prev = event.hash
        _replay(event, states, problem, journal)
    # The stored applications must be what the history says (status, registration time).
    for entry in QueueEntry.objects.filter(journal=journal).only(
        "pk", "status", "registered_at", "priority"
    ):
        state = states.get(entry.pk)
        if state is None:
            problem(
                None, "R-QUE-2", _("Application %(id)s has no recorded filing.") % {"id": entry.pk}
            )
            continue
        if entry.status != state.status:
            problem(
                None,
                "chain",
                _("Application %(id)s is “%(status)s” but its history says “%(history)s”.")
                % {"id": entry.pk, "status": entry.status, "history": state.status},
            )
        if (entry.priority, entry.registered_at.isoformat()) != (
            state.priority,
            state.registered_at,
        ):
            problem(
                None,
                "R-QUE-3",
                _("The registration time or priority of application %(id)s was changed.")
                % {"id": entry.pk},
            )
    return report


def _replay(event: QueueEvent, states: dict[int, _State], problem: Any, journal: Journal) -> None:
    seq, data, kind = event.seq, event.data, event.kind
    state = states.get(event.entry_id)
    if kind == "filed":
        iin = data.get("iin", "")
        if any(
            s.iin == iin and s.status in ("waiting", "suspended", "offered")
            for s in states.values()
        ):
            problem(seq, "R-QUE-2", _("The person was filed while already in the queue."))
        states[event.entry_id] = _State(
            iin, int(data.get("priority", 1)), str(data.get("registered_at", ""))
        )
        return
    if state is None:
        problem(seq, "chain", _("An event for an application that was never filed."))
        return
    if kind == "suspended":
        if state.status != "waiting":
            problem(seq, "R-QUE-3", _("Suspended while not waiting."))
        state.status = "suspended"
    elif kind == "recertified":
        if state.status != "suspended":
            problem(seq, "R-QUE-3", _("Returned after re-certification while not suspended."))
        state.status = "waiting"
    elif kind == "offered":
        waiting = [(eid, s) for eid, s in states.items() if s.status == "waiting"]
        head = min(waiting, key=lambda p: _key(*p))[0] if waiting else None
        if state.status != "waiting":
            problem(
                seq, "R-QUE-1", _("A place was offered to an application that was not waiting.")
            )
        elif head != event.entry_id:
            problem(
                seq,
                "R-QUE-1",
                _(
                    "The place was offered out of order: application %(head)s was ahead "
                    "(R-QUE-4 priority, then registration time)."
                )
                % {"head": head},
            )
        if int(data.get("vacancies_before", 0)) <= 0:
            problem(seq, "R-QUE-1", _("A place was offered without a vacancy."))
        state.status, state.arrive_by, state.offered_on = (
            "offered",
            data.get("arrive_by", ""),
            data.get("offered_on", ""),
        )
    elif kind == "postponed":
        if state.status != "offered":
            problem(seq, "R-QUE-5", _("Postponed without an open offer."))
        if state.postponed:
            problem(seq, "R-QUE-5", _("The arrival was postponed a second time."))
        if data.get("reason") not in PostponementReason.values:
            problem(
                seq, "R-QUE-5", _("Postponed for a reason other than illness or hospitalisation.")
            )
        key = _POSTPONE_KEY.get(journal.condition)
        try:
            start = dt.date.fromisoformat(state.arrive_by)
            limit = (
                deadline_for(
                    "R-QUE-5",
                    start,
                    key=key or "",
                    case_started_on=dt.date.fromisoformat(state.offered_on),
                ).due
                if key
                else None
            )
        except (ValueError, DomainError):
            limit = None
        to = data.get("to", "")
        if limit is None or not (state.arrive_by < to <= limit.isoformat()):
            problem(seq, "R-QUE-5", _("The new arrival date is beyond the legal term."))
        state.postponed, state.arrive_by = True, to
    elif kind == "no_show":
        if state.status != "offered":
            problem(seq, "R-QUE-6", _("A no-show closed an application without an open offer."))
        if not data.get("closed_on", "") > state.arrive_by:
            problem(seq, "R-QUE-6", _("The offer was closed before the arrival term ended."))
        state.status = "closed"
    elif kind == "admitted":
        if state.status != "offered":
            problem(seq, "R-QUE-1", _("Admitted from the queue without an offer."))
        if data.get("admitted_on", "") > state.arrive_by:
            problem(seq, "R-QUE-6", _("Admitted after the arrival term ended."))
        state.status = "admitted"
    elif kind == "withdrawn":
        state.status = "closed"
