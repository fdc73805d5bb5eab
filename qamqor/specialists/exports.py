"""Exports of the registry of specialists (R-SPC-5): CSV, XLSX, PDF in kk or ru, in the column
order of the form (appendix to seed 002): №; full name; birth date; contacts (mobile phone,
e-mail); residence (region, locality, registered address); profession; work experience in
special social services; education (level, institution, start, end, document); employment
(organization, BIN, position, start, end); qualification category (category, date, attestation
commission); date of inclusion. The writers are the registry's generic ones
(``qamqor.organizations.exports``): CSV streamed, XLSX through a temporary file, PDF capped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from qamqor.core.errors import DomainError
from qamqor.core.identifiers import format_phone
from qamqor.organizations.exports import (
    CHUNK,
    PDF_MAX_ROWS,
    export_language,
    stream_csv,
    stream_xlsx,
    table_pdf,
)
from qamqor.specialists.models import EducationLevel, QualificationCategory, Specialist

__all__ = ["PDF_MAX_ROWS", "export_language", "export_response"]

TITLE = gettext_lazy("Registry of specialists providing special social services")

#: R-SPC-5: the columns of the form (appendix to seed 002), in its order.
COLUMNS = [
    gettext_lazy("No."),
    gettext_lazy("Surname, name, patronymic (if any) of the specialist"),
    gettext_lazy("Birth date"),
    gettext_lazy("Contacts (mobile phone, e-mail)"),
    gettext_lazy("Residence (region, locality, registered address)"),
    gettext_lazy("Profession"),
    gettext_lazy("Work experience in special social services"),
    gettext_lazy(
        "Education (level, educational institution, start date, end date, education document)"
    ),
    gettext_lazy("Employment (organization, BIN, position, start date, end date)"),
    gettext_lazy(
        "Qualification category (category, date assigned, attestation commission: name of the "
        "authorized body)"
    ),
    gettext_lazy("Date of inclusion in the registry"),
]
PDF_WIDTHS = (3, 10, 6, 10, 12, 9, 6, 14, 14, 10, 6)


def header() -> list[str]:
    return [str(c) for c in COLUMNS]


def _day(value: str | None) -> str:
    if not value:
        return ""
    try:
        return f"{dt.date.fromisoformat(value):%d.%m.%Y}"
    except ValueError:
        return value


def experience(entry: Specialist) -> str:
    years = ngettext("%(n)s year", "%(n)s years", entry.experience_years) % {
        "n": entry.experience_years
    }
    if not entry.experience_months:
        return years
    months = ngettext("%(n)s month", "%(n)s months", entry.experience_months) % {
        "n": entry.experience_months
    }
    return f"{years} {months}"


def education_text(rows: list[dict[str, Any]]) -> str:
    out = []
    for row in rows:
        level = row.get("level", "")
        label = str(EducationLevel(level).label) if level in EducationLevel.values else level
        period = f"{_day(row.get('start'))}–{_day(row.get('end'))}"
        out.append(
            ", ".join(
                p for p in (label, row.get("institution", ""), period, row.get("document", "")) if p
            )
        )
    return "; ".join(out)


def employment_text(rows: list[dict[str, Any]]) -> str:
    out = []
    for row in rows:
        end = _day(row.get("end")) or _("present")
        period = f"{_day(row.get('start'))}–{end}"
        parts = (row.get("organization", ""), row.get("bin", ""), row.get("position", ""), period)
        out.append(", ".join(p for p in parts if p))
    return "; ".join(out)


def qualification_text(entry: Specialist) -> str:
    category = entry.qualification_category
    label = (
        str(QualificationCategory(category).label)
        if category in QualificationCategory.values
        else category
    )
    date = f"{entry.qualification_date:%d.%m.%Y}" if entry.qualification_date else ""
    return ", ".join(p for p in (label, date, entry.attestation_commission) if p)


def row(number: int, entry: Specialist, language: str) -> list[Any]:
    region = (
        entry.region.name_kk if language == "kk" else (entry.region.name_ru or entry.region.name_kk)
    )
    profession = (
        entry.profession.name_kk
        if language == "kk"
        else (entry.profession.name_ru or entry.profession.name_kk)
    )
    contacts = ", ".join(
        p for p in (format_phone(str(entry.phone)) if entry.phone else "", entry.email) if p
    )
    return [
        number,
        entry.full_name,
        entry.birth_date,
        contacts,
        ", ".join(p for p in (region, entry.locality, entry.address) if p),
        profession,
        experience(entry),
        education_text(entry.education),
        employment_text(entry.employment),
        qualification_text(entry),
        entry.included_on,
    ]


def registry_rows(qs: QuerySet[Specialist], language: str) -> Iterator[list[Any]]:
    """The rows of the form, numbered from 1, read in chunks (call inside the language)."""
    for number, entry in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
        yield row(number, entry, language)


def filename(language: str, fmt: str) -> str:
    return f"qamqor-specialists-{language}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def export_response(fmt: str, qs: QuerySet[Specialist], language: str) -> HttpResponseBase:
    name = filename(language, fmt)
    if fmt == "csv":
        return stream_csv(header, lambda: registry_rows(qs, language), language, name)
    if fmt == "xlsx":
        return stream_xlsx(TITLE, header, lambda: registry_rows(qs, language), language, name)
    if qs.count() > PDF_MAX_ROWS:
        raise DomainError(
            "export.too_many_rows_for_pdf",
            _(
                "A printable list holds at most %(limit)s specialists. Narrow the search, or "
                "download the list as XLSX or CSV."
            )
            % {"limit": PDF_MAX_ROWS},
        )
    data = table_pdf(TITLE, header, lambda: registry_rows(qs, language), language, PDF_WIDTHS)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
