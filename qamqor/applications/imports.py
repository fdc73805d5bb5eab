"""Reading recipient files (R-SVC-2): CSV (header of ``COLUMNS``; person lists as JSON in a
cell) and JSON (a list of objects or ``{"recipients": [...]}``). Parsers only read; the
validation and the all-or-nothing apply are ``services.recipients.import_recipients``."""

from __future__ import annotations

import csv
import io
import json

from django.utils.translation import gettext as _

from qamqor.applications.services.recipients import COLUMNS, RecipientRow, RowError
from qamqor.core.importfiles import load_json
from qamqor.organizations.imports import _element_lines

ParseResult = tuple[list[RecipientRow], list[RowError]]


def parse_csv(text: str) -> ParseResult:
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        return [], [RowError(None, 1, "", "import.empty", _("The file is empty."))]
    reader.fieldnames = header
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        message = _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}
        return [], [RowError(None, 1, "", "import.unknown_columns", message)]
    rows: list[RecipientRow] = []
    errors: list[RowError] = []
    try:
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            if None in row:
                errors.append(
                    RowError(
                        None,
                        reader.line_num,
                        (row.get("iin") or "").strip(),
                        "import.extra_cells",
                        _("This row has more cells than the header has columns."),
                    )
                )
                continue
            rows.append(RecipientRow({k: v for k, v in row.items() if v != ""}, reader.line_num))
    except csv.Error as exc:
        message = _("The file is not valid CSV: %(reason)s.") % {"reason": exc}
        errors.append(RowError(None, reader.line_num, "", "import.csv", message))
    return rows, errors


def parse_json(text: str) -> ParseResult:
    text = text.lstrip("\ufeff")
    try:
        document = load_json(text)
    except json.JSONDecodeError as exc:
        message = _("The file is not valid JSON: %(reason)s.") % {"reason": exc.msg}
        return [], [RowError(None, exc.lineno, "", "import.json", message)]
    if isinstance(document, dict) and isinstance(document.get("recipients"), list):
        items = document["recipients"]
        start = text.index("[", text.index('"recipients"'))
    elif isinstance(document, list):
        items = document
        start = text.index("[")
    else:
        message = _('The file must hold a list of records or an object {"recipients": [...]}.')
        return [], [RowError(None, 1, "", "import.json_shape", message)]
    lines = _element_lines(text, start + 1, len(items))
    rows: list[RecipientRow] = []
    errors: list[RowError] = []
    for item, line in zip(items, lines, strict=True):
        if not isinstance(item, dict):
            errors.append(
                RowError(None, line, "", "import.not_an_object", _("A record must be an object."))
            )
            continue
        rows.append(RecipientRow(item, line))
    return rows, errors
