"""The hash chain of queue events (issue 7 item 4: tamper-evident history).

Each ``QueueEvent`` of a journal has a number ``seq`` (1, 2, …) and ``hash = SHA-256(prev_hash
‖ canonical JSON of the event)``; the first event's ``prev_hash`` is 64 zeros. Events are
appended under the journal's lock (``locks.py``), so numbers have no gaps. Changing, inserting
or deleting any event breaks every later hash (``verification.py``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils import timezone

from qamqor.journal.models import Journal, QueueEntry, QueueEvent

GENESIS = "0" * 64


def event_payload(
    *, seq: int, entry_id: int, kind: str, at: str, data: dict[str, Any], actor_id: int | None
) -> bytes:
    return json.dumps(
        {"seq": seq, "entry": entry_id, "kind": kind, "at": at, "data": data, "actor": actor_id},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def chain_hash(prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + payload).hexdigest()


def append_event(
    journal: Journal, entry: QueueEntry, kind: str, data: dict[str, Any], actor: Any = None
) -> QueueEvent:
    """Append one event to the journal's chain. Call under the journal's lock."""
    last = QueueEvent.objects.filter(journal=journal).order_by("-seq").values("seq", "hash").first()
    seq = (last["seq"] if last else 0) + 1
    prev = last["hash"] if last else GENESIS
    at = timezone.now()
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    payload = event_payload(
        seq=seq, entry_id=entry.pk, kind=kind, at=at.isoformat(), data=data, actor_id=actor_id
    )
    return QueueEvent.objects.create(
        journal=journal,
        seq=seq,
        entry=entry,
        kind=kind,
        at=at,
        data=data,
        actor_id=actor_id,
        prev_hash=prev,
        hash=chain_hash(prev, payload),
    )
