"""The state service's section of the personal cabinet (R-POR-2): the person's applications with
their stage and due date, and what each asks of the person now."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from qamqor.accounts.models import User
from qamqor.applications import selectors
from qamqor.applications.models import Application, Recipient
from qamqor.applications.workflow import Status
from qamqor.cabinet.sections import Section
from qamqor.core.freshness import PERSON, PERSON_IIN, latest, watching


def _watches() -> list[Any]:
    """Every change of the applications ``my_applications`` reads (as recipient, by IIN, or
    filed by the person)."""
    recipient = Recipient.objects.filter(iin=PERSON_IIN).values("pk")
    return [
        latest(Application.history.filter(Q(recipient_id__in=recipient) | Q(filed_by_id=PERSON)))
    ]


@watching(_watches)
def applications_section(request: HttpRequest, person: User) -> Section | None:
    # Issue 9: only the columns the section shows. The full rows carry the encrypted form,
    # medical card and conclusion (and the recipient's file): 20 rows cost 80 decryptions.
    rows = list(
        selectors.my_applications(person)
        .select_related(None)
        .only("pk", "number", "status", "current_due")
        .order_by("-pk")[:20]
    )
    if not rows:
        return None
    actions = [
        _("Choose an organization for application No. %(number)s by %(date)s.")
        % {"number": a.number, "date": f"{a.current_due:%d.%m.%Y}" if a.current_due else "—"}
        for a in rows
        if a.status == Status.CHOICE_NOTIFIED
    ]
    return Section(
        "applications",
        _("Your applications for special social services"),
        "applications/cabinet_section.html",
        {"rows": rows},
        order=5,
        actions=actions,
    )
