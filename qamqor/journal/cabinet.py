"""The journal's section of the personal cabinet (R-POR-2): the person's queue positions, the
number ahead and the wait estimate, and an offered place with its arrival term."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from qamqor.accounts.models import User
from qamqor.cabinet.freshness import PERSON, PERSON_IIN, latest, watching
from qamqor.cabinet.sections import Section
from qamqor.journal import selectors
from qamqor.journal.models import ACTIVE_QUEUE, Journal, Movement, QueueEntry, QueueStatus
from qamqor.organizations.models import Organization


def _watches() -> list[Any]:
    """A place in the queue moves with every entry of the same journals (the number ahead), the
    movements of their stays (the places freed, for the estimate), the journals themselves and
    their organizations' names. A new entry of the person is in these journals by definition."""
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


@watching(_watches)
def queue_section(request: HttpRequest, person: User) -> Section | None:
    positions = selectors.my_positions(person, limit=10, statuses=ACTIVE_QUEUE)
    if not positions:
        return None
    actions = [
        _("Arrive at %(organization)s by %(date)s, or postpone the arrival.")
        % {"organization": e.journal.organization.name, "date": f"{e.arrive_by:%d.%m.%Y}"}
        for e in (p.entry for p in positions)
        if e.status == QueueStatus.OFFERED and e.arrive_by
    ]
    return Section(
        "queue",
        _("Your places in the queue"),
        "journal/cabinet_section.html",
        {"positions": positions},
        order=6,
        actions=actions,
    )
