"""The journal's section of the personal cabinet (R-POR-2): the person's queue positions, the
number ahead and the wait estimate, and an offered place with its arrival term."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from qamqor.accounts.models import User
from qamqor.cabinet.sections import Section
from qamqor.journal import selectors
from qamqor.journal.models import ACTIVE_QUEUE, QueueStatus


def queue_section(request: HttpRequest, person: User) -> Section | None:
    entries = list(selectors.my_queue_entries(person).filter(status__in=ACTIVE_QUEUE)[:10])
    if not entries:
        return None
    positions = selectors.positions_of(entries)
    actions = [
        _("Arrive at %(organization)s by %(date)s, or postpone the arrival.")
        % {"organization": e.journal.organization.name, "date": f"{e.arrive_by:%d.%m.%Y}"}
        for e in entries
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
