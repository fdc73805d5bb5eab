"""The journal in the form of appendix 2 of seed 001 (R-JRN-2): XLSX and printable PDF, in
Kazakh or Russian, with the official name in Kazakh and in Russian and the started/finished
dates. The writers are the registry's (``qamqor.organizations.exports``), shared.

Rows: every stay of the journal (admission order, newest movements of each kind), then the
persons in the queue in queue order (status "in the queue"), as the form's title says
("…receiving services and persons in need of them registered in the queue").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Prefetch
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qamqor.journal.models import Journal, Movement, MovementKind, QueueEntry, QueueStatus, Stay
from qamqor.organizations.exports import (
    CHUNK,
    Cell,
    export_language,
    pdf_table_bytes,
    xlsx_table_response,
)

__all__ = ["COLUMNS", "export_language", "journal_response", "journal_rows"]

#: R-JRN-2: the 14 columns of appendix 2, in the form's order.
COLUMNS = [
    gettext_lazy("No."),
    gettext_lazy("Status"),
    gettext_lazy("Surname, name, patronymic (if any)"),
    gettext_lazy("Birth date, age"),
    gettext_lazy("Sex"),
    gettext_lazy("Home address"),
    gettext_lazy("Phone number"),
    gettext_lazy("Term of the individual rehabilitation programme"),
    gettext_lazy("Admission date and order No."),
    gettext_lazy("Temporary leave date and order No."),
    gettext_lazy("Discharge date and order No."),
    gettext_lazy("Reason of discharge"),
    gettext_lazy("Transfer date and order No."),
    gettext_lazy("Where to (region, city, district)"),
]
PDF_WIDTHS = (3, 8, 12, 7, 4, 11, 7, 6, 8, 8, 8, 7, 8, 3)
PDF_MAX_ROWS = 2000


def _date_order(movement: Movement | None) -> str:
    if movement is None:
        return ""
    return f"{movement.on:%d.%m.%Y}, № {movement.order_number}"


def _age(birth: dt.date | None, on: dt.date) -> str:
    if birth is None:
        return ""
    years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return f"{birth:%d.%m.%Y}, {years}"


def _last(movements: list[Movement], *kinds: str) -> Movement | None:
    found = [m for m in movements if m.kind in kinds]
    return found[-1] if found else None


def journal_rows(journal: Journal) -> Iterator[list[Cell]]:
    """The rows of the form (call inside the export language)."""
    today = timezone.localdate()
    stays = (
        Stay.objects.filter(journal=journal)
        .order_by("admitted_on", "pk")
        .prefetch_related(Prefetch("movements", queryset=Movement.objects.order_by("on", "pk")))
    )
    number = 0
    for stay in stays.iterator(chunk_size=CHUNK):
        number += 1
        moves = list(stay.movements.all())
        admission = _date_order(_last(moves, MovementKind.ADMISSION))
        if stay.returned:  # R-JRN-3
            admission = f"{admission} ({_('returned')})"
        end = _last(moves, MovementKind.DISCHARGE, MovementKind.TERMINATION)
        transfer = _last(moves, MovementKind.TRANSFER)
        yield [
            number,
            str(stay.get_status_display()),
            stay.full_name,
            _age(stay.birth_date, today),
            str(stay.get_sex_display()) if stay.sex else "",
            stay.home_address,
            stay.phone,
            stay.ipr_until,
            admission,
            _date_order(_last(moves, MovementKind.LEAVE)),
            _date_order(end),
            end.reason if end else "",
            _date_order(transfer),
            transfer.destination if transfer else "",
        ]
    queue = QueueEntry.objects.filter(
        journal=journal,
        status__in=[QueueStatus.WAITING, QueueStatus.SUSPENDED, QueueStatus.OFFERED],
    ).order_by("priority", "registered_at", "pk")
    for entry in queue.iterator(chunk_size=CHUNK):
        number += 1
        yield [
            number,
            _("in the queue: %(status)s, since %(date)s")
            % {
                "status": entry.get_status_display(),
                "date": f"{timezone.localtime(entry.registered_at):%d.%m.%Y}",
            },
            entry.full_name,
            _age(entry.birth_date, today),
            str(entry.get_sex_display()) if entry.sex else "",
            entry.home_address,
            entry.phone,
            entry.ipr_until,
            "",
            "",
            "",
            "",
            "",
            "",
        ]


def _preamble(journal: Journal) -> tuple[str, list[str]]:
    org = journal.organization
    title = _(
        "Electronic journal of registration of persons receiving special social services "
        "and persons in need of them in the queue: %(condition)s"
    ) % {"condition": journal.get_condition_display()}
    finished = f"{journal.finished_on:%d.%m.%Y}" if journal.finished_on else "—"
    return title, [
        _("Official name of the organization (in Kazakh): %(name)s") % {"name": org.name_kk},
        _("Official name of the organization (in Russian): %(name)s") % {"name": org.name_ru},
        _("Started: %(date)s") % {"date": f"{journal.started_on:%d.%m.%Y}"},
        _("Finished: %(date)s") % {"date": finished},
    ]


def journal_response(fmt: str, journal: Journal, language: str) -> HttpResponseBase:
    day = f"{timezone.localdate():%Y-%m-%d}"
    name = f"qamqor-journal-{journal.organization.bin}-{journal.condition}-{language}-{day}.{fmt}"
    with translation.override(language):
        title, preamble = _preamble(journal)
        heads = [str(c) for c in COLUMNS]
        if fmt == "xlsx":
            return xlsx_table_response(
                [title, *preamble], heads, journal_rows(journal), name, sheet_title=_("Journal")
            )
        rows = journal_rows(journal)
        body = pdf_table_bytes(title, preamble, heads, rows, PDF_WIDTHS, language)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
