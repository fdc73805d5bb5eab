"""The privacy section of the personal cabinet (R-X-5, R-POR-2): the consents, the latest reads
of the person's data and the "Download my data" button; the full report is /privacy/."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils.translation import gettext as _

from qamqor.accounts.models import User
from qamqor.cabinet.sections import Section
from qamqor.core.freshness import PERSON_IIN, latest, watching
from qamqor.core.models import PersonalFileAccess
from qamqor.journal.models import QueueEntry, Stay
from qamqor.privacy import selectors
from qamqor.privacy.models import ConsentRecord


def _watches() -> list[Any]:
    """What ``access_log_of`` and ``consent_states`` read: the reads of the person's file, the
    reads of the journals that listed them (found through their stays and queue entries, whose
    own changes are watched too) and the consent records; all but the stays and entries are
    append-only. The reader's role at the time of the read does not change afterwards."""
    reads = PersonalFileAccess.objects
    watched: list[Any] = [
        latest(reads.filter(subject_iin=PERSON_IIN), "id"),
        latest(ConsentRecord.objects.filter(subject_iin=PERSON_IIN), "id"),
    ]
    for model in (Stay, QueueEntry):
        journals = (
            model.objects.filter(person_iin=PERSON_IIN)
            .order_by()
            .values(j=Cast("journal_id", CharField()))
        )
        watched += [
            latest(model.history.filter(person_iin=PERSON_IIN)),
            latest(reads.filter(subject_type="journal.journal", subject_id__in=journals), "id"),
        ]
    return watched


@watching(_watches)
def privacy_section(request: HttpRequest, person: User) -> Section:
    latest = list(selectors.access_log_of(person)[:5])
    return Section(
        "privacy",
        _("Your personal data"),
        "privacy/cabinet_section.html",
        {
            "rows": selectors.describe(latest, person),
            "consents": selectors.consent_states(person),
        },
        order=95,
    )
