"""The only place that locks applications (STYLE: concurrency)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qamqor.core.errors import NotFoundError
from qamqor.specialists.models import Application


def lock_application(pk: int) -> Application:
    """The application row, locked for the rest of the transaction (a no-op on SQLite, whose
    IMMEDIATE transactions already serialise writers)."""
    row = (
        Application.objects.filter(pk=pk)
        .order_by("pk")
        .select_for_update(no_key=True, of=("self",))
        .first()
    )
    if row is None:
        raise NotFoundError("specialists.not_found", _("No such application."))
    return row
