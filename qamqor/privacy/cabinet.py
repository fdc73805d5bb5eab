"""The privacy section of the personal cabinet (R-X-5, R-POR-2): the consents, the latest reads
of the person's data and the "Download my data" button; the full report is /privacy/."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from qamqor.accounts.models import User
from qamqor.cabinet.sections import Section
from qamqor.privacy import selectors


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
