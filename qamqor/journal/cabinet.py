"""The journal's section of the personal cabinet (R-POR-2): the person's queue positions, the
number ahead and the wait estimate, and an offered place with its arrival term."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from qamqor.accounts.models import User
from qamqor.cabinet.sections import Section
from qamqor.core.freshness import watching
from qamqor.journal import selectors
from qamqor.journal.models import ACTIVE_QUEUE, QueueStatus


@watching(selectors.position_watches)
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
