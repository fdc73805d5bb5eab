"""Services of the journal and the queue: one guarded, transactional function per act.

Movements (R-JRN-1, R-JRN-3, R-JRN-4) are in ``movements``, the queue (R-QUE-1…6) in ``queue``.
The entry points for the state service (issue 5: "person approved, organization chosen") are
``admit`` and ``file_queue_application`` (docs/journal.md).
"""

from qamqor.journal.services.movements import (
    CardData,
    PersonData,
    admit,
    discharge,
    move,
    open_journals,
    transfer,
)
from qamqor.journal.services.queue import (
    admit_from_queue,
    close_no_show,
    close_no_shows,
    file_queue_application,
    offer_place,
    postpone_arrival,
    postponement_act,
    postponement_limit,
    queue_application_act,
    recertify,
    suspend_expired_ipr,
    suspend_for_ipr_expiry,
    withdraw,
)

__all__ = [
    "CardData",
    "PersonData",
    "admit",
    "admit_from_queue",
    "close_no_show",
    "close_no_shows",
    "discharge",
    "file_queue_application",
    "move",
    "offer_place",
    "open_journals",
    "postpone_arrival",
    "postponement_act",
    "postponement_limit",
    "queue_application_act",
    "recertify",
    "suspend_expired_ipr",
    "suspend_for_ipr_expiry",
    "transfer",
    "withdraw",
]
