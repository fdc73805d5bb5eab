"""Exports of the registry of organizations (R-ORG-5): CSV, XLSX, PDF in kk or ru, open-data JSON.

The columns follow the form of the registry (appendix to the Rules, seed 000): №, name, BIN,
address, service condition, recipient category, total capacity, phone, e-mail, licence issue
date, licence validity, re-registration date, contract date, contract term, inclusion date,
licence stop date, basis of exclusion. CSV and JSON stream row by row from a server-side
iterator; XLSX is written by openpyxl's write-only workbook to a temporary file that is then
streamed, so memory stays flat with the size of the registry. fpdf2 builds the PDF in memory
(a printable document: meant for a filtered list rather than the whole nation).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qamqor.core.errors import DomainError
from qamqor.organizations.models import Organization, RecipientCategory, ServiceCondition

#: R-ORG-5: the registry is exported in Kazakh or Russian.
EXPORT_LANGUAGES = ("kk", "ru")
FORMATS = ("csv", "xlsx", "pdf", "json")
FONTS = Path(__file__).resolve().parent / "fonts"
CHUNK = 1000
#: fpdf2 lays out a table at ~75 rows/s on the reference machine: a printable list is capped so
#: that one request cannot hold a worker for minutes; larger lists go to XLSX/CSV.
PDF_MAX_ROWS = 500
# fontTools logs every glyph of the font subset at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

#: R-ORG-5: the columns of the form, in its order.
COLUMNS = [
    gettext_lazy("No."),
    gettext_lazy("Name of the organization"),
    gettext_lazy("BIN"),
    gettext_lazy("Address"),
    gettext_lazy("Service condition"),
    gettext_lazy("Recipient category"),
    gettext_lazy("Total capacity of the organization"),
    gettext_lazy("Phone"),
    gettext_lazy("E-mail"),
    gettext_lazy("Licence issue date"),
    gettext_lazy("Licence validity"),
    gettext_lazy("Licence re-registration date"),
    gettext_lazy("Service contract signing date"),
    gettext_lazy("Service contract term"),
    gettext_lazy("Date of inclusion"),
    gettext_lazy("Date the licence stopped"),
    gettext_lazy("Basis of exclusion"),
]
# Relative widths of the PDF columns (sum 100).
PDF_WIDTHS = (3, 12, 7, 10, 7, 14, 4, 6, 7, 4, 4, 4, 4, 4, 4, 4, 6)

Cell = str | int | dt.date | None


def export_language(requested: str | None) -> str:
    """``?lang=kk|ru``; otherwise the active language, Russian for English (R-ORG-5)."""
    if requested in EXPORT_LANGUAGES:
        return str(requested)
    active = (translation.get_language() or "kk")[:2]
    return "kk" if active == "kk" else "ru"


def filename(kind: str, language: str, fmt: str) -> str:
    return f"qamqor-organizations-{kind}-{language}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def header() -> list[str]:
    return [str(c) for c in COLUMNS]


def _row(number: int, org: Organization, language: str) -> list[Cell]:
    services = list(org.services.all())  # prefetched: offered conditions only
    name = org.name_kk if language == "kk" else (org.name_ru or org.name_kk)
    validity: Cell = org.licence_valid_until
    if validity is None and org.licence_issued_on is not None:
        validity = _("without a time limit")
    return [
        number,
        name,
        org.bin,
        org.legal_address,
        "; ".join(str(ServiceCondition(s.condition).label) for s in services),
        "; ".join(
            str(RecipientCategory(c).label) for c in org.categories if c in RecipientCategory.values
        ),
        sum(s.capacity for s in services),
        str(org.phone or ""),
        org.email,
        org.licence_issued_on,
        validity,
        org.reregistered_on,
        org.contract_signed_on,
        org.contract_valid_until,
        org.included_on,
        org.licence_stopped_on,
        org.exclusion_basis,
    ]


def each_once(qs: QuerySet[Any]) -> Iterator[Any]:
    """The objects of ``qs`` read in chunks of ``CHUNK``, each let go once used.

    A prefetched row and its related rows point at each other (the related rows cache their
    parent), a cycle that only the garbage collector frees, so memory would climb by a chunk at a
    time between its runs. Dropping the prefetch cache once the row is used breaks the cycle and
    reference counting frees the row at once: memory stays flat with the size of the export.
    """
    for obj in qs.iterator(chunk_size=CHUNK):
        yield obj
        obj.__dict__.pop("_prefetched_objects_cache", None)


def registry_rows(qs: QuerySet[Organization], language: str) -> Iterator[list[Cell]]:
    """The rows of the form, numbered from 1, read in chunks (call inside the language)."""
    for number, org in enumerate(each_once(qs), start=1):
        yield _row(number, org, language)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(qs: QuerySet[Organization], language: str, name: str) -> StreamingHttpResponse:
    """CSV in UTF-8 with a BOM (Excel then reads Cyrillic right), streamed row by row."""

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        with translation.override(language):
            yield "\ufeff" + writer.writerow(header())
            for row in registry_rows(qs, language):
                yield writer.writerow([_text(v) for v in row])

    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def xlsx_response(qs: QuerySet[Organization], language: str, name: str) -> FileResponse:
    """XLSX from openpyxl's write-only workbook (rows go to disk as they come)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    with translation.override(language):
        sheet = workbook.create_sheet(title=_("Registry"))
        sheet.freeze_panes = "A3"
        title = WriteOnlyCell(
            sheet, value=_("Registry of organizations providing special social services")
        )
        title.font = Font(bold=True)
        sheet.append([title])
        heads = []
        for text in header():
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = Font(bold=True)
            heads.append(cell)
        sheet.append(heads)
        for row in registry_rows(qs, language):
            cells: list[Any] = []
            for value in row:
                if isinstance(value, dt.date):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "DD.MM.YYYY"
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    workbook.save(out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def pdf_bytes(qs: QuerySet[Organization], language: str) -> bytes:
    """A printable A4 landscape table with an embedded DejaVu Sans (it has every Kazakh letter)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=10)
    pdf.set_margins(8, 8, 8)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    with translation.override(language):
        title = _("Registry of organizations providing special social services")
        pdf.set_title(title)
        pdf.set_lang(language)
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 7)
        pdf.multi_cell(
            0,
            5,
            _("Generated on %(date)s") % {"date": f"{timezone.localdate():%d.%m.%Y}"},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("DejaVu", "", 5.5)
        with pdf.table(
            col_widths=PDF_WIDTHS,
            headings_style=FontFace(emphasis="BOLD"),
            line_height=2.6,
            text_align="LEFT",
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for text in header():
                heading.cell(text)
            for row in registry_rows(qs, language):
                line = table.row()
                for value in row:
                    line.cell(_text(value))
    return bytes(pdf.output())


def pdf_response(qs: QuerySet[Organization], language: str, name: str) -> HttpResponse:
    if qs.count() > PDF_MAX_ROWS:
        raise DomainError(
            "export.too_many_rows_for_pdf",
            _(
                "A printable list holds at most %(limit)s organizations. Narrow the search, or "
                "download the list as XLSX or CSV."
            )
            % {"limit": PDF_MAX_ROWS},
        )
    response = HttpResponse(pdf_bytes(qs, language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _open_data(org: Organization) -> dict[str, Any]:
    services = list(org.services.all())
    region = org.district.region

    def iso(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "name_kk": org.name_kk,
        "name_ru": org.name_ru,
        "bin": org.bin,
        "legal_address": org.legal_address,
        "region": {"kato": region.kato, "name_kk": region.name_kk, "name_ru": region.name_ru},
        "district": {
            "id": org.district.slug,
            "name_kk": org.district.name_kk,
            "name_ru": org.district.name_ru,
        },
        "services": [{"condition": s.condition, "capacity": s.capacity} for s in services],
        "categories": list(org.categories),
        "total_capacity": sum(s.capacity for s in services),
        "phone": str(org.phone or ""),
        "email": org.email,
        "licence_number": org.licence_number,
        "licence_issued_on": iso(org.licence_issued_on),
        "licence_valid_until": iso(org.licence_valid_until),
        "reregistered_on": iso(org.reregistered_on),
        "contract_signed_on": iso(org.contract_signed_on),
        "contract_valid_until": iso(org.contract_valid_until),
        "included_on": iso(org.included_on),
        "licence_stopped_on": iso(org.licence_stopped_on),
        "status": org.status,
    }


def open_data_chunks(qs: QuerySet[Organization]) -> Iterable[str]:
    """Open data (R-ORG-4, R-ORG-5): ``{"generated_on", "organizations": [...]}``, streamed."""
    generated_on = json.dumps(timezone.localdate().isoformat())
    yield f'{{"generated_on": {generated_on}, "organizations": ['
    for index, org in enumerate(each_once(qs)):
        yield ("," if index else "") + json.dumps(_open_data(org), ensure_ascii=False)
    yield "]}"


def json_response(qs: QuerySet[Organization], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in open_data_chunks(qs)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def export_response(
    fmt: str, qs: QuerySet[Organization], language: str, kind: str
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    """The response for ``fmt`` (one of FORMATS) of the registry ``qs`` in ``language``."""
    name = filename(kind, language, fmt)
    if fmt == "csv":
        return csv_response(qs, language, name)
    if fmt == "xlsx":
        return xlsx_response(qs, language, name)
    if fmt == "pdf":
        return pdf_response(qs, language, name)
    return json_response(qs, name)
